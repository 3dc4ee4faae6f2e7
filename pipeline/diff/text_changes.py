"""Changes between two provisions' own texts (傍線部分), in whole words, typesetting ignored.

difflib compares the tokens of the two texts lines first (the line breaks left after wrapped
lines were joined are real), then characters. Each change is widened to whole words, and a
sentence rewritten for the most part shows as one replaced sentence (`pipeline.diff.words`).
A reference whose words stay but whose target moved (前条 after an insertion) is a change too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher

from pipeline.diff.labels import path_label
from pipeline.diff.tokens import Token, line_ranges, tokens_of
from pipeline.diff.words import WordBounds, whole_sentences, widen
from pipeline.models import ChangedSpan, Span

SHORT_EQUAL_ABSORBED = 1
"""Equal runs this short between two changes are marked as part of one change."""


Opcode = tuple[str, int, int, int, int]


def _cleanup(ops: Sequence[Opcode]) -> list[Opcode]:
    """Absorb one-character equal runs between two changes into one change (傍線 readability)."""
    merged: list[Opcode] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        absorbed = tag == "equal" and 0 < k < len(ops) - 1 and i2 - i1 <= SHORT_EQUAL_ABSORBED
        if tag == "equal" and not absorbed:
            merged.append((tag, i1, i2, j1, j2))
        elif merged and merged[-1][0] != "equal":
            _, pi1, _, pj1, _ = merged[-1]
            merged[-1] = ("change", pi1, i2, pj1, j2)
        else:
            merged.append(("change", i1, i2, j1, j2))
    return merged


def _op_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    if j1 == j2:
        return "delete"
    return "replace"


def _span_of(tokens: list[Token], lo: int, hi: int, fallback: int) -> Span:
    if hi > lo:
        return Span(start=tokens[lo].start, end=tokens[hi - 1].end)
    if lo < len(tokens):
        return Span(start=tokens[lo].start, end=tokens[lo].start)
    if tokens:
        return Span(start=tokens[-1].end, end=tokens[-1].end)
    return Span(start=fallback, end=fallback)


Reference = tuple[int, int, tuple[Hashable, ...]]
"""A resolved cross-reference: its span in Document.text and its targets (as new paths)."""


def _token_ops(a: Sequence[Token], b: Sequence[Token], i0: int, j0: int) -> list[Opcode]:
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    return [
        (tag, i1 + i0, i2 + i0, j1 + j0, j2 + j0) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _opcodes(a: list[Token], b: list[Token], old_text: str, new_text: str) -> list[Opcode]:
    """Opcodes over the two token lists, lines first: the lines that survive normalization
    are real breaks (rows of a flattened table, lines of a list), so where both versions have
    the same number of changed lines they pair line by line and no word matches across them
    (980円 in one row is not 980円 in the next)."""
    la, lb = line_ranges(a, old_text), line_ranges(b, new_text)
    if len(la) <= 1 or len(lb) <= 1:
        return _token_ops(a, b, 0, 0)
    keys_a = [tuple(t.key for t in a[s:e]) for s, e in la]
    keys_b = [tuple(t.key for t in b[s:e]) for s, e in lb]

    def bounds(lines: list[tuple[int, int]], lo: int, hi: int, size: int) -> tuple[int, int]:
        if lo < hi:
            return lines[lo][0], lines[hi - 1][1]
        at = lines[lo][0] if lo < len(lines) else size
        return at, at

    ops: list[Opcode] = []
    line_ops = SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in line_ops:
        (x1, x2), (y1, y2) = bounds(la, i1, i2, len(a)), bounds(lb, j1, j2, len(b))
        if tag == "equal":
            ops.append(("equal", x1, x2, y1, y2))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for (p1, p2), (q1, q2) in zip(la[i1:i2], lb[j1:j2], strict=True):
                ops.extend(_token_ops(a[p1:p2], b[q1:q2], p1, q1))
        else:
            ops.extend(_token_ops(a[x1:x2], b[y1:y2], x1, y1))
    # Adjacent runs of one kind (two equal lines) become one, as difflib would give them.
    merged: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] == "equal":
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        else:
            merged.append(op)
    return merged


def _target_label(target: Hashable) -> str:
    """A reference's target for a reader: 第6条, or 旧第6条 for one the new version lost."""
    if isinstance(target, tuple):
        return "旧" + path_label(str(target[-1]))
    return path_label(str(target))


def char_changes(
    old_text: str,
    old_span: Span,
    new_text: str,
    new_span: Span,
    old_ref: Callable[[str], Hashable],
    new_ref: Callable[[str], Hashable],
    old_refs: Sequence[Reference] = (),
    new_refs: Sequence[Reference] = (),
    lang: str = "ja",
) -> list[ChangedSpan]:
    """Changes between two provisions' own texts in whole words, typesetting ignored.

    `old_refs`/`new_refs` are the resolved references in each text: one whose words are
    unchanged but whose target differs (前条 after an inserted article) is a change too.
    """
    a = tokens_of(old_text, old_span, old_ref)
    b = tokens_of(new_text, new_span, new_ref)
    opcodes = _opcodes(a, b, old_text, new_text)
    found = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in _cleanup(opcodes) if tag != "equal"]
    if found:
        found = widen(found, WordBounds(old_text, old_span, a), WordBounds(new_text, new_span, b))
        found = whole_sentences(found, b, new_text)
    changes = [
        _changed_span(
            _op_tag(i1, i2, j1, j2),
            old_text,
            _span_of(a, i1, i2, old_span.start),
            new_text,
            _span_of(b, j1, j2, new_span.start),
        )
        for i1, i2, j1, j2 in found
    ]
    changes += _retargeted(a, b, opcodes, old_text, new_text, old_refs, new_refs, lang)
    return sorted(changes, key=lambda c: c.new.start)


def _retargeted(
    a: list[Token],
    b: list[Token],
    opcodes: list[Opcode],
    old_text: str,
    new_text: str,
    old_refs: Sequence[Reference],
    new_refs: Sequence[Reference],
    lang: str,
) -> list[ChangedSpan]:
    """References in the same words that point elsewhere: a reference of the old text and
    one of the new text whose first tokens the diff kept equal, with other targets."""
    moved_to = {
        a[i1 + k].start: b[j1 + k].start
        for tag, i1, i2, j1, _ in opcodes
        if tag == "equal"
        for k in range(i2 - i1)
    }
    new_at = {start: (end, targets) for start, end, targets in new_refs}
    changes: list[ChangedSpan] = []
    for start, end, targets in old_refs:
        there = moved_to.get(start)
        if there is None or there not in new_at:
            continue
        new_end, new_targets = new_at[there]
        if set(targets) != set(new_targets):
            was = "、".join(_target_label(t) for t in targets)
            now = "、".join(_target_label(t) for t in new_targets)
            note = f"参照先 {was} → {now}" if lang == "ja" else f"refers to {now} instead of {was}"
            old, new = Span(start=start, end=end), Span(start=there, end=new_end)
            changes.append(_changed_span("replace", old_text, old, new_text, new, note))
    return changes


def _changed_span(
    op: str, old_text: str, old: Span, new_text: str, new: Span, note: str | None = None
) -> ChangedSpan:
    """A change with the words it covers on each side."""
    return ChangedSpan(
        op=op,
        old=old,
        new=new,
        old_text=old_text[old.start : old.end],
        new_text=new_text[new.start : new.end],
        note=note,
    )
