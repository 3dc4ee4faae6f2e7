"""Batch throughput: documents per second with 1 and 2 workers, the cost of an unchanged re-run,
peak memory per worker, and memory over a long batch of small documents.

The documents are copies of the corpus texts (NAS and NEC) with small edits — a different
late-payment rate in the NAS copies, a note appended to every copy — so each has its own
sha256 and is really processed. Each batch runs as the user runs it, `yakkan batch DIR --db`,
in a subprocess. This process makes itself the subreaper of the batch's process tree, so the
fork server and the workers are waited for here and `getrusage(RUSAGE_CHILDREN)` includes them.
The batch's processes are sampled every 50 ms: the summed RSS of the tree, and the largest RSS
of any one process but the batch's main one (a worker or the fork server).

The speed-up of 2 workers over 1 has a ceiling on a 2-core machine, printed beside it. Both
batches first wait for the same start-up S (the fork server's spaCy import and warm-up, until the
first document is stored: timed as a batch of one document), and the batch's main process, which
alone writes the store, takes CPU M from the workers' cores once two workers keep both busy. With
the workers' work W (CPU seconds of the one-worker run's process tree, less its main process's and
the start-up's),
2 workers can do no better than (S + W) / (S + (W + M) / 2). It is computed from CPU seconds, so
a run slowed by the machine (this is a shared virtual machine) does not move it.

With --small N, a batch of N small documents (one article each, a different number in each)
runs with 2 workers and the main process's RSS is compared between the first and the last
fifth of the run: results are streamed into the store, so it should stay flat.

Goals (issue 14): 2 workers at least 1.8x one worker; at least 30 NAS-sized documents/s with 2
workers; peak RSS per worker at most 300 MiB; flat memory over 10,000 small documents.

    .venv/bin/python bench/bench_batch.py            # 200 documents, 1 and 2 workers
    .venv/bin/python bench/bench_batch.py --docs 40 --repeat 3
    .venv/bin/python bench/bench_batch.py --small 10000
Writes bench/results/bench_batch.figures.json for bench/report.py.
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

from figures import Figure, write_figures

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
    """RSS of a process and its descendants, sampled every 50 ms: the peak of their sum, the
    peak of any one descendant (a worker), the main process's RSS over time and its CPU seconds
    (start-up included) at the last sample."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self.peak_child = 0
        self.main: list[tuple[float, int]] = []
        self.main_cpu = 0.0
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
                self.main.append((time.monotonic(), root.memory_info().rss))
                times = root.cpu_times()
                self.main_cpu = times.user + times.system
                total = self.main[-1][1]
                for proc in root.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        rss = proc.memory_info().rss
                        total += rss
                        self.peak_child = max(self.peak_child, rss)
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def growth(self) -> float:
        """The main process's peak RSS in the last fifth of the run over that in the first fifth
        (after its first second, the start-up)."""
        if len(self.main) < 10:
            return float("nan")
        start, end = self.main[0][0] + 1.0, self.main[-1][0]
        fifth = (end - start) / 5
        first = [rss for t, rss in self.main if start <= t < start + fifth]
        last = [rss for t, rss in self.main if t >= end - fifth]
        return max(last) / max(first) if first and last else float("nan")

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


def run(folder: Path, db: Path, workers: int) -> tuple[float, float, TreeMemory, str]:
    """One `yakkan batch`: wall seconds, CPU seconds of the batch's process tree (counted once
    its processes are reaped), its memory samples, and the summary line."""
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
    return seconds, children_cpu() - cpu_before, memory, stdout.splitlines()[0]


def start_up(folder: Path, tmp: Path, runs: int) -> tuple[float, float, float]:
    """The batch's start-up: median wall seconds of a batch of one document with one worker
    (fresh store each time), its main process's CPU seconds and its process tree's."""
    one = tmp / "one"
    one.mkdir()
    first = sorted(folder.iterdir())[0]
    (one / first.name).write_bytes(first.read_bytes())
    walls: list[float] = []
    cpus: list[float] = []
    trees: list[float] = []
    for attempt in range(runs):
        seconds, tree, memory, _ = run(one, tmp / f"one_{attempt}.db", 1)
        walls.append(seconds)
        cpus.append(memory.main_cpu)
        trees.append(tree)
    return statistics.median(walls), statistics.median(cpus), statistics.median(trees)


def ceiling(startup: float, work: float, writer: float) -> float:
    """The best speed-up of 2 workers over 1 on 2 cores: both wait for the start-up; one
    worker then works `work` CPU seconds while the writer runs on the other core; two share
    both cores with the writer's `writer` CPU seconds."""
    return (startup + work) / (startup + (work + writer) / 2)


SMALL = (
    "小規模サービス利用規約\n\n第1条(利用料金)\n"
    "利用者は、利用料金を申込日から{days}日以内に支払うものとします。\n"
)
"""A small document: one article, with a period that differs from document to document."""


def generate_small(folder: Path, n: int) -> None:
    """n distinct one-article documents, in subfolders of 1,000."""
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"small_{i:05d}.txt").write_text(SMALL.format(days=i + 1), encoding="utf-8")


