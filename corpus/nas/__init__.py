"""The NAS サービス契約約款 family (日経統合システム): its folder's data and its rule model."""

from pathlib import Path

from pipeline.families import Family

FAMILY = Family.from_folder(Path(__file__).parent, rules=f"{__name__}.rules:RULES")
