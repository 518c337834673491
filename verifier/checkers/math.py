"""Math claims: the check computes in the sandbox and returns an observation (holds or not, with numbers).

Two forms. A declarative check (`identity`, `against`, `value`, `exists` in the YAML) runs through
`reproductions/declarative.py`; the sandbox returns measurements and this checker writes the sentence.
A Python check (`module:function`) returns an `Observation`; its template is filled from its numbers.
Either way the verdict is `holds` as computed: a check that raises is `error`, never a finding."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from pydantic import ValidationError

from verifier.checkers.code import device_for, environment_fingerprint, project_runner
from verifier.checkers.interface import CheckContext, Checker
from verifier.execution.interface import Executor
from verifier.execution.runner import CodeRequest, SandboxRunner
from verifier.mathcheck.dependencies import SANDBOX_ROOT, declarative_digest, digest, module_files
from verifier.mathcheck.explain import explain
from verifier.mathcheck.spec import CheckSpec
from verifier.registry.models import MathClaim
from verifier.results.evidence import JsonMap, Observation, ObservationEvidence, RunEvidence
from verifier.results.models import CheckResult
from verifier.verdicts import Status

DECLARATIVE_TARGET = "declarative:evaluate"


def declarative_params(check: CheckSpec | list[CheckSpec]) -> dict[str, list[JsonMap]]:
    checks = check if isinstance(check, list) else [check]
    return {"checks": [c.to_params() for c in checks]}


def read_claims(claim: MathClaim, context: CheckContext) -> dict[str, JsonMap]:
    """The claims a check reads (`reads:`), as the loader validated them: passed to the check as params."""
    by_id = {record.claim.id: record.claim for record in context.registry.records}
    return {claim_id: by_id[claim_id].model_dump(mode="json") for claim_id in claim.reads if claim_id in by_id}


class MathChecker(Checker[MathClaim]):
    name = "math"
    version = "2"

    def __init__(self, executor: Executor, device: str = "auto") -> None:
        self.executor = executor
        # the same executor, with our own entry point as project root (runner API, no new kind of run)
        self.declarative_runner = SandboxRunner(executor, str(SANDBOX_ROOT))
        self.device = device

    def fingerprint(self, claim: MathClaim, context: CheckContext) -> Mapping[str, str]:
        inputs = dict(environment_fingerprint(self.device))
        if isinstance(claim.check, str):
            module = claim.check.split(":", 1)[0]
            inputs["check"] = digest(module_files(context.registry.reproductions, module))
        else:
            inputs["check"] = declarative_digest()
        if claim.reads:
            text = json.dumps(read_claims(claim, context), sort_keys=True)
            inputs["reads"] = hashlib.sha256(text.encode()).hexdigest()
        return inputs

    def check(self, claim: MathClaim, context: CheckContext) -> list[CheckResult]:
        device = device_for(claim, self.device)
        if isinstance(claim.check, str):
            params = dict(claim.params)
            if claim.reads:
                params["claims"] = read_claims(claim, context)
            request = CodeRequest(target=claim.check, params=params, device=device, timeout_s=claim.timeout_s)
        else:
            request = CodeRequest(target=DECLARATIVE_TARGET, params=declarative_params(claim.check),
                                  device=device, timeout_s=claim.timeout_s)
        runner = project_runner(self.executor, context) if isinstance(claim.check, str) else self.declarative_runner
        result = runner.check("computation", request, ours=True)
        if result.status is not Status.CONFIRMED:
            return [result]
        runs = result.evidence.runs if isinstance(result.evidence, RunEvidence) else []
        value = runs[0].value if runs else None
        label = claim.check if isinstance(claim.check, str) else "the declarative check"
        try:
            observation = Observation.model_validate(value)
            summary = observation.sentence() if isinstance(claim.check, str) else explain(observation.measured)
        except (ValidationError, KeyError, ValueError, IndexError, TypeError) as exc:
            return [result.model_copy(update={
                "status": Status.ERROR,
                "summary": f"{label} returned no valid observation {{holds, measured, template}}: {exc}"[:600]})]
        status = Status.CONFIRMED if observation.holds else Status.REFUTED
        spec = None if isinstance(claim.check, str) else declarative_params(claim.check)["checks"]
        evidence = ObservationEvidence(runs=runs, observation=observation, check=spec)
        return [result.model_copy(update={"status": status, "summary": summary or "(no explanation)",
                                          "evidence": evidence})]
