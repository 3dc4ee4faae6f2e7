"""The expected failures on one input: each names the file and a one-line reason."""

from __future__ import annotations


class YakkanError(Exception):
    """An expected failure on one input: carries the file and a one-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def one_line(text: str) -> str:
    """`text` made safe for a one-line message: a file name or reason holding a line break, a
    control character or undecodable bytes is shown quoted, with escapes, so the line stays one."""
    if text.isprintable() and not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return repr(text)


class IngestError(YakkanError):
    """The file cannot be read as a terms document (encoding, encryption, no text layer...)."""


class SegmentError(YakkanError):
    """The text has no recognisable terms structure."""


class RulesError(YakkanError):
    """A rule model cannot be loaded or does not apply to the document."""
