"""Imported by the batch's fork server before it forks workers: spaCy, the components, and the
pipeline warmed up once.

Importing this module imports spaCy (without its command-line package, as the extraction stage
does), registers yakkan's components and runs the pipeline on a tiny document (`warm_up`), so
each worker forked from the server starts with the spaCy Language and Sudachi built instead of
paying spaCy's import (~0.3 s) and the Language's construction (~0.2 s) itself, again after
every pool restart. It has no other use: nothing else imports it.

It also makes the server's own exit quick (`_exit_quickly`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

from pipeline.extract.language import import_spacy

import_spacy()

import extractors.components  # noqa: E402,F401 - after spaCy, as the extraction stage loads it
from pipeline.store.work import warm_up  # noqa: E402 - after the components it runs

warm_up()


def _exit_quickly() -> None:
    """End the fork server without tearing the interpreter down.

    The server ends when the batch and its workers have (its "alive" pipe closes). It still
    holds the batch's stdout and stderr, so whoever reads the batch's output waits for it, and
    freeing spaCy, the dictionary and every module one by one takes ~50 ms that nothing needs:
    the workers it forked end the same way (multiprocessing ends them with os._exit). Anything
    written is flushed first. Registered last, this runs first among the exit handlers.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    os._exit(0)


atexit.register(_exit_quickly)
