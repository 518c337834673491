"""Reading a reproduction's Python check's Observation from a real sandbox run (the `runner` fixture of this
folder's conftest): shared by the tests that run each check both ways (the statement holds / the source's
own statement fails)."""

from __future__ import annotations

from typing import Any

from verifier.execution.runner import CodeRequest, SandboxRunner
from verifier.results.evidence import Observation, RunEvidence


def run_check(runner: SandboxRunner, target: str, params: dict[str, Any]) -> Observation:
    """The check's Observation; the run itself must succeed (a check that cannot run decides nothing)."""
    result = runner.check("computation", CodeRequest(target=target, params=params), ours=True)
    assert result.status.value == "confirmed", result.summary
    assert isinstance(result.evidence, RunEvidence)
    return Observation.model_validate(result.evidence.runs[0].value)
