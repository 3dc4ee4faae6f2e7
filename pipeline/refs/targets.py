"""A reference's fragments → the provisions it names, by walking the tree level by level.

第13条第2項第3号 is the article 13, its paragraph 2, that paragraph's item 3; a range
(第3条から第5条まで) takes every sibling between its ends; the provisions a bracket takes out
(第三項(第二号を除く。)) are looked up under the provision cited. Relative positions are
`pipeline.refs.relative`'s; named ones are looked up here. Chapters and sections (第三章, 本節)
resolve to their nodes ('ch:3', 'ch:3/sec:1'), appendices (別表第二) to the Appendix ('appx:2'),
sub-items (第3号ロ) to 'sub:ロ'.
"""

from __future__ import annotations

from typing import TypeVar

from pipeline.models import (
    Appendix,
    Article,
    Chapter,
    CrossReferenceValue,
    Item,
    Paragraph,
    ReferenceFragment,
    Section,
    article_label,
)
from pipeline.refs import relative
from pipeline.refs.tree import Context, Memory, Target, Tree, Unresolved, Where, path_through
from pipeline.text.numerals import IROHA

_LEVELS = ["chapter", "section", "appendix", "article", "paragraph", "item", "subitem"]
"""Reference levels from the widest: a fragment stands under the fragments of wider levels."""

_Named = TypeVar("_Named", Chapter, Appendix)


def targets(at: Context, value: CrossReferenceValue) -> tuple[list[str], list[str], list[Article]]:
    """Target paths, excluded paths, and the articles cited (for the integrity checks)."""
    pointer = [f for f in value.fragments if f.role == "target"]
    end = [f for f in value.fragments if f.role == "range_end"]
    excluded = [f for f in value.fragments if f.role == "excluded"]
    if not pointer:
        raise Unresolved("no fragments to resolve")
    nodes, each = _walk(at, pointer)
    articles = [n for n in nodes if isinstance(n, Article)]
    if not articles and pointer[0].level == "article":
        articles = _articles_of(at.tree, nodes)
    if end:
        last = _walk(at, _with_context(pointer, end))[0]
        nodes = _range(at.tree, nodes, last)
        if pointer[0].level == "article":
            articles += [a for a in _articles_of(at.tree, last) if a not in articles]
    out = _excluded(at.tree, nodes, excluded)
    if each is not None:
        return [f"{n.path}/{each}:*" for n in nodes], out, articles
    return [n.path for n in nodes], out, articles


def _walk(at: Context, fragments: list[ReferenceFragment]) -> tuple[list[Target], str | None]:
    """The nodes a pointer names, and 'item'/'para' when it ends in 各号/各項 (each child)."""
    nodes: list[Target] | None = None
    for fragment in fragments:
        if fragment.position == "each":
            parents = nodes if nodes is not None else relative.each_parents(at.where, fragment)
            if fragment.level == "item":
                parents = _item_parents(at.where, parents)  # 第6条各号: its sole paragraph's items
            return parents, relative.each_children(parents, fragment)
        nodes = _step(at, fragment, nodes)
    assert nodes is not None
    return nodes, None


def _step(at: Context, fragment: ReferenceFragment, above: list[Target] | None) -> list[Target]:
    """The nodes one fragment names under those the fragments before it named (`above`)."""
    if fragment.level == "article":
        return _article(at, fragment)
    if fragment.level == "paragraph":
        return _paragraph(at, fragment, above)
    if fragment.level == "item":
        bracketed = _bracketed_paragraph(at.tree, fragment, above)
        if bracketed is not None:
            return bracketed
        return _item(at, fragment, above)
    if fragment.level == "subitem":
        parents = (
            above if above is not None else relative.required(at.where.item, "outside any item")
        )
        return [_subitem(parent, fragment) for parent in parents]
    if fragment.level == "chapter":
        return _chapter(at, fragment)
    if fragment.level == "section":
        return _section(at, fragment, above)
    return _appendix(at.tree, fragment)


def _article(at: Context, fragment: ReferenceFragment) -> list[Target]:
    if fragment.position != "named":
        return relative.article(at, fragment)
    found = at.tree.article(fragment.number or "")
    if found is None:
        raise Unresolved(
            f"the document has no {article_label(fragment.number or '?')}", dangling=True
        )
    return [found]


def _paragraph(
    at: Context, fragment: ReferenceFragment, above: list[Target] | None
) -> list[Target]:
    if fragment.position != "named":
        return relative.paragraph(at, fragment)
    articles = (
        above if above is not None else relative.required(at.where.article, "outside any article")
    )
    found: list[Target] = []
    for article in articles:
        assert isinstance(article, Article)
        match = next((p for p in article.paragraphs if str(p.number) == fragment.number), None)
        if match is None:
            raise Unresolved(f"{article.label} has no paragraph {fragment.number}", dangling=True)
        found.append(match)
    return found


