"""PDF reading and parsing speed beside the floors the PDF libraries set, on real PDFs.

Documents: the two corpus PDFs, the real development PDFs in ../shared/realworld/ (Word 2019,
Word → macOS Quartz; skipped with a note when the folder is absent), and a generated 40-page
two-column document drawn column by column and row by row (tests/pdfgen.py). In one process,
the measurements take turns within each round (so a busy machine slows them alike), after one
warm-up round; each figure is the median of the rounds, and each ratio the median of the
per-round ratios to the baseline.

- extract_text: pdfplumber opens the PDF and runs `page.extract_text()` on every page (baseline);
- raw pdfium: pypdfium2 loads every page and its text page and takes its raw text
  (`get_text_range`): the floor of any reading from PDFium;
- read_pdf / read_pdf pdfplumber: yakkan's reading stage (`pipeline.ingest.pdf.read_pdf`),
  characters
  from PDFium (the default) or pdfplumber;
- parse --no-extract: ingest, normalize, segment, metadata, on the default engine;
- parse / parse pdfplumber: the whole `yakkan parse` (`parse_bytes`, extractors included) on
  the default engine, or on pdfplumber.

A document that does not segment (SegmentError) keeps its reading figures; its parse rows say
so. The closing summary gives, per measure, the median pages/s over the corpus and real PDFs
(the issue's figure; then over every document, the generated ones included) and the
median ratio to raw pdfium, against issue 14's goal for `parse` (>= 100 pages/s, <= 2x raw).

Run: .venv/bin/python bench/bench_pdf.py [--repeats N] [--docs nec nas realworld ...]
Writes bench/results/bench_pdf.json, bench_pdf.txt and bench_pdf.figures.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
from figures import RESULTS, Figure, write_figures
from sudachipy import SplitMode
from timing import rounds

from pipeline.extract.runner import passages
from pipeline.extract.tokenizer import sudachi_dictionary
from pipeline.ingest.pdf import read_pdf
from pipeline.models import SegmentError
from pipeline.process import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld"
sys.path.insert(0, str(ROOT / "tests"))

import pdfgen  # noqa: E402  (the test helper that builds the generated document)

BASELINE = "extract_text (baseline)"
FLOOR = "raw pdfium (floor)"
SUDACHI = "SudachiPy on its text"
MIN_PAGES_PER_SECOND = 100.0
MAX_RATIO_TO_RAW = 2.0


def documents(names: list[str]) -> dict[str, bytes]:
    """The PDFs to time, by name; 'realworld' stands for every PDF in ../shared/realworld."""
    out: dict[str, bytes] = {}
    for name in names:
        if name in ("nec", "nas"):
            out[name] = (ROOT / "corpus" / name / "source.pdf").read_bytes()
        elif name == "realworld":
            if not REALWORLD.is_dir():
                print(f"note: {REALWORLD} is absent: no real development PDFs", flush=True)
                continue
            for path in sorted(REALWORLD.glob("*.pdf")):
                out[path.stem] = path.read_bytes()
        elif name == "gen40-columns":
            out[name] = pdfgen.two_column_document(pages=40, order="columns").pdf
        elif name == "gen40-rows":
            out[name] = pdfgen.two_column_document(pages=40, order="rows").pdf
        else:
            raise SystemExit(f"unknown document {name!r}")
    return out


def raw_pdfium(data: bytes) -> list[str]:
    """Every page's raw text by pypdfium2: the least any PDFium reading does."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        out = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def segments(data: bytes, name: str) -> bool:
    """Whether the document parses (segments) at all."""
    try:
        parse_bytes(data, f"{name}.pdf", extract=False)
    except SegmentError:
        return False
    return True


def sudachi_run(data: bytes, name: str) -> Callable[[], object]:
    """Bare SudachiPy (split mode A) over the text of the document's provisions, as extraction
    tokenizes it: the floor the tokenizer sets under any extraction of this document."""
    texts = [p.text for p in passages(parse_bytes(data, f"{name}.pdf", extract=False))]
    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    return lambda: [tokenizer.tokenize(text) for text in texts]


