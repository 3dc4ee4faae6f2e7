"""Alignment: which provision of the old version is which of the new (新旧の対応).

The same three passes run at every level (articles, paragraphs, items):

1. an order-preserving alignment maximising content similarity, with a bonus for the same title
   and a smaller one for the same number, so an insertion or a deletion shifts the numbering of
   everything after it without turning into a cascade of changes;
2. in each gap between aligned pairs, equal runs of leftovers pair up in order when they share a
   number or a title (a provision rewritten in place);
3. leftovers that match out of order are moves; leftovers whose text is contained in another
   provision are the parts of a split (one old, several new) or a merge (several old, one new).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline.diff.nodes import DiffNode
from pipeline.text.titles import same_title

MATCH_THRESHOLD = 0.5
"""Bigram similarity at which two provisions are the same provision, whatever their number."""
TITLE_MATCH_THRESHOLD = 0.25
"""Lower similarity accepted when the titles (見出し) are equal."""
REWRITE_THRESHOLD = 0.15
"""Similarity at which leftovers in the same gap pair as one rewritten provision."""
MOVE_THRESHOLD = 0.6
"""Similarity at which an out-of-order leftover pair is a move."""
CONTAINMENT_THRESHOLD = 0.75
"""Share of a part's bigrams found in the whole for a split or merge."""
MIN_PART_CHARS = 10
"""Parts shorter than this are never taken for a split or merge."""
TITLE_BONUS = 0.3
NUMBER_BONUS = 0.1


def similarity(a: DiffNode, b: DiffNode) -> float:
    """Dice coefficient of the character bigrams of the two provisions' whole text."""
    if not a.content and not b.content:
        return 1.0
    total = sum(a.bigrams.values()) + sum(b.bigrams.values())
    common = sum((a.bigrams & b.bigrams).values())
    return 2 * common / total if total else 0.0


def _containment(part: DiffNode, whole: DiffNode) -> float:
    size = sum(part.bigrams.values())
    return sum((part.bigrams & whole.bigrams).values()) / size if size else 0.0


def _pair_score(a: DiffNode, b: DiffNode) -> float | None:
    """How well old `a` and new `b` align in order, or None when they must not pair."""
    if a.level != b.level:
        return None
    if b.deleted or a.deleted:
        # 第N条 削除 keeps its number: only the number can pair it.
        return 1.0 if a.number == b.number else None
    sim = similarity(a, b)
    titled = same_title(a.title, b.title)
    if sim < MATCH_THRESHOLD and not (titled and sim >= TITLE_MATCH_THRESHOLD):
        return None
    return sim + (TITLE_BONUS if titled else 0.0) + (NUMBER_BONUS if a.number == b.number else 0.0)


