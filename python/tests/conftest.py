"""Shared helpers: environment servers in subprocesses, and the path that makes tests/ importable to them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))


def server_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a server subprocess: tests/ on PYTHONPATH, no supervisor unless `extra` says so."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(TESTS), *filter(None, [environ.get("PYTHONPATH")])])
    environ.update(extra or {})
    return environ


@pytest.fixture
def ipc_endpoint() -> Iterator[str]:
    """A fresh ipc:// endpoint (in a short directory: ipc paths are limited to about 100 bytes), removed after."""
    path = Path(f"/tmp/shoal-env-test-{uuid.uuid4().hex[:12]}.sock")
    yield f"ipc://{path}"
    path.unlink(missing_ok=True)


@contextmanager
def running_server(
    endpoint: str, env: str, *arguments: str, environ: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """`python -m shoal_env serve ENDPOINT --env ENV ...` while in the block; then SIGTERM, which must end it with 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "shoal_env", "serve", endpoint, "--env", env, *arguments],
        env=server_environment(environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=10) if process.stderr and not process.stderr.closed else ("", "")
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            raise AssertionError(f"the server did not stop on SIGTERM:\n{stderr}") from None
        if endpoint.startswith("ipc://"):
            Path(endpoint[len("ipc://") :]).unlink(missing_ok=True)
    assert process.returncode == 0, f"server exited with {process.returncode}:\n{stderr}"
