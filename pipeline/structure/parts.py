"""Bundles: a file holding several terms documents, each a `DocumentPart` of one `Document`.

Every stage after segmentation works on one document. `part_documents` gives each part of a
bundle as a Document of its own (a view: same text and spans, paths still 'part:N/...'), so
extraction, resolution, validation, the store and the diff treat each part as a document.
"""

from __future__ import annotations

from pipeline.models import Document

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
