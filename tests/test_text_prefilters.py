"""The first-character checks that let most lines skip the heading and marker patterns.

`match_marker` tries a line only against the forms its first character can open, and
`match_heading` and `glued_heading_splits` return at once for a line that cannot hold a heading.
Each check must be exact: no line that a skipped pattern would match may be skipped. The lines
tried are every line of the real documents and, for every character of the Basic Multilingual
Plane, that character opening suffixes chosen so that the patterns after the first character
can match.
"""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS

from pipeline.text import headings, markers

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"

MARKER_SUFFIXES = ["", " 本文", ") 本文", "1) 本文", "1 本文", ".本文", "1項 本文", "2当社"]
HEADING_SUFFIXES = ["", "1条 目的", "則", "上", "表第1", "定日: 2023年4月1日", "和5年4月1日 改定"]
HEADING_PATTERNS = [
    headings._DECORATION,
    headings._END,
    headings._SUPPLEMENTARY,
    headings._CHAPTER,
    headings._SECTION,
    headings._ARTICLE,
    headings._APPENDIX,
]


def _document_lines() -> list[str]:
    paths = [*CORPUS.glob("*/source.txt"), *REALWORLD.glob("*.txt")]
    return [line for path in paths for line in path.read_text(encoding="utf-8").split("\n")]


def _first_characters() -> list[str]:
    return [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]


def _skipped_by_marker_check(line: str, style: str, first: str) -> bool:
    return line[:1] not in first and not (style == "digit-kou" and line[:1].isspace())


def test_the_marker_check_skips_only_forms_that_cannot_match() -> None:
    lines = _document_lines() + [ch + s for ch in _first_characters() for s in MARKER_SUFFIXES]
    for style, first, pattern in markers._MARKERS:
        for line in lines:
            if _skipped_by_marker_check(line, style, first):
                assert pattern.match(line) is None, (style, line)


def test_the_heading_check_skips_only_lines_no_heading_pattern_matches() -> None:
    lines = _document_lines() + [
        space + ch + s
        for ch in _first_characters()
        for s in HEADING_SUFFIXES
        for space in ("", " ")
    ]
    for line in lines:
        if headings._HEADING_START.match(line) is None:
            assert not any(p.match(line) for p in HEADING_PATTERNS), line


def test_a_line_without_dai_holds_no_glued_heading() -> None:
    # `glued_heading_splits` returns at once for a line without 第: its patterns all need one.
    lines = _document_lines() + [ch + "。第8条 権利の譲渡" for ch in "。、 a"]
    lines += [line.replace("第", "") for line in lines]
    for line in lines:
        if "第" not in line:
            assert headings._CHAPTER.match(line) is None, line
            assert headings._GLUED_ARTICLE.search(line) is None, line
            assert headings._GLUED_SECTION.search(line) is None, line
