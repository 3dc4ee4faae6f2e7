"""A rule model whose loading hangs inside a batch worker where no alarm can reach it.

It stands for a document stuck in C code (a PDF library, a regex): the batch's in-worker alarm
cannot stop it, so only the batch's hard timeout can. Loaded by `tests/test_adversarial.py`
as `--rules stuck_rules:model`; in the test process itself it returns at once.
"""

from __future__ import annotations

import multiprocessing
import signal
import time

from pipeline.rules import RuleModel, load_rules


def model() -> RuleModel:
    """The NAS rule model; in a worker process, first block SIGALRM and wait for ever."""
    if multiprocessing.parent_process() is not None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(3600)
    return load_rules("nas")
