"""Extraction stage: run the extractor components over every provision and record what they find.

The components are those of the one spaCy Language of the process (`pipeline.extract.language`).

`extract(document)` reads each node's own text (preamble, paragraphs, items, sub-items,
supplementary paragraphs; Node.text, not article headings) and appends one `Extraction` per span
with offsets into Document.text and the innermost node's path.

The stage asks each component's finder for each passage's matches first (`PassageFinder.find`,
the very function the component runs on each passage of a Doc). A span is a match fitted to the
tokens, and a passage's tokens do not depend on the passages beside it in a Doc (each is
tokenized alone): so only the passages where something was found are tokenized, and the spans
are what the components write in a Doc of every passage (tests/test_extract_docs.py compares the
two). Most provisions state no value; SudachiPy is the largest cost of the stage, and skipping
their text (a third of the corpus, three fifths of the development texts) is most of its saving.

Consecutive passages share one Doc (`batches`, `SudachiTokenizer.passages_doc`), so spaCy's
cost per Doc vanishes over a document's thousand short provisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, cast

from pydantic import BaseModel

from extractors.spans import Match, PassageFinder, move_spans, passage_bounds
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

    Only the passages where a component finds something are tokenized (see the module doc).
    """
    nlp = get_nlp()
    # Every component of the stage's Language is a finder (extractors.components).
    components = cast(list[PassageFinder], [component for _, component in nlp.pipeline])
    produced = set(OWN_KINDS) | ({"crossref"} if CROSSREFS in nlp.pipe_names else set())
    extractions = [e for e in document.extractions if e.kind not in produced]
    hits: list[Passage] = []
    found: list[list[list[Match]]] = []  # per passage hit, per component, its matches
    for passage in passages(document):
        in_passage = [component.find(passage.text) for component in components]
        if any(in_passage):
            hits.append(passage)
            found.append(in_passage)
    tokenizer: SudachiTokenizer = nlp.tokenizer  # type: ignore[assignment]
    first = 0
    for run in batches(hits):
        doc = tokenizer.passages_doc([p.text for p in run])
        in_run = found[first : first + len(run)]
        first += len(run)
        extractions += _extractions(document, run, in_run, doc, components, produced, locator)
    extractions.sort(key=lambda e: (e.span.start, e.span.end, e.kind))
    return document.model_copy(update={"extractions": extractions})


def _extractions(
    document: Document,
    run: list[Passage],
    found: list[list[list[Match]]],
    doc: Doc,
    components: list[PassageFinder],
    produced: set[str],
    locator: Locator | None,
) -> list[Extraction]:
    """The Extractions of one Doc made of the passages `run`, whose matches (at each passage's
    offsets, per component) are `found`, at Document.text offsets."""
    extractions: list[Extraction] = []
    for index, component in enumerate(components):
        matches = [run_matches[index] for run_matches in found]
        for start, end, passage, value in fitted(doc, run, matches, component):
            if not isinstance(value, BaseModel) or getattr(value, "kind", None) not in produced:
                continue
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
            extractions.append(Extraction.model_validate(data))
    return extractions


def fitted(
    doc: Doc, run: list[Passage], matches: list[list[Match]], component: PassageFinder
) -> list[tuple[int, int, Passage, Any]]:
    """One component's `matches` in the passages `run` of `doc` (at each passage's offsets) as the
    spans it writes, at Document.text offsets: (start, end, passage, value), value moved too.

    As `extractors.spans.write_spans` writes them and the stage read them from the Doc before:
    by offsets, widened to the tokens (the component splits them first if it keeps exact
    surfaces), a match that fits no token left out. Matches widened to the same span share one
    record in the Doc, whose value is the last one's: each of them gets the last one's value (a
    copy after the first), as reading the Doc gave.
    """
    bounds = passage_bounds(doc)
    placed = [
        (bounds[at][0], passage, match) for at, passage in enumerate(run) for match in matches[at]
    ]
    if not placed:
        return []
    placed.sort(key=lambda p: (p[0] + p[2].start, p[0] + p[2].end))
    component.fit_tokens(doc, [(base + m.start, base + m.end) for base, _, m in placed])
    spans: list[tuple[tuple[int, int], int, Passage]] = []  # (Doc offsets, delta, passage)
    last: dict[tuple[int, int], Any] = {}  # the value recorded at those Doc offsets
    for base, passage, match in placed:
        span = doc.char_span(base + match.start, base + match.end, alignment_mode="expand")
        if span is None:
            continue
        at = (span.start_char, span.end_char)
        spans.append((at, passage.start - base, passage))
        last[at] = match.value
    found: list[tuple[int, int, Passage, Any]] = []
    taken: set[tuple[int, int]] = set()
    for at, delta, passage in spans:
        value = last[at]
        if at in taken:
            value = value.model_copy(deep=True)  # already moved to Document offsets
        else:
            taken.add(at)
            if passage.start and isinstance(value, BaseModel):
                move_spans(value, passage.start)  # a model only this match holds
        found.append((at[0] + delta, at[1] + delta, passage, value))
    return found
