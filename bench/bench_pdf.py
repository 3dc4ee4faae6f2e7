"""PDF ingestion speed beside pdfplumber's own `extract_text()` on the same PDFs.

Documents: the two corpus PDFs, and a generated 40-page two-column document drawn column by
column and row by row across both columns (tests/pdfgen.py). In one process, the measurements
take turns within each round (so a busy machine slows them alike), after one warm-up round;
each figure is the median of the rounds, and each ratio the median of the per-round ratios to
the baseline.

- extract_text: pdfplumber opens the PDF and runs `page.extract_text()` on every page (baseline);
- read_pdf: yakkan's ingestion (`pipeline.pdf.read_pdf`), characters from pdfplumber;
- read_pdf pdfium: the same with `char_source="pdfium"`;
- parse: the whole `yakkan parse` (`parse_bytes`: ingest, normalize, segment, metadata,
  extract, resolve), characters from pdfplumber — what the command runs;
- parse pdfium: the whole parse on the pdfium character source.

Run: .venv/bin/python bench/bench_pdf.py [--repeats N] [--docs nec nas ...]
Writes bench/results/bench_pdf.json and bench/results/bench_pdf.txt.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from timing import rounds

from pipeline.pdf import read_pdf
from pipeline.process import parse_bytes, parse_raw

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "tests"))

import pdfgen  # noqa: E402  (the test helper that builds the generated document)


def documents(names: list[str]) -> dict[str, bytes]:
    """The PDFs to time, by name."""
    out: dict[str, bytes] = {}
    for name in names:
        if name in ("nec", "nas"):
            out[name] = (ROOT / "corpus" / name / "source.pdf").read_bytes()
        elif name == "gen40-columns":
            out[name] = pdfgen.two_column_document(pages=40, order="columns").pdf
        elif name == "gen40-rows":
            out[name] = pdfgen.two_column_document(pages=40, order="rows").pdf
        else:
            raise SystemExit(f"unknown document {name!r}")
    return out


def measures(data: bytes, name: str) -> dict[str, Callable[[], object]]:
    """The runs compared on one PDF; the first is the baseline."""

    def extract_text() -> object:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() for page in pdf.pages]

    return {
        "extract_text (baseline)": extract_text,
        "read_pdf": lambda: read_pdf(data, f"{name}.pdf"),
        "read_pdf pdfium": lambda: read_pdf(data, f"{name}.pdf", char_source="pdfium"),
        "parse": lambda: parse_bytes(data, f"{name}.pdf"),
        "parse pdfium": lambda: parse_raw(read_pdf(data, f"{name}.pdf", char_source="pdfium")),
    }




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--docs", nargs="+", default=["nec", "nas", "gen40-columns", "gen40-rows"])
    args = parser.parse_args()

    results = []
    lines = [
        f"median of {args.repeats} rounds; ratio = median per-round time / extract_text",
        f"{'document':<15}{'pages':>6}  {'measure':<24}{'seconds':>9}{'pages/s':>9}{'ratio':>8}",
    ]
    print("\n".join(lines), flush=True)
    for name, data in documents(args.docs).items():
        pages = read_pdf(data, f"{name}.pdf", char_source="pdfium").source.pages or 0
        runs = measures(data, name)
        times = rounds(list(runs.values()), args.repeats)
        for measure, samples in zip(runs, times, strict=True):
            seconds = statistics.median(samples)
            ratio = statistics.median(t / b for t, b in zip(samples, times[0], strict=True))
            row = f"{name:<15}{pages:>6}  {measure:<24}{seconds:>9.3f}{pages / seconds:>9.1f}"
            row += f"{ratio:>8.2f}"
            print(row, flush=True)
            lines.append(row)
            results.append(
                {
                    "document": name,
                    "pages": pages,
                    "measure": measure,
                    "median_seconds": seconds,
                    "pages_per_second": pages / seconds,
                    "ratio_to_extract_text": ratio,
                    "samples": samples,
                }
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "pdfplumber": pdfplumber.__version__,
        "repeats": args.repeats,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (RESULTS / "bench_pdf.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8"
    )
    (RESULTS / "bench_pdf.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
