"""Load on `yakkan serve`: concurrent clients reading a family's parameters while a batch writes
to the same store. Loopback only, bounded in time, stops by itself.

The store starts with the corpus (NAS and NEC, text and PDF). The server runs with 2 worker
processes; a `yakkan batch` subprocess meanwhile stores distinct edited copies of the corpus
texts into the same SQLite file (WAL), so the readers race a real writer. Figures: requests/s,
p50/p99/max latency, errors (must be 0), and as a baseline measured in the same run, the latency
of one client alone (the ratio says what 50 concurrent clients cost each of them).

    .venv/bin/python bench/bench_serve.py                       # 50 clients, 30 s
    .venv/bin/python bench/bench_serve.py --duration 10 --clients 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.service.reader import ReadOnlyStore  # noqa: E402
from pipeline.service.server import BackgroundServer  # noqa: E402
from pipeline.store.batch import run_batch  # noqa: E402
from pipeline.store.sqlite import Store  # noqa: E402

CORPUS = ROOT / "corpus"
SOURCES = [CORPUS / f / f"source.{kind}" for f in ("nas", "nec") for kind in ("txt", "pdf")]
READ = "/families/nas/parameters?version=latest"


def generate(folder: Path, n: int) -> None:
    """n distinct documents for the writer: corpus texts with a small edit each."""
    folder.mkdir(parents=True)
    texts = [(CORPUS / f / "source.txt").read_text(encoding="utf-8") for f in ("nas", "nec")]
    for i in range(n):
        text = texts[i % 2]
        if i % 2 == 0:
            text = text.replace("年14.5%", f"年{14.0 + (i // 2) % 10 / 10:.1f}%")
        (folder / f"doc_{i:03d}.txt").write_text(text + f"\n(写し{i})\n", encoding="utf-8")


async def client(
    http: httpx.AsyncClient, deadline: float, out: list[float], bad: list[str]
) -> None:
    """Read until the deadline, one request at a time; record each latency or failure."""
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            response = await http.get(READ)
            if response.status_code != 200:
                bad.append(f"HTTP {response.status_code}: {response.text[:120]}")
                continue
            response.json()
        except httpx.HTTPError as err:
            bad.append(f"{type(err).__name__}: {err}")
            continue
        out.append(time.perf_counter() - start)


async def load(url: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    """`clients` concurrent readers for `seconds`: latencies, failures, elapsed wall time."""
    latencies: list[float] = []
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(client(http, deadline, latencies, failures) for _ in range(clients)))
        return latencies, failures, time.monotonic() - started


def stored(db: Path) -> int:
    """How many documents the store holds now (read-only: the writer is busy with it)."""
    with ReadOnlyStore(db) as store:
        return store.counts()["documents"]


def wait_for_writes(db: Path, writer: subprocess.Popen[bytes], limit: float = 300.0) -> int:
    """Wait until the writer has stored its first document (its workers load spaCy first), so
    the load runs while it writes; returns the count then."""
    start = stored(db)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and writer.poll() is None:
        now = stored(db)
        if now > start:
            return now
        time.sleep(0.5)
    raise SystemExit("the writing batch stored nothing: no concurrent writes to measure against")


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (the server's workers)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of the values, by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> None:
    """Build the store, start the server and the writer, run the readers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=50, help="concurrent readers")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--docs", type=int, default=60, help="documents the writer stores")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yakkan-bench-serve-") as tmp:
        work = Path(tmp)
        db = work / "yakkan.db"
        with Store(db) as store:
            run_batch(SOURCES, store, workers=2)
        generate(work / "incoming", args.docs)
        with BackgroundServer(db, "--workers", str(args.workers)) as server:
            alone, alone_bad, _ = asyncio.run(load(server.url, 1, min(5.0, args.duration)))
            writer = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pipeline.cli.main",
                    "batch",
                    str(work / "incoming"),
                    "--db",
                    str(db),
                    "--workers",
                    "1",
                    "--quiet",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Its own process group: stopping the batch must stop its fork server and
                # worker processes too, which a signal to the batch alone leaves running.
                start_new_session=True,
            )
            try:
                before = wait_for_writes(db, writer)
                assert server.process is not None
                cpu_before = tree_cpu(server.process.pid)
                latencies, failures, elapsed = asyncio.run(
                    load(server.url, args.clients, args.duration)
                )
                written = stored(db) - before
                server_cpu = tree_cpu(server.process.pid) - cpu_before
            finally:
                # A batch stopped mid-way leaves whole documents only.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(writer.pid, signal.SIGTERM)
                writer.wait(timeout=60)

    errors = len(failures) + len(alone_bad)
    print(
        f"yakkan serve: {args.workers} workers, {args.clients} clients, {elapsed:.1f} s, GET {READ}"
    )
    print(f"  while a batch wrote {written} documents into the same store")
    print(f"  requests      {len(latencies)}  ({len(latencies) / elapsed:.0f}/s)")
    if latencies:
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        print(
            f"  latency       p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms,"
            f" max {max(latencies) * 1000:.1f} ms"
        )
    if alone:
        base = statistics.median(alone)
        print(
            f"  one client    p50 {base * 1000:.1f} ms ({len(alone)} requests);"
            f" p50 under load / alone = {percentile(latencies, 0.5) / base:.1f}x"
        )
    if latencies:
        print(
            f"  server CPU    {server_cpu * 1000 / len(latencies):.2f} ms per request"
            f" ({server_cpu / elapsed:.2f} cores of the machine's {os.cpu_count()},"
            f" load average {os.getloadavg()[0]:.1f})"
        )
    print(f"  errors        {errors}")
    for failure in (alone_bad + failures)[:5]:
        print(f"    {failure}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
