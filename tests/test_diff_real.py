"""The diff on real terms published in several versions (../shared/versions, used by path).

Each test lists every substantive edit between two versions, written by reading the two files
side by side (`diff -u vA vB` and the articles), never taken from the program's output: the
reported edits must be exactly these, in reading order. An expected edit is (status, level, old
path, new path, words): `words` are (old, new) pairs a reader sees change there, each of which
must stand inside one reported changed span of that provision ('' for nothing: an insertion or
a deletion). Everything else that differs between the files is typesetting and makes no edit.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import REALWORLD, SHARED_VERSIONS

from pipeline.diff.compare import diff
from pipeline.models import ChangedSpan, DocumentDiff, ProvisionDiff
from pipeline.process import parse_bytes, parse_file

pytestmark = pytest.mark.skipif(
    not SHARED_VERSIONS.is_dir(), reason=f"real version files not present at {SHARED_VERSIONS}"
)

Words = list[tuple[str, str]]
Expected = tuple[str, str, str | None, str | None, Words]


def pair(stem: str, old: str, new: str) -> DocumentDiff:
    return diff(
        parse_file(SHARED_VERSIONS / f"{stem}_{old}.txt"),
        parse_file(SHARED_VERSIONS / f"{stem}_{new}.txt"),
    )


def rows(result: DocumentDiff) -> Iterator[ProvisionDiff]:
    def walk(level: list[ProvisionDiff]) -> Iterator[ProvisionDiff]:
        for row in level:
            yield row
            yield from walk(row.children)

    yield from walk(result.provisions)


def spans_under(row: ProvisionDiff) -> Iterator[ChangedSpan]:
    yield from row.spans
    for child in row.children:
        yield from spans_under(child)


def squash(text: str) -> str:
    return "".join(text.split())


def assert_edits(result: DocumentDiff, expected: list[Expected]) -> None:
    """The reported edits are exactly `expected`, and each reader's word change is reported."""
    got = [(e.status, e.level, e.old_path, e.new_path) for e in result.edits]
    assert got == [e[:4] for e in expected]
    for status, level, old_path, new_path, words in expected:
        (row,) = [
            r
            for r in rows(result)
            if (r.level, r.old_path, r.new_path) == (level, old_path, new_path)
            and (r.status != "unchanged")
        ]
        spans = [(squash(s.old_text), squash(s.new_text)) for s in row.spans]
        for old, new in words:
            assert any(old in a and new in b for a, b in spans), (status, old_path, old, new, spans)


def article_rows(result: DocumentDiff) -> dict[str, ProvisionDiff]:
    return {r.old_path: r for r in result.provisions if r.level == "article" and r.old_path}


# --- COCOA 接触確認アプリケーション利用規約 vB (2021-12-02) → vC (2021-12-06) -------------------


def test_cocoa_b_to_c_is_one_phrase_in_one_item() -> None:
    # The only difference: 第2条 十一 「処理番号」… 無意かつ一時的な番号 → 無意な番号.
    result = pair("017_mhlw_cocoa_terms", "vB", "vC")
    assert_edits(result, [("modified", "item", "art:2/para:1/item:11", "art:2/para:1/item:11", [])])
    (span,) = [s for r in rows(result) for s in r.spans]
    assert (span.op, span.old_text, span.new_text) == ("delete", "かつ一時的", "")
    assert result.parameter_changes == []
    assert result.typesetting_only == 0


# --- COCOA vA (2020-06, app Markdown) → vB (2021-12-02, 第１条　／　一　／　２　) ---------------


@pytest.fixture(scope="module")
def cocoa_a_b() -> DocumentDiff:
    return pair("017_mhlw_cocoa_terms", "vA", "vB")


