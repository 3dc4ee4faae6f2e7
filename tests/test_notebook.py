"""The tour notebook runs top to bottom on the bundled corpus, so it cannot go stale."""

from __future__ import annotations

import ipykernel  # noqa: F401 - the kernel the notebook runs in must be importable here
import nbformat
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOK = ROOT / "notebooks" / "yakkan_tour.ipynb"


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return str(data.get("text/plain", "")) + str(data.get("text/html", ""))


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


def test_the_tour_runs_and_shows_structure_parameters_report_and_chart() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # "python3" is the kernel of the interpreter running the tests (the venv's).
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    text = "\n".join(_text(o) for o in outputs)
    # The corpus: NEC and NAS, each as text and as PDF; none fails.
    assert "processed 4, skipped as unchanged 0, failed 0" in text
    # The structure of the NAS terms: 第1章 総則 opens with 第1条 約款の適用.
    assert "第1章 総則" in text
    assert "第1条 約款の適用" in text
    # The parameters table and the report name NAS 第24条's late-payment rate.
    assert "<table>" in text
    assert "late_payment_interest_rate" in text
    assert "rule model nas" in text
    # The running service answers with the same rate (the cell starts and stops `yakkan serve`).
    assert "served: nas Ver1.6: 14.5% a year at art:24/para:1" in text
    # The chart of extraction counts per article.
    assert any("image/png" in o.get("data", {}) for o in outputs)
