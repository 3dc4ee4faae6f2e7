"""Normalization: character rules, line joining, and the offset map's guarantees."""

from __future__ import annotations

import pytest
from conftest import CORPUS, FAMILIES
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.sources import ingest
from pipeline.structure.characters import (
    _FOLD,
    MAX_REPLACED_CHARS,
    _map_line,
    fold,
    map_char,
    mapped_lines,
)
from pipeline.structure.normalize import normalize_text

CHARACTER_CASES = [
    ("ＮＥＣ", "NEC"),
    ("１３", "13"),
    ("（１）", "(1)"),
    ("ｶﾞｲﾄﾞ", "ガイド"),
    ("ﾊﾟｿｺﾝ", "パソコン"),
    ("⽤語", "用語"),
    ("①相手方", "①相手方"),
    ("1〜3", "1〜3"),
    ("サーバー", "サーバー"),
    ("3ヶ月", "3ヶ月"),
    ("3ヵ月", "3ヵ月"),
    ("年１４．５％", "年14.5%"),
]


@pytest.mark.parametrize(("raw", "normalized"), CHARACTER_CASES)
def test_characters(raw: str, normalized: str) -> None:
    assert normalize_text(raw).text == normalized


LINE_CASES = [
    ("本サービスを利用しま す。", "本サービスを利用します。"),
    ("第 13 条(利用の停止)に基づき", "第13条(利用の停止)に基づき"),
    ("民法(平成 29 年法律第 44 号)", "民法(平成29年法律第44号)"),
    ("利用料金の3\n0分の1を乗じて", "利用料金の30分の1を乗じて"),
    (
        "お客様の費用と責任においてＮ\n\nＥＣに提供すること。",
        "お客様の費用と責任においてNECに提供すること。",
    ),
    ("対象 Express5800シリーズ", "対象 Express5800シリーズ"),
    ("Nikkei Advanced\nSystems", "Nikkei Advanced Systems"),
    ("第1条（例）\n本文は\n続きます。\n２．次の項", "第1条(例)\n本文は続きます。\n2.次の項"),
    ("第１条　この規約は、", "第1条 この規約は、"),
    ("２　次の項", "2 次の項"),
    ("一　「接触」とは", "一 「接触」とは"),
]


@pytest.mark.parametrize(("raw", "normalized"), LINE_CASES)
def test_lines_and_spaces(raw: str, normalized: str) -> None:
    # Inside an article body; the preamble keeps its title lines apart (tested below).
    heading = "第9条(例)\n"
    assert normalize_text(heading + raw).text == "第9条(例)\n" + normalized


def test_preamble_title_lines_stay_apart_and_sentences_join() -> None:
    raw = (
        "日経統合システム(NAS)サービス契約約款\n(Ver1.6)\n"
        "当社は、本サービスを次のとおり提\n供します。\n第1条 約款の適用"
    )
    assert normalize_text(raw).text.split("\n") == [
        "日経統合システム(NAS)サービス契約約款",
        "(Ver1.6)",
        "当社は、本サービスを次のとおり提供します。",
        "第1条 約款の適用",
    ]


def _assert_offsets_point_at_sources(raw: str) -> None:
    result = normalize_text(raw)
    assert len(result.offsets) == len(result.text) + 1
    for ch, offset in zip(result.text, result.offsets, strict=False):
        assert 0 <= offset < len(raw)
        source = raw[offset]
        if ch in " \n":
            # A joining space or a kept line break stands for white space or a break.
            assert source.isspace() or source == "\n" or map_char(source) == ch
        else:
            assert ch in map_char(source) or _composed_from(source, ch), (ch, source)


def _composed_from(source: str, ch: str) -> bool:
    import unicodedata

    return unicodedata.normalize("NFKC", source)[:1] == unicodedata.normalize("NFKD", ch)[:1]


@pytest.mark.parametrize("family", FAMILIES)
def test_corpus_offsets_map_back_to_the_input(family: str) -> None:
    raw = ingest(CORPUS / family / "source.txt").text
    _assert_offsets_point_at_sources(raw)
    result = normalize_text(raw)
    assert result.offsets == sorted(result.offsets), "the map keeps reading order"


@pytest.mark.parametrize("family", FAMILIES)
def test_corpus_normalization_is_idempotent(family: str) -> None:
    once = normalize_text(ingest(CORPUS / family / "source.txt").text).text
    assert normalize_text(once).text == once


JAPANESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "第条項号章節一二三0123456789０１２３４５６７８９（）()、。「」 　\n"
            "アイウｱｲｳﾞﾟ①②・ABCＡＢＣ.．年月日以内"
        )
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(JAPANESE_TEXT)
def test_offset_map_sends_every_character_back(raw: str) -> None:
    _assert_offsets_point_at_sources(raw)


@settings(max_examples=300, deadline=None)
@given(JAPANESE_TEXT)
def test_normalizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_text(raw).text
    assert normalize_text(once).text == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(raw: str) -> None:
    result = normalize_text(raw)
    assert len(result.offsets) == len(result.text) + 1


