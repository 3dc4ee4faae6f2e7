"""Cold start: whole `yakkan` processes, beside a process that only runs pdfplumber on the PDF.

Each command runs as a user runs it, a fresh process from start to exit, in rounds that take
turns (a busy machine slows them alike); figures are medians, ratios the medians of per-round
ratios to the baseline:

- pdfplumber: `python -c` opening the PDF and running `extract_text()` on every page (baseline);
- parse: `yakkan parse PDF` (ingest, normalize, segment, extract, resolve, JSON out);
- parse --no-extract: the same without the extractors;
- --help, history, export, and a batch re-run that skips every file: commands that extract
  nothing, so they should cost about an interpreter's start.

The PDF is 12 pages: the first 12 of the long NAS document (bench/longdoc.py).

Every process runs with a bytecode cache (in bench/results/pycache), as an installed package
has one: with PYTHONDONTWRITEBYTECODE set, each yakkan process would compile every module of
pipeline/ and extractors/ from source again (a tenth of a second or more), while pdfplumber's
installed modules load from their .pyc files. The warm-up round fills the cache.

Goal (issue 14): `yakkan parse` of a 12-page PDF within 1.2x of the pdfplumber process.

Run: .venv/bin/python bench/bench_coldstart.py [--repeats N]
Writes bench/results/bench_coldstart.figures.json for bench/report.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from figures import RESULTS, Figure, write_figures
from longdoc import long_nas_pdf
from timing import rounds

ROOT = Path(__file__).resolve().parent.parent
YAKKAN = Path(sys.executable).with_name("yakkan")
PAGES = 12
MAX_RATIO = 1.2

PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    text = [page.extract_text() for page in pdf.pages]
"""


def twelve_pages() -> Path:
    """The first 12 pages of the two-copy NAS document (cached in bench/results)."""
    import pypdfium2

    path = RESULTS / "scale" / f"nas_{PAGES}_pages.pdf"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        source = pypdfium2.PdfDocument(long_nas_pdf(2))
        out = pypdfium2.PdfDocument.new()
        out.import_pages(source, list(range(PAGES)))
        out.save(str(path))
    return path


def environment() -> dict[str, str]:
    """This process's environment, with a bytecode cache of the bench's own (see above)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(RESULTS / "pycache")
    return env


def process(*command: str) -> Callable[[], None]:
    """A run of `command` as its own process, its output discarded; a failure stops the bench."""
    env = environment()

    def run() -> None:
        done = subprocess.run(command, capture_output=True, cwd=ROOT, env=env, check=False)
        if done.returncode not in (0, 2):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    pdf = str(twelve_pages())
    source = str(ROOT / "corpus" / "nas" / "source.txt")
    with tempfile.TemporaryDirectory(prefix="yakkan-cold-") as tmp:
        db = str(Path(tmp) / "yakkan.db")
        process(str(YAKKAN), "batch", source, "--db", db, "-q")()
        runs = {
            "pdfplumber extract_text (base)": process(sys.executable, "-c", PDFPLUMBER, pdf),
            "yakkan parse": process(str(YAKKAN), "parse", pdf),
            "yakkan parse --no-extract": process(str(YAKKAN), "parse", pdf, "--no-extract"),
            "yakkan --help": process(str(YAKKAN), "--help"),
            "yakkan history": process(str(YAKKAN), "history", "nas", "--db", db),
            "yakkan export": process(str(YAKKAN), "export", "--db", db, "-o", f"{tmp}/x.jsonl"),
            "yakkan batch (all skipped)": process(str(YAKKAN), "batch", source, "--db", db, "-q"),
            "python -c pass": process(sys.executable, "-c", "pass"),
        }
        times = rounds(list(runs.values()), args.repeats)
    print(f"{PAGES}-page PDF; whole processes, median of {args.repeats} rounds")
    print(f"{'process':<34}{'seconds':>9}{'× base':>9}")
    ratios: dict[str, float] = {}
    for name, samples in zip(runs, times, strict=True):
        ratio = statistics.median(t / b for t, b in zip(samples, times[0], strict=True))
        ratios[name] = ratio
        print(f"{name:<34}{statistics.median(samples):>9.2f}{ratio:>9.2f}")
    write_figures(
        "bench_coldstart",
        [
            Figure(
                f"yakkan parse, {PAGES}-page PDF ÷ pdfplumber process",
                ratios["yakkan parse"],
                MAX_RATIO,
                "<=",
                "×",
                f"--no-extract: {ratios['yakkan parse --no-extract']:.2f}×;"
                f" --help: {ratios['yakkan --help']:.2f}×",
            )
        ],
    )


if __name__ == "__main__":
    main()
