"""Timing shared by the benchmarks: interleaved rounds, so load changes hit every run alike."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence


def rounds(runs: Sequence[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Wall times: one list per run, `repeats` rounds taking turns, after one warm-up round."""
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, out in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            out.append(time.perf_counter() - start)
    return times
