"""Version history (改定履歴) as a document's 附則 states it.

NAS writes one sentence per version: 本約款(Ver1.0)は、平成29年11月4日から実施します。…
本約款(Ver1.6)は2022年4月1日から実施します。 Each such sentence becomes a VersionEntry with the
version label, the effective date (era dates through extractors.dates: 平成29年11月4日 →
2017-11-04), the sentence as evidence and its span in Document.text.
"""

from __future__ import annotations

import re

from extractors.dates import find_dates
from pipeline.models import DateValue, Document, Span, VersionEntry

_VERSION_SENTENCE = re.compile(
    r"(?:本|この|当)(?:約款|規約|規程|規定|条件|契約)\s*[(（]\s*"
    r"(?P<version>(?:[Vv]er(?:sion)?\.?\s*[0-9][0-9.]*)|(?:第\s*[0-9]+\s*版))\s*[)）]"
    r"\s*は\s*、?\s*(?P<when>[^。]{4,40}?)\s*(?:から|より)?\s*(?:実施|施行|適用|効力を生じ)"
)
"""本約款(Ver1.1)は、平成30年5月17日から実施します / この規約(第2版)は2020年1月1日より施行"""


def _regions(doc: Document) -> list[Span]:
    """The 附則 spans, or the whole text when the document has no 附則 heading."""
    if doc.supplementary:
        return [supp.span for supp in doc.supplementary]
    return [Span(start=0, end=len(doc.text))]


def _sentence(text: str, start: int, limit: int) -> Span:
    end = text.find("。", start, limit)
    return Span(start=start, end=end + 1 if end != -1 else limit)


def version_history(doc: Document) -> list[VersionEntry]:
    """Every 'this document (version X) takes effect on date D' sentence, in document order."""
    entries: list[VersionEntry] = []
    for region in _regions(doc):
        for match in _VERSION_SENTENCE.finditer(doc.text, region.start, region.end):
            dates = [
                m.value.date
                for m in find_dates(match.group("when"))
                if isinstance(m.value, DateValue) and m.value.date is not None
            ]
            span = _sentence(doc.text, match.start(), region.end)
            entries.append(
                VersionEntry(
                    version=re.sub(r"\s+", "", match.group("version")),
                    effective_date=dates[0] if dates else None,
                    evidence=doc.text[span.start : span.end],
                    span=span,
                )
            )
    return entries


def annotate_versions(doc: Document) -> Document:
    """The document with `version_history` filled from its 附則."""
    return doc.model_copy(update={"version_history": version_history(doc)})
