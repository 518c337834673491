"""Turn sandboxed runs into checks: run code as written or a reproduction, several seeds, and judge.

Shared by the code and math checkers and by `verifier run`. Failures of the snippet are findings
(`does_not_run`); failures of our own sandbox or reproduction are `error`; a missing optional backend
(TensorFlow) or device is `skipped`. Never the other way round."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from verifier.execution.compare import compare
from verifier.execution.interface import Executor, RunResult, RunSpec
from verifier.limits import MAX_SEEDS, MAX_TIMEOUT_S
from verifier.registry.models import Compare
from verifier.results.evidence import RunEvidence, RunException, RunRecord
from verifier.results.models import CheckResult
from verifier.verdicts import Status

OPTIONAL_BACKENDS = frozenset({"tensorflow", "keras", "tf_keras", "jax", "jaxlib"})
_RANDOM = re.compile(r"\b(rand\w*|random|normal|uniform|shuffle|dropout|Dropout|choice|permutation|multinomial)\b")
_SEEDED = re.compile(r"seed")
DEFAULT_SEEDS = (0, 1, 2)
EVIDENCE_CHARS = 4000


def draws_unseeded_randomness(code: str) -> bool:
    """Code that draws random numbers and never sets a seed (then it is run with several seeds)."""
    return bool(_RANDOM.search(code)) and not _SEEDED.search(code)


@functools.lru_cache(maxsize=1)
def _installed_modules() -> frozenset[str]:
    """Top-level import names that installed distributions provide, read from their metadata files."""
    names = set(sys.stdlib_module_names) | set(sys.builtin_module_names)
    names.update(metadata.packages_distributions())
    names.update(_normal(dist.metadata["Name"] or "") for dist in metadata.distributions())
    return frozenset(_normal(name) for name in names)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def missing_backends(requires: Sequence[str]) -> list[str]:
    """Required packages not installed here, judged by NAME against the installed distributions'
    metadata (and the standard library). Nothing is imported: `importlib.util.find_spec("pkg.mod")`
    would import `pkg`, and a `pkg.py` in the working folder would run in this process."""
    installed = _installed_modules()
    return [name for name in requires if _normal(name.split(".", 1)[0].strip()) not in installed]


def choose_seeds(code: str, claim_seeds: Sequence[int], cli_seeds: int | None) -> list[int | None]:
    if claim_seeds:
        return list(claim_seeds)
    if draws_unseeded_randomness(code):
        return list(range(cli_seeds)) if cli_seeds else list(DEFAULT_SEEDS)
    return [None]


@dataclass(frozen=True)
class CodeRequest:
    """Everything one check of one piece of code needs (a claim, or `verifier run`)."""

    code: str = ""
    target: str = ""
    params: dict[str, Any] | None = None
    printed: str | None = None
    compare: Compare = field(default_factory=Compare)
    seeds: tuple[int | None, ...] = (None,)
    device: str = "auto"
    timeout_s: float = 60.0
    requires: tuple[str, ...] = ()


def over_caps(request: CodeRequest) -> str | None:
    """Why a request is refused before anything runs (10,000 seeds would take an audit for ever)."""
    if len(request.seeds) > MAX_SEEDS:
        return f"refused: {len(request.seeds)} seeds, more than the cap of {MAX_SEEDS} runs per check"
    if not 0 < request.timeout_s <= MAX_TIMEOUT_S:
        return f"refused: timeout {request.timeout_s:g} s is outside (0, {MAX_TIMEOUT_S:g}] s"
    return None


def run_evidence(seed: int | None, result: RunResult) -> RunRecord:
    return RunRecord(
        seed=seed, status=result.status, stdout=result.stdout[:EVIDENCE_CHARS],
        stderr=result.stderr[-EVIDENCE_CHARS:], truncated=result.truncated,
        exception=RunException.model_validate(result.exception) if result.exception else None,
        reason=result.reason, duration_s=round(result.duration_s, 4), device=result.device,
        environment=result.environment, value=result.value,
    )


class SandboxRunner:
    """Runs requests through an Executor and judges them."""

    def __init__(self, executor: Executor, project_root: str) -> None:
        self.executor = executor
        self.project_root = project_root

    def _spec(self, request: CodeRequest, seed: int | None) -> RunSpec:
        return RunSpec(mode="call" if request.target else "snippet", code=request.code, target=request.target,
                       params=dict(request.params or {}),
                       project_root=self.project_root, device=request.device, seed=seed,
                       timeout_s=request.timeout_s)

    def runs(self, request: CodeRequest) -> list[tuple[int | None, RunResult]]:
        futures = [(seed, self.executor.submit(self._spec(request, seed))) for seed in request.seeds]
        return [(seed, future.result()) for seed, future in futures]

    def check(self, name: str, request: CodeRequest, ours: bool) -> CheckResult:
        """`ours`: a reproduction or check of ours, whose exceptions are bugs (`error`), not findings."""
        refused = over_caps(request)
        if refused:
            return CheckResult(name=name, status=Status.ERROR, summary=refused)
        missing = missing_backends(request.requires)
        if missing:
            return CheckResult(name=name, status=Status.SKIPPED,
                               summary=f"needs {', '.join(missing)}, not installed here (pip install verifier[tf])",
                               evidence=RunEvidence(missing=missing))
        runs = self.runs(request)
        evidence = RunEvidence(runs=[run_evidence(seed, result) for seed, result in runs])
        duration = sum(result.duration_s for _, result in runs)
        failure = self._failure(runs, ours)
        if failure is not None:
            status, summary = failure
            return CheckResult(name=name, status=status, summary=summary, duration_s=duration, evidence=evidence)
        if request.printed is None:
            return CheckResult(name=name, status=Status.CONFIRMED, duration_s=duration, evidence=evidence,
                               summary=f"runs without error ({len(runs)} run(s)); no printed output was claimed")
        settings = request.compare
        labels = [f"seed {seed}" if seed is not None else "the run" for seed, _ in runs]
        try:
            comparison = compare(request.printed, [result.stdout for _, result in runs], rtol=settings.rtol,
                                 atol=settings.atol, ignore=settings.ignore, text_mode=settings.text, labels=labels)
        except ValueError as exc:  # an ignore pattern that validation would have refused
            return CheckResult(name=name, status=Status.ERROR, summary=str(exc)[:300], duration_s=duration,
                               evidence=evidence)
        evidence = evidence.model_copy(update={"comparison": comparison, "claimed": request.printed})
        return CheckResult(name=name, status=comparison.status, summary=comparison.summary,
                           duration_s=duration, evidence=evidence)

    @staticmethod
    def _failure(runs: list[tuple[int | None, RunResult]], ours: bool) -> tuple[Status, str] | None:
        for seed, result in runs:
            at = f" (seed {seed})" if seed is not None else ""
            if result.status == "sandbox_error":
                return Status.ERROR, f"the sandbox failed{at}: {result.reason}"
            if result.status == "lost":
                return Status.UNREACHABLE, f"{result.reason}{at}"
            if result.status == "skipped":
                return Status.SKIPPED, result.reason
            if result.status == "exception" and result.exception:
                kind, message = result.exception["type"], result.exception["message"]
                module = message.split("'")[1] if kind == "ModuleNotFoundError" and "'" in message else ""
                if module.split(".")[0] in OPTIONAL_BACKENDS and missing_backends([module.split(".")[0]]):
                    return Status.SKIPPED, f"imports {module}, not installed here (optional extra)"
                status = Status.ERROR if ours else Status.DOES_NOT_RUN
                why = f" ({result.reason})" if result.reason else ""
                return status, f"{kind}: {message.splitlines()[0] if message else ''}{why}{at}"[:400]
            if result.status in ("timeout", "killed", "invalid"):
                return (Status.ERROR if ours else Status.DOES_NOT_RUN), f"{result.reason}{at}"
        return None
