"""Figure: the cost of the claims table's order and decision steps (verifier/report/ordering.py, decide.py).

The same 10,000-claim report as report_render.py (verdicts cycle through the vocabulary, so 3 in 11 claims are
open and get a step), built in memory; times the plain rows (`views.claim_rows`) against the table's rows
(`ordering.table_rows`: findings first plus what would decide each open claim), by process CPU time so that
the figure does not depend on the load of a shared machine: median of 7 in one process."""

from __future__ import annotations

import statistics
import sys
import time

from verifier.report.ordering import table_rows
from verifier.report.views import claim_rows
from verifier.results.models import AuditInfo, AuditRun, CheckResult, ClaimResult
from verifier.verdicts import Status

CLAIMS = 10_000
RUNS = 7
#: evidence of the kinds the rules read: a reference no offline index covers, a missing backend, an outage
EVIDENCE = {
    Status.UNVERIFIABLE: {"indexes": [{"index": "snapshot", "description": "offline snapshot", "complete": False,
                                       "online": False, "first": None, "last": None, "covers_reference": False,
                                       "answered": True}], "consulted": ["snapshot"], "failed": [], "coverage": [],
                          "record": None, "candidates": [], "differences": [], "summary_check": None, "notes": []},
    Status.SKIPPED: {"missing": ["tensorflow"]},
    Status.UNREACHABLE: {"failed": [{"index": "cache+arxiv-api", "reason": "connection refused"}]},
}


def report() -> AuditRun:
    statuses = list(Status)
    results = []
    for n in range(CLAIMS):
        status = statuses[n % len(statuses)]
        check = CheckResult(name="reference", status=status, summary=f"summary of check {n}",
                            evidence=EVIDENCE.get(status, {}))
        results.append(ClaimResult(claim_id=f"claim-{n}", source=f"source-{n % 100}", kind="citation", status=status,
                                   summary=f"summary of claim {n}", location=f"claims/s.yaml:{n}", checks=[check]))
    return AuditRun(audit=AuditInfo(started="2026-11-29T00:00:00+00:00", finished="2026-11-29T00:01:00+00:00",
                                    registry="claims", offline=True), results=results)


def cpu(function: object, run: AuditRun) -> float:
    start = time.process_time()
    function(run)  # type: ignore[operator]
    return time.process_time() - start


def main() -> int:
    run = report()
    plain = statistics.median(cpu(claim_rows, run) for _ in range(RUNS))
    table = statistics.median(cpu(table_rows, run) for _ in range(RUNS))
    steps = sum(1 for row in table_rows(run) if row["what would decide"])
    print(f"report_table: {CLAIMS:,} claims ({steps:,} open, each with a step): rows {plain * 1000:.0f} ms, "
          f"findings first + steps {table * 1000:.0f} ms (+{(table - plain) * 1000:.0f} ms), CPU time, "
          f"median of {RUNS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
