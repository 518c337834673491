"""Figure: first render of the report with 10,000 claims (target < 2 s), through streamlit's AppTest.

Builds a registry of 10,000 claims in 100 files (benchmarks/registry_load.py) and a report for it whose
verdicts cycle through the vocabulary, then times a cold first run of the overview and of the claims table
(caches cleared before each run): median of 5 in one process."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import streamlit as st  # noqa: E402
from registry_load import build  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from verifier.registry import load_registry  # noqa: E402
from verifier.results.models import AuditInfo, AuditRun, CheckResult, ClaimResult  # noqa: E402
from verifier.verdicts import Status  # noqa: E402

RUNS = 5


def report(root: Path) -> None:
    registry = load_registry(root / "claims")
    statuses = list(Status)
    results = [ClaimResult(claim_id=r.claim.id, source=r.claim.source, kind=r.claim.kind,
                           status=statuses[n % len(statuses)], summary=f"summary of claim {n}", location=r.location,
                           checks=[CheckResult(name="x", status=statuses[n % len(statuses)], summary="s")])
               for n, r in enumerate(registry.records)]
    run = AuditRun(audit=AuditInfo(started="2026-11-22T00:00:00+00:00", finished="2026-11-22T00:01:00+00:00",
                                   registry="claims", offline=True), results=results)
    (root / "reports").mkdir()
    (root / "reports" / "latest.json").write_text(run.model_dump_json())


def first_render(page: str | None) -> float:
    st.cache_data.clear()
    st.cache_resource.clear()
    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(f"verifier/report/page_scripts/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(root, random.Random(0))
        report(root)
        os.environ["VERIFIER_REGISTRY"] = str(root / "claims")
        os.environ["VERIFIER_HOME"] = str(root / ".verifier")
        overview = [first_render(None) for _ in range(RUNS)]
        claims = [first_render("claims") for _ in range(RUNS)]
    print(f"report_render: 10,000 claims, cold first render: overview median {statistics.median(overview):.2f} s, "
          f"overview + claims table median {statistics.median(claims):.2f} s (n={RUNS}); target < 2 s")
    return 0 if statistics.median(overview) < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
