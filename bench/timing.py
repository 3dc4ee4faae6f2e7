"""Timing shared by the benchmarks: interleaved rounds, so load changes hit every run alike.

Benchmarks whose runs all stay in this process (extraction, PDF reading, structure) time them
by this process's CPU time (`time.process_time`): on a shared machine the wall time of a run
also counts the time other processes held the core, which is not the run's cost and swings
from round to round, while its CPU time does not. Runs in subprocesses (cold start) take wall
time, the only clock that sees a child process from start to exit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence


def rounds(
    runs: Sequence[Callable[[], object]],
    repeats: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[list[float]]:
    """Times by `clock` (wall time unless given): one list per run, `repeats` rounds taking
    turns, after one warm-up round."""
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, out in zip(runs, times, strict=True):
            start = clock()
            run()
            out.append(clock() - start)
    return times
