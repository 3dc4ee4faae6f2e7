"""yakkan's SudachiPy tokenizer against spaCy's own `ja` tokenizer, and text too long for SudachiPy.

The fast tokenizer must give the very tokens spaCy's tokenizer gives (same split mode, same white
space handling), and therefore the very same extractions, on every corpus and development file.
SudachiPy refuses more than 49,149 bytes at once; longer provisions are tokenized in pieces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import spacy
from conftest import CORPUS, FAMILIES, SHARED
from spacy.language import Language
from typer.testing import CliRunner

from pipeline.cli.main import app
from pipeline.extract.language import COMPONENTS, CROSSREFS, get_nlp
from pipeline.extract.runner import passages
from pipeline.extract.tokenizer import CUT_AFTER, SUDACHI_MAX_BYTES, SudachiTokenizer, pieces
from pipeline.models import YakkanError
from pipeline.process import parse_file

DEVELOPMENT_FILES = sorted(
    [*SHARED.glob("realworld/*.txt"), *SHARED.glob("versions/*.txt")], key=lambda p: p.name
)
CORPUS_FILES = [CORPUS / family / "source.txt" for family in FAMILIES]


@cache
def reference_nlp() -> Language:
    """spaCy's own `ja` tokenizer (mode A) with the same components as `get_nlp()`."""
    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": "A"}}})
    for name in get_nlp().pipe_names:
        nlp.add_pipe(name)
    return nlp


def texts_of(path: Path) -> Iterator[str]:
    """What the extractors see of a file: its provisions' own texts when it parses, and its raw
    blocks (between blank lines, full-width forms and layout breaks kept) in any case."""
    try:
        document = parse_file(path, extract=False)
    except YakkanError:
        pass
    else:
        for passage in passages(document):
            yield passage.text
    raw = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", raw):
        if block.strip() and len(block.encode("utf-8")) <= SUDACHI_MAX_BYTES:
            yield block


def files() -> list[Any]:
    shared = [pytest.param(p, id=p.name) for p in DEVELOPMENT_FILES]
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in CORPUS_FILES] + shared


def test_development_files_are_there() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent: the development files are not compared")
    assert DEVELOPMENT_FILES


def spans_of(nlp: Language, texts: list[str]) -> list[dict[str, list[tuple[Any, ...]]]]:
    return [
        {
            key: [
                (s.start_char, s.end_char, s.label_, s._.value.model_dump(mode="json"))
                for s in doc.spans[key]
            ]
            for key in sorted(doc.spans)
        }
        for doc in nlp.pipe(texts)
    ]


@pytest.mark.parametrize("path", files())
def test_same_tokens_as_spacys_ja_tokenizer(path: Path) -> None:
    fast, reference = get_nlp().tokenizer, reference_nlp().tokenizer
    for text in texts_of(path):
        ours = [(t.text, t.whitespace_) for t in fast(text)]
        theirs = [(t.text, t.whitespace_) for t in reference(text)]
        assert ours == theirs, text[:80]


@pytest.mark.parametrize("path", files())
def test_same_extractions_as_with_spacys_ja_tokenizer(path: Path) -> None:
    """Every component's spans and values, passage by passage, are those the pipeline gives
    with spaCy's own tokenizer."""
    texts = list(texts_of(path))
    assert texts
    assert spans_of(get_nlp(), texts) == spans_of(reference_nlp(), texts)


def test_the_pipeline_uses_the_fast_tokenizer_and_every_component() -> None:
    nlp = get_nlp()
    assert isinstance(nlp.tokenizer, SudachiTokenizer)
    assert nlp.pipe_names[: len(COMPONENTS)] == list(COMPONENTS)
    assert CROSSREFS in nlp.pipe_names


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "第1条 目的",
        "本約款は、  　テスト…です。",
        " 先頭と末尾に空白 ",
        "A  B\n C\t\tD ",
        "ｶﾀｶﾅと①、㈱、１２３ ＡＢＣ",
    ],
)
def test_white_space_as_spacys_tokenizer(text: str) -> None:
    ours = [(t.text, t.whitespace_) for t in get_nlp().tokenizer(text)]
    assert ours == [(t.text, t.whitespace_) for t in reference_nlp().tokenizer(text)]


