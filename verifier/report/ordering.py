"""The claims table leads with what a reader needs: findings first, in the order of `verdicts.PRECEDENCE`,
and for each claim the audit left open the step that would decide it.

The same order decides a claim's verdict (the first status any of its checks has), so the table reads from
"something is wrong with the source" (refuted, misattributed, not found, mismatch, does not run) through
"the tool failed or could not look" (error, unreachable) to the positives and what was not checked at all.
Within one verdict the registry's order is kept (a stable sort), so claims of one source stay together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from verifier.report.decide import what_would_decide
from verifier.report.views import claim_rows
from verifier.results.models import AuditRun
from verifier.verdicts import PRECEDENCE

DECIDE = "what would decide"
#: The table's columns, the ones a reader needs first on the left (verdict, claim, summary, the next step).
COLUMNS = ["", "verdict", "claim", "summary", DECIDE, "near threshold", "source", "kind", "manual", "tags", "link",
           "where"]
RANK: dict[str, int] = {status.value: index for index, status in enumerate(PRECEDENCE)}

Row = TypeVar("Row", bound=Mapping[str, Any])


def rank(verdict: str) -> int:
    """The verdict's place in PRECEDENCE; a verdict this version does not know goes last, never first."""
    return RANK.get(verdict, len(RANK))


def findings_first(rows: Sequence[Row]) -> list[Row]:
    """Rows (each with a `verdict`) ordered by PRECEDENCE, registry order kept within a verdict."""
    return sorted(rows, key=lambda row: rank(str(row["verdict"])))


def table_rows(run: AuditRun) -> list[dict[str, Any]]:
    """The claims table: findings first, each open claim with the step that would decide it (decide.py)."""
    hints = what_would_decide(run)
    return findings_first([{**row, DECIDE: hints.get(row["claim"], "")} for row in claim_rows(run)])