def test_cocoa_a_to_b_every_edit(cocoa_a_b: DocumentDiff) -> None:
    # vA is Markdown ('## （目的）', '**第１条**', '* ' bullets, every item numbered '1.', a
    # Markdown link); vB is plain text with kanji items 一, 二 and full-width paragraph numbers
    # and a closing '----' rule. Read side by side, these are the changes in wording:
    assert_edits(
        cocoa_a_b,
        [
            # 第2条: a new 三 「感染可能期間」; the old 三–十 become 四–十一.
            ("added", "item", None, "art:2/para:1/item:3", []),
            # 第2条 四 (old 三): 人と人との接触 → 近接（接触を含む。以下同じ。）, and the contact
            # within the last 14 days now within 感染可能期間.
            (
                "modified",
                "item",
                "art:2/para:1/item:3",
                "art:2/para:1/item:4",
                [("", "近接"), ("", "を含む。以下同じ。"), ("", "感染可能期間内にある")],
            ),
            # 第4条 三: 接触状態にある → 近接した状態にある (twice).
            (
                "modified",
                "item",
                "art:4/para:1/item:3",
                "art:4/para:1/item:3",
                [("接触", "近接した")],
            ),
            # 第4条 五: 日次鍵 limited to the infectious period, 14日以内 → 感染可能期間内, the
            # 発症日/検査日 input added, 一致する → 接触した可能性が高い.
            (
                "modified",
                "item",
                "art:4/para:1/item:5",
                "art:4/para:1/item:5",
                [
                    ("", "当該陽性者の感染可能期間内に生成されたものに限る。"),
                    ("14日以内", "感染可能期間内"),
                    ("", "当該陽性者に新型コロナウイルス感染症の症状がある場合は発症日"),
                    ("一致する", "接触した可能性が高い"),
                ],
            ),
            # 第5条 1: 厚生労働省に帰属 → 厚生労働省又は正当な権利者に帰属, and a new clause.
            (
                "modified",
                "paragraph",
                "art:5/para:1",
                "art:5/para:1",
                [
                    ("", "又は正当な権利者"),
                    ("", "使用権の設定若しくは許諾を意味するものではありません"),
                ],
            ),
            # 第5条 2 四: 厚生労働省が指定する者 → 厚生労働省又は厚生労働省が指定する者.
            (
                "modified",
                "item",
                "art:5/para:2/item:4",
                "art:5/para:2/item:4",
                [("", "厚生労働省又は")],
            ),
            # 第5条 3: the repository moved (the Markdown link itself is typesetting).
            (
                "modified",
                "paragraph",
                "art:5/para:3",
                "art:5/para:3",
                [("Covid-19Radar/Covid19Radar", "cocoa-mhlw/cocoa")],
            ),
            # 第7条 アプリ利用者のサポート is new; vA 第7条–第14条 become 第8条–第15条.
            ("added", "article", None, "art:7", []),
            # vA 第9条 (免責事項, now 第10条): 但し → ただし.
            ("modified", "paragraph", "art:9/para:1", "art:10/para:1", [("但し", "ただし")]),
        ],
    )
    added_item = cocoa_a_b.edits[0]
    assert added_item.renumbered == [
        (f"art:2/para:1/item:{n}", f"art:2/para:1/item:{n + 1}") for n in range(3, 11)
    ]
    assert "第2条" in added_item.summary
    added_article = cocoa_a_b.edits[7]
    assert added_article.renumbered == [(f"art:{n}", f"art:{n + 1}") for n in range(7, 15)]
    assert "第7条〜第14条 → 第8条〜第15条" in added_article.summary


def test_cocoa_a_to_b_typesetting_is_no_edit(cocoa_a_b: DocumentDiff) -> None:
    # 第1条, 第3条, 第6条 (items '1.' → 一–五), vA 第7条/第8条 (now 第8条/第9条), 第10条–第14条
    # (bullets '* ', the closing '----') differ only in typesetting.
    by_old = article_rows(cocoa_a_b)
    for n in (1, 3, 6, 8, 10, 11, 12, 13, 14):
        row = by_old[f"art:{n}"]
        assert row.status in ("unchanged", "renumbered"), n
        assert not list(spans_under(row)), n
    item_statuses = {r.status for r in by_old["art:6"].children[1].children}
    assert item_statuses == {"unchanged"}  # 1. → 一, 1. → 二, …: the same items
    assert [e.status for e in cocoa_a_b.edits].count("renumbered") == 0


# --- pequod 窓口の安心サポート利用規約, 付則 2024-09-01 → 2024-10-01 ------------------------------


@pytest.fixture(scope="module")
def pequod() -> DocumentDiff:
    return pair("001_pequod_madoguchi_support", "vA", "vB")


SERVICE = ("ウォーターサーバー総合", "")
"""ウォーターサーバー総合窓口安心サポート → 窓口の安心サポート (the service renamed)."""