FOLDING_CASES = [
    # (raw line, normalized text, the raw offset of each normalized character)
    ("ＡＢ\u200bＣ", "ABC", [0, 1, 3]),  # a zero-width space is dropped
    ("ｶﾞ１", "ガ1", [0, 2]),  # the voiced mark composes with the kana before it
    ("第１条\r", "第1条", [0, 1, 2]),  # a carriage return is dropped
    ("⽤語　１", "用語1", [0, 1, 3]),  # a radical; the space between 語 and 1 is layout
]


@pytest.mark.parametrize(("raw", "text", "offsets"), FOLDING_CASES)
def test_folding_keeps_each_character_s_raw_offset(raw: str, text: str, offsets: list[int]) -> None:
    result = normalize_text(raw)
    assert result.text == text
    assert result.offsets == [*offsets, len(raw)]


ONE_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Zs", "Zl", "Zp"),
        blacklist_characters="\n\t#*<>\uff9e\uff9f",
    ),
    max_size=80,
)
"""Lines without spaces, Markdown or HTML marks and voiced marks: only the characters fold."""


@settings(max_examples=500, deadline=None)
@given(ONE_LINE)
def test_a_line_folds_character_by_character(raw: str) -> None:
    # Folding a whole line at once must agree with `map_char` on each of its characters.
    assert normalize_text(raw).text == "".join(map_char(ch) for ch in raw)


def test_fold_replacing_character_by_character_is_a_translate() -> None:
    # `fold` replaces each foldable character in turn up to MAX_REPLACED_CHARS distinct ones,
    # and translates beyond: both must give what one translate of the whole text gives.
    foldable = "".join(map(chr, _FOLD))
    for size in (1, 7, MAX_REPLACED_CHARS, MAX_REPLACED_CHARS + 1, len(foldable)):
        for lo in range(0, len(foldable), size):
            chunk = foldable[lo : lo + size]
            text = f"第１条　{chunk}あ\n{chunk[::-1]}ｶﾞ{chunk}"
            assert fold(text) == text.translate(_FOLD), (size, lo)
    for family in FAMILIES:
        text = ingest(CORPUS / family / "source.txt").text
        assert fold(text) == text.translate(_FOLD)


def _line_by_line(raw: str) -> list[tuple[str, list[int]]]:
    """Each line through `_map_line`, the way every line goes when the text holds marks."""
    out = []
    start = 0
    for line in raw.split("\n"):
        text, offsets = _map_line(line, fold(line), start)
        out.append((text, list(offsets)))
        start += len(line) + 1
    return out


def _mapped(raw: str) -> list[tuple[str, list[int]]]:
    return [(text, list(offsets)) for text, offsets in mapped_lines(raw, raw.split("\n"))]


def test_a_text_without_marks_maps_as_line_by_line() -> None:
    # A text without a character to drop or expand and without Markdown marks maps its lines
    # without looking at each for them: the same lines and offsets as `_map_line` gives.
    texts = [ingest(CORPUS / family / "source.txt").text for family in FAMILIES]
    texts += [text.replace("#", "").replace("<", "").replace("*", "") for text in texts]
    texts += ["  第１条　目的 \n\n ｱｲｳ\n(1) 本文  ", " ", "", "\n", "#", "a**b", "ｶﾞ\n1"]
    for raw in texts:
        assert _mapped(raw) == _line_by_line(raw), raw[:40]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("第1条 　ＡＢｶﾞ①\n#*<>\u200b\t\r")), max_size=60))
def test_generated_texts_map_as_line_by_line(raw: str) -> None:
    assert _mapped(raw) == _line_by_line(raw)


def test_locator_pages_come_from_the_raw_lines() -> None:
    # Every normalized character's page is the page of the raw line its offset falls in;
    # offsets outside the text are clamped to its ends; text input has no pages.
    from pipeline.ingest.pdf import read_pdf
    from pipeline.structure.normalize import Locator, normalize

    raw = read_pdf((CORPUS / "nas" / "source.pdf").read_bytes(), "source.pdf")
    normalized = normalize(raw)
    locator = Locator(raw, normalized)
    starts = [0]
    for line in raw.lines:
        starts.append(starts[-1] + len(line.text) + 1)
    # what a parse hands extraction: the pages alone, the raw document not held
    pages = locator.pages()
    assert not hasattr(pages, "raw") and not hasattr(pages, "__dict__")
    for offset in range(len(normalized.text)):
        raw_offset = normalized.offsets[offset]
        index = max(i for i, start in enumerate(starts[:-1]) if start <= raw_offset)
        assert locator.page(offset) == pages.page(offset) == raw.lines[index].page
    for outside in (-3, len(normalized.text) + 5):
        assert pages.page(outside) == locator.page(outside)
    assert locator.page(-3) == locator.page(0)
    assert locator.page(len(normalized.text) + 5) == locator.page(len(normalized.text) - 1)
    text = ingest(CORPUS / "nas" / "source.txt")
    assert Locator(text, normalize(text)).page(10) is None
    assert Locator(text, normalize(text)).pages().page(10) is None
    empty = raw.model_copy(update={"lines": raw.lines[:1]})
    blank = empty.model_copy(update={"lines": [empty.lines[0].model_copy(update={"text": ""})]})
    assert Locator(blank, normalize(blank)).page(0) is None
    assert Locator(blank, normalize(blank)).pages().page(0) is None
