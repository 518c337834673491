"""A filtered audit (`--only`, `--kind`) updates its claims in `reports/latest.json` and keeps the others.

The report reads one file; replacing it with the two claims a user just re-checked would hide every other
claim until the next full audit. So the results of a filtered audit replace those of the same claims in the
previous report, the other claims keep their earlier results (claims no longer in the registry are dropped),
in registry order, and the audit header says how many were updated and kept, and when the kept ones ran."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.results.models import AuditRun, ClaimResult


@dataclass(frozen=True)
class Merged:
    run: AuditRun
    updated: int
    kept: int


def is_filtered(run: AuditRun) -> bool:
    selection = run.audit.selection
    return bool(selection.get("only") or selection.get("kind"))


def merge(previous: AuditRun | None, run: AuditRun, claim_ids: list[str]) -> Merged:
    """The report to keep as latest: `run`'s results, plus `previous`'s for the claims of `claim_ids` (the
    registry, in order) that `run` did not check. A previous report of another registry is not merged."""
    if previous is None or previous.audit.registry != run.audit.registry or not is_filtered(run):
        return Merged(run, len(run.results), 0)
    fresh = {r.claim_id: r for r in run.results}
    earlier = {r.claim_id: r for r in previous.results}
    results: list[ClaimResult] = []
    kept = 0
    for claim_id in claim_ids:
        if claim_id in fresh:
            results.append(fresh[claim_id])
        elif claim_id in earlier:
            results.append(earlier[claim_id])
            kept += 1
    if kept == 0:
        return Merged(run, len(run.results), 0)
    kept_from = previous.audit.selection.get("kept_from") or previous.audit.started
    selection = {**run.audit.selection, "updated": len(run.results), "kept": kept, "kept_from": kept_from}
    audit = run.audit.model_copy(update={"selection": selection})
    return Merged(AuditRun(audit=audit, results=results), len(run.results), kept)
