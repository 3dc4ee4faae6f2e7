"""Rule model of the NAS サービス契約約款 family (日経統合システム, Ver1.6 as read): the data in
rules.toml beside this module (what each parameter reads, and why, is written there)."""

from pathlib import Path

from pipeline.rules import read_rule_model

RULES = read_rule_model(Path(__file__).with_name("rules.toml"))
