"""The integrity findings of cross-references (codes 'xref.*').

A target that does not exist (xref.dangling), a reference that cannot be resolved
(xref.unresolved), a target that is deleted (xref.deleted, 削除), and a cited title that differs
from the target article's title (xref.title).
"""

from __future__ import annotations

from pipeline.models import Article, CrossReferenceValue, Diagnostic, Document, Extraction
from pipeline.refs.tree import Unresolved
from pipeline.text.titles import same_title

DIAGNOSTIC_PREFIX = "xref."
"""Every finding of this stage has a code starting so; resolving again replaces them."""


def unresolved(err: Unresolved, extraction: Extraction) -> Diagnostic:
    """The finding for a reference that cannot be resolved: an error when its target is missing."""
    code = "xref.dangling" if err.dangling else "xref.unresolved"
    severity = "error" if err.dangling else "warning"
    message = f"'{extraction.text}' in {extraction.path}: {err.reason}"
    return _diagnostic(code, severity, message, extraction)


def integrity(
    document: Document, article: Article, value: CrossReferenceValue, extraction: Extraction
) -> list[Diagnostic]:
    """What is wrong with citing `article` as `value` does: it is deleted, or titled otherwise."""
    found: list[Diagnostic] = []
    name = article.label
    if article.deleted:
        message = f"'{extraction.text}' in {extraction.path} cites {name}, which is deleted (削除)"
        found.append(_diagnostic("xref.deleted", "warning", message, extraction))
    cited = value.cited_title
    if cited and not same_title(cited, article.title):
        message = (
            f"'{extraction.text}' in {extraction.path} cites {name} as '{cited}', "
            f"but {name} is titled '{article.title or ''}'"
        )
        holder = _heading_titled(document, article, cited)
        if holder:
            message += f" ('{cited}' is the title of {holder}, which holds {name})"
        found.append(_diagnostic("xref.title", "warning", message, extraction))
    return found


def _heading_titled(document: Document, article: Article, title: str) -> str | None:
    """The chapter or section holding `article` whose title is `title`: a cited title that names
    the chapter (NAS 第4章 料金等 holds 第18条 利用料金) points at the right article."""
    for chapter in document.chapters:
        if article.number not in chapter.articles:
            continue
        if same_title(chapter.title, title):
            return chapter.label
        for section in chapter.sections:
            if article.number in section.articles and same_title(section.title, title):
                return f"{chapter.label}第{section.number}節"
    return None


def _diagnostic(code: str, severity: str, message: str, extraction: Extraction) -> Diagnostic:
    return Diagnostic.model_validate(
        {
            "code": code,
            "severity": severity,
            "message": message,
            "path": extraction.path,
            "span": extraction.span,
        }
    )
