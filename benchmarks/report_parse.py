"""Figure: reading a 10,000-claim JSON report with evidence into the result models (what `verifier show`, the
report and a filtered audit's merge do), typed evidence (version 2) against a version-1 report (upgraded on
read). The report is the real 13-claim report of tests/data/reports/report_v1.json (every evidence variant)
repeated to 10,000 claims; median of 5 in one process.

Run it with another checkout's `verifier` on PYTHONPATH (e.g. `git archive ac27881 verifier | tar -x -C
/tmp/old`, `PYTHONPATH=/tmp/old`) to time the code before the union on the same version-1 text."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from verifier.results.models import AuditRun  # noqa: E402

CLAIMS = 10_000
RUNS = 5


def version_1_text() -> str:
    report = json.loads((ROOT / "tests" / "data" / "reports" / "report_v1.json").read_text(encoding="utf-8"))
    results = report["results"]
    report["results"] = [{**results[n % len(results)], "claim_id": f"claim-{n}"} for n in range(CLAIMS)]
    return json.dumps(report)


def median_seconds(text: str) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        AuditRun.from_json(text) if hasattr(AuditRun, "from_json") else AuditRun.model_validate_json(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    old = version_1_text()
    print(f"{CLAIMS} claims, version-1 text ({len(old) / 1e6:.1f} MB): {median_seconds(old):.2f} s")
    typed = AuditRun.model_validate_json(old)
    if "version" in AuditRun.model_fields:  # the typed models: the same report written as version 2
        new = typed.model_dump_json()
        print(f"{CLAIMS} claims, version-2 text ({len(new) / 1e6:.1f} MB): {median_seconds(new):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