def test_words_first_seen_in_a_memory_zone_tokenize_after_it() -> None:
    """The tokenizer hands Doc the words' string-store hashes, kept from one Doc to the next; a
    word first seen inside a memory zone is dropped from the store on exit, and must not be
    kept as known: after the zone, the same text gives the same Doc."""
    nlp = get_nlp()
    text = "料金は8302917456円とし、ＸＱＺ規程に従います。"  # a number no other test holds
    with nlp.memory_zone():
        inside = [(t.idx, t.text, t.whitespace_) for t in nlp.tokenizer(text)]
    assert "8302917456" not in nlp.vocab.strings, "the zone dropped the new word"
    after = nlp(text)
    assert [(t.idx, t.text, t.whitespace_) for t in after] == inside
    assert (3, "8302917456", "") in inside
    assert [s.text for s in after.spans["amounts"]] == ["8302917456円"]


SENTENCE = "契約者は、当社からの通知が到達した日から30日以内に協議するものとします。"


def test_pieces_cut_at_sentence_ends_within_the_limit() -> None:
    text = SENTENCE * 3000  # 3000 sentences, about 330 KB
    cut = pieces(text)
    assert "".join(cut) == text
    assert len(cut) > 1
    for piece in cut:
        assert len(piece.encode("utf-8")) <= SUDACHI_MAX_BYTES
        assert piece.endswith("。") or piece is cut[-1]


def test_pieces_fall_back_to_other_boundaries_then_to_the_limit() -> None:
    commas = "当社は、" * 20000
    for piece in pieces(commas)[:-1]:
        assert piece.endswith("、")
    solid = "料金" * 40000
    cut = pieces(solid)
    assert "".join(cut) == solid
    assert all(len(p.encode("utf-8")) <= SUDACHI_MAX_BYTES for p in cut)
    assert not any(b in solid for b in CUT_AFTER)


@pytest.mark.parametrize(
    "text",
    [SENTENCE * 1000, "当社は、" * 30000, "料金" * 40000, "ABC def " * 15000],
    ids=["sentences", "commas", "no-boundary", "ascii"],
)
def test_text_longer_than_sudachis_limit_is_tokenized_with_offsets_kept(text: str) -> None:
    assert len(text.encode("utf-8")) > SUDACHI_MAX_BYTES
    doc = get_nlp().tokenizer(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def long_nas(tmp_path: Path, repeats: int) -> tuple[Path, str]:
    """The NAS source with 第38条's one paragraph made `repeats` sentences longer, on its line."""
    source = (CORPUS / "nas" / "source.txt").read_text(encoding="utf-8")
    line = "両当事者誠意を持って協議の上解決に努めるものとします。"
    assert source.count(line) == 1
    sentence = (
        "契約者は、第37条(準拠法)に定める準拠法に従い、"
        "通知が到達した日から30日以内に協議するものとします。"
    )
    path = tmp_path / "nas_long.txt"
    path.write_text(source.replace(line, line + sentence * repeats), encoding="utf-8")
    return path, sentence


def test_a_100_kb_paragraph_goes_through_parse_refs_validate_params_and_diff(
    tmp_path: Path,
) -> None:
    repeats = 1000
    path, sentence = long_nas(tmp_path, repeats)
    assert len((sentence * repeats).encode("utf-8")) > 100_000

    document = parse_file(path)
    paragraph = next(a for a in document.articles if a.number == "38").paragraphs[0]
    assert len(paragraph.text.encode("utf-8")) > 2 * SUDACHI_MAX_BYTES
    inside = [x for x in document.extractions if x.path == paragraph.path]
    periods = [x for x in inside if x.kind == "period"]
    assert [x.text for x in periods] == ["30日以内"] * repeats
    assert all(x.value.anchor == "通知が到達した日" for x in periods)  # type: ignore[union-attr]
    refs = [x for x in inside if x.kind == "crossref"]
    assert len(refs) == repeats
    for x in inside:
        assert document.text[x.span.start : x.span.end] == x.text

    runner = CliRunner()
    result = runner.invoke(app, ["refs", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("art:38/para:1") >= repeats

    baseline = runner.invoke(app, ["validate", str(CORPUS / "nas" / "source.txt")])
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == baseline.stdout.splitlines()[1:]

    result = runner.invoke(app, ["params", str(path)])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)["parameters"]
    original = runner.invoke(app, ["params", str(CORPUS / "nas" / "source.txt")])
    assert ours == json.loads(original.stdout)["parameters"]

    result = runner.invoke(app, ["diff", str(CORPUS / "nas" / "source.txt"), str(path), "-f", "md"])
    assert result.exit_code == 1, result.output[-500:]  # as git diff --exit-code: it changed
    added = [line for line in result.stdout.splitlines() if "30日以内" in line]
    assert len(added) >= repeats and all("第38条" in line for line in added[:repeats])
