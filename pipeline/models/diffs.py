"""Differences between two versions of a document (新旧対照表)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from pipeline.models.base import Model, Span
from pipeline.models.values import ExtractionKind, ExtractionValue

# --------------------------------------------------------------------------------------------
# Differences between two versions (owner: diff; machinery in pipeline/diff/compare.py)
#
# A DocumentDiff aligns the provisions of an old and a new Document (新旧対照): one
# ProvisionDiff per aligned pair, its character-level changes (傍線 parts) and the parameters
# that changed; `edits` lists each edit once, with consequential renumbering folded in.
# --------------------------------------------------------------------------------------------

DiffStatus = Literal[
    "unchanged",
    "modified",  # same provision, its text or title changed
    "added",  # 新設: only in the new version
    "deleted",  # only in the old version, or reduced to 削除 in the new one
    "renumbered",  # same provision under another number, text unchanged or changed
    "moved",  # same provision at another place in the order
    "split",  # one old provision became several new ones
    "merged",  # several old provisions became one new one
]
EditStatus = Literal[
    "added", "deleted", "modified", "retitled", "renumbered", "moved", "split", "merged"
]
DiffLevel = Literal[
    "part", "preamble", "article", "paragraph", "item", "supplementary", "appendix", "closing"
]


class ChangedSpan(Model):
    """One character-level change inside an aligned pair (the 傍線 part of a 新旧対照表)."""

    op: Literal["insert", "delete", "replace"]
    old: Span = Field(description="in the old Document.text; empty for an insertion")
    new: Span = Field(description="in the new Document.text; empty for a deletion")
    old_text: str
    new_text: str
    note: str | None = Field(
        None, description="why same words count as a change: a reference's target moved"
    )


class ParameterChange(Model):
    """A value extracted from an aligned provision that differs between the versions."""

    kind: ExtractionKind
    label: str = Field(description="where, for a reader: '第24条 遅延損害金'")
    old_path: str | None = None
    new_path: str | None = None
    old_text: str | None = Field(None, description="the old surface, e.g. '年14.6%'")
    new_text: str | None = None
    old_span: Span | None = None
    new_span: Span | None = None
    old_value: ExtractionValue | None = None
    new_value: ExtractionValue | None = None
    summary: str = Field(description="'第24条 遅延損害金: 年14.6% → 年14.5%'")


TermStatus = Literal["added", "removed", "redefined"]


class TermChange(Model):
    """A defined term (定義語) one version defines and the other does not, or defines otherwise."""

    term: str = Field(description="'感染可能期間'")
    status: TermStatus
    old_definitions: list[str] = Field(
        default_factory=list, description="what the old version says the term stands for"
    )
    new_definitions: list[str] = Field(default_factory=list)
    old_path: str | None = Field(None, description="where the old version first defines it")
    new_path: str | None = None
    summary: str = Field(description="'定義語「感染可能期間」: 追加'")


class ProvisionDiff(Model):
    """An aligned pair of provisions (either side may be missing) and how it changed."""

    level: DiffLevel
    status: DiffStatus
    label: str = Field("", description="where, for a reader: '第24条 遅延損害金', '第6条第2項'")
    old_path: str | None = None
    new_path: str | None = None
    old_label: str | None = Field(None, description="'第24条', '第2項', '(1)' as numbered")
    new_label: str | None = None
    old_title: str | None = None
    new_title: str | None = None
    title_changed: bool = False
    text_changed: bool = Field(False, description="the provision's own text changed")
    old_text: str | None = Field(None, description="own text in the old version (not articles)")
    new_text: str | None = None
    old_text_span: Span | None = Field(None, description="where old_text stands in old text")
    new_text_span: Span | None = None
    similarity: float = Field(description="content similarity of the pair, 0..1")
    spans: list[ChangedSpan] = Field(default_factory=list)
    parameter_changes: list[ParameterChange] = Field(default_factory=list)
    related: list[str] = Field(
        default_factory=list, description="for split/merged: the other paths of the group"
    )
    children: list[ProvisionDiff] = Field(default_factory=list)


class Edit(Model):
    """One edit between the versions, reported once (a renumbering it causes is folded in)."""

    status: EditStatus
    level: DiffLevel
    old_path: str | None = None
    new_path: str | None = None
    summary: str
    related: list[str] = Field(
        default_factory=list, description="split/merged: the other paths of the group"
    )
    renumbered: list[tuple[str, str]] = Field(
        default_factory=list, description="(old path, new path) of articles it renumbered"
    )


class DiffSide(Model):
    """One of the two documents compared."""

    id: str
    path: str
    title: str | None = None
    version: str | None = None
    effective_date: dt.date | None = None


class DocumentDiff(Model):
    """The 新旧対照 of two versions: aligned provisions, edits and changed parameters."""

    old: DiffSide
    new: DiffSide
    provisions: list[ProvisionDiff] = Field(
        default_factory=list, description="top-level pairs in reading order"
    )
    edits: list[Edit] = Field(default_factory=list)
    parameter_changes: list[ParameterChange] = Field(default_factory=list)
    term_changes: list[TermChange] = Field(
        default_factory=list,
        description="defined terms (定義語) added, removed or defined otherwise, in the order "
        "the new version defines them, then the removed ones",
    )
    typesetting_only: int = Field(
        0,
        description="aligned pairs whose text differs only in typesetting (表記のみの変更: width, "
        "spacing, list markers, Markdown decoration, line wrapping); not edits",
    )