def _item(at: Context, fragment: ReferenceFragment, above: list[Target] | None) -> list[Target]:
    if fragment.position != "named":
        return relative.item(at, fragment)
    return [_named_item(parent, fragment) for parent in _item_parents(at.where, above)]


def _bracketed_paragraph(
    tree: Tree, fragment: ReferenceFragment, above: list[Target] | None
) -> list[Target] | None:
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


def _item_parents(where: Where, above: list[Target] | None) -> list[Target]:
    """The paragraphs a named item hangs from; 第1条(3) means the sole paragraph of 第1条."""
    if above is None:
        return relative.required(where.paragraph, "outside any paragraph")
    parents: list[Target] = []
    for node in above:
        if isinstance(node, Article):
            if len(node.paragraphs) != 1:
                raise Unresolved(
                    f"an item of {node.label} cited without a paragraph, "
                    f"but it has {len(node.paragraphs)} paragraphs"
                )
            parents.append(node.paragraphs[0])
        else:
            parents.append(node)
    return parents


def _named_item(parent: Target, fragment: ReferenceFragment) -> Target:
    """The item numbered `fragment.number` under a paragraph, an item or a 別表."""
    if isinstance(parent, Article):
        parent = _item_parents(Where(), [parent])[0]
    items = parent.items if isinstance(parent, Paragraph | Item | Appendix) else []
    match = next((i for i in items if str(i.ordinal) == fragment.number), None)
    if match is None:
        raise Unresolved(f"{parent.path} has no item {fragment.number}", dangling=True)
    return match


def _subitem(parent: Target, fragment: ReferenceFragment) -> Target:
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


def _chapter(at: Context, fragment: ReferenceFragment) -> list[Target]:
    if fragment.position != "named":
        return relative.chapter(at, fragment)
    found = _last_segment(at.tree.chapters, f"ch:{fragment.number}")
    if found is None:
        name = _numbered("第", fragment.number, "章")
        # Without any chapter read, the document has none to cite, or they were not read.
        raise Unresolved(f"the document has no {name}", dangling=bool(at.tree.chapters))
    return [found]


def _section(at: Context, fragment: ReferenceFragment, above: list[Target] | None) -> list[Target]:
    if fragment.position != "named":
        return relative.section(at, fragment)
    chapters = above if above is not None else [at.tree.chapter_of(at.where.article)]
    found: list[Target] = []
    for chapter in chapters:
        section = at.tree.nodes.get(f"{chapter.path}/sec:{fragment.number}")
        if not isinstance(section, Section):
            raise Unresolved(f"{chapter.path} has no section {fragment.number}", dangling=True)
        found.append(section)
    return found


def _appendix(tree: Tree, fragment: ReferenceFragment) -> list[Target]:
    if fragment.number is None:
        if len(tree.appendices) != 1:
            count = len(tree.appendices)
            raise Unresolved(f"別表 cited without a number, but the document has {count} 別表")
        return [tree.appendices[0]]
    found = _last_segment(tree.appendices, f"appx:{fragment.number}")
    if found is None:
        name = _numbered("別表第", fragment.number, "")
        if not tree.appendices:
            # 別表 are often published apart from the terms (a price list): not dangling.
            raise Unresolved(f"the document has no 別表 ({name} may be published apart)")
        raise Unresolved(f"the document has no {name}", dangling=True)
    return [found]


def _numbered(before: str, number: str | None, after: str) -> str:
    """A chapter or 別表 named from its number: ('第', '3-2', '章') → '第3章の2'."""
    main, *branches = (number or "?").split("-")
    return f"{before}{main}{after}" + "".join(f"の{b}" for b in branches)


def _last_segment(nodes: list[_Named], segment: str) -> _Named | None:
    """The node whose path ends in `segment` ('ch:3' is 'part:2/ch:3' in a bundle's part)."""
    return next((n for n in nodes if n.path.rsplit("/", 1)[-1] == segment), None)


def _excluded(tree: Tree, cited: list[Target], fragments: list[ReferenceFragment]) -> list[str]:
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


def _child(tree: Tree, parent: Target, fragment: ReferenceFragment) -> Target:
    """The named paragraph, item or sub-item `fragment` names under `parent`."""
    if fragment.level == "paragraph" and isinstance(parent, Article):
        at = Context(tree, Memory(), Where(article=parent))
        return _paragraph(at, fragment, [parent])[0]
    if fragment.level == "item":
        return _named_item(parent, fragment)
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


def _articles_of(tree: Tree, nodes: list[Target]) -> list[Article]:
    """The articles holding `nodes` (第3項 of 前条 cites 前条 for the integrity checks)."""
    found: list[Article] = []
    for node in nodes:
        article = tree.nodes.get(path_through(node.path, "art:"))
        if isinstance(article, Article) and article not in found:
            found.append(article)
    return found


def _range(tree: Tree, start: list[Target], end: list[Target]) -> list[Target]:
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
