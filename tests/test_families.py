"""The family registry: families come from the `yakkan.families` entry points, and a family
installed as a package of its own is detected and checked with its own rule model."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline import families
from pipeline.models import RulesError
from pipeline.process import parse_bytes
from pipeline.rules import rules_for, validate

EXTRA_FAMILY = """
from pipeline.families import Family

FAMILY = Family(name="extra_terms", title="テスト会員約款", rules=f"{__name__}.rules:RULES")
"""

EXTRA_RULES = """
from pipeline.rules import Parameter, RuleModel, Select, percentage

RULES = RuleModel(
    name="extra_terms",
    family="extra_terms",
    parameters=[
        Parameter(
            name="late_payment_interest_rate",
            description="第2条 遅延損害金: per year",
            select=Select(article="2", title="遅延損害金"),
            expect=percentage(14.5, basis="year"),
        )
    ],
)
"""

EXTRA_DOCUMENT = """テスト会員約款

第1条（目的）
本約款は、会員サービスの利用条件を定めるものとします。

第2条（遅延損害金）
会員は、支払期日を過ぎた料金について、年14.5%の割合による遅延損害金を支払うものとします。
"""


def install(site: Path, name: str, entry_points: str) -> None:
    """A distribution's metadata as pip writes it: a dist-info folder with its entry points."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path to install distributions into; the registry is read again after."""
    monkeypatch.syspath_prepend(str(tmp_path))  # also invalidates importlib's caches
    families.refresh()
    yield tmp_path
    families.refresh()
    for module in [m for m in sys.modules if m.startswith("yakkan_extra")]:
        del sys.modules[module]


def test_the_bundled_families_are_registered_with_their_data() -> None:
    registered = families.registered()
    assert {"nas", "nec"} <= set(registered)
    nas = registered["nas"]
    assert nas.title == "日経統合システム(NAS)サービス契約約款"
    assert nas.data is not None and (nas.data / "source.txt").is_file()
    assert nas.expectations["structure"].name == "expected_structure.json"
    assert families.family_of_title("日経統合システム(NAS) サービス契約約款") == "nas"
    assert families.family_of_title("SupportPack サービス実施条件") == "nec"
    assert families.family_of_title("どこかの利用規約") is None


def test_listing_the_families_does_not_import_their_rule_models() -> None:
    probe = (
        "import sys; from pipeline import families; families.registered(); "
        "print(sorted(m for m in sys.modules if m.startswith('corpus.') and m.endswith('.rules')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_an_installed_family_is_listed_detected_and_its_rules_used(site: Path) -> None:
    package = site / "yakkan_extra_family"
    package.mkdir()
    (package / "__init__.py").write_text(EXTRA_FAMILY)
    (package / "rules.py").write_text(EXTRA_RULES)
    install(
        site, "yakkan_extra_family", "[yakkan.families]\nextra_terms = yakkan_extra_family:FAMILY\n"
    )

    assert {"extra_terms", "nas", "nec"} <= set(families.registered())
    document = parse_bytes(EXTRA_DOCUMENT.encode("utf-8"), "member.txt")
    assert (document.title, document.family) == ("テスト会員約款", "extra_terms")
    report = validate(document, rules_for(document))
    assert report.rule_model == "extra_terms"
    (result,) = report.parameters
    assert (result.status, result.found and result.found.path) == ("passed", "art:2/para:1")


def test_a_family_that_does_not_load_is_one_error_naming_it(site: Path) -> None:
    install(
        site, "yakkan_extra_broken", "[yakkan.families]\nbroken = yakkan_extra_missing:FAMILY\n"
    )
    with pytest.raises(RulesError, match="family 'broken' does not load"):
        families.registered()
