"""The bundled registry, audited offline for real: every claim gets a verdict with evidence, none `error`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_offline_audit_of_the_bundled_registry(tmp_path: Path) -> None:
    snapshot = ROOT / ".verifier" / "snapshot.sqlite"
    assert snapshot.is_file(), "`make setup` builds the snapshot index"
    result = run_cli("audit", "--offline", "--jobs", "2", "--format", "json", "--snapshot", str(snapshot),
                     cwd=ROOT, env={"VERIFIER_HOME": str(tmp_path / ".verifier")})
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert len(results) >= 55
    assert [r["claim_id"] for r in results if r["status"] == "error"] == []
    for r in results:
        assert r["checks"], r["claim_id"]
        assert all(c["evidence"] or c["status"] == "unverifiable" for c in r["checks"]), r["claim_id"]
    by_id = {r["claim_id"]: r for r in results}
    assert by_id["weighted-trace-norm-paper"]["status"] == "confirmed"  # found in the snapshot
    assert by_id["keras-transformer-blocks-derivative-log"]["status"] == "refuted"
    assert by_id["matrix-completion-gradients"]["status"] == "refuted"
    assert by_id["attention-derivative-gaussian-output"]["status"] == "approximate"
