"""Cross-reference resolution: parsed fragments → provision paths, and integrity diagnostics.

The second half of the Lawtext split (extractors/crossrefs.py parses). Every relative form is
resolved by walking the document tree from where the reference stands: 前条 is the article before
this one in document order (so after 第5条の2 is inserted, 前条 in 第6条 is 第5条の2), 前項 the
paragraph before this one, 前二項 the two before it. Numbers are only ever looked up, never
computed with. What cannot be resolved keeps resolved=False and a reason; nothing is guessed.

同条, 同項 and 同号 are the provision last cited in the same paragraph (its items included).
Chapters and sections (第三章, 前章, 本節) resolve to their nodes ('ch:3', 'ch:3/sec:1'),
appendices (別表第二) to the Appendix node ('appx:2'), sub-items (第3号ロ) to 'sub:ロ'. The
provisions a bracket takes out (第三項(第二号を除く。)) are looked up under the provision cited.

Diagnostics (codes 'xref.*'): a target that does not exist (dangling), a cited title that differs
from the target article's title, a target that is deleted (削除), a reference that cannot be
resolved.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from pipeline.models import (
    Appendix,
    Article,
    Chapter,
    CrossReferenceValue,
    Diagnostic,
    Document,
    Extraction,
    Item,
    Paragraph,
    ReferenceFragment,
    Section,
)
from pipeline.text.numerals import IROHA

DIAGNOSTIC_PREFIX = "xref."


class Unresolved(Exception):
    """A reference that cannot be resolved; `dangling` when a named target does not exist."""

    def __init__(self, reason: str, *, dangling: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.dangling = dangling


@dataclass
class _Where:
    """The provisions a reference stands in."""

    article: Article | None = None
    paragraph: Paragraph | None = None
    item: Item | None = None


@dataclass
class _Memory:
    """What earlier references in the same paragraph pointed at, for 同条, 同項 and 同号."""

    article: dict[str, str] = field(default_factory=dict)
    paragraph: dict[str, str] = field(default_factory=dict)
    item: dict[str, str] = field(default_factory=dict)


Node = Article | Paragraph | Item | Chapter | Section | Appendix
_Named = TypeVar("_Named", Chapter, Appendix)


def resolve(document: Document) -> Document:
    """Resolve every crossref extraction against the document's tree; add 'xref.*' diagnostics."""
    tree = _Tree(document)
    memory = _Memory()
    extractions: list[Extraction] = []
    diagnostics = [d for d in document.diagnostics if not d.code.startswith(DIAGNOSTIC_PREFIX)]
    for extraction in sorted(document.extractions, key=lambda e: (e.span.start, e.span.end)):
        if extraction.kind != "crossref" or not isinstance(extraction.value, CrossReferenceValue):
            extractions.append(extraction)
            continue
        if tree.in_heading(extraction.span.start):
            continue  # '第13条(利用の停止)' opening its own article is a heading, not a reference
        value, found = _resolve_one(tree, memory, extraction)
        extractions.append(extraction.model_copy(update={"value": value}))
        diagnostics += found
    return document.model_copy(update={"extractions": extractions, "diagnostics": diagnostics})


