"""Extraction speed on the corpus, beside bare SudachiPy tokenization of the same text.

Both documents are parsed once (structure only); then, in one process, each measurement runs
REPEATS times over every provision's own text of both documents and the median is reported.
The measurements take turns within each round, so a busy machine slows them alike; each ratio
is the median of the per-round ratios to the baseline.

- SudachiPy alone: `Tokenizer.tokenize` (split mode A) on every passage — the baseline: the
  floor of any extraction that tokenizes every provision (the stage does not: it tokenizes only
  the provisions where a finder matched something other than cross-references, so it can come
  in under it; `components` below is the stage's work on a Doc of every provision);
- spaCy ja tokenizer: spaCy's own `ja` tokenizer wrapper, for comparison (not used);
- yakkan tokenizer: `pipeline.extract.tokenizer`, SudachiPy surfaces straight into the Docs the
  stage builds (consecutive passages share one Doc, each tokenized alone);
- components: `nlp.pipe` over those Docs with every extractor component (and yakkan_crossrefs);
- extract(): the whole stage (`pipeline.extract.runner`): the finders on every provision, the
  tokens of those with a match, the Extraction models and their offsets;
- then each component alone on already tokenized Docs, to show where the time goes.

Goals (issue 14): extract() at least 400,000 characters/s and at most 2x SudachiPy alone.

Run: .venv/bin/python bench/bench_extract.py [--repeats N] [--development]
Writes bench/results/bench_extract.figures.json for bench/report.py.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from figures import Figure, write_figures
from spacy.tokens import Doc
from sudachipy import SplitMode
from timing import rounds

from pipeline.extract.language import get_nlp
from pipeline.extract.runner import batches, extract, passages
from pipeline.extract.tokenizer import SudachiTokenizer, sudachi_dictionary
from pipeline.models import Document, YakkanError
from pipeline.process import parse_file

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("nec", "nas")
DEVELOPMENT = [ROOT.parent / "shared" / "realworld", ROOT.parent / "shared" / "versions"]
MIN_CHARS_PER_SECOND = 400_000
MAX_RATIO_TO_SUDACHI = 2.0


def load(development: bool) -> list[Document]:
    """The corpus texts parsed (structure only), and the development texts when asked."""
    paths = [ROOT / "corpus" / f / "source.txt" for f in FAMILIES]
    if development:
        paths += sorted(p for folder in DEVELOPMENT for p in folder.glob("*.txt"))
    documents = []
    for path in paths:
        try:
            documents.append(parse_file(path, extract=False))
        except YakkanError as err:
            print(f"skipped {path.name}: {err.reason}")
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument(
        "--development", action="store_true", help="add ../shared/realworld and versions texts"
    )
    args = parser.parse_args()

    documents = load(args.development)
    groups = [[p.text for p in run] for d in documents for run in batches(passages(d))]
    texts = [text for group in groups for text in group]
    chars = sum(len(t) for t in texts)
    nlp = get_nlp()
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, SudachiTokenizer)
    sudachi = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    spacy_ja = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "A"}}}).tokenizer

    def bare_sudachi() -> None:
        for text in texts:
            sudachi.tokenize(text)

    def spacy_tokenizer() -> None:
        for text in texts:
            spacy_ja(text)

    def tokenize() -> None:
        for group in groups:
            tokenizer.passages_doc(group)

    def components() -> None:
        for _ in nlp.pipe(tokenizer.passages_doc(group) for group in groups):
            pass

    def whole_stage() -> None:
        for document in documents:
            extract(document)

    names = [
        "SudachiPy alone (base)",
        "spaCy ja tokenizer",
        "yakkan tokenizer",
        f"components ({len(nlp.pipe_names)})",
        "extract() stage",
    ]
    runs = [bare_sudachi, spacy_tokenizer, tokenize, components, whole_stage]
    times = rounds(runs, args.repeats, clock=time.process_time)
    print(
        f"{len(documents)} documents, {len(texts)} passages, {chars:,} characters;"
        f" median of {args.repeats} rounds"
    )
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print(f"{'measure':<24}{'CPU s':>10}{'chars/s':>12}{'× SudachiPy':>13}")
    ratios = []
    for name, samples in zip(names, times, strict=True):
        seconds = statistics.median(samples)
        ratio = statistics.median(t / b for t, b in zip(samples, times[0], strict=True))
        ratios.append(ratio)
        print(f"{name:<24}{seconds:>10.4f}{chars / seconds:>12,.0f}{ratio:>13.2f}")

    tokenized = [tokenizer.passages_doc(group) for group in groups]
    parts = [_component_run(component, tokenized) for _, component in nlp.pipeline]
    part_times = rounds(parts, args.repeats, clock=time.process_time)
    print(f"{'component alone':<24}{'CPU s':>10}{'chars/s':>12}{'% SudachiPy':>13}")
    for (name, _), samples in zip(nlp.pipeline, part_times, strict=True):
        seconds = statistics.median(samples)
        share = 100 * seconds / statistics.median(times[0])
        print(f"{name:<24}{seconds:>10.4f}{chars / seconds:>12,.0f}{share:>12.1f}%")

    corpus = "corpus" if not args.development else "corpus + development texts"
    write_figures(
        "bench_extract",
        [
            Figure(
                "extract() characters/s",
                chars / statistics.median(times[-1]),
                MIN_CHARS_PER_SECOND,
                ">=",
                "chars/s",
                corpus,
            ),
            Figure(
                "extract() × SudachiPy alone",
                ratios[-1],
                MAX_RATIO_TO_SUDACHI,
                "<=",
                "×",
                f"same text, same run; spaCy ja tokenizer alone: {ratios[1]:.2f}×",
            ),
        ],
    )


def _component_run(component: Callable[[Doc], Doc], docs: list[Doc]) -> Callable[[], None]:
    def run() -> None:
        for doc in docs:
            component(doc)

    return run


if __name__ == "__main__":
    main()
