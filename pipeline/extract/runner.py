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

Consecutive passages are tokenized as one run (`batches`), as they share one Doc in
`SudachiTokenizer.passages_doc`. The stage builds no Doc: a span needs only the run's token
boundaries (`SudachiTokenizer.passages_tokens`, `pipeline.extract.tokens.Tokens`), which answer
as that Doc does (tests/test_extract_tokens.py), without the cost of its tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, cast

from pydantic import BaseModel

from extractors.spans import Match, PassageFinder, move_spans, passage_bounds
from pipeline.extract.language import CROSSREFS, OWN_KINDS, get_nlp
from pipeline.extract.tokens import Tokens
from pipeline.models import Document, Extraction, Item, Node, Paragraph, Preamble
from pipeline.structure.normalize import PageLocator

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
"""About how many characters of consecutive passages share one Doc (or one run of the stage's
token boundaries): enough that spaCy's cost per Doc (the pipe, a span group per component)
vanishes, few enough that a long document never holds its tokens all at once."""


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


def extract(document: Document, locator: PageLocator | None = None) -> Document:
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
    every = passages(document)
    # One component over every passage, then the next: faster than every component in turn
    # on each passage (each finder's patterns stay warm).
    by_component = [[component.find(p.text) for p in every] for component in components]
    for passage, in_passage in zip(every, zip(*by_component, strict=True), strict=False):
        if any(in_passage):
            hits.append(passage)
            found.append(list(in_passage))
    tokenizer: SudachiTokenizer = nlp.tokenizer  # type: ignore[assignment]
    first = 0
    for run in batches(hits):
        in_run = found[first : first + len(run)]
        first += len(run)
        exact = frozenset(
            at
            for at, (passage, matches) in enumerate(zip(run, in_run, strict=True))
            if _exact(passage.text, matches, components)
        )
        tokens = tokenizer.passages_tokens([p.text for p in run], untokenized=exact)
        extractions += _extractions(document, run, in_run, tokens, components, produced, locator)
    extractions.sort(key=lambda e: (e.span.start, e.span.end, e.kind))
    return document.model_copy(update={"extractions": extractions})


def _exact(text: str, matches: list[list[Match]], components: list[PassageFinder]) -> bool:
    """Whether every span of the passage `text` is its match exactly, whatever its tokens: so it
    need not be tokenized (`SudachiTokenizer.passages_tokens`'s `untokenized`).

    So it is when every match is of a component that splits the tokens it starts or ends inside
    (cross-references: half the text the stage tokenized) and none starts or ends with white
    space. Split there, each end falls on a token boundary, which widening keeps; only a start
    in a word's trailing space (one ' ') moves, to the next token, and an end after it, back.
    """
    for component, found in zip(components, matches, strict=True):
        if not found:
            continue
        if not component.splits_tokens:
            return False
        for match in found:
            if not 0 <= match.start < match.end <= len(text):
                return False
            if text[match.start].isspace() or text[match.end - 1].isspace():
                return False
    return True


def _extractions(
    document: Document,
    run: list[Passage],
    found: list[list[list[Match]]],
    tokens: Tokens,
    components: list[PassageFinder],
    produced: set[str],
    locator: PageLocator | None,
) -> list[Extraction]:
    """The Extractions of the passages `run` (their `tokens`), whose matches (at each passage's
    offsets, per component) are `found`, at Document.text offsets."""
    extractions: list[Extraction] = []
    for index, component in enumerate(components):
        matches = [run_matches[index] for run_matches in found]
        for start, end, passage, value in fitted(tokens, run, matches, component):
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
    tokens: Tokens | Doc, run: list[Passage], matches: list[list[Match]], component: PassageFinder
) -> list[tuple[int, int, Passage, Any]]:
    """One component's `matches` in the passages `run` of `tokens` (or of their Doc; at each
    passage's offsets) as the spans it writes, at Document.text offsets: (start, end, passage,
    value), value moved too.

    As `extractors.spans.write_spans` writes them and the stage read them from the Doc before:
    by offsets, widened to the tokens (split first where the component splits them to keep
    exact surfaces), a match that fits no token left out. Matches widened to the same span share
    one record in the Doc, whose value is the last one's: each of them gets the last one's value
    (a copy after the first), as reading the Doc gave.
    """
    if not isinstance(tokens, Tokens):
        tokens = Tokens.of_doc(tokens, passage_bounds(tokens))
    bounds = tokens.bounds
    placed = [
        (bounds[at][0], passage, match) for at, passage in enumerate(run) for match in matches[at]
    ]
    if not placed:
        return []
    placed.sort(key=lambda p: (p[0] + p[2].start, p[0] + p[2].end))
    if component.splits_tokens:
        # As CrossReferences.fit_tokens: only a span that is not on token boundaries is cut.
        cut = [(base + m.start, base + m.end) for base, _, m in placed]
        tokens.split_at({o for s, e in cut if not tokens.aligned(s, e) for o in (s, e)})
    spans: list[tuple[tuple[int, int], int, Passage]] = []  # (Doc offsets, delta, passage)
    last: dict[tuple[int, int], Any] = {}  # the value recorded at those Doc offsets
    for base, passage, match in placed:
        at = tokens.expand(base + match.start, base + match.end)
        if at is None:
            continue
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