def _resolve_one(
    tree: _Tree, memory: _Memory, extraction: Extraction
) -> tuple[CrossReferenceValue, list[Diagnostic]]:
    value = extraction.value
    assert isinstance(value, CrossReferenceValue)
    if value.external is not None:
        reason = f"cites another document: {value.external}"
        return value.model_copy(update={"targets": [], "resolved": False, "reason": reason}), []
    where = tree.where(extraction)
    diagnostics: list[Diagnostic] = []
    try:
        targets, excluded, articles = _targets(tree, memory, where, value)
    except Unresolved as err:
        code = "xref.dangling" if err.dangling else "xref.unresolved"
        severity = "error" if err.dangling else "warning"
        message = f"'{extraction.text}' in {extraction.path}: {err.reason}"
        diagnostics.append(_diagnostic(code, severity, message, extraction))
        update = {"targets": [], "excluded": [], "resolved": False, "reason": err.reason}
        return value.model_copy(update=update), diagnostics
    if (key := _scope(where)) is not None:
        if articles:
            memory.article[key] = articles[-1].path
        remembered = (("para:", memory.paragraph, Paragraph), ("item:", memory.item, Item))
        for level, cited, kind in remembered:
            prefixes = [_path_through(t, level) for t in targets]
            prefixes = [p for p in prefixes if isinstance(tree.nodes.get(p), kind)]
            if prefixes:
                cited[key] = prefixes[-1]
    for article in articles:
        diagnostics += _integrity(tree.document, article, value, extraction)
    update = {"targets": targets, "excluded": excluded, "resolved": True, "reason": None}
    return value.model_copy(update=update), diagnostics


def _path_through(target: str, level: str) -> str:
    """The path up to its `level` segment: 'part:2/art:3/para:1/item:2', 'para:' → '…/para:1'."""
    segments = target.split("/")
    cut = next((i for i, s in enumerate(segments) if s.startswith(level)), len(segments))
    return "/".join(segments[: cut + 1])


def _scope(where: _Where) -> str | None:
    """Where 同条/同項/同号 look back: the paragraph the reference stands in (items included)."""
    holder = where.paragraph or where.article
    return None if holder is None else holder.path


