"""A long PDF: a generated 500-page, 3,500-article PDF (tests/longpdf.py), read by both engines.

Every page starts with a bare article heading '第N条' at the same place, so the running
header/footer detection must not take headings that differ only in their digits for a running
row. Reports, per engine, the article headings read (all 3,500 expected) and the parse time
(structure only: ingest, normalize, segment), and the time ratio pdfium / pdfplumber measured
in the same process.

Run: .venv/bin/python bench/bench_long_pdf.py [--pages N] [--per-page N]
Writes bench/results/bench_long_pdf.json and bench/results/bench_long_pdf.txt.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.process import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "tests"))

from longpdf import long_pdf  # noqa: E402  (the test helper that builds the document)


def main() -> None:
    """Build the long PDF, parse it with each engine, report headings found and times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--per-page", type=int, default=7)
    args = parser.parse_args()
    expected = args.pages * args.per_page
    data = long_pdf(args.pages, args.per_page)
    result: dict[str, object] = {"pages": args.pages, "articles_expected": expected}
    lines = [f"{args.pages} pages, {expected} articles, {len(data):,} bytes"]
    seconds = {}
    for engine in ("pdfplumber", "pdfium"):
        started = time.perf_counter()
        document = parse_bytes(data, "long.pdf", extract=False, pdf_engine=engine)  # type: ignore[arg-type]
        seconds[engine] = time.perf_counter() - started
        numbers = [a.number for a in document.articles]
        missing = expected - len(set(numbers))
        result[engine] = {
            "articles": len(numbers),
            "missing": missing,
            "seconds": round(seconds[engine], 1),
        }
        lines.append(
            f"{engine}: {len(numbers)} of {expected} article headings read ({missing} missing),"
            f" {seconds[engine]:.1f} s"
        )
    result["ratio_pdfium_to_pdfplumber"] = round(seconds["pdfium"] / seconds["pdfplumber"], 2)
    lines.append(f"time ratio pdfium / pdfplumber: {result['ratio_pdfium_to_pdfplumber']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_long_pdf.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "bench_long_pdf.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
