"""Run the mutation test of a registry's declarative checks: every mutant of a confirmed stated side must
turn the check to refuted, and a refuted claim made correct (a patch from a corrections file) must turn
to confirmed. Shared by `benchmarks/mutations.py` and the test, so both measure the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from verifier.checkers.math import declarative_params
from verifier.execution.pool import LocalPool
from verifier.execution.runner import SandboxRunner
from verifier.mathcheck.dependencies import SANDBOX_ROOT
from verifier.mathcheck.mutations import Mutant, apply_patch, equivalence_probe, mutants, run_checks
from verifier.registry.loader import load_registry
from verifier.registry.models import MathClaim


@dataclass
class ClaimScore:
    claim_id: str
    source: str
    original_holds: bool | None
    corrected_holds: bool | None = None
    base: str = "as stated"
    flipped: list[Mutant] = field(default_factory=list)
    survived: list[tuple[Mutant, bool]] = field(default_factory=list)  # (mutant, equivalent)
    failed: list[tuple[Mutant, str]] = field(default_factory=list)


def load_corrections(path: Path) -> dict[str, dict[str, Any]]:
    """claim id -> {path: corrected value} for refuted claims (data for the test, never in a claim)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): dict(v.get("patch", {})) for k, v in data.items()}


def score_registry(registry_dir: Path, corrections: Mapping[str, dict[str, Any]], jobs: int = 2,
                   only: set[str] | None = None) -> list[ClaimScore]:
    registry = load_registry(registry_dir)
    claims = [r.claim for r in registry.records if isinstance(r.claim, MathClaim)
              and not isinstance(r.claim.check, str) and (only is None or r.claim.id in only)]
    pool = LocalPool(size=jobs)
    try:
        runner = SandboxRunner(pool, str(SANDBOX_ROOT))
        with ThreadPoolExecutor(max_workers=jobs * 2) as threads:
            return list(threads.map(lambda claim: _score(runner, claim, corrections), claims))
    finally:
        pool.shutdown()


def _score(runner: SandboxRunner, claim: MathClaim, corrections: Mapping[str, dict[str, Any]]) -> ClaimScore:
    assert not isinstance(claim.check, str)
    checks = declarative_params(claim.check)["checks"]
    holds, _ = run_checks(runner, checks, claim.timeout_s)
    score = ClaimScore(claim.id, claim.source, holds)
    base = checks
    if holds is False and claim.id in corrections:
        base = apply_patch(checks, corrections[claim.id])
        score.corrected_holds, _ = run_checks(runner, base, claim.timeout_s)
        score.base = "corrected"
        if score.corrected_holds is not True:
            return score
    elif holds is not True:
        return score
    for mutant in mutants(base):
        mutated_holds, summary = run_checks(runner, mutant.checks, claim.timeout_s)
        if mutated_holds is None:
            score.failed.append((mutant, summary))
        elif mutated_holds:
            probe = equivalence_probe(mutant)
            equivalent = probe is not None and run_checks(runner, probe, claim.timeout_s)[0] is True
            score.survived.append((mutant, equivalent))
        else:
            score.flipped.append(mutant)
    return score


def totals(scores: list[ClaimScore]) -> dict[str, int]:
    """Counts: mutants that flipped, survived (of which equivalent), failed to run; corrections that
    flipped a refuted claim to confirmed."""
    return {
        "flipped": sum(len(s.flipped) for s in scores),
        "survived": sum(1 for s in scores for _, eq in s.survived if not eq),
        "equivalent": sum(1 for s in scores for _, eq in s.survived if eq),
        "failed": sum(len(s.failed) for s in scores),
        "corrected": sum(1 for s in scores if s.corrected_holds is True),
        "corrections_tried": sum(1 for s in scores if s.corrected_holds is not None),
    }


def rate(counts: Mapping[str, int]) -> float:
    """Share of non-equivalent mutants that flipped the verdict (failed runs count as not flipped)."""
    relevant = counts["flipped"] + counts["survived"] + counts["failed"]
    return counts["flipped"] / relevant if relevant else 1.0