def test_pequod_every_edit(pequod: DocumentDiff) -> None:
    assert_edits(
        pequod,
        [
            # Title line and 前文: the service renamed.
            ("modified", "preamble", "preamble", "preamble", [SERVICE, ("", "の")]),
            # 第1条 2.: the service renamed.
            ("modified", "item", "art:1/para:1/item:2", "art:1/para:1/item:2", [SERVICE]),
            # 第3条 (1): 毎月1,780円（税込1,958円） → 毎月1,618円（税込1,780円）.
            (
                "modified",
                "item",
                "art:3/para:1/item:1",
                "art:3/para:1/item:1",
                [("1,780", "1,618"), ("1,958", "1,780")],
            ),
            # 第11条 retitled (本サービスの中断等 → 本サービス利用の支障に対する対応) and its two
            # paragraphs and six items replaced by one new paragraph.
            ("retitled", "article", "art:11", "art:11", []),
            ("modified", "article", "art:11", "art:11", []),
            # 第18条 (1) the service renamed; (2) 土日、祝祭日、 no longer excluded.
            ("modified", "item", "art:18/para:1/item:1", "art:18/para:1/item:1", [SERVICE]),
            (
                "modified",
                "item",
                "art:18/para:1/item:2",
                "art:18/para:1/item:2",
                [("土日、祝祭日、", "")],
            ),
            # 付則（2024.9.1） → 付則（2024.10.1）.
            ("modified", "supplementary", "suppl:1", "suppl:1", [("2024.9.1", "2024.10.1")]),
            # 付則: 施行 2024年9月1日 → 10月1日, the line （改定） gone, and in the 別表 that
            # follows it: 使い方相談窓 → の相談窓口, 980円/1,078円 → 891円/980円,
            # トラブル駆けつけサポート → メディカルレスキュー.
            (
                "modified",
                "paragraph",
                "suppl:1/para:1",
                "suppl:1/para:1",
                [
                    ("9", "10"),
                    ("(改定)", ""),
                    ("使い方", "の"),
                    ("トラブル駆けつけサポート", "メディカルレスキュー"),
                ],
            ),
        ],
    )
    assert all(r.old_path == r.new_path for r in article_rows(pequod).values())


def test_pequod_price_and_dates(pequod: DocumentDiff) -> None:
    changes = [(p.kind, p.old_text, p.new_text) for p in pequod.parameter_changes]
    assert changes == [
        ("amount", "1,780円", "1,618円"),
        ("amount", "1,958円", "1,780円"),
        ("amount", "980円", "891円"),
        ("amount", "1,078円", "980円"),
        ("date", "2024年9月1日", "2024年10月1日"),
    ]


# --- luco スコマド 利用規約 2023-04-17 → 2024-05-07 ---------------------------------------------


@pytest.fixture(scope="module")
def luco() -> DocumentDiff:
    return pair("003_luco_sucomado_terms", "vA", "vB")


OYOBI = ("および", "及び")
MATA = ("また", "又")
TOSHA = ("当社", "運営会社")


