"""References across versions: a reference compares by the provision it points to.

References are keyed by what they point to, old targets translated to the new paths they
became, so a reference renumbered along with its target is no change, and one that now points
elsewhere (前条 after an insertion) is one even though its words are the same. A 第N条 written
inside one document of a bundle points into that document (part). A 第N条 that is no article
of its document (a statute's, in a note) is the same words on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from pipeline.diff.nodes import part_of
from pipeline.diff.text_changes import Reference
from pipeline.models import Article, Document, Span


def article_paths(doc: Document) -> set[str]:
    """Paths of the document's articles, in every document of a bundle."""
    return {node.path for node in doc.iter_nodes() if isinstance(node, Article)}


class ReferenceKeys:
    """The keys references of the two versions compare by, once the versions are aligned.

    `path_map` maps the old path of every aligned provision to its new path; `old_paths` are
    the paths of every provision of the old version.
    """

    def __init__(
        self, old: Document, new: Document, path_map: dict[str, str], old_paths: set[str]
    ) -> None:
        self.old, self.new = old, new
        self.path_map = path_map
        self.old_paths = old_paths
        self.old_articles = article_paths(old)
        self.new_articles = article_paths(new)

    def old_key(self, within: str) -> Callable[[str], Hashable]:
        """The key of an explicit 第N条 written in the old provision at path `within`."""
        prefix = part_of(within)

        def key(number: str) -> Hashable:
            target = f"{prefix}art:{number}"
            return self.map_target(target) if target in self.old_articles else ("none", target)

        return key

    def new_key(self, within: str) -> Callable[[str], Hashable]:
        """The key of an explicit 第N条 written in the new provision at path `within`."""
        prefix = part_of(within)

        def key(number: str) -> Hashable:
            target = f"{prefix}art:{number}"
            return target if target in self.new_articles else ("none", target)

        return key

    def map_target(self, target: str) -> Hashable:
        """An old target as the new path it became, or ('gone', path) if the new version lost it."""
        parts = target.split("/")
        for k in range(len(parts), 0, -1):
            mapped = self.path_map.get("/".join(parts[:k]))
            if mapped is not None:
                return "/".join([mapped, *parts[k:]])
        if any("/".join(parts[:k]) in self.old_paths for k in range(1, len(parts) + 1)):
            return ("gone", target)  # a provision of the old version the new one lost
        return target  # not a provision the versions are aligned by (a 章): its path as is

    def resolved(self, side: str, span: Span) -> list[Reference]:
        """Resolved references in `span` of one side; old targets as the new paths they became."""
        doc = self.old if side == "old" else self.new
        found: list[Reference] = []
        for e in doc.extractions:
            value = e.value
            if (
                value.kind == "crossref"
                and not value.external
                and value.resolved
                and value.targets
                and span.start <= e.span.start
                and e.span.end <= span.end
            ):
                targets = tuple(self.map_target(t) if side == "old" else t for t in value.targets)
                found.append((e.span.start, e.span.end, targets))
        return found
