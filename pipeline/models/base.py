"""Offsets and sources: spans of the normalized text, the raw input, diagnostics; `Model`.

Offsets (`Span`) always index the *normalized* text (`Document.text`); `NormalizedText.raw_span`
maps them back to the raw text, and `RawDocument.lines` to a page and a box.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Model(BaseModel):
    """The base of every model here: a pydantic model whose validator is built on first use.

    pydantic builds each class's validator and serializer when the class is defined: 59 classes
    on `import pipeline.models`. Deferred, a process builds those of the models it uses (a
    `yakkan parse` builds none of the diffs, feeds or expectations). Schemas are unchanged.
    """

    model_config = ConfigDict(defer_build=True)


# --------------------------------------------------------------------------------------------
# Offsets and sources
# --------------------------------------------------------------------------------------------


class Span(Model):
    """A half-open range [start, end) of character offsets into the normalized text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        """True when `other` lies within this span."""
        return self.start <= other.start and other.end <= self.end


BBox = tuple[float, float, float, float]
"""A box on a PDF page in points: (x0, top, x1, bottom), top-left origin as in pdfplumber."""


class SourceRef(Model):
    """Where a span of the normalized text comes from in the raw input."""

    page: int | None = Field(None, description="1-based PDF page; None for text input")
    bbox: BBox | None = Field(None, description="union box of the raw characters on that page")
    raw_start: int = Field(description="offset into RawDocument.text")
    raw_end: int


SourceKind = Literal["text", "pdf"]


class SourceInfo(Model):
    """The input file a document was read from."""

    path: str
    sha256: str = Field(description="hex digest of the file's bytes")
    kind: SourceKind
    encoding: str | None = Field(None, description="detected text encoding (text input)")
    pages: int | None = Field(None, description="page count (PDF input)")


# --------------------------------------------------------------------------------------------
# Ingest → RawDocument
# --------------------------------------------------------------------------------------------


class RawLine(Model):
    """One line of the input as laid out: a text line, or a PDF text row within one column."""

    text: str
    page: int | None = None
    bbox: BBox | None = None
    column: int | None = Field(None, description="0-based column on the page; None if spanning")
    char_boxes: list[BBox] | None = Field(
        None, description="per-character boxes (PDF input), parallel to `text`", exclude=True
    )


class RawDocument(Model):
    """The input in reading order, before any normalization (the ingest stage's output)."""

    source: SourceInfo
    lines: list[RawLine]

    @property
    def text(self) -> str:
        """The lines joined by newlines: the text that raw offsets index."""
        return "\n".join(line.text for line in self.lines)


# --------------------------------------------------------------------------------------------
# Normalize → NormalizedText
# --------------------------------------------------------------------------------------------


class NormalizedText(Model):
    """Normalized text with its offset map back to the raw text.

    `offsets[i]` is the raw offset of the character that normalized character `i` came from;
    the map has one extra entry at the end (the raw length) so that half-open spans map cleanly.
    """

    raw: str
    text: str
    offsets: list[int] = Field(exclude=True, repr=False)

    @model_validator(mode="after")
    def _map_covers_text(self) -> NormalizedText:
        if len(self.offsets) != len(self.text) + 1:
            raise ValueError("offset map must have len(text) + 1 entries")
        return self

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) to the raw [start, end) it came from."""
        if end <= start:
            raw = self.offsets[start]
            return raw, raw
        return self.offsets[start], self.offsets[end - 1] + 1


# --------------------------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------------------------

Severity = Literal["info", "warning", "error"]


class Diagnostic(Model):
    """A finding about the document: a numbering gap, a dangling reference, a title mismatch."""

    code: str = Field(description="stable machine code, e.g. 'numbering.gap', 'xref.title'")
    severity: Severity
    message: str
    path: str | None = Field(None, description="provision path the finding is about")
    span: Span | None = None
