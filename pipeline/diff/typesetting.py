"""Typesetting: what never makes a change between two versions.

Markdown decoration (headings, quotes, bullets, rules, emphasis, a link's target beside its
text), white space and, through NFKC, full/half width are how a text is set on the page, not
its words. `plain` gives the words alone; `decoration` says where the typesetting stands.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.text.spaces import squash

# Typesetting that never makes an edit: Markdown decoration (headings, quotes, bullets, rules,
# emphasis, a link's target beside its text) and, through NFKC, full/half width.
_LINE_DECORATION = re.compile(
    r"^[ \t\u3000]*(?:#{1,6}(?=[ \t\u3000])|>|[*+\-・●■◆◇○](?=[ \t\u3000]))", re.MULTILINE
)
_RULE = re.compile(
    r"(?:^|(?<=[。.]))[ \t\u3000]*([-*_=―─━])(?:[ \t\u3000]*\1){2,}[ \t\u3000]*$", re.MULTILINE
)
"""A rule (----) on its own line, or glued after a sentence by the joining of wrapped lines."""
_EMPHASIS = re.compile(r"\*+|_{2,}")
_LINK = re.compile(r"(\[)[^\]\n]*(\]\([^)\n]*\))")


def decoration(text: str) -> list[tuple[int, int]]:
    """Ranges of `text` that are typesetting only: Markdown marks, bullets, rules, link targets."""
    found = [m.span() for m in _LINE_DECORATION.finditer(text)]
    found += [m.span() for m in _RULE.finditer(text)]
    found += [m.span() for m in _EMPHASIS.finditer(text)]
    for m in _LINK.finditer(text):
        found += [m.span(1), m.span(2)]
    return found


def plain(text: str) -> str:
    """The words of `text` without typesetting: decoration removed, NFKC, no whitespace."""
    keep = [True] * len(text)
    for lo, hi in decoration(text):
        keep[lo:hi] = [False] * (hi - lo)
    words = "".join(ch for ch, k in zip(text, keep, strict=True) if k)
    return squash(unicodedata.normalize("NFKC", words))
