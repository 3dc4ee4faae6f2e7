"""Renderers of a Document for people (a tree) and for programs (JSON)."""

from __future__ import annotations

from pipeline.models import Document, DocumentPart, Item, Paragraph, article_label

PREVIEW_CHARS = 48


def document_json(document: Document, *, indent: int | None = 2) -> str:
    """The Document as JSON: the public contract (see schema/document.schema.json)."""
    return document.model_dump_json(indent=indent)


def _preview(text: str) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def _item_lines(items: list[Item], depth: int) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"{'  ' * depth}{item.marker} {_preview(item.text)}")
        lines += _item_lines(item.items, depth + 1)
    return lines


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    marker = paragraph.marker or f"[{paragraph.number}]"
    lines = [f"    {marker} {_preview(paragraph.text)}"]
    return lines + _item_lines(paragraph.items, 3)


def document_tree(document: Document) -> str:
    """The document as an indented tree: chapters, articles, paragraphs and items."""
    out = [
        f"{document.title or '(untitled)'}"
        + (f"  {document.version}" if document.version else "")
        + (f"  {document.effective_date}" if document.effective_date else ""),
        f"source: {document.source.path} ({document.source.kind}"
        + (f", {document.source.pages} pages" if document.source.pages else "")
        + ")",
    ]
    if document.numbering_style != "article":
        out.append(f"numbering: {document.numbering_style}")
    if document.parts:
        for part in document.parts:
            out.append(f"== {part.path} {part.title or '(untitled)'}")
            out += _structure_lines(part)
    else:
        out += _structure_lines(document)
    if document.diagnostics:
        out.append("diagnostics:")
        out += [
            f"  [{d.severity}] {d.code} {d.path or ''}: {d.message}" for d in document.diagnostics
        ]
    return "\n".join(out)


def _structure_lines(holder: Document | DocumentPart) -> list[str]:
    """The tree lines of one document or of one part of a bundle."""
    out: list[str] = []
    chapter_of = {n: c for c in holder.chapters for n in c.articles}
    section_of = {n: (c, s) for c in holder.chapters for s in c.sections for n in s.articles}
    shown_chapter = shown_section = None
    for article in holder.articles:
        chapter = chapter_of.get(article.number)
        if chapter is not None and chapter.path != shown_chapter:
            out.append(f"{chapter.label} {chapter.title or ''}".rstrip())
            shown_chapter, shown_section = chapter.path, None
        pair = section_of.get(article.number)
        if pair is not None and pair[1].path != shown_section:
            out.append(f"  第{pair[1].number}節 {pair[1].title or ''}".rstrip())
            shown_section = pair[1].path
        label = article_label(article.number, holder.numbering_style)
        out.append(
            f"  {label} {article.title or ''}".rstrip()
            + ("  [削除]" if article.deleted else "")
        )
        for paragraph in article.paragraphs:
            out += _paragraph_lines(paragraph)
    for suppl in holder.supplementary:
        out.append(suppl.title)
        for paragraph in suppl.paragraphs:
            out += _paragraph_lines(paragraph)
    for appendix in holder.appendices:
        out.append(f"{appendix.heading}  [{appendix.path}] {_preview(appendix.text)}".rstrip())
        out += _item_lines(appendix.items, 2)
    if holder.closing is not None:
        out.append(f"[{holder.closing.path}] {_preview(holder.closing.text)}")
    return out
