"""Start the service under uvicorn: checks first (one-line errors), then the workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

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
            from pipeline.store.sqlite import Store

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
        http="pipeline.service.protocol:NoDelayH11Protocol",
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """`yakkan serve` in a child process on a free loopback port, for notebooks, tests and
    benchmarks: `with BackgroundServer(db) as server: httpx.get(server.url + "/families")`."""

    def __init__(
        self,
        db: str | Path,
        *args: str,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.host = "127.0.0.1"
        self.port = free_port(self.host)
        self.url = f"http://{self.host}:{self.port}"
        self.command = [
            sys.executable,
            "-m",
            "pipeline.cli.main",
            "serve",
            "--db",
            str(db),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            *args,
        ]
        self.env = {**os.environ, **(env or {})}
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        # A file, not a pipe: a pipe nobody reads would block a server that logs a lot.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server

    def start(self) -> BackgroundServer:
        """Start the server and wait until it answers; a server that exits first is an error
        carrying its own message."""
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise YakkanError("yakkan serve", self.output().strip() or "exited at start")
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise YakkanError("yakkan serve", f"not answering on {self.url}")

    def stop(self) -> None:
        """Stop the server (SIGTERM: uvicorn shuts down cleanly), killing it if it lingers."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def output(self) -> str:
        """What the server wrote to stderr so far (its log)."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
