"""The data model of yakkan: the contract between stages.

Read it as a glossary of the domain. Each stage is a function from one of these models to the
next; nothing else in the project defines document types. The modules follow the data flow:
`base` (offsets, sources, diagnostics), `structure` (章/条/項/号/附則 and the Document), `values`
(extracted values), `expectations` and `reports` (rule models and what validating returns),
`diffs` (新旧対照), `feeds` (batch, export and the service), `errors`. Every public name is
re-exported here: `from pipeline.models import X` is how the rest of the project imports.

The re-exports are lazy (PEP 562): `from pipeline.models import YakkanError` imports the
`errors` module alone (and no pydantic), `Document` the modules it is built of, so that a
process pays for the models it uses; `yakkan parse` never imports the diffs, feeds, reports or
expectations.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names as mypy and editors see them; imported lazily below
    from pipeline.models.base import (
        BBox,
        Diagnostic,
        Model,
        NormalizedText,
        RawDocument,
        RawLine,
        Severity,
        SourceInfo,
        SourceKind,
        SourceRef,
        Span,
    )
    from pipeline.models.diffs import (
        ChangedSpan,
        DiffLevel,
        DiffSide,
        DiffStatus,
        DocumentDiff,
        Edit,
        EditStatus,
        ParameterChange,
        ProvisionDiff,
        TermChange,
        TermStatus,
    )
    from pipeline.models.errors import (
        IngestError,
        RulesError,
        SegmentError,
        YakkanError,
        one_line,
    )
    from pipeline.models.expectations import (
        AmountExpectation,
        CrossReferenceExpectation,
        DateExpectation,
        DefinedTermExpectation,
        Expectation,
        FractionExpectation,
        PercentageExpectation,
        PeriodExpectation,
    )
    from pipeline.models.feeds import (
        ApiError,
        BatchRecord,
        ExportPayload,
        ExportRecord,
        ExportRow,
        FamilyList,
        FamilySummary,
        ProvisionView,
        VersionList,
        VersionSummary,
    )
    from pipeline.models.reports import (
        Candidate,
        LocatedBy,
        ParameterEntry,
        ParameterPayload,
        ParameterResult,
        ParameterStatus,
        StructuralFinding,
        StructuralResult,
        ValidationReport,
    )
    from pipeline.models.structure import (
        Appendix,
        Article,
        Chapter,
        Closing,
        Document,
        DocumentPart,
        Item,
        Node,
        NumberingStyle,
        Paragraph,
        Preamble,
        Section,
        SupplementaryProvisions,
        VersionEntry,
        article_label,
        iter_nodes,
    )
    from pipeline.models.values import (
        AmountValue,
        Bound,
        CrossReferenceValue,
        DateValue,
        DefinedTermValue,
        Extraction,
        ExtractionKind,
        ExtractionValue,
        FractionValue,
        PercentageValue,
        PeriodPart,
        PeriodUnit,
        PeriodValue,
        ReferenceFragment,
        ReferenceLevel,
        ReferencePosition,
        ReferenceRole,
    )

_HOMES = {
    "base": (
        "BBox Diagnostic Model NormalizedText RawDocument RawLine Severity SourceInfo SourceKind "
        "SourceRef Span"
    ),
    "diffs": (
        "ChangedSpan DiffLevel DiffSide DiffStatus DocumentDiff Edit EditStatus ParameterChange "
        "ProvisionDiff TermChange TermStatus"
    ),
    "errors": "IngestError RulesError SegmentError YakkanError one_line",
    "expectations": (
        "AmountExpectation CrossReferenceExpectation DateExpectation DefinedTermExpectation "
        "Expectation FractionExpectation PercentageExpectation PeriodExpectation"
    ),
    "feeds": (
        "ApiError BatchRecord ExportPayload ExportRecord ExportRow FamilyList FamilySummary "
        "ProvisionView VersionList VersionSummary"
    ),
    "reports": (
        "Candidate LocatedBy ParameterEntry ParameterPayload ParameterResult ParameterStatus "
        "StructuralFinding StructuralResult ValidationReport"
    ),
    "structure": (
        "Appendix Article Chapter Closing Document DocumentPart Item Node NumberingStyle Paragraph "
        "Preamble Section SupplementaryProvisions VersionEntry article_label iter_nodes"
    ),
    "values": (
        "AmountValue Bound CrossReferenceValue DateValue DefinedTermValue Extraction "
        "ExtractionKind ExtractionValue FractionValue PercentageValue PeriodPart PeriodUnit "
        "PeriodValue ReferenceFragment ReferenceLevel ReferencePosition ReferenceRole"
    ),
}
"""The public names of each module of the package: where `__getattr__` finds a name."""

_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names.split()}


if not TYPE_CHECKING:  # hidden from mypy, which then reports a misspelt name as missing

    def __getattr__(name: str) -> object:
        """A public name, imported from its module on first use (PEP 562)."""
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value  # later lookups find it without calling __getattr__
        return value

    def __dir__() -> list[str]:
        """The public names, loaded or not."""
        return sorted({*globals(), *__all__})


__all__ = [
    "AmountExpectation",
    "AmountValue",
    "ApiError",
    "Appendix",
    "Article",
    "BBox",
    "BatchRecord",
    "Bound",
    "Candidate",
    "ChangedSpan",
    "Chapter",
    "Closing",
    "CrossReferenceExpectation",
    "CrossReferenceValue",
    "DateExpectation",
    "DateValue",
    "DefinedTermExpectation",
    "DefinedTermValue",
    "Diagnostic",
    "DiffLevel",
    "DiffSide",
    "DiffStatus",
    "Document",
    "DocumentDiff",
    "DocumentPart",
    "Edit",
    "EditStatus",
    "Expectation",
    "ExportPayload",
    "ExportRecord",
    "ExportRow",
    "Extraction",
    "ExtractionKind",
    "ExtractionValue",
    "FamilyList",
    "FamilySummary",
    "FractionExpectation",
    "FractionValue",
    "IngestError",
    "Item",
    "LocatedBy",
    "Model",
    "Node",
    "NormalizedText",
    "NumberingStyle",
    "Paragraph",
    "ParameterChange",
    "ParameterEntry",
    "ParameterPayload",
    "ParameterResult",
    "ParameterStatus",
    "PercentageExpectation",
    "PercentageValue",
    "PeriodExpectation",
    "PeriodPart",
    "PeriodUnit",
    "PeriodValue",
    "Preamble",
    "ProvisionDiff",
    "ProvisionView",
    "RawDocument",
    "RawLine",
    "ReferenceFragment",
    "ReferenceLevel",
    "ReferencePosition",
    "ReferenceRole",
    "RulesError",
    "Section",
    "SegmentError",
    "Severity",
    "SourceInfo",
    "SourceKind",
    "SourceRef",
    "Span",
    "StructuralFinding",
    "StructuralResult",
    "SupplementaryProvisions",
    "TermChange",
    "TermStatus",
    "ValidationReport",
    "VersionEntry",
    "VersionList",
    "VersionSummary",
    "YakkanError",
    "article_label",
    "iter_nodes",
    "one_line",
]
