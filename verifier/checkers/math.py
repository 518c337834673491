"""Math claims: the named check computes in the sandbox and returns an observation (holds or not)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from verifier.checkers.code import device_for, environment_fingerprint, source_digest
from verifier.checkers.interface import CheckContext
from verifier.execution.runner import CodeRequest, SandboxRunner
from verifier.registry.models import MathClaim
from verifier.registry.records import ClaimRecord
from verifier.results.models import CheckResult
from verifier.verdicts import Status


class MathChecker:
    name = "math"
    version = "1"

    def __init__(self, runner: SandboxRunner, reproductions: Path, device: str = "auto") -> None:
        self.runner = runner
        self.reproductions = reproductions
        self.device = device

    def fingerprint(self, record: ClaimRecord, context: CheckContext) -> Mapping[str, str]:
        claim = record.claim
        assert isinstance(claim, MathClaim)
        return {**environment_fingerprint(self.device), "check": source_digest(self.reproductions, claim.check)}

    def check(self, record: ClaimRecord, context: CheckContext) -> list[CheckResult]:
        claim = record.claim
        assert isinstance(claim, MathClaim)
        device = device_for(claim, self.device)
        request = CodeRequest(target=claim.check, params=dict(claim.params), device=device,
                              timeout_s=claim.timeout_s)
        result = self.runner.check("computation", request, ours=True)
        if result.status is not Status.CONFIRMED:
            return [result]
        runs = result.evidence.get("runs", [])
        value = runs[0].get("value") if runs else None
        if not isinstance(value, dict) or not isinstance(value.get("holds"), bool):
            return [result.model_copy(update={
                "status": Status.ERROR, "summary": f"{claim.check} returned no observation {{holds, explanation}}"})]
        status = Status.CONFIRMED if value["holds"] else Status.REFUTED
        summary = str(value.get("explanation") or ("holds" if value["holds"] else "does not hold"))
        evidence = {**result.evidence, "observation": value}
        return [result.model_copy(update={"status": status, "summary": summary, "evidence": evidence})]