def test_luco_every_edit(luco: DocumentDiff) -> None:
    # Markdown: '## 第 1 条 定義', paragraphs '1.', items '    1.', and beside each article an
    # editorial note in '> ' quotes (重要なポイント) that the segmenter leaves outside the
    # articles: a note is compared as the text of the article it follows.
    assert_edits(
        luco,
        [
            # 前文: といいます第1条 → といいます。第1条, and 諸規定 … 読みかえる added.
            (
                "modified",
                "preamble",
                "preamble",
                "preamble",
                [("", "。"), ("", "読みかえるものとします")],
            ),
            # 第1条 5. 「購入」: 利用者が → 利用者及び運営会社が.
            (
                "modified",
                "item",
                "art:1/para:1/item:5",
                "art:1/para:1/item:5",
                [("", "及び運営会社")],
            ),
            # 第3条's note: スコラボ上で購入素材の使用が可能 →
            # 購入素材をスコラボ上で使用することが可能.
            ("modified", "article", "art:3", "art:3", [("", "すること")]),
            # 第4条's note: 本サービスの提供 → スコマドの提供.
            ("modified", "article", "art:4", "art:4", [("本サービス", "スコマド")]),
            # 第5条's note: プラットフォームであり → ですので; paragraphs 1, 2, 5 および → 及び,
            # 3 または → 又は.
            ("modified", "article", "art:5", "art:5", [("であり", "ですので")]),
            ("modified", "paragraph", "art:5/para:1", "art:5/para:1", [OYOBI]),
            ("modified", "paragraph", "art:5/para:2", "art:5/para:2", [OYOBI]),
            ("modified", "paragraph", "art:5/para:3", "art:5/para:3", [MATA]),
            ("modified", "paragraph", "art:5/para:5", "art:5/para:5", [OYOBI]),
            # 第6条's note: lucoまたは他社 → 、運営会社又は他社; its text: または → 又は.
            ("modified", "article", "art:6", "art:6", [("luco", "運営会社")]),
            ("modified", "paragraph", "art:6/para:1", "art:6/para:1", [MATA]),
            # 第7条's note: lucoまたは → 運営会社又は; paragraphs 2 and 3: および/または.
            ("modified", "article", "art:7", "art:7", [("luco", "運営会社")]),
            ("modified", "paragraph", "art:7/para:2", "art:7/para:2", [OYOBI, MATA]),
            ("modified", "paragraph", "art:7/para:3", "art:7/para:3", [OYOBI, MATA]),
            # 第8条's note: 運営の定める → 運営会社の定める, または → 又は, クリエイターは →
            # クリエイターの方は; a new 6. (運営会社 may buy contents).
            ("modified", "article", "art:8", "art:8", [("", "会社"), MATA, ("", "の方")]),
            ("added", "paragraph", None, "art:8/para:6", []),
            # 第9条 1.: 「スコラボ」利用規約第8条 → 第7条, または → 又は; items 3 and 6
            # または → 又は; 2.: 当社 → 運営会社, または → 又は.
            ("modified", "paragraph", "art:9/para:1", "art:9/para:1", [("第8条", "第7条"), MATA]),
            ("modified", "item", "art:9/para:1/item:3", "art:9/para:1/item:3", [MATA]),
            ("modified", "item", "art:9/para:1/item:6", "art:9/para:1/item:6", [MATA]),
            ("modified", "paragraph", "art:9/para:2", "art:9/para:2", [TOSHA, MATA]),
            # 第10条's note: 素材も禁止 → 素材も出品を禁止.
            ("modified", "article", "art:10", "art:10", [("", "出品を")]),
            # 第11条: または → 又は, in its text and in item 4.
            ("modified", "paragraph", "art:11/para:1", "art:11/para:1", [MATA]),
            ("modified", "item", "art:11/para:1/item:4", "art:11/para:1/item:4", [MATA]),
            # 第12条's note: 素材出品には → 素材出品を行うには、.
            ("modified", "article", "art:12", "art:12", [("", "を行う")]),
            # 第13条's note: 売上の過払い, クリエイターの方による; 1. and 6. 当社 → 運営会社;
            # 2., 5., 7. add the monthly cut-off; 8. (no withdrawing a transfer request) is
            # gone, 9.–12. become 8.–11., the new 8. adds ただし…優遇; a new 12. (unpaid sales
            # lapse after 6か月); 15. および → 及び.
            (
                "modified",
                "article",
                "art:13",
                "art:13",
                [("", "売上の"), ("", "クリエイターの方による")],
            ),
            ("modified", "paragraph", "art:13/para:1", "art:13/para:1", [TOSHA]),
            (
                "modified",
                "paragraph",
                "art:13/para:2",
                "art:13/para:2",
                [("", "月の1日から末日までの"), ("", "翌月1日に")],
            ),
            ("modified", "paragraph", "art:13/para:5", "art:13/para:5", [("", "月の1日時点で")]),
            ("modified", "paragraph", "art:13/para:6", "art:13/para:6", [TOSHA]),
            ("modified", "paragraph", "art:13/para:7", "art:13/para:7", [("", "月の1日時点で")]),
            ("deleted", "paragraph", "art:13/para:8", None, []),
            (
                "modified",
                "paragraph",
                "art:13/para:9",
                "art:13/para:8",
                [("", "優遇することがあります")],
            ),
            ("added", "paragraph", None, "art:13/para:12", []),
            ("modified", "paragraph", "art:13/para:15", "art:13/para:15", [OYOBI]),
            # 第14条: または → 又は, in its text and in items 1, 5 and 6.
            ("modified", "paragraph", "art:14/para:1", "art:14/para:1", [MATA]),
            ("modified", "item", "art:14/para:1/item:1", "art:14/para:1/item:1", [MATA]),
            ("modified", "item", "art:14/para:1/item:5", "art:14/para:1/item:5", [MATA]),
            ("modified", "item", "art:14/para:1/item:6", "art:14/para:1/item:6", [MATA]),
            # 第15条's note: 会社が → 運営会社が, 返金行います → 返金対応を行います; 2.: と運営会社
            # が合理的に判断した gone, または → 又は, なお…適用されない added.
            ("modified", "article", "art:15", "art:15", [("", "運営"), ("", "対応を")]),
            (
                "modified",
                "paragraph",
                "art:15/para:2",
                "art:15/para:2",
                [("と運営会社が合理的に判断した", ""), MATA, ("", "消費者契約法")],
            ),
            # 第16条 3.: サービスの内容 → 本個別サービスの内容, および/または, なお… added.
            (
                "modified",
                "paragraph",
                "art:16/para:3",
                "art:16/para:3",
                [("", "本個別"), OYOBI, MATA],
            ),
            # 第17条's note: 運営会社が added; 1.: 当社の裁量 → 運営会社の裁量.
            ("modified", "article", "art:17", "art:17", [("", "運営会社が")]),
            ("modified", "paragraph", "art:17/para:1", "art:17/para:1", [TOSHA]),
            # 第18条 4.: 「スコラボ」利用規約及び本個別規約 gone.
            (
                "modified",
                "item",
                "art:18/para:1/item:4",
                "art:18/para:1/item:4",
                [("「スコラボ」利用規約及び本個別規約", "")],
            ),
            # 第19条's note: 運営会社が → 運営会社は; 1.: クリエイターは、 added, 「スコラボ」…
            # gone, 当社 → 運営会社, 判断じた → 判断した; 2. and 3.: 当社 → 運営会社.
            ("modified", "article", "art:19", "art:19", [("が", "は")]),
            (
                "modified",
                "paragraph",
                "art:19/para:1",
                "art:19/para:1",
                [("", "クリエイターは、"), ("「スコラボ」利用規約及び本個別規約", ""), TOSHA],
            ),
            ("modified", "paragraph", "art:19/para:2", "art:19/para:2", [TOSHA]),
            ("modified", "paragraph", "art:19/para:3", "art:19/para:3", [TOSHA]),
            # After the last article: 2024年05月07日 改定 added above 2023年04月17日制定.
            ("modified", "closing", "closing", "closing", [("", "2024年05月07日改定")]),
        ],
    )
    deleted = luco.edits[[e.status for e in luco.edits].index("deleted")]
    assert deleted.renumbered == [
        (f"art:13/para:{n}", f"art:13/para:{n - 1}") for n in range(9, 13)
    ]
    assert "第13条" in deleted.summary
    periods = [p for p in luco.parameter_changes if p.kind == "period"]
    assert [(p.new_path, p.new_text) for p in periods] == [("art:13/para:12", "6か月")]