def measures(data: bytes, name: str, parses: bool) -> dict[str, Callable[[], object]]:
    """The runs compared on one PDF; the first is the baseline."""

    def extract_text() -> object:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() for page in pdf.pages]

    runs: dict[str, Callable[[], object]] = {
        BASELINE: extract_text,
        FLOOR: lambda: raw_pdfium(data),
        "read_pdf": lambda: read_pdf(data, f"{name}.pdf"),
        "read_pdf pdfplumber": lambda: read_pdf(data, f"{name}.pdf", char_source="pdfplumber"),
    }
    if parses:
        runs[SUDACHI] = sudachi_run(data, name)
        runs["parse --no-extract"] = lambda: parse_bytes(data, f"{name}.pdf", extract=False)
        runs["parse"] = lambda: parse_bytes(data, f"{name}.pdf")
        runs["parse pdfplumber"] = lambda: parse_bytes(data, f"{name}.pdf", pdf_engine="pdfplumber")
    return runs


GENERATED = frozenset({"gen40-columns", "gen40-rows"})
"""The generated stress documents: timed and shown in the table, but not among the PDFs the
issue's figure is the median of (the corpus and the real development PDFs)."""


def pdf_figures(results: list[dict[str, object]]) -> None:
    """Issue 14's PDF figures for bench/report.py's table (bench/results/bench_pdf.figures.json):
    the medians over the corpus and real development PDFs, as the issue defines them."""
    parsed = [r for r in results if r["measure"] == "parse"]
    real = [r for r in parsed if r["document"] not in GENERATED]
    if not real:
        return
    speed = statistics.median(float(r["pages_per_second"]) for r in real)  # type: ignore[arg-type]
    ratio = statistics.median(float(r["ratio_to_raw_pdfium"]) for r in real)  # type: ignore[arg-type]
    note = f"median over {len(real)} corpus and real PDFs, default engine"
    if len(parsed) > len(real):
        every = statistics.median(float(r["pages_per_second"]) for r in parsed)  # type: ignore[arg-type]
        note += f"; {every:.0f} pages/s with the {len(parsed) - len(real)} generated ones"
    write_figures(
        "bench_pdf",
        [
            Figure(
                "parse pages/s, median over the PDFs",
                speed,
                MIN_PAGES_PER_SECOND,
                ">=",
                "pages/s",
                note,
            ),
            Figure(
                "parse time / pypdfium2 raw text time", ratio, MAX_RATIO_TO_RAW, "<=", "x", note
            ),
            Figure(
                "parse time / (raw text + SudachiPy on it)",
                statistics.median(float(r["ratio_to_floors"]) for r in real),  # type: ignore[arg-type]
                MAX_RATIO_TO_RAW,
                "<=",
                "x",
                "both floors the issue names, together (a derived figure, not the issue's goal)",
            ),
        ],
    )


def time_document(name: str, data: bytes, repeats: int) -> list[dict[str, object]]:
    """Every measure of one PDF, printed as it comes: one result per measure."""
    pages = len(pypdfium2.PdfDocument(data))
    parses = segments(data, name)
    runs = measures(data, name, parses)
    times = rounds(list(runs.values()), repeats, clock=time.process_time)
    floor = times[list(runs).index(FLOOR)]
    # where the document parses, the two floors the issue names together: PDFium's raw text
    # and SudachiPy tokenizing the text of its provisions
    floors = (
        [f + s for f, s in zip(floor, times[list(runs).index(SUDACHI)], strict=True)]
        if SUDACHI in runs
        else None
    )
    results: list[dict[str, object]] = []
    for measure, samples in zip(runs, times, strict=True):
        seconds = statistics.median(samples)
        results.append(
            {
                "document": name,
                "pages": pages,
                "measure": measure,
                "median_seconds": seconds,
                "pages_per_second": pages / seconds,
                "ratio_to_extract_text": statistics.median(
                    t / b for t, b in zip(samples, times[0], strict=True)
                ),
                "ratio_to_raw_pdfium": statistics.median(
                    t / b for t, b in zip(samples, floor, strict=True)
                ),
                "ratio_to_floors": (
                    statistics.median(t / b for t, b in zip(samples, floors, strict=True))
                    if floors
                    else None
                ),
                "samples": samples,
            }
        )
        print(result_row(results[-1]), flush=True)
    if not parses:
        print(f"{name:<22}{pages:>6}  parse: not segmented (SegmentError), not timed", flush=True)
    return results


