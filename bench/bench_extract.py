"""Extraction speed on the corpus, beside spaCy tokenization alone on the same text.

Both documents are parsed once (structure only); then, in one process, each measurement runs
REPEATS times over every provision's own text of both documents and the median is reported.
The measurements take turns within each round, so a busy machine slows them alike; the ratio
is the median of the per-round ratios to tokenization.

- tokenize: the Japanese tokenizer alone (SudachiPy, split mode A) — the baseline;
- components: `nlp.pipe` with every extractor component (and yakkan_crossrefs when present);
- extract(): the whole stage, building the Extraction models and their offsets;
- then each component alone on already tokenized Docs, to show where the time goes.

Run: .venv/bin/python bench/bench_extract.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Callable
from pathlib import Path

from spacy.tokens import Doc
from timing import rounds

from pipeline.extract import extract, get_nlp, passages
from pipeline.models import Document
from pipeline.process import parse_file

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("nec", "nas")




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    documents: list[Document] = [
        parse_file(ROOT / "corpus" / f / "source.txt", extract=False) for f in FAMILIES
    ]
    texts = [p.text for d in documents for p in passages(d)]
    chars = sum(len(t) for t in texts)
    nlp = get_nlp()

    def tokenize() -> None:
        for text in texts:
            nlp.make_doc(text)

    def components() -> None:
        for _ in nlp.pipe(texts):
            pass

    def whole_stage() -> None:
        for document in documents:
            extract(document)

    names = ["tokenize (baseline)", f"components ({len(nlp.pipe_names)})", "extract() stage"]
    times = rounds([tokenize, components, whole_stage], args.repeats)
    print(f"{len(texts)} passages, {chars} characters (NEC + NAS); median of {args.repeats} runs")
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print(f"{'measure':<22}{'seconds':>10}{'chars/s':>12}{'× tokenize':>12}")
    for name, runs in zip(names, times, strict=True):
        seconds = statistics.median(runs)
        ratio = statistics.median(t / b for t, b in zip(runs, times[0], strict=True))
        print(f"{name:<22}{seconds:>10.4f}{chars / seconds:>12,.0f}{ratio:>12.2f}")

    tokenized = [nlp.make_doc(t) for t in texts]
    parts = [_component_run(component, tokenized) for _, component in nlp.pipeline]
    part_times = rounds(parts, args.repeats)
    print(f"{'component alone':<22}{'seconds':>10}{'chars/s':>12}{'% tokenize':>12}")
    for (name, _), runs in zip(nlp.pipeline, part_times, strict=True):
        seconds = statistics.median(runs)
        share = 100 * seconds / statistics.median(times[0])
        print(f"{name:<22}{seconds:>10.4f}{chars / seconds:>12,.0f}{share:>11.1f}%")


def _component_run(component: Callable[[Doc], Doc], docs: list[Doc]) -> Callable[[], None]:
    def run() -> None:
        for doc in docs:
            component(doc)

    return run


if __name__ == "__main__":
    main()