# --- LINE予約配信システム利用規約 2023-10-17 → 2024-02-27 (../shared/realworld, 014) -------------
# A decimal outline with no 第N条: in vA every number stands on its own line ('1', '1.1'), in vB
# it leads its text ('１. ', '1.1. '). Read with the two files side by side (numbers put aside),
# the wording differs in three places; '14に定める' → '14.に定める' (13.5) is notation.

LINE_A = REALWORLD / "014_line_yoyaku_haishin_terms_vA.txt"
LINE_B = REALWORLD / "014_line_yoyaku_haishin_terms_vB.txt"


@pytest.mark.skipif(not LINE_A.is_file(), reason=f"real-world files not present at {LINE_A}")
def test_line_decimal_outline_every_edit() -> None:
    result = diff(parse_file(LINE_A), parse_file(LINE_B))
    assert_edits(
        result,
        [
            # 1.1.1 当社に対し、虚偽の情報を提供したとき: new (vA's list began at 1.1.2, and
            # 1.1.2–1.1.4 keep their numbers).
            ("added", "item", None, "art:1/para:1/item:1", []),
            # 1.2: …同意を得たうえでLステップを利用 → LINE予約配信システムを利用.
            (
                "modified",
                "paragraph",
                "art:1/para:2",
                "art:1/para:2",
                [("Lステップ", "LINE予約配信システム")],
            ),
            # 17.3 (termination for breach of 17.1/17.2) is gone.
            ("deleted", "paragraph", "art:17/para:3", None, []),
        ],
    )
    assert result.edits[0].renumbered == []
    assert result.edits[1].summary.startswith("1.2 ")
    assert result.parameter_changes == []


# --- A bundle: HOZON利用規約 and the other pequod terms in one page (../shared/realworld, 002) ---


BUNDLE = REALWORLD / "002_pequod_hozon_bundle.txt"


