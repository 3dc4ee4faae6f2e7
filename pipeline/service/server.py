"""Start the service under uvicorn: checks first (one-line errors), then the workers."""

from __future__ import annotations

import os

from pipeline.models import YakkanError
from pipeline.service.settings import SETTINGS_ENV, Settings


def check(settings: Settings) -> None:
    """Refuse to start on a missing or foreign store, or uploads without a token."""
    from pipeline.service.reader import check_store

    if settings.allow_upload:
        if settings.token() is None:
            raise YakkanError(
                settings.token_env,
                "--allow-upload needs a bearer token in this environment variable",
            )
        if not settings.db_path.exists():
            from pipeline.store import Store

            Store(settings.db_path).close()  # uploads start an empty store
    check_store(settings.db_path)


def serve(settings: Settings, *, host: str, port: int, workers: int, log_level: str) -> None:
    """Run uvicorn until interrupted. Workers are separate processes: each builds the app from
    the settings put into the environment."""
    import uvicorn

    check(settings)
    os.environ[SETTINGS_ENV] = settings.to_env()
    uvicorn.run(
        "pipeline.service.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        proxy_headers=False,
    )
