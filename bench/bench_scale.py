"""Scale: time per page and peak memory of a whole parse as the document grows.

Documents are the NAS corpus text repeated as one long document (bench/longdoc.py): PDFs of
about 10, 100 and 1,000 pages typeset in the corpus NAS layout (10 pages is the corpus PDF
itself), and a 5 MB text beside the corpus NAS text. Each parse runs in a fresh process that
first parses the NEC corpus text (so spaCy, the Sudachi dictionary and every first call are
paid before the clock starts) and reports its parse time and its peak RSS, which includes
that start-up.

Goals (issue 14): time per page at 1,000 pages within 1.3x that of the 10-page NAS PDF, and
time per character of the 5 MB text within 1.3x that of the NAS text; peak RSS below 1 GiB.

Run: .venv/bin/python bench/bench_scale.py [--pages 10 100 1000] [--text-mb 5]
Writes bench/results/bench_scale.figures.json for bench/report.py; the generated documents are
kept in bench/results/scale/ between runs.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

from figures import RESULTS, Figure, write_figures
from longdoc import NAS, long_nas_pdf, long_nas_text

ROOT = Path(__file__).resolve().parent.parent
CACHE = RESULTS / "scale"
NAS_PDF = ROOT / "corpus" / "nas" / "source.pdf"
WARM_UP = ROOT / "corpus" / "nec" / "source.txt"
"""Parsed once before the clock starts: a whole real document, so that what a process pays once
(spaCy, the dictionary, first calls) is paid before every measured parse, small or large."""
PAGES_PER_COPY = 9.4
"""Pages one copy of the NAS body takes in the NAS layout (941 pages for 100 copies)."""
MAX_PER_PAGE_RATIO = 1.3
MAX_PEAK_MIB = 1024

CHILD = """
import json, resource, sys, time
from pipeline.process import parse_bytes
parse_bytes(open(sys.argv[2], "rb").read(), "warm-up.txt")
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
document = parse_bytes(data, sys.argv[1])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "pages": document.source.pages, "chars": len(document.text),
                  "bytes": len(data), "peak_mib": peak}))
"""


def parse_in_child(path: Path) -> dict[str, float]:
    """Parse `path` in a fresh process: its parse seconds, pages, characters and peak RSS."""
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", CHILD, str(path), str(WARM_UP)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if run.returncode != 0:
        raise SystemExit(f"parse of {path} failed:\n{run.stderr[-2000:]}")
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def parse_median(path: Path, runs: int) -> dict[str, float]:
    """`parse_in_child` `runs` times: the median parse time, the largest peak RSS."""
    results = [parse_in_child(path) for _ in range(runs)]
    median = dict(results[0])
    median["seconds"] = statistics.median(r["seconds"] for r in results)
    median["peak_mib"] = max(r["peak_mib"] for r in results)
    return median


def pdf_of(pages: int) -> Path:
    """The NAS PDF for 10 pages, else a generated PDF of about `pages` pages (cached)."""
    if pages <= 10:
        return NAS_PDF
    copies = math.ceil(pages / PAGES_PER_COPY)
    path = CACHE / f"nas_x{copies}.pdf"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(long_nas_pdf(copies))
    return path


def text_of(megabytes: float) -> Path:
    """A generated text of about `megabytes` MB (cached)."""
    copies = math.ceil(megabytes * 1_000_000 / len(NAS.read_bytes()))
    path = CACHE / f"nas_x{copies}.txt"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(long_nas_text(copies), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--text-mb", type=float, default=5.0)
    parser.add_argument(
        "--small-runs",
        type=int,
        default=5,
        help="parses of each baseline (median): a second-long parse is the most load-sensitive",
    )
    args = parser.parse_args()

    print(
        f"{'document':<22}{'pages':>7}{'MB':>7}{'seconds':>10}{'s/page':>9}"
        f"{'ms/1k chars':>13}{'peak MiB':>10}"
    )
    rows: list[tuple[str, dict[str, float]]] = []
    for pages in sorted(args.pages):
        path = pdf_of(pages)
        runs = args.small_runs if path == NAS_PDF else 1
        rows.append((path.name if path != NAS_PDF else "nas/source.pdf", parse_median(path, runs)))
        _print(*rows[-1])
    texts = [("nas/source.txt", parse_median(NAS, args.small_runs))]
    _print(*texts[-1])
    big = text_of(args.text_mb)
    texts.append((big.name, parse_in_child(big)))
    _print(*texts[-1])

    figures: list[Figure] = []
    base = rows[0][1]
    largest = rows[-1][1]
    if len(rows) > 1:
        per_page = (largest["seconds"] / largest["pages"]) / (base["seconds"] / base["pages"])
        figures.append(
            Figure(
                f"parse s/page, {largest['pages']:.0f} pages ÷ 10-page NAS",
                per_page,
                MAX_PER_PAGE_RATIO,
                "<=",
                "×",
                f"{largest['seconds'] / largest['pages']:.3f} vs"
                f" {base['seconds'] / base['pages']:.3f} s/page",
            )
        )
    small, text = texts[0][1], texts[1][1]
    figures.append(
        Figure(
            f"parse s/char, {text['bytes'] / 1e6:.1f} MB text ÷ NAS text",
            (text["seconds"] / text["chars"]) / (small["seconds"] / small["chars"]),
            MAX_PER_PAGE_RATIO,
            "<=",
            "×",
            f"{text['seconds']:.1f} s for {text['chars']:,.0f} characters",
        )
    )
    for name, result in [rows[-1], texts[-1]]:
        figures.append(
            Figure(
                f"peak RSS, {name}", result["peak_mib"], MAX_PEAK_MIB, "<=", "MiB", "whole process"
            )
        )
    write_figures("bench_scale", figures)


def _print(name: str, result: dict[str, float]) -> None:
    pages = result["pages"] or 0
    per_page = f"{result['seconds'] / pages:9.3f}" if pages else f"{'-':>9}"
    print(
        f"{name:<22}{pages:>7.0f}{result['bytes'] / 1e6:>7.2f}{result['seconds']:>10.2f}{per_page}"
        f"{1000 * result['seconds'] / result['chars']:>13.2f}{result['peak_mib']:>10.0f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
