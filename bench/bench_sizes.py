"""Time against input size: the structure stage of one 10 MB text beside ten 1 MB texts.

The texts are generated from the NAS corpus text: its articles (with their paragraphs, items
and references) repeated in order and renumbered 第1条, 第2条, ... so that a long document is
one ascending sequence of articles, as a real one would be. The structure stage is everything
after ingestion but the extractors: normalize, the offset locator, segment, metadata and
versions (`parse_raw(raw, extract=False)`). Linear time means the 10 MB text takes about ten
times one 1 MB text: the figure reported is the ratio t(10 MB) / (10 × t(1 MB)), measured in
one process, runs taking turns (bench/timing.py); the issue asks for at most 1.5.

With --extract, the whole parse (extractors and resolution too) is timed the same way on
1 MB and 2 MB texts (a 10 MB whole parse takes minutes on a loaded machine).

With --memory, each size runs instead in a child process of its own, which reports the memory
the stage added to the process at its peak (peak RSS minus the RSS once the text is ingested);
the ratio is again large / (factor × small).

Run: .venv/bin/python bench/bench_sizes.py [--repeats N] [--small MB] [--large MB] [--extract]
     [--memory]
Writes bench/results/bench_sizes.json and bench/results/bench_sizes.txt.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from timing import rounds

from pipeline.ingest.sources import ingest_bytes
from pipeline.models import RawDocument
from pipeline.process import parse_raw

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SOURCE = ROOT / "corpus" / "nas" / "source.txt"
_ARTICLE = re.compile(
    r"^第[0-9０-９〇一二三四五六七八九十百]+条(?:の[0-9０-９一二三四五六七八九十]+)?", re.M
)


def generated_text(megabytes: float) -> str:
    """A terms text of about `megabytes` MB: the NAS articles repeated and renumbered."""
    text = SOURCE.read_text(encoding="utf-8")
    starts = [m.start() for m in _ARTICLE.finditer(text)]
    end = text.find("\n附則")
    blocks = [
        _ARTICLE.sub("", text[a:b], count=1)
        for a, b in zip(starts, [*starts[1:], end if end > 0 else len(text)], strict=True)
    ]
    target = int(megabytes * 1024 * 1024)
    out: list[str] = [text[: starts[0]]]
    size = len(out[0].encode("utf-8"))
    number = 0
    while size < target:
        for block in blocks:
            number += 1
            piece = f"第{number}条{block}"
            out.append(piece)
            size += len(piece.encode("utf-8"))
            if size >= target:
                break
    return "".join(out)


def raw_document(megabytes: float) -> RawDocument:
    """The generated text of that size, ingested."""
    data = generated_text(megabytes).encode("utf-8")
    return ingest_bytes(data, f"generated-{megabytes:g}MB.txt")


def _rss_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def child(megabytes: float, extract: bool) -> None:
    """Run one size and print the memory the stage added at its peak, in MB."""
    raw = raw_document(megabytes)
    before = _rss_mb()
    parse_raw(raw, extract=extract)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"added_mb": round(peak - before, 1)}))


def memory(args: argparse.Namespace) -> None:
    """Peak memory of each size, each in a fresh child process, and the ratio."""
    added = {}
    for size in (args.small, args.large):
        command = [sys.executable, __file__, "--child", str(size)]
        out = subprocess.run(
            [*command, *(["--extract"] if args.extract else [])],
            capture_output=True,
            text=True,
            check=True,
        )
        added[size] = json.loads(out.stdout.strip().splitlines()[-1])["added_mb"]
    factor = args.large / args.small
    ratio = added[args.large] / (factor * added[args.small])
    stage = "whole parse" if args.extract else "structure stage"
    line = (
        f"{stage} memory: {args.small:g} MB text +{added[args.small]:.0f} MB,"
        f" {args.large:g} MB text +{added[args.large]:.0f} MB; ratio {ratio:.2f} (linear: 1.0)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "bench_sizes_memory" + ("_extract" if args.extract else "")
    (RESULTS / f"{name}.txt").write_text(line + "\n")
    print(line)


def main() -> None:
    """Time the structure stage (or the whole parse) at two sizes and report the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--small", type=float, default=1.0)
    parser.add_argument("--large", type=float, help="MB (default 10; 2 with --extract)")
    parser.add_argument("--extract", action="store_true", help="time the whole parse")
    parser.add_argument("--memory", action="store_true", help="peak memory, not time")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.extract)
        return
    if args.large is None:
        args.large = 2.0 if args.extract else 10.0
    if args.memory:
        memory(args)
        return
    small, large = raw_document(args.small), raw_document(args.large)
    articles = {}

    def run(raw: RawDocument) -> object:
        document = parse_raw(raw, extract=args.extract)
        articles[raw.source.path] = len(document.articles)
        return document

    times = rounds([lambda: run(small), lambda: run(large)], args.repeats)
    t_small, t_large = statistics.median(times[0]), statistics.median(times[1])
    factor = args.large / args.small
    ratio = statistics.median(b / (factor * a) for a, b in zip(*times, strict=True))
    stage = "whole parse" if args.extract else "structure stage"
    result = {
        "stage": stage,
        "python": platform.python_version(),
        "repeats": args.repeats,
        "small_mb": args.small,
        "large_mb": args.large,
        "small_seconds": round(t_small, 2),
        "large_seconds": round(t_large, 2),
        "articles": articles,
        "ratio_large_to_scaled_small": round(ratio, 2),
    }
    lines = [
        f"{stage}: {args.small:g} MB {t_small:.2f} s, {args.large:g} MB {t_large:.2f} s"
        f" ({articles[small.source.path]} and {articles[large.source.path]} articles)",
        f"ratio t({args.large:g} MB) / ({factor:g} × t({args.small:g} MB)) = {ratio:.2f}"
        " (linear: 1.0; the issue asks for at most 1.5)",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "_extract" if args.extract else ""
    (RESULTS / f"bench_sizes{suffix}.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / f"bench_sizes{suffix}.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
