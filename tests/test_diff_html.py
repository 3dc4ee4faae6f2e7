"""The HTML 新旧対照表: self-contained, escaped, and two columns when a browser draws it.

The browser checks use headless Chromium (Debian's `chromium`); they skip with a message where
it is not installed, as on a fresh CI machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NAS, SHARED_VERSIONS
from test_diff import build_version

from pipeline.diff.compare import diff
from pipeline.diff.render import diff_html, diff_markdown, render
from pipeline.models import Document, DocumentDiff
from pipeline.process import parse_bytes, parse_file

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (Debian package: chromium)"
)
INJECTED = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'
"""Put into a synthetic NAS version's 第24条 to check it is shown as text and never run."""

NEW_MARK = (0xFF, 0xF3, 0xC4)  # .new .chg background in diff_render's CSS
OLD_MARK = (0xE8, 0xEE, 0xFC)  # .old .chg background


@pytest.fixture(scope="module")
def nas(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["nas"]


@pytest.fixture(scope="module")
def combined(nas: Document) -> DocumentDiff:
    return diff(nas, parse_bytes(build_version("combined").encode("utf-8"), "synthetic.txt"))


@pytest.fixture(scope="module")
def injected(nas: Document) -> DocumentDiff:
    text = NAS.read_text(encoding="utf-8").replace("年14.5%の割合", f"年14.6%{INJECTED}の割合")
    return diff(nas, parse_bytes(text.encode("utf-8"), "synthetic-injected.txt"))


def chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_html_is_self_contained(combined: DocumentDiff) -> None:
    html = diff_html(combined)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(""", html)
    # 新 on the left, 旧 on the right, parameters summarised before the table.
    assert html.index("新（改定後）") < html.index("旧（改定前）")
    assert html.index("変更されたパラメータ") < html.index('<table class="taisho">')
    assert '<span class="chg">14.6</span>' in html and '<span class="chg">14.5</span>' in html
    assert "（新設）" in html  # the inserted 第6条 has no old side


def test_document_text_is_escaped(injected: DocumentDiff) -> None:
    html = diff_html(injected)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in html
    markdown = diff_markdown(injected)
    assert "<script>" not in markdown


def test_render_formats(combined: DocumentDiff) -> None:
    assert DocumentDiff.model_validate_json(render(combined, "json")) == combined
    assert render(combined, "md").startswith("# 新旧対照")
    with pytest.raises(ValueError, match="unknown diff format"):
        render(combined, "pdf")


@needs_chromium
def test_injected_script_is_shown_not_run(injected: DocumentDiff, tmp_path: Path) -> None:
    page = tmp_path / "injected.html"
    page.write_text(diff_html(injected), encoding="utf-8")
    result = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert result.returncode == 0, result.stderr[-500:]
    dom = result.stdout
    assert (
        "<title>新旧対照表 " in dom and "pwned</title>" not in dom and "<title>1</title>" not in dom
    )
    assert '&lt;script&gt;document.title="pwned"&lt;/script&gt;' in dom
    assert "<img" not in dom


@needs_chromium
def test_screenshot_shows_both_columns(combined: DocumentDiff, tmp_path: Path) -> None:
    from PIL import Image

    page = tmp_path / "taisho.html"
    page.write_text(diff_html(combined), encoding="utf-8")
    shot = tmp_path / "taisho.png"
    result = chromium(["--window-size=1280,1600", f"--screenshot={shot}", page.as_uri()], tmp_path)
    assert shot.exists(), result.stderr[-500:]
    image = Image.open(shot).convert("RGB")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    # Changed parts are marked in each column with its own colour: 新 (left) and 旧 (right).
    left = right = 0
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            colour = pixels[x, y]
            if colour == NEW_MARK:
                assert x < width // 2, "新 marks must be in the left column"
                left += 1
            elif colour == OLD_MARK:
                assert x >= width // 2, "旧 marks must be in the right column"
                right += 1
    assert left > 50, "no 新 (left column) marks drawn"
    assert right > 50, "no 旧 (right column) marks drawn"


COCOA_A = SHARED_VERSIONS / "017_mhlw_cocoa_terms_vA.txt"
COCOA_B = SHARED_VERSIONS / "017_mhlw_cocoa_terms_vB.txt"
needs_versions = pytest.mark.skipif(
    not COCOA_A.is_file(), reason=f"real version files not present at {SHARED_VERSIONS}"
)


def visible_text(html: str) -> str:
    """What a reader sees: the page without its style sheet and tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))


@pytest.fixture(scope="module")
def cocoa() -> DocumentDiff:
    return diff(parse_file(COCOA_A), parse_file(COCOA_B))


@needs_versions
def test_labels_are_japanese_and_english_on_request(cocoa: DocumentDiff) -> None:
    ja = visible_text(diff_html(cocoa))
    for label in ("新（改定後）", "旧（改定前）", "〔追加〕", "〔変更〕", "条番号変更", "期間"):
        assert label in ja, label
    for word in ("added", "deleted", "modified", "renumbered", "period", "(none)"):
        assert word not in ja, word
    en = diff_html(cocoa, lang="en")
    assert en.startswith('<!DOCTYPE html>\n<html lang="en">')
    for label in ("New (amended)", "Old (before)", "〔added〕", "〔modified〕", "renumbered"):
        assert label in visible_text(en), label


@needs_chromium
@needs_versions
def test_real_pair_screenshot_shows_both_columns_in_japanese(
    cocoa: DocumentDiff, tmp_path: Path
) -> None:
    # COCOA vA → vB: a new 第7条 and wording changes; the page as a browser draws it. The PNG
    # stays in the test's tmp_path for a person to look at.
    page = tmp_path / "cocoa.html"
    page.write_text(diff_html(cocoa), encoding="utf-8")
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path).stdout
    assert "<th>新（改定後）</th><th>旧（改定前）</th>" in dom
    assert "〔追加〕第7条 アプリ利用者のサポート" in dom
    shot = tmp_path / "cocoa.png"
    # Tall enough to reach the 対照表 under the parameters, defined terms and changes.
    result = chromium(["--window-size=1280,3000", f"--screenshot={shot}", page.as_uri()], tmp_path)
    assert shot.exists(), result.stderr[-500:]
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    width, height = image.size
    left = right = 0
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            colour = image.getpixel((x, y))
            left += colour == NEW_MARK and x < width // 2
            right += colour == OLD_MARK and x >= width // 2
    assert left > 50 and right > 50, (left, right)
