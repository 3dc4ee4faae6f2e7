"""White space in a text read from a page: a PDF's line breaks and letter-spacing are how the
text is set, not its words; the one home of "the text without white space"."""

from __future__ import annotations

import re

_WHITE_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """`text` without white space: a phrase matches across a PDF's line breaks and spacing."""
    return _WHITE_SPACE.sub("", text)
