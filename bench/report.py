"""One table of every benchmark figure beside its goal: `make bench`.

Runs the benchmarks (each in its own process, in turn), then reads every
bench/results/*.figures.json they wrote and prints one table: the figure, its measured value,
the floor or ceiling the goal sets, the ratio (above 1 when the goal is met, whichever way the
goal points) and whether it is met. A benchmark that fails is reported and the others go on.

Absolute figures depend on the machine and its load; the ratios inside each benchmark are
measured against a baseline in the same run. Quote the table from an idle machine.

    .venv/bin/python bench/report.py                 # run every benchmark, then the table
    .venv/bin/python bench/report.py --table-only    # the table of the last runs
    .venv/bin/python bench/report.py --quick         # fewer rounds, smaller sizes
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from figures import RESULTS, read_figures

BENCH = Path(__file__).resolve().parent

RUNS: dict[str, list[str]] = {
    "bench_extract": ["bench_extract.py"],
    "bench_pdf": ["bench_pdf.py"],
    "bench_structure": ["bench_structure.py"],
    "bench_coldstart": ["bench_coldstart.py"],
    "bench_scale": ["bench_scale.py"],
    "bench_batch": ["bench_batch.py", "--small", "10000"],
    "bench_serve": ["bench_serve.py"],
}
"""Each benchmark and its arguments for a full run."""

QUICK: dict[str, list[str]] = {
    "bench_extract": ["bench_extract.py", "--repeats", "3"],
    "bench_pdf": ["bench_pdf.py", "--repeats", "2"],
    "bench_structure": ["bench_structure.py", "--repeat", "1"],
    "bench_coldstart": ["bench_coldstart.py", "--repeats", "2"],
    "bench_scale": ["bench_scale.py", "--pages", "10", "100", "--text-mb", "1"],
    "bench_batch": ["bench_batch.py", "--docs", "40", "--small", "1000"],
    "bench_serve": ["bench_serve.py", "--duration", "5", "--clients", "10"],
}
"""Smaller runs, to check that every benchmark works."""


def run_all(runs: dict[str, list[str]]) -> list[str]:
    """Run each benchmark in turn with its output shown; the names of those that failed."""
    failed = []
    for name, args in runs.items():
        print(f"\n=== {name}: {' '.join(args)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / args[0]), *args[1:]], check=False)
        print(f"=== {name}: {time.perf_counter() - started:.0f} s", flush=True)
        if done.returncode != 0:
            failed.append(name)
    return failed


def table() -> str:
    """Every figure of the last runs, one row each, beside its goal."""
    rows = [
        f"{'figure':<52}{'measured':>17}{'goal':>20}{'ratio':>8}  met  (run at, UTC)",
    ]
    for path in sorted(RESULTS.glob("*.figures.json")):
        bench, when, figures = read_figures(path)
        for f in figures:
            goal = f"{f.goal} {_number(f.limit)} {f.unit}".rstrip()
            rows.append(
                f"{f.name:<52}{_number(f.value) + ' ' + f.unit:>17}{goal:>20}{f.ratio:>8.2f}"
                f"  {'yes' if f.met else 'NO ':<3}  ({when[11:16]} {bench})"
            )
            if f.note:
                rows.append(f"    {f.note}")
    return "\n".join(rows)


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table-only", action="store_true", help="print the last results")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(RUNS), help="run only these")
    args = parser.parse_args()
    failed: list[str] = []
    if not args.table_only:
        runs = QUICK if args.quick else RUNS
        if args.only:
            runs = {name: runs[name] for name in args.only}
        failed = run_all(runs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nyakkan benchmarks — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},"
        f" Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load}"
    )
    print(table())
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
