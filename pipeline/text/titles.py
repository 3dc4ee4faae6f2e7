"""Article titles (見出し) compared as a reader compares them: the one home of "same title".

A title may stand with or without its brackets ('(利用の停止)', '（利用の停止）', '【利用の停止】'),
with full-width or half-width characters and with stray spaces from a PDF's letter-spacing
('利 用 の 停 止'); none of these make two titles different.
"""

from __future__ import annotations

import unicodedata

TITLE_BRACKETS = "()（）[]［］【】「」〔〕<>＜＞《》〈〉"


def plain_title(title: str) -> str:
    """The title NFKC-normalized, without white space and without its enclosing brackets."""
    squashed = "".join(unicodedata.normalize("NFKC", title).split())
    return squashed.strip(TITLE_BRACKETS)


def same_title(a: str | None, b: str | None) -> bool:
    """Whether two titles read the same; a missing or empty title is the same as none."""
    return bool(a and b and plain_title(a) == plain_title(b))
