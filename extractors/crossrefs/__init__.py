"""Cross-references (参照): the parser of reference expressions and what it reports.

`parse_references(text)` finds every reference in a text and parses it into fragments; the
spaCy component that writes them to `doc.spans["crossrefs"]` is `extractors.components`'s
`yakkan_crossrefs`, and resolving fragments against the document tree is `pipeline.refs`'s job.
"""

from __future__ import annotations

from typing import Any

from extractors.crossrefs.parse import SPAN_KEY, ParsedReference, parse_references
from extractors.spans import component_factory

__all__ = ["SPAN_KEY", "ParsedReference", "parse_references"]


def __getattr__(name: str) -> Any:
    # The spaCy component and its factory live in extractors.components, so that the parser
    # imports without spaCy; the entry point `extractors.crossrefs:make_crossrefs` finds it here.
    return component_factory(__name__, name, "make_crossrefs")
