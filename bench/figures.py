"""The figures a benchmark reports against its goal, kept for `bench/report.py`'s one table.

Each benchmark writes `bench/results/<name>.figures.json`: a list of figures, each with its
measured value, the floor (or ceiling) the goal sets, and which way is better. The report
reads every such file and prints one table with the ratio of each figure to its goal.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its goal: `value` must be `goal` (>= or <=) `limit`."""

    name: str
    value: float
    limit: float
    goal: Literal[">=", "<="]
    unit: str = ""
    note: str = ""

    @property
    def ratio(self) -> float:
        """How far the figure is from its limit, > 1 when the goal is met (either direction)."""
        if self.goal == ">=":
            return self.value / self.limit if self.limit else float("inf")
        return self.limit / self.value if self.value else float("inf")

    @property
    def met(self) -> bool:
        """Whether the goal is met."""
        return self.value >= self.limit if self.goal == ">=" else self.value <= self.limit


def write_figures(bench: str, figures: list[Figure]) -> Path:
    """Store `figures` as bench/results/<bench>.figures.json, with the time of the run."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{bench}.figures.json"
    data = {
        "bench": bench,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "figures": [asdict(f) for f in figures],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_figures(path: Path) -> tuple[str, str, list[Figure]]:
    """(bench, when, figures) from a figures file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["bench"], data["when"], [Figure(**f) for f in data["figures"]]
