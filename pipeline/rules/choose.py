"""Choosing a rule model: by family name, by 'module:attribute', or the document's own family."""

from __future__ import annotations

import importlib
import re

from pydantic import ValidationError

from pipeline.models import (
    Document,
    RulesError,
)
from pipeline.rules.rule_model import RuleModel

_FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")


def load_rules(spec: str) -> RuleModel:
    """Load a rule model: a family name ('nas' → corpus.nas.rules:RULES) or 'module:attr'.

    The attribute may be a RuleModel, a RuleModel subclass whose fields all have defaults, or a
    function of no arguments returning a RuleModel.
    """
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
    elif _FAMILY.match(spec):
        module_name, attr = f"corpus.{spec}.rules", "RULES"
    else:
        raise RulesError(spec, "not a family name nor 'module:attribute'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise RulesError(spec, f"no rule model module {module_name!r} ({err})") from None
    obj = getattr(module, attr, None)
    if obj is None:
        raise RulesError(spec, f"module {module_name!r} has no attribute {attr!r}")
    if isinstance(obj, type) and not issubclass(obj, RuleModel):
        raise RulesError(spec, f"{module_name}:{attr} is not a RuleModel")
    if callable(obj) and not isinstance(obj, RuleModel):
        try:
            obj = obj()
        except (TypeError, ValidationError) as err:
            raise RulesError(spec, f"{module_name}:{attr}() failed: {err}") from None
    if not isinstance(obj, RuleModel):
        raise RulesError(spec, f"{module_name}:{attr} is not a RuleModel")
    return obj


def rules_for(document: Document, spec: str | None = None) -> RuleModel:
    """The rule model named by `spec`, or else the one of the document's family."""
    if spec:
        return load_rules(spec)
    if not document.family:
        raise RulesError(document.source.path, "unknown document family; pass --rules")
    try:
        return load_rules(document.family)
    except RulesError as err:
        raise RulesError(document.source.path, err.reason) from None
