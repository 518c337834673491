"""An audit killed mid-run leaves the previous report and the store intact; the next run reuses its work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.timeout(240)
SLOW_CLAIMS = 6


def add_slow_claims(project: Path) -> None:
    path = project / "claims" / "demo.yaml"
    text = path.read_text()
    for index in range(SLOW_CLAIMS):
        text += (f"\n- id: slow-{index}\n  source: demo\n  kind: code\n  quote: \"Here it is:\"\n"
                 f"  statement: sleeps then prints {index}\n  code: |\n    import time\n    time.sleep(1.0)\n"
                 f"    print({index})\n  printed: \"{index}\"\n")
    path.write_text(text)


def stored_results(project: Path) -> int:
    database = project / ".verifier" / "store.sqlite"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM results WHERE claim_id LIKE 'slow-%'").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def interrupt_audit(project: Path, sig: signal.Signals) -> tuple[int, int]:
    """Start a full audit, wait until some slow claims are stored, send `sig`; (stored, exit code)."""
    process = subprocess.Popen([sys.executable, "-m", "verifier", "audit"], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={k: v for k, v in os.environ.items() if k != "VERIFIER_HOME"})
    deadline = time.monotonic() + 120
    while stored_results(project) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    stored = stored_results(project)
    assert process.poll() is None, "the audit finished before it could be interrupted"
    process.send_signal(sig)
    process.wait(timeout=60)
    return stored, process.returncode


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_audit_keeps_report_and_store(project: Path, sig: signal.Signals) -> None:
    add_slow_claims(project)
    first = run_cli("audit", "--kind", "fact", cwd=project)
    assert first.returncode == 0, first.stderr
    report = project / "reports" / "latest.json"
    before = report.read_bytes()

    stored, code = interrupt_audit(project, sig)
    assert 2 <= stored < SLOW_CLAIMS
    assert code == (-signal.SIGKILL if sig is signal.SIGKILL else 130)
    assert report.read_bytes() == before
    assert [p.name for p in report.parent.iterdir()] == ["latest.json"]
    with sqlite3.connect(project / ".verifier" / "store.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    rerun = run_cli("audit", "--format", "json", cwd=project)
    assert rerun.returncode == 0, rerun.stderr
    results = {r["claim_id"]: r for r in json.loads(rerun.stdout)["results"]}
    reused = [cid for cid, r in results.items() if cid.startswith("slow-") and r["reused"]]
    assert len(reused) >= stored
    assert all(results[f"slow-{i}"]["status"] == "confirmed" for i in range(SLOW_CLAIMS))
    assert json.loads(report.read_text())["results"] == json.loads(rerun.stdout)["results"]
