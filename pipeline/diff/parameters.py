"""Parameters: which extracted values (期間, 割合, 分数, 金額, 日付) changed between versions.

Values compare within one aligned pair of provisions (own text only), kind by kind; a split or
a merge compares the values of all its parts at once. `named_parameter_changes` asks the rule
model instead: which of its named parameters read another value in the new version.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from pipeline.diff.labels import WORDS
from pipeline.diff.nodes import DiffNode
from pipeline.extract.values import same_value, value_key
from pipeline.models import Document, Extraction, ExtractionValue, ParameterChange, Span

PARAMETER_KINDS = ("period", "percentage", "fraction", "amount", "date")
"""Extraction kinds compared as parameters (references and defined terms are not values)."""


def _extractions_in(doc: Document, span: Span | None) -> list[Extraction]:
    if span is None:
        return []
    return sorted(
        (
            e
            for e in doc.extractions
            if e.kind in PARAMETER_KINDS
            and span.start <= e.span.start < max(span.end, span.start + 1)
        ),
        key=lambda e: e.span.start,
    )


def parameter_changes(
    old: Document,
    old_node: DiffNode | None,
    new: Document,
    new_node: DiffNode | None,
    label: str,
    lang: str = "ja",
) -> list[ParameterChange]:
    """Extracted values of one aligned pair (own text only) that differ, kind by kind."""
    olds = _extractions_in(old, old_node.own if old_node else None)
    news = _extractions_in(new, new_node.own if new_node else None)
    old_path, new_path = old_node.path if old_node else None, new_node.path if new_node else None
    return compare_values(olds, news, label, old_path, new_path, lang)


def subtree_extractions(doc: Document, node: DiffNode) -> list[Extraction]:
    """The parameter values in the own texts of `node` and every provision under it."""
    found = _extractions_in(doc, node.own)
    for child in node.children:
        found.extend(subtree_extractions(doc, child))
    return found


def compare_values(
    olds: list[Extraction],
    news: list[Extraction],
    label: str,
    old_path: str | None,
    new_path: str | None,
    lang: str = "ja",
) -> list[ParameterChange]:
    """Pair old and new values kind by kind and report the pairs that differ."""
    changes: list[ParameterChange] = []
    for kind in PARAMETER_KINDS:
        a = [e for e in olds if e.kind == kind]
        b = [e for e in news if e.kind == kind]
        if not a and not b:
            continue
        # The same count means the values kept their places: pair them in order. Otherwise
        # unchanged values anchor the pairing and the rest pair in order between them.
        matcher = SequenceMatcher(
            None, [value_key(e.value) for e in a], [value_key(e.value) for e in b], autojunk=False
        )
        opcodes = [("replace", 0, len(a), 0, len(b))] if len(a) == len(b) else matcher.get_opcodes()
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                x = left[k] if k < len(left) else None
                y = right[k] if k < len(right) else None
                if x is not None and y is not None and same_value(x.value, y.value):
                    continue
                changes.append(_parameter_change(kind, label, x, y, old_path, new_path, lang))
    return changes


def _parameter_change(
    kind: str,
    label: str,
    a: Extraction | None,
    b: Extraction | None,
    old_path: str | None,
    new_path: str | None,
    lang: str,
) -> ParameterChange:
    old_text = a.text if a else None
    new_text = b.text if b else None
    words = WORDS[lang]
    return ParameterChange(
        kind=kind,
        label=label,
        old_path=a.path if a else old_path,
        new_path=b.path if b else new_path,
        old_text=old_text,
        new_text=new_text,
        old_span=a.span if a else None,
        new_span=b.span if b else None,
        old_value=a.value if a else None,
        new_value=b.value if b else None,
        summary=f"{label}: {words[kind]} {old_text or words['none']} → {new_text or words['none']}",
    )


def named_parameter_changes(old: Document, new: Document, rules: str | None = None) -> list[str]:
    """Names of the rule model's parameters whose value differs between the versions (the
    model named by `rules`, else the new version's family model). In a bundle each document
    is checked against its counterpart of the same title, and a name says which document
    ('メディカルレスキュー利用規約: late_fee')."""
    from pipeline.rules import parameter_payload, rules_for, validate
    from pipeline.structure.parts import part_documents

    def payloads(document: Document) -> dict[str, dict[str, ExtractionValue | None]]:
        found: dict[str, dict[str, ExtractionValue | None]] = {}
        for part in part_documents(document):
            payload = parameter_payload(part, validate(part, rules_for(part, rules)))
            found[(part.title or "") if document.parts else ""] = {
                name: entry.value for name, entry in payload.parameters.items()
            }
        return found

    before, after = payloads(old), payloads(new)
    changed = []
    for document in sorted(set(before) | set(after)):
        a, b = before.get(document, {}), after.get(document, {})
        where = f"{document}: " if document else ""
        changed += [
            where + name
            for name in sorted(set(a) | set(b))
            if not same_value(a.get(name), b.get(name))
        ]
    return changed
