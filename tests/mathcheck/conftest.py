"""The warm sandbox the math-check tests run reproductions in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from verifier.execution.pool import LocalPool
from verifier.execution.runner import SandboxRunner


@pytest.fixture(scope="module")
def runner() -> Iterator[SandboxRunner]:
    """One warm pool per test module that asks for it."""
    pool = LocalPool(size=2)
    try:
        yield SandboxRunner(pool, str(ROOT))
    finally:
        pool.shutdown()
