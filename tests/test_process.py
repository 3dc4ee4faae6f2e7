"""`pipeline.process`: the garbage collector the parse holds off is given back as it was found."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from conftest import CORPUS

from pipeline.ingest.sources import ingest_bytes
from pipeline.models import SegmentError
from pipeline.process import parse_bytes, parse_raw

NEC_PDF = CORPUS / "nec" / "source.pdf"


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Restore the collector's state whatever a test leaves it in."""
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_state")
@pytest.mark.parametrize("enabled", [True, False])
def test_parse_bytes_leaves_the_collector_as_it_found_it(enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    document = parse_bytes(NEC_PDF.read_bytes(), "source.pdf", extract=False)
    assert gc.isenabled() is enabled
    # the document is whole: the raw lines it no longer needs went before the collector woke
    assert document.source.kind == "pdf" and document.articles


@pytest.mark.usefixtures("collector_state")
def test_parse_raw_leaves_the_collector_enabled() -> None:
    gc.enable()
    raw = ingest_bytes((CORPUS / "nec" / "source.txt").read_bytes(), "source.txt")
    assert parse_raw(raw, extract=False).articles
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_state")
def test_a_failed_parse_resumes_the_collector() -> None:
    # text with no structure at all: segment refuses it inside the pause
    gc.enable()
    with pytest.raises(SegmentError):
        parse_bytes("これは規約ではありません。\n".encode(), "note.txt", extract=False)
    assert gc.isenabled()
