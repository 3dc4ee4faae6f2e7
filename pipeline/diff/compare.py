"""Version diff: align two Documents provision by provision (新旧対照) and mark what changed.

The flow, one module a step:

- `pipeline.diff.nodes`: each version as a tree of comparable nodes (前文, 条, 附則, 別表, the
  closing lines, each document of a bundle, and text the segmenter left between them);
- `pipeline.diff.align`: which old node is which new one at every level (in order, rewritten in
  place, moved, split, merged);
- `pipeline.diff.text_changes`: what changed in an aligned pair's own text, in whole words,
  typesetting ignored (`pipeline.diff.typesetting`, `tokens`, `words`); references compare by
  the article they point to after alignment (`pipeline.diff.references`);
- `pipeline.diff.parameters`: which extracted values changed;
- `pipeline.diff.edits`: each change reported once, with its summary (`pipeline.diff.labels`).

This module walks the aligned trees and builds the DocumentDiff (its rows, edits and parameter
changes). A pair whose text differs in typesetting only is counted (DocumentDiff.typesetting_only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.diff.align import Alignment, align, similarity
from pipeline.diff.edits import collect_edits
from pipeline.diff.labels import WORDS, provision_label
from pipeline.diff.nodes import DiffNode, all_paths, part_of, top_nodes
from pipeline.diff.parameters import compare_values, parameter_changes, subtree_extractions
from pipeline.diff.references import ReferenceKeys
from pipeline.diff.terms import term_changes
from pipeline.diff.text_changes import char_changes
from pipeline.models import (
    DiffSide,
    DiffStatus,
    Document,
    DocumentDiff,
    ParameterChange,
    ProvisionDiff,
)
from pipeline.text.spaces import squash
from pipeline.text.titles import plain_title

Context = tuple[DiffNode | None, DiffNode | None] | None
"""The articles (old, new) a paragraph or item stands in, for its label; None at the top."""


class _Differ:
    """Holds the two documents and the alignments while the tree is compared."""

    def __init__(self, old: Document, new: Document, lang: str = "ja") -> None:
        self.old = old
        self.new = new
        self.lang = lang
        self.typesetting_only = 0
        self.part_labels: dict[str, dict[str, str]] = {"old": {}, "new": {}}
        self.refs = ReferenceKeys(old, new, {}, set())
        self._alignments: dict[tuple[int, int], Alignment] = {}

    def _align(self, old: list[DiffNode], new: list[DiffNode]) -> Alignment:
        key = (id(old), id(new))
        if key not in self._alignments:
            self._alignments[key] = align(old, new)
        return self._alignments[key]

    def _map_paths(self, old: list[DiffNode], new: list[DiffNode], found: dict[str, str]) -> None:
        """Old path → new path of every aligned provision (a split's whole → its first part)."""
        alignment = self._align(old, new)
        for i, j in alignment.pairs.items():
            if new[j].deleted:
                continue
            found[old[i].path] = new[j].path
            self._map_paths(old[i].children, new[j].children, found)

    def run(self) -> DocumentDiff:
        """The DocumentDiff of the two documents."""
        old_nodes = top_nodes(self.old)
        new_nodes = top_nodes(self.new)
        self.part_labels = {
            side: {f"{node.path}/": node.label for node in nodes if node.level == "part"}
            for side, nodes in (("old", old_nodes), ("new", new_nodes))
        }
        path_map: dict[str, str] = {}
        self._map_paths(old_nodes, new_nodes, path_map)
        self.refs = ReferenceKeys(self.old, self.new, path_map, all_paths(old_nodes))
        alignment = self._align(old_nodes, new_nodes)
        rows = self._rows(old_nodes, new_nodes, alignment, context=None)
        return DocumentDiff(
            old=_side(self.old),
            new=_side(self.new),
            provisions=rows,
            edits=collect_edits(rows, WORDS[self.lang]),
            parameter_changes=[p for row in rows for p in _all_parameters(row)],
            term_changes=term_changes(self.old, self.new, self.lang),
            typesetting_only=self.typesetting_only,
        )

    def _rows(
        self,
        old: Sequence[DiffNode],
        new: Sequence[DiffNode],
        alignment: Alignment,
        context: Context,
    ) -> list[ProvisionDiff]:
        """The aligned pairs in reading order: new order, old-only ones where they stood."""
        new_to_old = {j: i for i, j in alignment.pairs.items()}
        split_of = {j: i for i, parts in alignment.split.items() for j in parts}
        merged_into = {i: j for j, parts in alignment.merged.items() for i in parts}
        rows: list[ProvisionDiff] = []
        next_old = 0

        def flush_old(upto: int) -> None:
            nonlocal next_old
            while next_old <= upto and next_old < len(old):
                if next_old not in alignment.pairs and next_old not in merged_into:
                    rows.append(self._pair(old[next_old], None, "deleted", context))
                next_old += 1

        for j, node in enumerate(new):
            i = new_to_old.get(j)
            if i is not None and i not in alignment.moved:
                flush_old(i)
            if i is not None:
                rows.extend(self._paired_rows(old, new, alignment, i, j, context))
            elif j in split_of:
                whole = split_of[j]
                row = self._pair(None, node, "added", context)
                _regroup(row, "split", old=old[whole])
                row.related = [
                    new[k].path for k in (alignment.pairs[whole], *alignment.split[whole]) if k != j
                ]
                rows.append(row)
            else:
                rows.append(self._pair(None, node, "added", context))
        flush_old(len(old) - 1)
        return rows

    def _paired_rows(
        self,
        old: Sequence[DiffNode],
        new: Sequence[DiffNode],
        alignment: Alignment,
        i: int,
        j: int,
        context: Context,
    ) -> list[ProvisionDiff]:
        """The row of aligned pair (old[i], new[j]), and the other old parts of a merge into it."""
        status = self._status(old[i], new[j], i in alignment.moved, i != j)
        row = self._pair(old[i], new[j], status, context)
        if i in alignment.split:
            row.status = "split"
            row.related = [new[k].path for k in alignment.split[i]]
        if j in alignment.merged:
            row.status = "merged"
            row.related = [old[k].path for k in alignment.merged[j]]
        group = [(i, row)]
        for k in alignment.merged.get(j, []):
            extra = self._pair(old[k], None, "deleted", context)
            _regroup(extra, "merged", new=new[j])
            extra.related = [old[x].path for x in (i, *alignment.merged[j]) if x != k]
            group.append((k, extra))
        if i in alignment.split or j in alignment.merged:
            olds = [old[i], *(old[k] for k in alignment.merged.get(j, []))]
            news = [new[j], *(new[k] for k in alignment.split.get(i, []))]
            self._group_parameters(row, olds, news)
        return [r for _, r in sorted(group, key=lambda g: g[0])]  # in old order

    def _group_parameters(
        self, row: ProvisionDiff, olds: list[DiffNode], news: list[DiffNode]
    ) -> None:
        """A split or merge compares the values of all its parts at once, on its first row."""
        _strip_parameters(row)
        old_values = [e for n in olds for e in subtree_extractions(self.old, n)]
        new_values = [e for n in news for e in subtree_extractions(self.new, n)]
        row.parameter_changes = compare_values(
            old_values, new_values, row.label, row.old_path, row.new_path, self.lang
        )

    def _status(self, a: DiffNode, b: DiffNode, moved: bool, shifted: bool) -> DiffStatus:
        """How an aligned pair relates; `shifted`: it stands at another place among siblings."""
        if b.deleted and not a.deleted:
            return "deleted"
        if moved:
            return "moved"
        # Articles and 別表 are cited by number, so their number is what counts. Below them the
        # marker is typesetting (1. / 一 / (1) / ⑴ / ① at one level, or Markdown's '1.' for
        # every item): a pair renumbers only when an insertion or deletion shifted it and its
        # number differs (an item numbered 1.1.2 in both, under a new 1.1.1, keeps its number).
        if a.level in ("article", "appendix"):
            return "renumbered" if a.number != b.number else "modified"
        # A document of a bundle is known by its title, not its place: none renumbers.
        if a.level in ("paragraph", "item") and shifted and a.number != b.number:
            return "renumbered"
        return "modified"  # downgraded to unchanged in _compare when nothing changed

    def _restyled(self, a: DiffNode, b: DiffNode) -> bool:
        """Whether the pair's own text or title reads differently on the page."""
        own_a = self.old.text[a.own.start : a.own.end] if a.own else ""
        own_b = self.new.text[b.own.start : b.own.end] if b.own else ""
        return squash(own_a) != squash(own_b) or squash(a.title or "") != squash(b.title or "")

    def _pair(
        self, a: DiffNode | None, b: DiffNode | None, status: DiffStatus, context: Context
    ) -> ProvisionDiff:
        """The row of old `a` and new `b` (either may be missing), what changed in it and below."""
        node = b or a
        assert node is not None
        row = ProvisionDiff(
            level=node.level,
            status=status,
            **_side_fields("old", a),
            **_side_fields("new", b),
            similarity=round(similarity(a, b), 4) if a and b else 0.0,
        )
        row.label = self._label(a, b, status, context)
        if a is not None and a.own is not None:
            row.old_text, row.old_text_span = self.old.text[a.own.start : a.own.end], a.own
        if b is not None and b.own is not None:
            row.new_text, row.new_text_span = self.new.text[b.own.start : b.own.end], b.own
        below_article = node.level in ("paragraph", "item")
        if a is not None and b is not None and status != "deleted":
            self._compare(row, a, b, (context or (None, None)) if below_article else (a, b))
        elif status == "added" and b is not None:
            row.parameter_changes = parameter_changes(
                self.old, None, self.new, b, row.label, self.lang
            )
            below = context if below_article else (None, b)
            row.children = [self._pair(None, c, "added", below) for c in b.children]
        elif a is not None:
            row.parameter_changes = parameter_changes(
                self.old, a, self.new, None, row.label, self.lang
            )
            below = context if below_article else (a, None)
            row.children = [self._pair(c, None, "deleted", below) for c in a.children]
        return row

    def _label(
        self, a: DiffNode | None, b: DiffNode | None, status: DiffStatus, context: Context
    ) -> str:
        """The row's label for a reader, with the document of a bundle it stands in."""
        node = b or a
        assert node is not None
        article_a = a if node.level == "article" else (context[0] if context else None)
        article_b = b if node.level == "article" else (context[1] if context else None)
        if status == "deleted":
            label = provision_label(a, None, article_a, None)
        else:
            label = provision_label(a, b, article_a, article_b)
        if b is not None and status != "deleted":
            part = self.part_labels["new"].get(part_of(b.path))
        else:
            part = self.part_labels["old"].get(part_of(node.path if a is None else a.path))
        if part and node.level != "part":
            label = f"〔{part}〕{label}"  # which document of the bundle
        return label

    def _compare(self, row: ProvisionDiff, a: DiffNode, b: DiffNode, context: Context) -> None:
        """Fill the row of a pair present on both sides: its changes, values and children."""
        row.title_changed = plain_title(a.title or "") != plain_title(b.title or "")
        if a.own is not None and b.own is not None:
            row.spans = char_changes(
                self.old.text,
                a.own,
                self.new.text,
                b.own,
                self.refs.old_key(a.path),
                self.refs.new_key(b.path),
                self.refs.resolved("old", a.own),
                self.refs.resolved("new", b.own),
                self.lang,
            )
        row.text_changed = bool(row.spans)
        if self._restyled(a, b) and not row.spans and not row.title_changed:
            self.typesetting_only += 1
        if row.text_changed:
            row.parameter_changes = parameter_changes(
                self.old, a, self.new, b, row.label, self.lang
            )
        row.children = self._rows(
            a.children, b.children, self._align(a.children, b.children), context
        )
        changed = (
            row.title_changed
            or row.text_changed
            or any(c.status != "unchanged" for c in row.children)
        )
        if row.status == "modified" and not changed:
            row.status = "unchanged"


def _side_fields(side: str, node: DiffNode | None) -> dict[str, str | None]:
    """A row's path, label and title on one side ('old' or 'new'), all None where it is absent."""
    return {
        f"{side}_{name}": getattr(node, name) if node is not None else None
        for name in ("path", "label", "title")
    }


def _strip_parameters(row: ProvisionDiff) -> None:
    row.parameter_changes = []
    for child in row.children:
        _strip_parameters(child)


def _regroup(
    row: ProvisionDiff,
    status: DiffStatus,
    *,
    old: DiffNode | None = None,
    new: DiffNode | None = None,
) -> None:
    """Make a one-sided row a part of a split (its old whole) or of a merge (its new whole)."""
    row.status = status
    _strip_parameters(row)
    for side, node in (("old", old), ("new", new)):
        if node is not None:
            for name, value in _side_fields(side, node).items():
                setattr(row, name, value)


def _side(doc: Document) -> DiffSide:
    return DiffSide(
        id=doc.id,
        path=doc.source.path,
        title=doc.title,
        version=doc.version,
        effective_date=doc.effective_date,
    )


def _all_parameters(row: ProvisionDiff) -> Iterable[ParameterChange]:
    yield from row.parameter_changes
    for child in row.children:
        yield from _all_parameters(child)


def diff(old: Document, new: Document, lang: str = "ja") -> DocumentDiff:
    """Align `old` and `new` provision by provision and report what changed (新旧対照).

    `lang` ('ja' or 'en') is the language of the summaries; the JSON keys never change.
    """
    if lang not in WORDS:
        raise ValueError(f"unknown language {lang!r} (use ja or en)")
    return _Differ(old, new, lang).run()
