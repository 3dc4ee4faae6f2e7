"""Long documents for the scale benchmark: the NAS corpus text repeated as one document.

The body (第1章 to the last article) is repeated, its chapters and articles renumbered so that
the copies continue one another (第41条 follows 第40条), between the one title block and the one
附則 of the source. The PDF is typeset with the corpus's own NAS layout (corpus/build_pdfs.py),
so ten pages of it read like the corpus PDF.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAS = ROOT / "corpus" / "nas" / "source.txt"
HEADER_LINES = 5
"""The NAS source's title block: the lines before 第1章."""

_CHAPTER = re.compile(r"^第(\d+)章", re.MULTILINE)
_ARTICLE = re.compile(r"^第(\s*)(\d+)(\s*)条", re.MULTILINE)


def long_nas_text(copies: int) -> str:
    """The NAS source with its body repeated `copies` times, renumbered to continue."""
    lines = NAS.read_text(encoding="utf-8").split("\n")
    supplementary = next(i for i, line in enumerate(lines) if line.strip() == "附則")
    header = "\n".join(lines[:HEADER_LINES])
    body = "\n".join(lines[HEADER_LINES:supplementary])
    tail = "\n".join(lines[supplementary:])
    chapters = len(_CHAPTER.findall(body))
    articles = max(int(m.group(2)) for m in _ARTICLE.finditer(body))
    parts = [header]
    for copy in range(copies):
        text = _CHAPTER.sub(lambda m, c=copy: f"第{int(m.group(1)) + c * chapters}章", body)
        text = _ARTICLE.sub(
            lambda m, c=copy: f"第{m.group(1)}{int(m.group(2)) + c * articles}{m.group(3)}条",
            text,
        )
        parts.append(text)
    parts.append(tail)
    return "\n".join(parts)


def long_nas_pdf(copies: int) -> bytes:
    """`long_nas_text(copies)` typeset as the corpus NAS PDF is (about ten pages a copy)."""
    sys.path.insert(0, str(ROOT))
    from corpus.build_pdfs import build_nas

    return build_nas(long_nas_text(copies))
