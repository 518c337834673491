"""Code claims: run the snippet as written and the reproduction, each compared with what was printed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from verifier.checkers.interface import CheckContext, Checker
from verifier.execution.environment import package_versions
from verifier.execution.interface import Executor
from verifier.execution.runner import CodeRequest, SandboxRunner, choose_seeds
from verifier.registry.models import CodeClaim, MathClaim
from verifier.registry.targets import module_path
from verifier.results.models import CheckResult


def source_digest(reproductions: Path, target: str) -> str:
    """Hash of the target module and of the shared helper modules (`_*.py`) it may import."""
    digest = hashlib.sha256()
    for path in [module_path(reproductions, target), *sorted(reproductions.glob("_*.py"))]:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def device_for(claim: CodeClaim | MathClaim, default: str) -> str:
    """The claim's own device when it names one, else the audit's `--device`."""
    return claim.device if claim.device != "auto" else default


def environment_fingerprint(device: str) -> dict[str, str]:
    versions = package_versions(("numpy", "torch", "scipy", "tensorflow"))
    return {"versions": ",".join(f"{k}={v}" for k, v in versions.items()), "device": device}


def project_runner(executor: Executor, context: CheckContext) -> SandboxRunner:
    """Runs through `executor` with the registry's project as root (where `reproductions/` is imported from)."""
    return SandboxRunner(executor, str(context.registry.project_root))


class CodeChecker(Checker[CodeClaim]):
    """Takes the Executor seam (local warm pool, Ray, ...); the registry in the context says where the
    reproductions live."""

    name = "code"
    version = "1"

    def __init__(self, executor: Executor, device: str = "auto", seeds: int | None = None) -> None:
        self.executor = executor
        self.device = device
        self.seeds = seeds

    def fingerprint(self, claim: CodeClaim, context: CheckContext) -> Mapping[str, str]:
        inputs = environment_fingerprint(self.device)
        inputs["seeds"] = str(self.seeds)
        if claim.reproduction:
            inputs["reproduction"] = source_digest(context.registry.reproductions, claim.reproduction)
        return inputs

    def check(self, claim: CodeClaim, context: CheckContext) -> list[CheckResult]:
        runner = project_runner(self.executor, context)
        seeds = tuple(choose_seeds(claim.code, claim.seeds, self.seeds))
        common = {"printed": claim.printed, "compare": claim.compare, "seeds": seeds,
                  "device": device_for(claim, self.device), "timeout_s": claim.timeout_s}
        checks = [runner.check("as_written", CodeRequest(code=claim.code, requires=tuple(claim.requires),
                                                              **common), ours=False)]  # type: ignore[arg-type]
        if claim.reproduction:
            request = CodeRequest(target=claim.reproduction, **common)  # type: ignore[arg-type]
            checks.append(runner.check("reproduction", request, ours=True))
        return checks