def result_row(result: dict[str, object]) -> str:
    """One line of the table: a document's measure, its time, speed and ratios."""
    r: Any = result
    return (
        f"{r['document']:<22}{r['pages']:>6}  {r['measure']:<24}{r['median_seconds']:>9.3f}"
        f"{r['pages_per_second']:>9.1f}{r['ratio_to_extract_text']:>9.2f}"
        f"{r['ratio_to_raw_pdfium']:>7.2f}"
    )


def summary(results: list[dict[str, object]]) -> list[str]:
    """Per measure, the median pages/s and ratio to raw pdfium over the corpus and real PDFs
    (the issue's figure), then over every document, the generated ones included."""
    lines: list[str] = []
    real = [r for r in results if r["document"] not in GENERATED]
    for title, chosen in (("corpus + real PDFs", real), ("all documents", results)):
        if not chosen or (chosen is results and len(real) == len(results)):
            continue
        lines.append(f"{'summary: ' + title:<32}{'pages/s':>9}{'/raw':>7}{'docs':>6}")
        for measure in dict.fromkeys(str(r["measure"]) for r in chosen):
            rows = [r for r in chosen if r["measure"] == measure]
            speed = statistics.median(float(r["pages_per_second"]) for r in rows)  # type: ignore[arg-type]
            to_raw = statistics.median(float(r["ratio_to_raw_pdfium"]) for r in rows)  # type: ignore[arg-type]
            lines.append(f"{measure:<32}{speed:>9.1f}{to_raw:>7.2f}{len(rows):>6}")
        both = [
            float(r["ratio_to_floors"])
            for r in chosen
            if r["measure"] == "parse" and r["ratio_to_floors"]
        ]  # type: ignore[arg-type]
        if both:
            lines.append(
                f"{'parse / (raw pdfium + SudachiPy)':<32}"
                f"{statistics.median(both):>16.2f}{len(both):>6}"
            )
    lines.append(
        f"goal (issue 14): parse >= {MIN_PAGES_PER_SECOND:.0f} pages/s and <= "
        f"{MAX_RATIO_TO_RAW:.0f}x raw pdfium, median over the corpus and real PDFs"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--docs", nargs="+", default=["nec", "nas", "realworld", "gen40-columns", "gen40-rows"]
    )
    args = parser.parse_args()
    header = [
        f"median of {args.repeats} rounds; ratios = median per-round time / extract_text"
        " and / raw pdfium",
        f"{'document':<22}{'pages':>6}  {'measure':<24}{'seconds':>9}{'pages/s':>9}"
        f"{'/extract':>9}{'/raw':>7}",
    ]
    print("\n".join(header), flush=True)
    results: list[dict[str, object]] = []
    for name, data in documents(args.docs).items():
        results.extend(time_document(name, data, args.repeats))
    closing = summary(results)
    print("\n".join(closing), flush=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "pdfplumber": pdfplumber.__version__,
        "pypdfium2": importlib.metadata.version("pypdfium2"),
        "repeats": args.repeats,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_pdf.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8"
    )
    table = [*header, *map(result_row, results), "", *closing]
    (RESULTS / "bench_pdf.txt").write_text("\n".join(table) + "\n", encoding="utf-8")
    pdf_figures(results)


if __name__ == "__main__":
    main()
