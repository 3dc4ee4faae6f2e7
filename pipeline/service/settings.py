"""How `yakkan serve` is configured: one settings object, handed to uvicorn's worker processes
through the environment (each worker imports the app afresh)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SETTINGS_ENV = "YAKKAN_SERVE_SETTINGS"
"""The environment variable carrying the settings (JSON) to uvicorn's worker processes."""

DEFAULT_TOKEN_ENV = "YAKKAN_TOKEN"
"""The environment variable the upload token is read from, unless --token-env names another."""

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Uploads above this size are refused with 413: the largest real terms PDFs are a few MB."""

UPLOAD_TIMEOUT = 120.0
"""Seconds one upload may take to parse before its worker process is killed (422)."""


@dataclass(frozen=True)
class Settings:
    """What the service serves and how."""

    db: str
    allow_upload: bool = False
    token_env: str = DEFAULT_TOKEN_ENV
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    upload_timeout: float = UPLOAD_TIMEOUT
    upload_workers: int = 1

    @property
    def db_path(self) -> Path:
        """The store's path."""
        return Path(self.db)

    def token(self) -> str | None:
        """The bearer token uploads must carry, from the environment; None when unset."""
        return os.environ.get(self.token_env) or None

    def to_env(self) -> str:
        """The settings as the JSON put into SETTINGS_ENV."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        """The settings a worker process was started with."""
        raw = os.environ.get(SETTINGS_ENV)
        if raw is None:
            raise RuntimeError(f"{SETTINGS_ENV} is not set: start the service with `yakkan serve`")
        return cls(**json.loads(raw))
