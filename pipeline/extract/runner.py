"""Extraction stage: run the extractor components over every provision and record what they find.

The components run in the one spaCy Language of the process (`pipeline.extract.language`).

`extract(document)` reads each node's own text (preamble, paragraphs, items, sub-items,
supplementary paragraphs; Node.text, not article headings) and appends one `Extraction` per span
with offsets into Document.text and the innermost node's path.

Consecutive passages share one Doc (`batches`, `SudachiTokenizer.passages_doc`): each passage is
tokenized alone and the components read each alone (`extractors.spans.passage_bounds`), so they
find what one Doc per passage finds, without spaCy's cost per Doc (the pipe, a span group per
component), which over a document's thousand short provisions cost more than the finders.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple

from pydantic import BaseModel

from extractors.spans import passage_bounds, take_value
from pipeline.extract.language import CROSSREFS, OWN_KINDS, get_nlp
from pipeline.models import Document, Extraction, Item, Node, Paragraph, Preamble
from pipeline.structure.normalize import Locator

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.extract.tokenizer import SudachiTokenizer


class Passage(NamedTuple):
    """A node's own text, where it starts in Document.text, and the node it belongs to."""

    # A NamedTuple, not a frozen dataclass: as immutable, and a tenth of its cost to build.

    path: str
    text: str
    start: int
    page: int | None


def passages(document: Document) -> list[Passage]:
    """Every provision node's own text, in document order: the preamble, and the paragraphs and
    items of the articles and 附則 (not the appendices' items nor the closing)."""
    found = [
        _passage(document, node)
        for node in document.iter_nodes()
        if isinstance(node, (Preamble, Paragraph))  # a tuple: faster than a union type
        or (isinstance(node, Item) and not _in_appendix(node.path))
    ]
    return [p for p in found if p.text.strip()]


def _in_appendix(path: str) -> bool:
    """Whether the node at `path` is a 別表's ('appx:1/item:2', 'part:3/appx:1/item:2')."""
    return path.startswith("appx:") or "/appx:" in path


def _passage(document: Document, node: Node) -> Passage:
    start = node.text_span.start
    if isinstance(node, Item) and node.marker == "・":
        # A '・term meaning' line is a definition-list entry: the bullet says so, keep it.
        start = node.span.start
    return Passage(node.path, document.text[start : node.text_span.end], start, node.page)


DOC_CHARS = 20_000
"""About how many characters of consecutive passages share one Doc: enough that spaCy's cost per
Doc (the pipe, a span group per component) vanishes, few enough that a long document never holds
its tokens all at once."""


def batches(found: list[Passage], limit: int = DOC_CHARS) -> list[list[Passage]]:
    """`found` cut into runs of consecutive passages of about `limit` characters, one Doc each."""
    runs: list[list[Passage]] = []
    size = 0
    for passage in found:
        if not runs or size + len(passage.text) > limit:
            runs.append([])
            size = 0
        runs[-1].append(passage)
        size += len(passage.text) + 1
    return runs


def extract(document: Document, locator: Locator | None = None) -> Document:
    """Append every extraction in `document`'s provisions to `document.extractions`.

    Extractions of the kinds produced here that a previous run left are replaced, so the
    stage can run twice. Pages come from `locator` when given, else from the node.
    """
    nlp = get_nlp()
    produced = set(OWN_KINDS) | ({"crossref"} if CROSSREFS in nlp.pipe_names else set())
    extractions = [e for e in document.extractions if e.kind not in produced]
    runs = batches(passages(document))
    tokenizer: SudachiTokenizer = nlp.tokenizer  # type: ignore[assignment]
    docs = nlp.pipe(tokenizer.passages_doc([p.text for p in run]) for run in runs)
    for run, doc in zip(runs, docs, strict=True):
        extractions += _extractions(document, run, doc, produced, locator)
    extractions.sort(key=lambda e: (e.span.start, e.span.end, e.kind))
    return document.model_copy(update={"extractions": extractions})


def _extractions(
    document: Document, run: list[Passage], doc: Doc, produced: set[str], locator: Locator | None
) -> list[Extraction]:
    """The Extractions of one Doc made of the passages `run`, at Document.text offsets."""
    bounds = passage_bounds(doc)
    starts = [start for start, _ in bounds]
    found: list[Extraction] = []
    for key in doc.spans:
        for span in doc.spans[key]:
            index = bisect_right(starts, span.start_char) - 1
            passage = run[index]
            delta = passage.start - starts[index]
            value = take_value(span, delta)  # Span._.value, not validated again
            if not isinstance(value, BaseModel) or getattr(value, "kind", None) not in produced:
                continue
            start, end = span.start_char + delta, span.end_char + delta
            page = locator.page(start) if locator is not None else passage.page
            # Validated from plain data in one call, span included: not model_construct, whose
            # Python takes about twice as long to skip the validation.
            data = {
                "kind": value.kind,  # type: ignore[attr-defined]
                "path": passage.path,
                "text": document.text[start:end],
                "span": {"start": start, "end": end},
                "page": page,
                "value": value,
            }
            found.append(Extraction.model_validate(data))
    return found
