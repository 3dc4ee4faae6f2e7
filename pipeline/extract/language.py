"""The spaCy Language of the extraction stage, built once per process and reused.

`get_nlp()` is the blank Japanese pipeline with yakkan's SudachiPy tokenizer
(`pipeline.extract.tokenizer`: the tokens of spaCy's own `ja` tokenizer at a fraction of its cost)
followed by the yakkan components, plus the cross-reference component when `extractors.crossrefs`
provides it. `import_spacy` imports spaCy without its command-line package.

Split mode A. The extractors match on characters, and each match becomes a token-aligned span
(`doc.char_span`); the finest segmentation gives a token boundary at nearly every place a match
starts or ends, so spans keep their exact surface. Modes B and C glue compounds into one token
(利用料金, 2020年版), and a match ending inside one has to be widened to the whole token: over
the corpus and the cases files, 0 of 194 matches cut a token in mode A, 1 in modes B and C.
Numbers and units come out as separate tokens in every mode (30|日|以内, 6|年間, 3|ヶ月), so
mode A loses nothing the extractors need, and it is the fastest: spaCy computes no sub-token
lists for it (tokenizing the corpus took about 0.76 s in mode A against 1.07 s in mode C).
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

SPLIT_MODE = "A"
"""SudachiPy split mode of the tokenizer; see the module docstring for why A."""

COMPONENTS = (
    "yakkan_periods",
    "yakkan_percentages",
    "yakkan_fractions",
    "yakkan_amounts",
    "yakkan_dates",
    "yakkan_definitions",
)
"""The extractor components, in pipeline order (they are independent of one another)."""

CROSSREFS = "yakkan_crossrefs"
OWN_KINDS = frozenset({"period", "percentage", "fraction", "amount", "date", "defined_term"})


@cache
def get_nlp() -> Language:
    """The one spaCy Language of the process: blank `ja` (mode A) and the extractors."""
    with long_lived():
        spacy = import_spacy()
        from pipeline.extract.tokenizer import TOKENIZER_NAME

        tokenizer = {"@tokenizers": TOKENIZER_NAME, "split_mode": SPLIT_MODE}
        nlp = spacy.blank("ja", config={"nlp": {"tokenizer": tokenizer}})
        for name in COMPONENTS:
            nlp.add_pipe(name)
        if _has_crossrefs():
            nlp.add_pipe(CROSSREFS)
    return nlp


@contextmanager
def long_lived() -> Iterator[None]:
    """Make objects that live as long as the process: no collection meanwhile, then frozen.

    spaCy's import and the Language allocate tens of thousands of objects (modules, classes,
    functions, vocab), none of them ever garbage. Left to the cyclic collector, they trigger a
    full collection during the import (about 40 ms) and are traversed again by every later full
    collection and by the interpreter's exit: 0.13 s of a 12-page `yakkan parse`'s 0.95 s of CPU.
    `gc.freeze()` moves every object alive at the end of the block out of the collector's reach
    (the documented use: long-lived objects, and a server's state before it forks). The
    collector's state on entry (enabled or not) is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def import_spacy() -> types.ModuleType:
    """spaCy, imported without its command-line package `spacy.cli` when it is not loaded yet.

    `import spacy` imports `spacy.cli` only to offer `spacy.info`, and `spacy.cli` imports
    every command (typer, weasel, httpx, requests): about a third of spaCy's import, which a
    `yakkan parse` process pays at every start and never uses. While spaCy imports, a stand-in
    takes the place of `spacy.cli.info`; `spacy.info` then imports the real one on first call,
    and `import spacy.cli` works as ever afterwards, since the stand-ins are gone from
    `sys.modules` by then.
    """
    loaded = sys.modules.get("spacy")
    if loaded is not None:
        return loaded
    if any(name in sys.modules for name in _CLI_MODULES):
        import spacy

        return spacy

    def info(*args: Any, **kwargs: Any) -> Any:
        """spaCy's `info`, imported on first call."""
        real: Any = importlib.import_module("spacy.cli.info").info
        return real(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": stand_in}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        package = sys.modules.get("spacy")
        if package is not None and getattr(package, "cli", None) is cli:
            delattr(package, "cli")
    return spacy


def _has_crossrefs() -> bool:
    try:
        module = importlib.import_module("extractors.crossrefs")
    except ImportError:
        return False
    return hasattr(module, "make_crossrefs")
