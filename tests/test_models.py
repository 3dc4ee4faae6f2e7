"""The model's own rules: an article's label and the walk over a document's provisions."""

from __future__ import annotations

import pytest

from pipeline.models import Article, Item, Paragraph, article_label
from pipeline.text.titles import plain_title, same_title


@pytest.mark.parametrize(
    ("number", "style", "label"),
    [
        ("13", "article", "第13条"),
        ("5-2", "article", "第5条の2"),
        ("5-2-3", "article", "第5条の2の3"),
        ("3", "numbered-section", "3."),
        ("4-2", "decimal-outline", "4の2."),
    ],
)
def test_article_label(number, style, label):
    assert article_label(number, style) == label


def test_iter_nodes_walks_nas_in_document_order(structure_docs):
    """NAS as read: preamble first, 第1条 then its paragraph, every article's paragraphs and
    items under it, 附則 last; each node once."""
    doc = structure_docs["nas"]
    nodes = list(doc.iter_nodes())
    paths = [n.path for n in nodes]
    assert len(paths) == len(set(paths))
    assert paths[0] == "preamble"
    assert paths[1:3] == ["art:1", "art:1/para:1"]
    starts = [n.span.start for n in nodes]
    assert starts == sorted(starts)
    articles = [n for n in nodes if isinstance(n, Article)]
    assert [a.number for a in articles] == [a.number for a in doc.articles]
    paragraphs = [n for n in nodes if isinstance(n, Paragraph)]
    expected = sum(len(a.paragraphs) for a in doc.articles) + sum(
        len(s.paragraphs) for s in doc.supplementary
    )
    assert len(paragraphs) == expected

    def count(items: list[Item]) -> int:
        return sum(1 + count(i.items) for i in items)

    holders = [p for a in doc.articles for p in a.paragraphs]
    holders += [p for s in doc.supplementary for p in s.paragraphs]
    assert sum(isinstance(n, Item) for n in nodes) == sum(count(p.items) for p in holders)
    # The 13th article read is corpus/nas/source.txt line 129 '第 13 条 利用の停止' (第8条 runs on
    # at the end of line 110, after 第7条's sentence).
    assert doc.articles[12].label == "第13条"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("利用の停止", "(利用の停止)", True),
        ("（利用の停止）", "【利用の停止】", True),
        ("利 用 の 停 止", "利用の停止", True),
        ("利用の停止", "利用の制限", False),
        (None, "利用の停止", False),
        ("", "", False),
    ],
)
def test_same_title(a, b, same):
    assert same_title(a, b) is same


def test_plain_title_folds_width():
    assert plain_title("（ＮＡＳの定義）") == "NASの定義"


def test_the_package_exports_every_public_name_of_its_modules():
    """`from pipeline.models import X` works for every X its modules define (the package is
    split by concept, the import stays one)."""
    import ast
    import importlib
    from pathlib import Path

    import pipeline.models as models

    files = sorted(p for p in Path(models.__file__).parent.glob("*.py") if p.stem != "__init__")
    assert {"base", "structure", "values", "reports"} <= {p.stem for p in files}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [n.name for n in tree.body if isinstance(n, ast.ClassDef | ast.FunctionDef)]
        defined += [
            t.id
            for n in tree.body
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        ]
        public = [name for name in defined if not name.startswith("_")]
        missing = [name for name in public if name not in models.__all__]
        assert missing == [], f"pipeline.models.{path.stem} defines {missing}, not exported"
        module = importlib.import_module(f"pipeline.models.{path.stem}")
        for name in public:
            assert getattr(models, name) is getattr(module, name)
