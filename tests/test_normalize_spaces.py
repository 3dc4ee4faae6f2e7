"""Layout spaces: the search for the runs of spaces beside Japanese agrees with a look at each run.

`drop_layout_spaces` finds the runs with Japanese on one side by one pattern; the reference here
finds every run of spaces and looks at the characters on either side with `is_japanese` and
`str.isdigit`, as the pass is specified. Both must drop the same spaces, on every line of the
real documents and on generated lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import NumberingStyle
from pipeline.structure.characters import MappedLine
from pipeline.structure.spaces import _protected_spaces, drop_layout_spaces, is_japanese

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"


def _dropped(text: str, style: NumberingStyle) -> set[int]:
    """The positions of the spaces the pass drops from one line, by a look at every run."""
    dropped: set[int] = set()
    for run in re.finditer(" +", text):
        i, j = run.span()
        if not i or j == len(text):
            continue
        left, right = text[i - 1], text[j]
        layout = (is_japanese(left) and (is_japanese(right) or right.isdigit())) or (
            is_japanese(right) and left.isdigit()
        )
        if layout and i not in _protected_spaces(text, style):
            dropped.update(range(i, j))
    return dropped


def _reference(lines: list[MappedLine], style: NumberingStyle) -> MappedLine:
    texts: list[str] = []
    out: list[int] = []
    for text, offsets in lines:
        if texts:
            out.append(max(offsets[0] - 1, out[-1]))  # the newline before the line
        dropped = _dropped(text, style)
        texts.append("".join(ch for k, ch in enumerate(text) if k not in dropped))
        out += [offset for k, offset in enumerate(offsets) if k not in dropped]
    return "\n".join(texts), out


def _mapped(text: str) -> list[MappedLine]:
    lines: list[MappedLine] = []
    start = 0
    for line in text.split("\n"):
        if line:
            lines.append((line, list(range(start, start + len(line)))))
        start += len(line) + 1
    return lines


STYLES: list[NumberingStyle] = ["article", "decimal-outline"]


@pytest.mark.parametrize("style", STYLES)
def test_real_lines_lose_the_same_spaces(style: NumberingStyle) -> None:
    paths = [*CORPUS.glob("*/source.txt"), *REALWORLD.glob("*.txt")]
    assert paths
    for path in paths:
        lines = _mapped(path.read_text(encoding="utf-8").replace("\u3000", " "))
        assert drop_layout_spaces(lines, style) == _reference(lines, style), path


LINE = st.text(
    alphabet=st.sampled_from(
        list("  第1条2項一(ア)・あ漢カ①⑵²٣ａ.、。Ab-\u3000\uff5e\u2460\u24ff\u32ff")
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=4), st.sampled_from(STYLES))
def test_generated_lines_lose_the_same_spaces(texts: list[str], style: NumberingStyle) -> None:
    lines = _mapped("\n".join(texts))
    if lines:
        assert drop_layout_spaces(lines, style) == _reference(lines, style)
