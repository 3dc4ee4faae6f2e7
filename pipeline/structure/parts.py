"""Bundles: a file holding several terms documents, each a `DocumentPart` of one `Document`.

Every stage after segmentation works on one document. `part_documents` gives each part of a
bundle as a Document of its own (a view: same text and spans, paths still 'part:N/...'), so
extraction, resolution, validation, the store and the diff treat each part as a document.
"""

from __future__ import annotations

import re
from itertools import pairwise

from pipeline.models import Document
from pipeline.structure.layout import Line
from pipeline.text.headings import Heading

PART_ID_SEPARATOR = "#"
"""A part's document id is the bundle's id, this separator and the part's path."""


def part_documents(document: Document) -> list[Document]:
    """Each part of a bundle as a Document; a document that is not a bundle is its only part."""
    if not document.parts:
        return [document]
    views = []
    for part in document.parts:
        prefix = f"{part.path}/"
        views.append(
            document.model_copy(
                update={
                    "id": f"{document.id}{PART_ID_SEPARATOR}{part.path}",
                    "title": part.title,
                    "numbering_style": part.numbering_style,
                    "preamble": part.preamble,
                    "chapters": part.chapters,
                    "articles": part.articles,
                    "supplementary": part.supplementary,
                    "appendices": part.appendices,
                    "closing": part.closing,
                    "parts": [],
                    "extractions": [e for e in document.extractions if e.path.startswith(prefix)],
                    "diagnostics": [
                        d for d in document.diagnostics if (d.path or "").startswith(prefix)
                    ],
                }
            )
        )
    return views


def merge_parts(document: Document, views: list[Document], before: list[Document]) -> Document:
    """The bundle with what its part views gained since `before`: extractions and diagnostics."""
    if not document.parts:
        return views[0]
    extractions = [e for view in views for e in view.extractions]
    added = [
        d
        for view, old in zip(views, before, strict=True)
        for d in view.diagnostics[len(old.diagnostics) :]
    ]
    return document.model_copy(
        update={"extractions": extractions, "diagnostics": document.diagnostics + added}
    )


_DOCUMENT_TITLE = re.compile(
    r"(約款|規約|規程|規定|条件書?|ポリシー|契約書|約定書|ガイドライン|特約)\s*[」』)）]?\s*$"
)
MAX_TITLE_LOOKBACK = 3
"""How many lines before a restarting 第1条 may hold the next document's title."""


def part_ranges(lines: list[Line], headings: list[Heading | None]) -> list[tuple[int, int]]:
    """Line ranges of the documents in a file: a new one starts where 第1条 comes again.

    The new document starts after the previous one's last 以上, else at its title line just
    before 第1条. A 第1条 inside 附則 (its own numbering) starts nothing unless a title or an
    以上 stands between. `headings`: each line read as a heading (None: not one).
    """
    starts = [0]
    articles = 0
    last_end: int | None = None
    in_supplementary = False
    for index, heading in enumerate(headings):
        if heading is None:
            continue
        if heading.kind == "end":
            last_end = index
        elif heading.kind == "supplementary":
            in_supplementary = True
            last_end = None
        elif heading.kind == "article":
            if heading.number == "1" and articles >= 2:
                title_at = next(
                    (
                        k
                        for k in range(
                            index - 1, max(index - 1 - MAX_TITLE_LOOKBACK, starts[-1]), -1
                        )
                        if len(lines[k].text) <= 60
                        and "。" not in lines[k].text
                        and _DOCUMENT_TITLE.search(lines[k].text)
                    ),
                    None,
                )
                start = last_end + 1 if last_end is not None else title_at
                if start is None and not in_supplementary:
                    start = index
                if start is not None and start > starts[-1]:
                    starts.append(start)
                    articles = 0
                    in_supplementary = False
                    last_end = None
            articles += 1
    bounds = [*starts, len(lines)]
    return list(pairwise(bounds))
