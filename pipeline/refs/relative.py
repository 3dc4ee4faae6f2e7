"""Relative references, counted from where the reference stands: 本条, 前条, 次条, 前二条, 同条,
前項, 同項, 前各号, 各号, 本章, 前節 ….

Every one is a position among siblings in document order: after 第5条の2 is inserted, 前条 in
第6条 is 第5条の2. 同条, 同項 and 同号 are the provision last cited in the same paragraph.
"""

from __future__ import annotations

from pipeline.models import Article, Chapter, ReferenceFragment, Section
from pipeline.refs.tree import Context, Target, Unresolved, Where


def same(at: Context, cited: dict[str, str], word: str, noun: str) -> list[Target]:
    """同条, 同項, 同号 (`word`): the `noun` the paragraph cited last (`cited`, by paragraph)."""
    path = cited.get(at.where.scope or "")
    if path is None:
        raise Unresolved(f"{word} with no {noun} cited before it in this paragraph")
    return [at.tree.nodes[path]]


def sibling(
    siblings: list[Target],
    here: Target,
    fragment: ReferenceFragment,
    noun: str,
) -> list[Target]:
    """本-, 前-, 前N-, 前各- and 次- counted among `here`'s siblings (the `noun`s of its parent)."""
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


def article(at: Context, fragment: ReferenceFragment) -> list[Target]:
    """本条, 同条, 前条, 前N条, 次条."""
    tree, here = at.tree, at.where.article
    if here is None:
        raise Unresolved("a relative article reference outside any article")
    if fragment.position == "here":
        return [here]
    if fragment.position == "same":
        return same(at, at.memory.article, "同条", "article")
    index = tree.article_index(here)
    count = fragment.count or 1
    if fragment.position == "previous":
        if index - count < 0:
            raise Unresolved(f"{here.label} has fewer than {count} articles before it")
        return list(tree.articles[index - count : index])
    if fragment.position == "next":
        if index + 1 >= len(tree.articles):
            raise Unresolved(f"{here.label} is the last article")
        return [tree.articles[index + 1]]
    raise Unresolved(f"article position {fragment.position!r} is not resolved")


def paragraph(at: Context, fragment: ReferenceFragment) -> list[Target]:
    """本項, 同項, 前項, 前N項, 前各項, 次項."""
    where = at.where
    if fragment.position == "same":
        return same(at, at.memory.paragraph, "同項", "paragraph")
    if clauses_as_items(where):
        # NEC 第1条(1)–(5): the clauses are items of one unnumbered paragraph, so 前項 in (2)
        # is the item (1).
        assert where.paragraph is not None and where.item is not None
        return sibling(list(where.paragraph.items), where.item, fragment, "item")
    if where.paragraph is None or where.article is None:
        raise Unresolved("a relative paragraph reference outside any paragraph")
    return sibling(list(where.article.paragraphs), where.paragraph, fragment, "paragraph")


def clauses_as_items(where: Where) -> bool:
    """True where the article numbers its clauses as items of a paragraph with no text."""
    return (
        where.item is not None
        and where.paragraph is not None
        and where.article is not None
        and len(where.article.paragraphs) == 1
        and not where.paragraph.text.strip()
    )


def item(at: Context, fragment: ReferenceFragment) -> list[Target]:
    """本号, 同号, 前号, 前N号, 前各号, 次号."""
    where = at.where
    if fragment.position == "same":
        return same(at, at.memory.item, "同号", "item")
    if where.item is None or where.paragraph is None:
        raise Unresolved("a relative item reference outside any item")
    return sibling(list(where.paragraph.items), where.item, fragment, "item")


def chapter(at: Context, fragment: ReferenceFragment) -> list[Target]:
    """本章, 前章, 次章: counted from the chapter holding the reference."""
    here = at.tree.chapter_of(at.where.article)
    return sibling(list(at.tree.chapters), here, fragment, "chapter")


def section(at: Context, fragment: ReferenceFragment) -> list[Target]:
    """本節, 前節, 次節: counted among the sections of the chapter holding the reference."""
    here = at.tree.section_of(at.where.article)
    return sibling(list(at.tree.siblings[here.path]), here, fragment, "section")


def each_parents(where: Where, fragment: ReferenceFragment) -> list[Target]:
    """各号 alone: the items of the paragraph it stands in; 各項: the paragraphs of the article."""
    if fragment.level == "item":
        return required(where.paragraph, "各号 outside any paragraph")
    return required(where.article, "各項 outside any article")


def each_children(parents: list[Target], fragment: ReferenceFragment) -> str:
    """'item' for 各号, 'para' for 各項, once every parent is checked to have such children."""
    if fragment.level == "item":
        for parent in parents:
            if isinstance(parent, Article):
                raise Unresolved(f"各号 of {parent.label} without a paragraph")
            if isinstance(parent, Chapter | Section):
                raise Unresolved(f"各号 of {parent.path}, which has no items")
            if not parent.items:
                raise Unresolved(f"{parent.path} has no items", dangling=True)
        return "item"
    for parent in parents:
        if not isinstance(parent, Article):
            raise Unresolved("各項 of something other than an article")
    return "para"


def required(node: Target | None, reason: str) -> list[Target]:
    """`[node]`, or Unresolved with `reason` when the reference stands outside any such node."""
    if node is None:
        raise Unresolved(reason)
    return [node]
