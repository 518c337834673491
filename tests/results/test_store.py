"""The store: history, reuse of unchanged results, --fresh, and nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from verifier.results.store import ResultStore


def audit_json(project: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = run_cli("audit", "--format", "json", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_second_audit_reuses_unchanged_results(project: Path) -> None:
    first = audit_json(project, "--kind", "fact")
    assert not any(r["reused"] for r in first["results"])
    second = audit_json(project, "--kind", "fact")
    assert all(r["reused"] for r in second["results"])
    fresh = audit_json(project, "--kind", "fact", "--fresh")
    assert not any(r["reused"] for r in fresh["results"])


def test_a_changed_claim_is_checked_again(project: Path) -> None:
    audit_json(project, "--kind", "fact")
    path = project / "claims" / "other.yaml"
    path.write_text(path.read_text().replace("There is a sentence.", "There is one sentence."))
    results = {r["claim_id"]: r for r in audit_json(project, "--kind", "fact")["results"]}
    assert results["other-sentence"]["reused"] is False
    assert results["transformer-relies-on-attention"]["reused"] is True


def test_history_keeps_every_audit(project: Path) -> None:
    audit_json(project, "--kind", "fact")
    audit_json(project, "--kind", "fact", "--fresh")
    store = ResultStore(project / ".verifier")
    try:
        history = store.history()
    finally:
        store.close()
    assert len(history) == 2
    assert history[0].statuses == {"transformer-relies-on-attention": "confirmed", "other-sentence": "unverifiable"}


def test_verifier_home_moves_the_store(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere" / ".verifier"
    result = run_cli("audit", "--kind", "fact", cwd=project, env={"VERIFIER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / "store.sqlite").is_file()
    assert (home.parent / "reports" / "latest.json").is_file()
    assert not (project / ".verifier").exists()
