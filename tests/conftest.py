"""Shared fixtures: a throw-away copy of the test registry, and running the CLI for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of tests/data/registry (claims/, reproductions/) with its own .verifier home."""
    target = tmp_path / "project"
    shutil.copytree(DATA / "registry", target)
    monkeypatch.delenv("VERIFIER_HOME", raising=False)
    yield target


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m verifier ...` in a real subprocess."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("VERIFIER_HOME", None) if env is None or "VERIFIER_HOME" not in env else None
    return subprocess.run([sys.executable, "-m", "verifier", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)
