"""Structure stage (ingest → normalize → segment, no extractors) against input size.

A model-bylaws document: 80 articles, then a commentary section after them that grows from
75 KB to 600 KB. Each size is timed in interleaved rounds in this process, and the time per
KB is compared with the smallest size's: a linear stage keeps the ratio near 1, a quadratic one
doubles it with every doubling of the input.

    .venv/bin/python bench/bench_structure.py
    .venv/bin/python bench/bench_structure.py --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time

from timing import rounds

from pipeline.process import parse_bytes

ARTICLES = "".join(
    f"第{n}条（見出し{n}）\n会員は、この規約に従うものとします。\n2 前項の規定は準用します。\n"
    for n in range(1, 81)
)
NOTE = "この規定は、会員の利便のために設けられたものであり、解釈の指針を示すものです。\n"


def bylaws(commentary_kb: int) -> bytes:
    """The document with about `commentary_kb` KB of commentary after its articles."""
    note = NOTE.encode("utf-8")
    lines = commentary_kb * 1024 // len(note)
    return ("模範規約\n" + ARTICLES + "解説\n" + NOTE * lines).encode("utf-8")


def main() -> None:
    """Print the time per KB of each size relative to the smallest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [75, 150, 300, 600]
    documents = [bylaws(kb) for kb in sizes]
    runs = [
        (lambda data=data: parse_bytes(data, "bylaws.txt", extract=False)) for data in documents
    ]
    times = rounds(runs, args.repeat, clock=time.process_time)
    per_kb = [statistics.median(t) / (len(d) / 1024) for t, d in zip(times, documents, strict=True)]
    for kb, data, t, unit in zip(sizes, documents, times, per_kb, strict=True):
        print(
            f"{len(data) / 1024:7.0f} KB  {statistics.median(t):6.3f} s"
            f"  per KB x{unit / per_kb[0]:.2f} of the smallest  (commentary {kb} KB)"
        )


if __name__ == "__main__":
    main()