@pytest.mark.skipif(not BUNDLE.is_file(), reason=f"real-world file not present at {BUNDLE}")
def test_bundle_is_compared_document_by_document() -> None:
    # A next version of the bundle made by two edits: the ライフレスキュー24 terms (lines
    # 1185–1380 of the file, up to the メディカルレスキュー title) taken out, and in
    # メディカルレスキュー 第3条 当社指定の第三者 → 当社が指定する第三者 (its first occurrence:
    # ウォーターサーバーの相談窓口 第3条 has the same words and stays). Every other document is
    # word for word the same, its 第N条 references included, though each restarts at 第1条.
    old = parse_file(BUNDLE)
    lines = BUNDLE.read_text(encoding="utf-8").split("\n")
    assert lines[1184] == "ライフレスキュー24における生活トラブルサポートサービスご利用規約"
    assert lines[1380] == "メディカルレスキュー 利用規約"
    rest = "\n".join(lines[1380:]).replace(
        "当社は当社指定の第三者に", "当社は当社が指定する第三者に", 1
    )
    new = parse_bytes("\n".join([*lines[:1184], rest]).encode("utf-8"), "bundle-next.txt")
    result = diff(old, new)
    titles = {part.path: part.title for part in old.parts}
    medical = next(path for path, title in titles.items() if title and "メディカル" in title)
    gone = next(path for path, title in titles.items() if title and "ライフレスキュー" in title)
    moved_up = f"part:{int(medical.split(':')[1]) - 1}"
    assert_edits(
        result,
        [
            ("deleted", "part", gone, None, []),
            (
                "modified",
                "paragraph",
                f"{medical}/art:3/para:1",
                f"{moved_up}/art:3/para:1",
                [("", "が"), ("の", "する")],
            ),
        ],
    )
    assert result.edits[1].summary.startswith(f"〔{titles[medical]}〕第3条")
    # The values of the document taken out go with it, each named with its document.
    assert result.parameter_changes
    assert all(p.label.startswith(f"〔{titles[gone]}〕") for p in result.parameter_changes)
    assert all(p.new_text is None for p in result.parameter_changes)


# --- 別表 and the closing line: 旅行業約款 受注型企画旅行契約の部 (../shared/realworld, 018) ---


TRAVEL = REALWORLD / "018_jtc_juchugata_kikaku_ryoko_yakkan_pdf.txt"


@pytest.mark.skipif(not TRAVEL.is_file(), reason=f"real-world file not present at {TRAVEL}")
def test_appendix_and_closing_are_compared() -> None:
    # A next version made by two edits after the last article: in 別表第二 (変更補償金) row 四
    # (運送機関の種類又は会社名の変更) the rates １．０ / ２．０ become １．５ / ３．０, and the
    # closing line 2020 年 8 月 1 日改正 becomes 2024 年 4 月 1 日改正.
    old = parse_file(TRAVEL)
    text = TRAVEL.read_text(encoding="utf-8")
    row, dated = "会社名の変更             １．０      ２．０", "2020 年 8 月 1 日改正"
    assert text.count(row) == 1 and text.count(dated) == 1
    text = text.replace(row, "会社名の変更             １．５      ３．０")
    text = text.replace(dated, "2024 年 4 月 1 日改正")
    result = diff(old, parse_bytes(text.encode("utf-8"), "travel-next.txt"))
    assert_edits(
        result,
        [
            (
                "modified",
                "item",
                "appx:2/item:4",
                "appx:2/item:4",
                [("1.0", "1.5"), ("2.0", "3.0")],
            ),
            ("modified", "closing", "closing", "closing", [("2020", "2024"), ("8", "4")]),
        ],
    )
    assert result.edits[0].summary.startswith("別表第二四 ")


TEHAI = REALWORLD / "019_jtc_tehai_ryoko_yakkan_pdf.txt"


@pytest.mark.skipif(not TEHAI.is_file(), reason=f"real-world file not present at {TEHAI}")
def test_a_citation_of_no_article_of_the_document_is_the_same_words() -> None:
    # 旅行業約款 手配旅行契約の部 has 第一条–第二十五条; its 第25条 note cites 第三十一条第二項
    # (of the 旅行業法): a document against itself has no edit.
    document = parse_file(TEHAI)
    assert document.article("31") is None
    assert "第三十一条第二項" in document.text
    result = diff(document, document)
    assert result.edits == [] and result.parameter_changes == []