def _lcs_align(
    old: Sequence[DiffNode],
    new: Sequence[DiffNode],
    score: Callable[[DiffNode, DiffNode], float | None],
) -> list[tuple[int, int]]:
    """Order-preserving pairs maximising the total score (gaps cost nothing)."""
    n, m = len(old), len(new)
    scores = [[score(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            value = max(below[j], row[j + 1])
            s = scores[i][j]
            if s is not None:
                value = max(value, s + below[j + 1])
            row[j] = value
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        s = scores[i][j]
        if s is not None and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class Alignment:
    """The result of aligning two sibling lists: pairs with their status hints."""

    pairs: dict[int, int] = field(default_factory=dict)  # old index → new index (in order)
    moved: set[int] = field(default_factory=set)  # old indices paired out of order
    split: dict[int, list[int]] = field(default_factory=dict)  # old → extra new parts
    merged: dict[int, list[int]] = field(default_factory=dict)  # new → extra old parts


def _rewritten(a: DiffNode, b: DiffNode) -> bool:
    if b.deleted:
        # An article reduced to 削除 where it stood, its number shifted along with its neighbours.
        return not a.deleted
    if a.deleted:
        return False
    return (
        a.number == b.number
        or same_title(a.title, b.title)
        or similarity(a, b) >= REWRITE_THRESHOLD
    )


def align(old: Sequence[DiffNode], new: Sequence[DiffNode]) -> Alignment:
    """Align two sibling lists of provisions (see the module docstring for the passes)."""
    result = Alignment()
    for i, j in _lcs_align(old, new, _pair_score):
        result.pairs[i] = j
    _pair_rewritten(old, new, result)
    _pair_moves(old, new, result)
    # Splits and merges among articles only: below them a provision contained in another is
    # too common to mean anything.
    if any(node.level == "article" for node in old):
        _pair_parts(old, new, result)
    return result


def _pair_rewritten(old: Sequence[DiffNode], new: Sequence[DiffNode], result: Alignment) -> None:
    """Pass 2: leftovers of equal count in the same gap are provisions rewritten in place."""
    anchors = [(-1, -1), *sorted(result.pairs.items()), (len(old), len(new))]
    for (i0, j0), (i1, j1) in itertools.pairwise(anchors):
        olds, news = list(range(i0 + 1, i1)), list(range(j0 + 1, j1))
        if (
            olds
            and len(olds) == len(news)
            and all(_rewritten(old[i], new[j]) for i, j in zip(olds, news, strict=True))
        ):
            result.pairs.update(zip(olds, news, strict=True))


def _pair_moves(old: Sequence[DiffNode], new: Sequence[DiffNode], result: Alignment) -> None:
    """Pass 3a: leftovers that match out of order are moves, best first."""
    free_old = [i for i in range(len(old)) if i not in result.pairs]
    matched_new = set(result.pairs.values())
    free_new = [j for j in range(len(new)) if j not in matched_new]
    candidates = sorted(
        (
            (similarity(old[i], new[j]), i, j)
            for i in free_old
            for j in free_new
            if old[i].level == new[j].level and not old[i].deleted and not new[j].deleted
        ),
        reverse=True,
    )
    for sim, i, j in candidates:
        if sim < MOVE_THRESHOLD:
            break
        if i in result.pairs or j in matched_new:
            continue
        result.pairs[i] = j
        result.moved.add(i)
        matched_new.add(j)


def _pair_parts(old: Sequence[DiffNode], new: Sequence[DiffNode], result: Alignment) -> None:
    """Pass 3b: a free new article contained in an old one is a part of its split, a free old
    article contained in a new one a part of a merge; a whole nobody else took pairs with its
    first part."""
    new_to_old = {j: i for i, j in result.pairs.items()}
    for j in range(len(new)):
        if j not in new_to_old and _may_be_part(new[j]):
            whole = _best_container(new[j], old)
            if whole is not None:
                result.split.setdefault(whole, []).append(j)
    for i in range(len(old)):
        if i not in result.pairs and _may_be_part(old[i]):
            whole = _best_container(old[i], new)
            if whole is not None:
                result.merged.setdefault(whole, []).append(i)
    for i, parts in list(result.split.items()):
        if i not in result.pairs and len(parts) >= 2:
            result.pairs[i] = parts.pop(0)
        elif i not in result.pairs:
            del result.split[i]
    new_to_old = {j: i for i, j in result.pairs.items()}
    for j, parts in list(result.merged.items()):
        if j not in new_to_old and len(parts) >= 2:
            result.pairs[parts.pop(0)] = j
        elif j not in new_to_old:
            del result.merged[j]


def _may_be_part(node: DiffNode) -> bool:
    """Whether `node` can be a part of a split or a merge: an article long enough to tell."""
    return node.level == "article" and len(node.content) >= MIN_PART_CHARS


def _best_container(part: DiffNode, candidates: Sequence[DiffNode]) -> int | None:
    scored = [
        (_containment(part, whole), k)
        for k, whole in enumerate(candidates)
        if whole.level == part.level and not whole.deleted
    ]
    if not scored:
        return None
    value, k = max(scored)
    return k if value >= CONTAINMENT_THRESHOLD else None
