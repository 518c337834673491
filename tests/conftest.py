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


DEAD = "http://127.0.0.1:9"  # the discard port: nothing listens, a connection is refused at once


@pytest.fixture(autouse=True)
def no_real_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real scholarly index: every live index other than arXiv (which tests point at their
    own loopback server) defaults to a closed loopback port; a test that needs one sets its own URL."""
    for variable in ("VERIFIER_CROSSREF_URL", "VERIFIER_DBLP_URL", "VERIFIER_SEMANTIC_SCHOLAR_URL",
                     "VERIFIER_OPENREVIEW_URL", "VERIFIER_OPENALEX_URL"):
        monkeypatch.setenv(variable, DEAD)
    for variable in ("SEMANTIC_SCHOLAR_API_KEY", "OPENALEX_API_KEY", "VERIFIER_INDEXES"):
        monkeypatch.delenv(variable, raising=False)


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