def _integrity(
    document: Document, article: Article, value: CrossReferenceValue, extraction: Extraction
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    name = article_name(article.number)
    if article.deleted:
        message = f"'{extraction.text}' in {extraction.path} cites {name}, which is deleted (削除)"
        found.append(_diagnostic("xref.deleted", "warning", message, extraction))
    cited = value.cited_title
    if cited is not None and _plain(cited) != _plain(article.title or ""):
        message = (
            f"'{extraction.text}' in {extraction.path} cites {name} as '{cited}', "
            f"but {name} is titled '{article.title or ''}'"
        )
        holder = _heading_titled(document, article, cited)
        if holder:
            message += f" ('{cited}' is the title of {holder}, which holds {name})"
        found.append(_diagnostic("xref.title", "warning", message, extraction))
    return found


def _heading_titled(document: Document, article: Article, title: str) -> str | None:
    """The chapter or section holding `article` whose title is `title`: a cited title that names
    the chapter (NAS 第4章 料金等 holds 第18条 利用料金) points at the right article."""
    for chapter in document.chapters:
        if article.number not in chapter.articles:
            continue
        if _plain(chapter.title or "") == _plain(title):
            return chapter.label
        for section in chapter.sections:
            if article.number in section.articles and _plain(section.title or "") == _plain(title):
                return f"{chapter.label}第{section.number}節"
    return None


def _diagnostic(code: str, severity: str, message: str, extraction: Extraction) -> Diagnostic:
    return Diagnostic.model_validate(
        {
            "code": code,
            "severity": severity,
            "message": message,
            "path": extraction.path,
            "span": extraction.span,
        }
    )


def _plain(title: str) -> str:
    return "".join(unicodedata.normalize("NFKC", title).split())


def article_name(number: str) -> str:
    """'13' → '第13条', '5-2' → '第5条の2'."""
    main, *branches = number.split("-")
    return f"第{main}条" + "".join(f"の{b}" for b in branches)


# --------------------------------------------------------------------------------------------
# Walking the tree
# --------------------------------------------------------------------------------------------


class _Tree:
    """The document's provisions in order, looked up by path."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.articles = list(document.articles)
        self.nodes: dict[str, Node] = {}
        self.siblings: dict[str, list[Node]] = {}
        self.chapters = list(document.chapters)
        self.appendices = list(document.appendices)
        self._add_outline()
        self._add(list(self.articles))
        for article in self.articles:
            self._add(list(article.paragraphs))
            for paragraph in article.paragraphs:
                self._add(list(paragraph.items))
        # Sorted by start, for a binary search: a scan per reference was quadratic.
        self.headings = sorted(
            (a.span.start, a.span.start + len(a.heading))
            for a in self.articles
            if document.text.startswith(a.heading, a.span.start)
        )
        self.heading_starts = [start for start, _ in self.headings]
        self.article_positions: dict[str, int] = {}
        for index, article in enumerate(self.articles):
            self.article_positions.setdefault(article.path, index)  # the first, as a scan would

    def _add(self, siblings: list[Node]) -> None:
        for node in siblings:
            self.nodes[node.path] = node
            self.siblings[node.path] = siblings

    def _add_outline(self) -> None:
        """Chapters, sections, 別表 with their items, and the sub-items of every item."""
        self._add(list(self.chapters))
        for chapter in self.chapters:
            self._add(list(chapter.sections))
        self._add(list(self.appendices))
        for appendix in self.appendices:
            self._add_items(list(appendix.items))
        for article in self.articles:
            for paragraph in article.paragraphs:
                for item in paragraph.items:
                    self._add_items(list(item.items))

    def _add_items(self, items: list[Node]) -> None:
        self._add(items)
        for item in items:
            if isinstance(item, Item):
                self._add_items(list(item.items))

    @cached_property
    def _by_number(self) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for article in self.articles:
            found.setdefault(article.number, article)  # the first, as Document.article finds it
        return found

    def article(self, number: str) -> Article | None:
        """The article with this number, as `Document.article` finds it but without a scan
        per reference (a long document has thousands of both)."""
        return self._by_number.get(number)

    def chapter_of(self, article: Article | None) -> Chapter:
        """The chapter holding `article` (本章, 前章 count from it)."""
        found = next(
            (c for c in self.chapters if article is not None and article.number in c.articles),
            None,
        )
        if found is None:
            raise Unresolved("a chapter reference outside any chapter")
        return found

    def section_of(self, article: Article | None) -> Section:
        """The section holding `article`."""
        for chapter in self.chapters:
            for section in chapter.sections:
                if article is not None and article.number in section.articles:
                    return section
        raise Unresolved("a section reference outside any section")

    def in_heading(self, offset: int) -> bool:
        # Headings do not overlap: only the last one starting at or before offset can hold it.
        index = bisect.bisect_right(self.heading_starts, offset) - 1
        return index >= 0 and offset < self.headings[index][1]

    def where(self, extraction: Extraction) -> _Where:
        """The article, paragraph and item an extraction stands in (by its path, else its span)."""
        parts = extraction.path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        nodes = [self.nodes[p] for p in prefixes if p in self.nodes]
        if not nodes:
            nodes = [n for n in self.nodes.values() if n.span.contains(extraction.span)]
        where = _Where()
        for node in nodes:
            if isinstance(node, Article):
                where.article = node
            elif isinstance(node, Paragraph):
                where.paragraph = node
            elif isinstance(node, Item) and where.item is None:
                where.item = node  # the item, not a sub-item under it
        return where

    def article_index(self, article: Article) -> int:
        return self.article_positions[article.path]


def _targets(
    tree: _Tree, memory: _Memory, where: _Where, value: CrossReferenceValue
) -> tuple[list[str], list[str], list[Article]]:
    """Target paths, excluded paths, and the articles cited (for the integrity checks)."""
    pointer = [f for f in value.fragments if f.role == "target"]
    end = [f for f in value.fragments if f.role == "range_end"]
    excluded = [f for f in value.fragments if f.role == "excluded"]
    if not pointer:
        raise Unresolved("no fragments to resolve")
    nodes, each = _walk(tree, memory, where, pointer)
    articles = [n for n in nodes if isinstance(n, Article)]
    if not articles and pointer[0].level == "article":
        articles = _articles_of(tree, nodes)
    if end:
        last = _walk(tree, memory, where, _with_context(pointer, end))[0]
        nodes = _range(tree, nodes, last)
        if pointer[0].level == "article":
            articles += [a for a in _articles_of(tree, last) if a not in articles]
    out = _excluded(tree, nodes, excluded)
    if each is not None:
        return [f"{n.path}/{each}:*" for n in nodes], out, articles
    return [n.path for n in nodes], out, articles


def _excluded(tree: _Tree, cited: list[Node], fragments: list[ReferenceFragment]) -> list[str]:
    """The provisions a …を除く takes out, looked up under the provisions cited."""
    pointers: list[list[ReferenceFragment]] = []
    for fragment in fragments:
        level = _LEVELS.index(fragment.level)
        if pointers and level > _LEVELS.index(pointers[-1][-1].level):
            pointers[-1].append(fragment)
        else:
            pointers.append([fragment])
    paths: list[str] = []
    for pointer in pointers:
        for parent in cited:
            node = parent
            for fragment in pointer:
                node = _child(tree, node, fragment)
            if node.path not in paths:
                paths.append(node.path)
    return paths


def _child(tree: _Tree, parent: Node, fragment: ReferenceFragment) -> Node:
    """The named paragraph, item or sub-item `fragment` names under `parent`."""
    if fragment.level == "paragraph" and isinstance(parent, Article):
        return _paragraph(tree, _Memory(), _Where(article=parent), fragment, [parent])[0]
    if fragment.level == "item":
        return _named_child(tree, parent, fragment)
    if fragment.level == "subitem":
        return _subitem(parent, fragment)
    raise Unresolved(f"{fragment.level} {fragment.number} cannot stand under {parent.path}")


def _with_context(
    pointer: list[ReferenceFragment], end: list[ReferenceFragment]
) -> list[ReferenceFragment]:
    """A range's end with the higher levels of its start: (1)号乃至(5)号 → 第13条第1項(5)号.

    A relative end (第三項から前項まで) counts from where the reference stands instead."""
    if end[0].position != "named":
        return end
    level = _LEVELS.index(end[0].level)
    return [f for f in pointer if _LEVELS.index(f.level) < level] + end


_LEVELS = ["chapter", "section", "appendix", "article", "paragraph", "item", "subitem"]


def _articles_of(tree: _Tree, nodes: list[Node]) -> list[Article]:
    found: list[Article] = []
    for node in nodes:
        article = tree.nodes.get(node.path.split("/")[0])
        if isinstance(article, Article) and article not in found:
            found.append(article)
    return found


def _walk(
    tree: _Tree, memory: _Memory, where: _Where, fragments: list[ReferenceFragment]
) -> tuple[list[Node], str | None]:
    """The nodes a pointer names, and 'item'/'para' when it ends in 各号/各項 (each child)."""
    nodes: list[Node] | None = None
    for fragment in fragments:
        if fragment.position == "each":
            parents = nodes if nodes is not None else _each_parents(where, fragment)
            if fragment.level == "item":
                parents = _item_parents(where, parents)  # 第6条各号: its sole paragraph's items
            return parents, _each_children(parents, fragment)
        if fragment.level == "article":
            nodes = _article(tree, memory, where, fragment)
        elif fragment.level == "paragraph":
            nodes = _paragraph(tree, memory, where, fragment, nodes)
        elif fragment.level == "item":
            bracketed = _bracketed_paragraph(tree, fragment, nodes)
            if bracketed is not None:
                nodes = bracketed
            else:
                nodes = _item(tree, memory, where, fragment, nodes)
        elif fragment.level == "subitem":
            parents = nodes if nodes is not None else _required(where.item, "outside any item")
            nodes = [_subitem(parent, fragment) for parent in parents]
        elif fragment.level == "chapter":
            nodes = _chapter(tree, where, fragment)
        elif fragment.level == "section":
            nodes = _section(tree, where, fragment, nodes)
        else:
            nodes = _appendix(tree, fragment)
    assert nodes is not None
    return nodes, None


def _chapter(tree: _Tree, where: _Where, fragment: ReferenceFragment) -> list[Node]:
    if fragment.position == "named":
        found = _last_segment(tree.chapters, f"ch:{fragment.number}")
        if found is None:
            name = _chapter_name(fragment.number)
            # Without any chapter read, the document has none to cite, or they were not read.
            raise Unresolved(f"the document has no {name}", dangling=bool(tree.chapters))
        return [found]
    here = tree.chapter_of(where.article)
    return _sibling(list(tree.chapters), here, fragment, "chapter")


def _section(
    tree: _Tree, where: _Where, fragment: ReferenceFragment, above: list[Node] | None
) -> list[Node]:
    if fragment.position == "named":
        chapters = above if above is not None else [tree.chapter_of(where.article)]
        found: list[Node] = []
        for chapter in chapters:
            section = tree.nodes.get(f"{chapter.path}/sec:{fragment.number}")
            if not isinstance(section, Section):
                raise Unresolved(f"{chapter.path} has no section {fragment.number}", dangling=True)
            found.append(section)
        return found
    here = tree.section_of(where.article)
    return _sibling(list(tree.siblings[here.path]), here, fragment, "section")


def _appendix(tree: _Tree, fragment: ReferenceFragment) -> list[Node]:
    if fragment.number is None:
        if len(tree.appendices) != 1:
            count = len(tree.appendices)
            raise Unresolved(f"別表 cited without a number, but the document has {count} 別表")
        return [tree.appendices[0]]
    found = _last_segment(tree.appendices, f"appx:{fragment.number}")
    if found is None:
        main, *branches = (fragment.number or "?").split("-")
        name = f"別表第{main}" + "".join(f"の{b}" for b in branches)
        if not tree.appendices:
            # 別表 are often published apart from the terms (a price list): not dangling.
            raise Unresolved(f"the document has no 別表 ({name} may be published apart)")
        raise Unresolved(f"the document has no {name}", dangling=True)
    return [found]


def _last_segment(nodes: list[_Named], segment: str) -> _Named | None:
    """The node whose path ends in `segment` ('ch:3' is 'part:2/ch:3' in a bundle's part)."""
    return next((n for n in nodes if n.path.rsplit("/", 1)[-1] == segment), None)


def _subitem(parent: Node, fragment: ReferenceFragment) -> Node:
    """The sub-item labelled イ, ロ, … under an item (its path ends in 'sub:ロ')."""
    children = parent.items if isinstance(parent, Item) else []
    match = next((i for i in children if i.label == fragment.number), None)
    if match is None:
        # Without any イロハ list under the item, the structure was not read (a table, a
        # layout): the target may well exist, so this is not reported as dangling.
        listed = any(i.label in IROHA for i in children)
        reason = f"{parent.path} has no sub-item {fragment.number}"
        if not listed:
            reason += " (no イロハ sub-items read under it)"
        raise Unresolved(reason, dangling=listed)
    return match


def _chapter_name(number: str | None) -> str:
    main, *branches = (number or "?").split("-")
    return f"第{main}章" + "".join(f"の{b}" for b in branches)


def _article(
    tree: _Tree, memory: _Memory, where: _Where, fragment: ReferenceFragment
) -> list[Node]:
    if fragment.position == "named":
        found = tree.article(fragment.number or "")
        if found is None:
            name = article_name(fragment.number or "?")
            raise Unresolved(f"the document has no {name}", dangling=True)
        return [found]
    here = where.article
    if here is None:
        raise Unresolved("a relative article reference outside any article")
    if fragment.position == "here":
        return [here]
    if fragment.position == "same":
        path = memory.article.get(_scope(where) or "")
        if path is None:
            raise Unresolved("同条 with no article cited before it in this paragraph")
        return [tree.nodes[path]]
    index = tree.article_index(here)
    count = fragment.count or 1
    if fragment.position == "previous":
        if index - count < 0:
            raise Unresolved(
                f"{article_name(here.number)} has fewer than {count} articles before it"
            )
        return list(tree.articles[index - count : index])
    if fragment.position == "next":
        if index + 1 >= len(tree.articles):
            raise Unresolved(f"{article_name(here.number)} is the last article")
        return [tree.articles[index + 1]]
    raise Unresolved(f"article position {fragment.position!r} is not resolved")


def _paragraph(
    tree: _Tree,
    memory: _Memory,
    where: _Where,
    fragment: ReferenceFragment,
    above: list[Node] | None,
) -> list[Node]:
    if fragment.position == "named":
        articles = above if above is not None else _required(where.article, "outside any article")
        found: list[Node] = []
        for article in articles:
            assert isinstance(article, Article)
            match = next((p for p in article.paragraphs if str(p.number) == fragment.number), None)
            if match is None:
                raise Unresolved(
                    f"{article_name(article.number)} has no paragraph {fragment.number}",
                    dangling=True,
                )
            found.append(match)
        return found
    if fragment.position == "same":
        path = memory.paragraph.get(_scope(where) or "")
        if path is None:
            raise Unresolved("同項 with no paragraph cited before it in this paragraph")
        return [tree.nodes[path]]
    if _clauses_as_items(where):
        # NEC 第1条(1)–(5): the clauses are items of one unnumbered paragraph, so 前項 in (2)
        # is the item (1).
        assert where.paragraph is not None and where.item is not None
        return _sibling(list(where.paragraph.items), where.item, fragment, "item")
    paragraph = where.paragraph
    if paragraph is None or where.article is None:
        raise Unresolved("a relative paragraph reference outside any paragraph")
    return _sibling(list(where.article.paragraphs), paragraph, fragment, "paragraph")


def _clauses_as_items(where: _Where) -> bool:
    """True where the article numbers its clauses as items of a paragraph with no text."""
    return (
        where.item is not None
        and where.paragraph is not None
        and where.article is not None
        and len(where.article.paragraphs) == 1
        and not where.paragraph.text.strip()
    )


def _item(
    tree: _Tree,
    memory: _Memory,
    where: _Where,
    fragment: ReferenceFragment,
    above: list[Node] | None,
) -> list[Node]:
    if fragment.position == "named":
        parents = _item_parents(where, above)
        return [_named_child(tree, parent, fragment) for parent in parents]
    if fragment.position == "same":
        path = memory.item.get(_scope(where) or "")
        if path is None:
            raise Unresolved("同号 with no item cited before it in this paragraph")
        return [tree.nodes[path]]
    if where.item is None or where.paragraph is None:
        raise Unresolved("a relative item reference outside any item")
    return _sibling(list(where.paragraph.items), where.item, fragment, "item")


def _bracketed_paragraph(
    tree: _Tree, fragment: ReferenceFragment, above: list[Node] | None
) -> list[Node] | None:
    """'本条(1)', '本項(1)' where the article numbers its paragraphs '(1)', '(2)': that paragraph.

    Documents numbered by sections ('2. 対象機器' then '(1)…', '(2)…') cite their bracketed
    paragraphs this way; when the cited paragraph has an item (1) of its own, that item wins.
    """
    if fragment.position != "named" or not above or len(above) != 1:
        return None
    node = above[0]
    article = node
    if isinstance(node, Paragraph):
        if any(str(item.ordinal) == fragment.number for item in node.items):
            return None
        article = tree.nodes.get(node.path.rsplit("/para:", 1)[0], node)
    if not isinstance(article, Article) or not article.paragraphs:
        return None
    markers = [p.marker or "" for p in article.paragraphs]
    if not all(m[:1] in "(（" for m in markers):
        return None
    found = [
        p
        for p, m in zip(article.paragraphs, markers, strict=True)
        if m.strip("()（） ") == fragment.number
    ]
    return list(found[:1]) or None


def _item_parents(where: _Where, above: list[Node] | None) -> list[Node]:
    """The paragraphs a named item hangs from; 第1条(3) means the sole paragraph of 第1条."""
    if above is None:
        return [_required(where.paragraph, "outside any paragraph")[0]]
    parents: list[Node] = []
    for node in above:
        if isinstance(node, Article):
            if len(node.paragraphs) != 1:
                raise Unresolved(
                    f"an item of {article_name(node.number)} cited without a paragraph, "
                    f"but it has {len(node.paragraphs)} paragraphs"
                )
            parents.append(node.paragraphs[0])
        else:
            parents.append(node)
    return parents


def _named_child(tree: _Tree, parent: Node, fragment: ReferenceFragment) -> Node:
    if isinstance(parent, Article):
        parent = _item_parents(_Where(), [parent])[0]
    items = parent.items if isinstance(parent, Paragraph | Item | Appendix) else []
    match = next((i for i in items if str(i.ordinal) == fragment.number), None)
    if match is None:
        raise Unresolved(f"{parent.path} has no item {fragment.number}", dangling=True)
    return match


def _sibling(
    siblings: list[Node],
    here: Node,
    fragment: ReferenceFragment,
    noun: str,
) -> list[Node]:
    index = next((i for i, s in enumerate(siblings) if s.path == here.path), None)
    if index is None:
        # Two provisions share a path (an article number written twice): the parent found by
        # path is the other one, so there is nothing to count from.
        raise Unresolved(f"{here.path} is not among its parent's {noun}s (a duplicated number?)")
    count = fragment.count or 1
    if fragment.position == "here":
        return [here]
    if fragment.position == "previous_each":
        if index == 0:
            raise Unresolved(f"the first {noun} has none before it")
        return list(siblings[:index])
    if fragment.position == "previous":
        if index - count < 0:
            raise Unresolved(f"fewer than {count} {noun}s before {here.path}")
        return list(siblings[index - count : index])
    if fragment.position == "next":
        if index + 1 >= len(siblings):
            raise Unresolved(f"{here.path} is the last {noun}")
        return [siblings[index + 1]]
    raise Unresolved(f"{noun} position {fragment.position!r} is not resolved")


def _each_parents(where: _Where, fragment: ReferenceFragment) -> list[Node]:
    """各号 alone: the items of the paragraph it stands in; 各項: the paragraphs of the article."""
    if fragment.level == "item":
        return [_required(where.paragraph, "各号 outside any paragraph")[0]]
    return [_required(where.article, "各項 outside any article")[0]]


def _each_children(parents: list[Node], fragment: ReferenceFragment) -> str:
    if fragment.level == "item":
        for parent in parents:
            if isinstance(parent, Article):
                raise Unresolved(f"各号 of {article_name(parent.number)} without a paragraph")
            if isinstance(parent, Chapter | Section):
                raise Unresolved(f"各号 of {parent.path}, which has no items")
            if not parent.items:
                raise Unresolved(f"{parent.path} has no items", dangling=True)
        return "item"
    for parent in parents:
        if not isinstance(parent, Article):
            raise Unresolved("各項 of something other than an article")
    return "para"


def _range(tree: _Tree, start: list[Node], end: list[Node]) -> list[Node]:
    """Every sibling from the start to the end of a range, in document order."""
    if len(start) != 1 or len(end) != 1:
        raise Unresolved("a range whose ends are not single provisions")
    first, last = start[0], end[0]
    siblings = tree.siblings.get(first.path, [])
    paths = [s.path for s in siblings]
    if last.path not in paths:
        raise Unresolved(f"{first.path} and {last.path} are not in the same list")
    a, b = paths.index(first.path), paths.index(last.path)
    if b < a:
        raise Unresolved(f"the range ends ({last.path}) before it starts ({first.path})")
    return siblings[a : b + 1]


def _required(node: Node | None, reason: str) -> list[Node]:
    if node is None:
        raise Unresolved(reason)
    return [node]
