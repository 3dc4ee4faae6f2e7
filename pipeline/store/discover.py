"""Discovery: the files a batch processes, and the content hash that tells a stored file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pipeline.ingest.sources import DEFAULT_MAX_BYTES, open_input
from pipeline.models import YakkanError

SUFFIXES = (".pdf", ".txt")
"""File suffixes discovered in folders; files named explicitly are taken whatever their suffix."""


def discover(inputs: Iterable[str | Path]) -> list[Path]:
    """The files to process: folders searched recursively for PDFs and text files, files as given.

    Entries named like documents that are not regular files (a FIFO, a device, a broken link or
    a symbolic link loop) are kept, so the batch reports each of them instead of skipping it
    silently. Raises YakkanError for an input that does not exist.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            raise YakkanError(str(path), "no such file or folder")
        for candidate in candidates:
            try:
                key = candidate.resolve()
            except (OSError, RuntimeError):  # a symbolic link loop: reported when it is read
                key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def sha256_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The hex sha256 of a regular file's bytes, read in chunks; anything `read_input` refuses
    (a FIFO, a device, a link loop, a file over `max_bytes`) is an IngestError."""
    digest = hashlib.sha256()
    with open_input(path, max_bytes=max_bytes) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
