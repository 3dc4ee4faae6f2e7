"""Rule models: structural checks and each family's named parameters → `ValidationReport`.

The stage reads top to bottom: `rule_model` (writing a rule model), `choose` (which model a
document is checked against), `engine` (selecting the provisions a parameter points at),
`values` (comparing and wording values), `parameters` and `structural` (the two kinds of check)
and `report` (the validation report, its pass/fail and the parameter payload). The names below
are the stage's public entry point.
"""

from pipeline.rules.choose import choose_rules, load_rules, rule_model, rules_for
from pipeline.rules.engine import locate, quote
from pipeline.rules.parameters import check_parameter
from pipeline.rules.report import (
    failures,
    parameter_entries,
    parameter_payload,
    report_failures,
    stored_parameter_payload,
    validate,
)
from pipeline.rules.rule_model import (
    Parameter,
    RuleModel,
    Select,
    StructuralRule,
    StructuralRuleName,
    amount,
    default_structure,
    fraction,
    percentage,
    period,
    read_rule_model,
)
from pipeline.rules.structural import check_structure
from pipeline.rules.values import display, display_expectation, satisfies

__all__ = [
    "Parameter",
    "RuleModel",
    "Select",
    "StructuralRule",
    "StructuralRuleName",
    "amount",
    "check_parameter",
    "check_structure",
    "choose_rules",
    "default_structure",
    "display",
    "display_expectation",
    "failures",
    "fraction",
    "load_rules",
    "locate",
    "parameter_entries",
    "parameter_payload",
    "percentage",
    "period",
    "quote",
    "read_rule_model",
    "report_failures",
    "rule_model",
    "rules_for",
    "satisfies",
    "stored_parameter_payload",
    "validate",
]