def small_batch(n: int, workers: int) -> list[Figure]:
    """Run a batch of n small documents; report throughput and the main process's growth."""
    with tempfile.TemporaryDirectory(prefix="yakkan-bench-small-") as tmp:
        folder = Path(tmp) / "docs"
        generate_small(folder, n)
        seconds, _, memory, line = run(folder, Path(tmp) / "small.db", workers)
    growth = memory.growth()
    peak_main = max(rss for _, rss in memory.main) / 2**20
    print(
        f"{n} small documents, {workers} workers: {seconds:.1f} s ({n / seconds:.1f} documents/s)"
        f"  {line}\n  main process peak RSS {peak_main:.0f} MiB, last fifth ÷ first fifth"
        f" {growth:.3f}; largest worker {memory.peak_child / 2**20:.0f} MiB"
    )
    return [
        Figure(
            f"main RSS growth over {n:,} small documents",
            growth,
            MAX_SMALL_GROWTH,
            "<=",
            "×",
            f"last fifth ÷ first fifth of the run; peak {peak_main:.0f} MiB",
        )
    ]


MIN_SPEEDUP = 1.8
MIN_DOCS_PER_SECOND = 30.0
MAX_WORKER_MIB = 300.0
MAX_SMALL_GROWTH = 1.10


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting (median)")
    parser.add_argument("--small", type=int, default=0, help="also N small documents, 2 workers")
    args = parser.parse_args(argv)
    reaping = become_subreaper()

    figures: list[Figure] = []
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
        worker_peaks: dict[int, int] = {}
        cpu_per_doc: dict[int, list[float]] = {}
        main_cpu: dict[int, list[float]] = {}
        for workers in args.workers:
            for attempt in range(args.repeat):
                db = Path(tmp) / f"w{workers}_{attempt}.db"
                seconds, cpu, memory, line = run(folder, db, workers)
                first_runs.setdefault(workers, []).append(seconds)
                cpu_per_doc.setdefault(workers, []).append(cpu / args.docs)
                main_cpu.setdefault(workers, []).append(memory.main_cpu)
                peaks[workers] = max(peaks.get(workers, 0), memory.peak)
                worker_peaks[workers] = max(worker_peaks.get(workers, 0), memory.peak_child)
                print(f"  {workers} worker(s), fresh store: {seconds:7.1f} s  {line}")
                again, _, _, line = run(folder, db, workers)
                rerun_fractions.append(again / seconds)
                print(f"  {workers} worker(s), unchanged:   {again:7.1f} s  {line}")

        startup, startup_cpu, startup_tree = start_up(folder, Path(tmp), max(args.repeat, 3))
        print(
            f"  start-up, a batch of 1 document (1 worker): {startup:.2f} s,"
            f" its main process {startup_cpu:.2f} CPU s, its process tree {startup_tree:.2f}"
        )

        print()
        base = statistics.median(first_runs[args.workers[0]])
        for workers, runs in first_runs.items():
            median = statistics.median(runs)
            print(
                f"workers={workers}: {args.docs / median:6.2f} documents/s"
                f" (median {median:.1f} s, x{base / median:.2f} vs {args.workers[0]} worker(s),"
                f" {statistics.median(cpu_per_doc[workers]):.2f} CPU s per document"
                + ("" if reaping else ", workers not counted")
                + f"; the batch's main process {statistics.median(main_cpu[workers]):.1f} CPU s,"
                " start-up included);"
                f" peak RSS of the batch's process tree {peaks[workers] / 2**20:.0f} MiB,"
                f" of one worker {worker_peaks[workers] / 2**20:.0f} MiB"
            )
        print(
            f"unchanged re-run: {statistics.median(rerun_fractions):.3f} of the first run's time"
            f" (median of {len(rerun_fractions)})"
        )
        if 1 in first_runs and 2 in first_runs:
            one, two = statistics.median(first_runs[1]), statistics.median(first_runs[2])
            # the work as one worker does it; the writer's CPU as it competes with two
            tree_one = statistics.median(cpu_per_doc[1]) * args.docs
            work = tree_one - statistics.median(main_cpu[1]) - (startup_tree - startup_cpu)
            writer = statistics.median(main_cpu[2]) - startup_cpu
            bound = ceiling(startup, work, writer)
            print(
                f"ceiling of the speed-up on {os.cpu_count()} cores: start-up S {startup:.2f} s,"
                f" the workers' work W {work:.2f} CPU s, the main process's CPU after its"
                f" start-up M {writer:.2f} s: (S + W) / (S + (W + M) / 2) = {bound:.2f}x"
            )
            figures += [
                Figure(
                    "batch speed-up, 2 workers ÷ 1",
                    one / two,
                    MIN_SPEEDUP,
                    ">=",
                    "×",
                    f"{args.docs} corpus-sized documents; start-up {startup:.2f} s and the"
                    f" writer's {writer:.2f} CPU s cap it at {bound:.2f}× on 2 cores",
                ),
                Figure(
                    "batch documents/s, 2 workers",
                    args.docs / two,
                    MIN_DOCS_PER_SECOND,
                    ">=",
                    "docs/s",
                    "NAS and NEC texts; start-up included",
                ),
            ]
        figures.append(
            Figure(
                "peak RSS of one worker",
                max(worker_peaks.values()) / 2**20,
                MAX_WORKER_MIB,
                "<=",
                "MiB",
                "largest process of the batch but its main one",
            )
        )
    if args.small:
        figures += small_batch(args.small, 2)
    write_figures("bench_batch", figures)


if __name__ == "__main__":
    main()
