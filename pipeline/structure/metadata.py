"""Document metadata read from the title block: title, version, effective date, family."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.families import family_of_title
from pipeline.models import Document, DocumentPart

_TITLE_WORDS = re.compile(r"(約款|規約|規程|規定|条件書?|ポリシー|契約書|約定書|ガイドライン)」?$")
_VERSION = re.compile(r"(Ver\.?\s*\d+(?:\.\d+)*|第\s*\d+\s*版)", re.IGNORECASE)
_WESTERN_DATE = re.compile(
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:現在|改定|改訂|制定|施行|実施|発効|版)"
)


def title_block(document: Document | DocumentPart) -> list[str]:
    """The preamble's lines up to the first sentence (the block before the body text)."""
    if document.preamble is None:
        return []
    lines = []
    for line in document.preamble.text.split("\n"):
        lines.append(line.strip())
    return [line for line in lines if line]


def read_title(lines: list[str]) -> str | None:
    """The first title-like line: ends with 約款/規約/条件…, no sentence punctuation."""
    for line in lines:
        candidate = re.sub(r"^[「『]|[」』]$", "", line.strip())
        candidate = re.sub(r"\s*[(（]\s*Ver[^)）]*[)）]\s*$", "", candidate, flags=re.IGNORECASE)
        if "。" in candidate or "、" in candidate:
            continue
        # '旅行条件書（受注型企画旅行）': a bracketed qualifier may follow the title words.
        core = re.sub(r"\s*[(（][^()（）]*[)）]$", "", candidate)
        if (_TITLE_WORDS.search(candidate) or _TITLE_WORDS.search(core)) and len(candidate) <= 60:
            return candidate
    return None


def read_version(lines: list[str]) -> str | None:
    """A version label such as 'Ver1.6' in the title block."""
    for line in lines:
        if m := _VERSION.search(line):
            return re.sub(r"\s", "", m.group(1)).replace("ver.", "Ver").replace("ver", "Ver")
    return None


def read_effective_date(lines: list[str]) -> dt.date | None:
    """A date the title block states the text is current from ('2022年4月1日現在')."""
    for line in lines:
        if m := _WESTERN_DATE.search(line):
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                return None
    return None


def annotate(document: Document) -> Document:
    """Fill title, version, effective date and family from the document's own title block.

    A bundle's parts get their own titles; the bundle is labelled by its first part.
    """
    if document.parts:
        parts = [
            part.model_copy(update={"title": read_title(title_block(part))})
            for part in document.parts
        ]
        lines = title_block(parts[0])
        document = document.model_copy(update={"parts": parts})
    else:
        lines = title_block(document)
    title = read_title(lines)
    return document.model_copy(
        update={
            "title": title,
            "version": read_version(lines),
            "effective_date": read_effective_date(lines),
            "family": family_of_title(title),
        }
    )
