"""Batch throughput: documents per second with 1 and 2 workers, the cost of an unchanged re-run,
and peak memory.

The documents are copies of the corpus texts (NAS and NEC) with small edits — a different
late-payment rate in the NAS copies, a note appended to every copy — so each has its own
sha256 and is really processed. Each batch runs as the user runs it, `yakkan batch DIR --db`,
in a subprocess. This process makes itself the subreaper of the batch's process tree, so the
fork server and the workers are waited for here and `getrusage(RUSAGE_CHILDREN)` includes them.

    .venv/bin/python bench/bench_batch.py            # 200 documents, 1 and 2 workers
    .venv/bin/python bench/bench_batch.py --docs 40 --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "corpus" / "nas" / "source.txt", ROOT / "corpus" / "nec" / "source.txt"]
YAKKAN = Path(sys.executable).with_name("yakkan")
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt orphaned descendants (the batch's fork server and workers) so they are reaped here."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(limit: float = 30.0) -> None:
    """Wait for every adopted descendant to exit, so its rusage counts as ours."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def generate(folder: Path, n: int) -> None:
    """n distinct documents: corpus texts with a small edit each."""
    folder.mkdir(parents=True)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    for i in range(n):
        text = texts[i % 2]
        if i % 2 == 0:
            text = text.replace("年14.5%", f"年{14.0 + (i // 2) % 10 / 10:.1f}%")
        text += f"\n(写し{i})\n"
        (folder / f"doc_{i:03d}.txt").write_text(text, encoding="utf-8")


class TreeMemory:
    """Peak of the summed RSS of a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def children_cpu() -> float:
    """User + system CPU seconds of every reaped descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, db: Path, workers: int) -> tuple[float, float, int, str]:
    """One `yakkan batch`: wall seconds, CPU seconds of the batch's process tree (counted once
    its processes are reaped), peak tree RSS in bytes, and the summary line."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(YAKKAN), "batch", str(folder), "--db", str(db), "-j", str(workers), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with TreeMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    reap_orphans()
    if proc.returncode not in (0, 2):
        raise SystemExit(f"batch failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return seconds, children_cpu() - cpu_before, memory.peak, stdout.splitlines()[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting (median)")
    args = parser.parse_args(argv)
    reaping = become_subreaper()

    with tempfile.TemporaryDirectory(prefix="yakkan-bench-") as tmp:
        folder = Path(tmp) / "docs"
        generate(folder, args.docs)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"{args.docs} documents (corpus texts with small edits),"
            f" {os.cpu_count()} CPUs, load average {load} before the runs"
        )
        first_runs: dict[int, list[float]] = {}
        rerun_fractions: list[float] = []
        peaks: dict[int, int] = {}
        cpu_per_doc: dict[int, list[float]] = {}
        for workers in args.workers:
            for attempt in range(args.repeat):
                db = Path(tmp) / f"w{workers}_{attempt}.db"
                seconds, cpu, peak, line = run(folder, db, workers)
                first_runs.setdefault(workers, []).append(seconds)
                cpu_per_doc.setdefault(workers, []).append(cpu / args.docs)
                peaks[workers] = max(peaks.get(workers, 0), peak)
                print(f"  {workers} worker(s), fresh store: {seconds:7.1f} s  {line}")
                again, _, _, line = run(folder, db, workers)
                rerun_fractions.append(again / seconds)
                print(f"  {workers} worker(s), unchanged:   {again:7.1f} s  {line}")

        print()
        base = statistics.median(first_runs[args.workers[0]])
        for workers, runs in first_runs.items():
            median = statistics.median(runs)
            print(
                f"workers={workers}: {args.docs / median:6.2f} documents/s"
                f" (median {median:.1f} s, x{base / median:.2f} vs {args.workers[0]} worker(s),"
                f" {statistics.median(cpu_per_doc[workers]):.2f} CPU s per document"
                + ("" if reaping else ", workers not counted")
                + ");"
                f" peak RSS of the batch's process tree {peaks[workers] / 2**20:.0f} MiB"
            )
        print(
            f"unchanged re-run: {statistics.median(rerun_fractions):.3f} of the first run's time"
            f" (median of {len(rerun_fractions)})"
        )
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"getrusage peak RSS: largest single child process {children:.0f} MiB"
            + ("" if reaping else " (workers not included: no subreaper)")
            + f", this process {me:.0f} MiB"
        )


if __name__ == "__main__":
    main()
