"""Choosing a rule model, the one home of that choice: a model named on the command line, a
model given for the document's family, or the family's own registered model."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Sequence

from pydantic import ValidationError

from pipeline import families
from pipeline.models import Document, RulesError
from pipeline.rules.rule_model import RuleModel

_FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")


def load_rules(spec: str) -> RuleModel:
    """Load a rule model: a registered family's name ('nas') or 'module:attribute'.

    The attribute may be a RuleModel, a RuleModel subclass whose fields all have defaults, or a
    function of no arguments returning a RuleModel.
    """
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
    elif _FAMILY.match(spec):
        family = families.family(spec)
        if family is None:
            known = ", ".join(families.registered()) or "none"
            reason = f"no rule model module: no family {spec!r} is registered (known: {known})"
            raise RulesError(spec, reason)
        module_name, _, attr = family.rules.partition(":")
    else:
        raise RulesError(spec, "not a family name nor 'module:attribute'")
    return _rule_model_at(spec, module_name, attr)


def _rule_model_at(spec: str, module_name: str, attr: str) -> RuleModel:
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


@functools.lru_cache(maxsize=32)
def rule_model(spec: str) -> RuleModel:
    """`load_rules`, once per spec: a batch chooses a model for every document."""
    return load_rules(spec)


def choose_rules(document: Document, given: Sequence[str] = ()) -> RuleModel | None:
    """The rule model a document is checked against, among the models `given` (specs).

    A model given for the document's family comes first, else its family's registered model; a
    document of no known family takes the one model given, if only one was. None when no model
    applies (a batch stores the document unvalidated).
    """
    models = [rule_model(spec) for spec in given]
    same_family = [m for m in models if m.family == document.family]
    if same_family:
        return same_family[0]
    if not document.family:
        return models[0] if len(models) == 1 else None
    try:
        return _family_model(document)
    except RulesError:
        return None


def rules_for(document: Document, spec: str | None = None) -> RuleModel:
    """The rule model named by `spec` whatever its family (the command line's --rules), or
    else the document's family's; a RulesError naming the document when there is none."""
    if spec:
        return load_rules(spec)
    return _family_model(document)


def _family_model(document: Document) -> RuleModel:
    if not document.family:
        raise RulesError(document.source.path, "unknown document family; pass --rules")
    try:
        return rule_model(document.family)
    except RulesError as err:
        raise RulesError(document.source.path, err.reason) from None
