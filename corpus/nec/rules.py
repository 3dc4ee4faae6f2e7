"""Rule model of the NEC SupportPack サービス実施条件 family: the data in rules.toml beside this
module (what each parameter reads, and why, is written there)."""

from pathlib import Path

from pipeline.rules import read_rule_model

RULES = read_rule_model(Path(__file__).with_name("rules.toml"))
