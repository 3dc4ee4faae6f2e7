"""Segment: `NormalizedText` → `Document` tree of 章 / 節 / 条 / 項 / 号 and 附則.

The text arrives with one logical line per structural unit (see `normalize`). Each line is a
heading, a numbering marker or running text. Nesting is decided from the numbering pattern, never
from indentation: a marker continuing a list already open is its next sibling (popping back to
that list's level), a paragraph marker continuing the paragraph count starts a new paragraph, and
a marker of a new pattern starting at 1 opens a list one level deeper. What does not fit becomes
a diagnostic, never an exception.

The stage reads top to bottom: `layout` (the logical lines and the document's numbering style),
`parts` (the documents of a bundle), `segmenter` (the line loop and the headings) with
`paragraphs` (where a marker goes), `builders` (the growing tree), `freeze` (the pydantic model)
and `numbering` (the numbering diagnostics).
"""

from __future__ import annotations

from typing import Any

from pipeline.models import (
    Closing,
    Document,
    DocumentPart,
    NormalizedText,
    Preamble,
    SegmentError,
    SourceInfo,
    Span,
)
from pipeline.structure import numbering
from pipeline.structure.freeze import Freezer, close_spans
from pipeline.structure.layout import Layout, Line, layout_of, logical_lines
from pipeline.structure.normalize import Locator
from pipeline.structure.parts import part_ranges
from pipeline.structure.segmenter import Segmenter
from pipeline.text.headings import Heading, match_heading
from pipeline.text.styles import is_comparison_table

NOT_TERMS = (
    "not a terms document: no structure found (no 第N条 articles, numbered sections, "
    "decimal outline or headings)"
)
COMPARISON_TABLE = (
    "a comparison table (新旧対照表: 改正後/現行 columns side by side), not a terms document"
)


def segment(
    normalized: NormalizedText, source: SourceInfo, locator: Locator | None = None
) -> Document:
    """Build the document tree from normalized text; numbering problems become diagnostics.

    A file holding several documents (第1条 again after a document's articles) becomes a bundle:
    each document is a `DocumentPart`, and the Document's own structure fields stay empty.
    """
    lines = list(logical_lines(normalized.text))
    if is_comparison_table([line.text for line in lines]):
        raise SegmentError(source.path, COMPARISON_TABLE)
    layout = layout_of(normalized, lines)
    # Each line read as a heading once: the bundle's parts and the segmenter both read them.
    headings = [match_heading(line.text) for line in lines]
    ranges = part_ranges(lines, headings) if layout.style == "article" else [(0, len(lines))]
    if len(ranges) == 1:
        fields = _build(normalized, lines, headings, layout, "", locator)
        if not fields["articles"]:
            raise SegmentError(source.path, NOT_TERMS)
    else:
        fields = _bundle(normalized, lines, headings, layout, ranges, locator)
    return Document(
        id=source.sha256,
        source=source,
        text=normalized.text,
        numbering_style=layout.style,
        **fields,
    )


def _bundle(
    normalized: NormalizedText,
    lines: list[Line],
    headings: list[Heading | None],
    layout: Layout,
    ranges: list[tuple[int, int]],
    locator: Locator | None,
) -> dict[str, Any]:
    """The fields of a bundle: each range of lines a part, their diagnostics the bundle's."""
    parts: list[DocumentPart] = []
    diagnostics = []
    for number, (lo, hi) in enumerate(ranges, start=1):
        sub = layout.part(lo, hi)
        prefix = f"part:{number}/"
        fields = _build(normalized, lines[lo:hi], headings[lo:hi], sub, prefix, locator)
        diagnostics += fields.pop("diagnostics")
        parts.append(
            DocumentPart(
                number=number,
                path=f"part:{number}",
                span=Span(start=lines[lo].start, end=lines[hi - 1].end),
                numbering_style=sub.style,
                **fields,
            )
        )
    return {"parts": parts, "diagnostics": diagnostics}


def _build(
    normalized: NormalizedText,
    lines: list[Line],
    headings: list[Heading | None],
    layout: Layout,
    prefix: str,
    locator: Locator | None,
) -> dict[str, Any]:
    """Segment some lines into the structure fields of a document (or of a bundle's part)."""
    segmenter = Segmenter(normalized, lines, layout, prefix, headings)
    segmenter.run()
    freezer = Freezer(normalized.text, locator, prefix)
    articles = [freezer.article(a) for a in segmenter.articles]
    return {
        "preamble": freezer.block(segmenter.preamble_lines, Preamble),
        "chapters": close_spans(segmenter.chapters, articles),
        "articles": articles,
        "supplementary": [
            freezer.supplementary(s, i) for i, s in enumerate(segmenter.supplementary)
        ],
        "appendices": [freezer.appendix(a) for a in segmenter.appendices],
        "closing": freezer.block(segmenter.closing_lines, Closing),
        "diagnostics": numbering.segment_diagnostics(
            articles,
            segmenter.chapters,
            {line.start: line.end for line in lines},
            segmenter.diagnostics,
        ),
    }
