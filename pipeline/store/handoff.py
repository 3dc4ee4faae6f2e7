"""Handing a worker process's result over in a file, so a worker killed at any moment cannot
wedge the pool it belongs to.

A process pool (concurrent.futures' or pebble's) sends each result through one pipe that all
its workers share. A result larger than the pipe's buffer takes several writes, and a worker
killed between two of them (by the OOM killer, or a user) leaves half a message in the pipe:
the pool's reader then waits for the rest forever. concurrent.futures' manager thread never
sees the worker's death and the process hangs at exit joining it; pebble reports the death and
then hands no other task out. Seen in yakkan's CI: a batch whose worker was killed hung.

`call_to_file` runs a function in the worker and pickles its result to a new file in a folder
the pool's owner made; only the file's name goes through the pipe. That message is one write
of at most PIPE_BUF bytes, which the kernel makes atomic, so the pipe holds all of it or none.
The file is complete before its name is sent; a worker killed while writing it leaves a partial
file that no message names, removed with the folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable
from typing import Any


def call_to_file(function: Callable[..., Any], args: tuple[Any, ...], folder: str) -> str:
    """In a worker: `function(*args)`, pickled to a new file in `folder`; returns its name."""
    value = function(*args)
    fd, name = tempfile.mkstemp(suffix=".pickle", dir=folder)
    with open(fd, "wb") as out:
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def take_from_file(name: str) -> Any:
    """In the pool's owner: the value a worker left in the file `name`; the file is removed."""
    try:
        with open(name, "rb") as spilled:
            return pickle.load(spilled)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
