"""Reports and stores written before the evidence union (report version 1) still load, typed.

`tests/data/reports/report_v1.json` is a real report: the registry of tests/results/test_evidence.py audited
offline by the code before the union (commit ac27881), every evidence variant in its old, untagged form."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA
from tests.report.conftest import APP
from tests.results.test_evidence import make_project
from verifier.report.data import read_run
from verifier.results.evidence import (
    AboutEvidence,
    ApiEvidence,
    LegacyEvidence,
    ObservationEvidence,
    ReferenceEvidence,
    RunEvidence,
)
from verifier.results.models import REPORT_VERSION, AuditRun, ClaimResult
from verifier.results.store import ResultStore, read_report

V1 = DATA / "reports" / "report_v1.json"

EXPECTED = {
    ("transformer-paper", "reference"): "reference", ("two-thirds-output", "as_written"): "run",
    ("two-thirds-output", "reproduction"): "run", ("derivative-of-square", "computation"): "observation",
    ("transformer-relies-on-attention", "about"): "about", ("transformer-relies-on-attention", "review"): "review",
    ("gan-paper", "reference"): "reference", ("gan-is-adversarial", "about"): "about",
    ("wrong-output", "as_written"): "run", ("needs-a-backend", "as_written"): "run",
    ("slope-at-one", "computation"): "observation", ("numpy-svd", "probe"): "api", ("fmin-unc", "probe"): "api",
    ("mha-gaussian", "probe"): "api", ("mha-gaussian", "behaviour"): "observation", ("other-sentence", "none"): None,
}


def test_a_version_1_report_reads_as_typed_evidence() -> None:
    raw = json.loads(V1.read_text(encoding="utf-8"))
    assert "version" not in raw and all("kind" not in c["evidence"] for r in raw["results"] for c in r["checks"])
    run = read_report(V1)
    kinds = {(r.claim_id, c.name): c.evidence.kind if c.evidence else None for r in run.results for c in r.checks}
    assert kinds == EXPECTED  # every variant recognised: nothing fell back to `legacy`
    by_id = {r.claim_id: r for r in run.results}
    wrong = by_id["wrong-output"].checks[0].evidence
    assert isinstance(wrong, RunEvidence) and wrong.comparison is not None
    assert wrong.comparison.numbers[0].claimed == "0.6700" and wrong.runs[0].stdout == "0.6667\n"
    gan = by_id["gan-paper"].checks[0].evidence
    assert isinstance(gan, ReferenceEvidence) and gan.record is not None and gan.record.arxiv_id == "1406.2661"
    assert all(c.abstract is None for c in gan.candidates) and gan.curated is None  # keys v1 left out
    about = by_id["gan-is-adversarial"].checks[0].evidence
    assert isinstance(about, AboutEvidence) and about.abstract_support is not None
    svd = by_id["numpy-svd"].checks[0].evidence
    assert isinstance(svd, ApiEvidence) and svd.probe.argument is not None and svd.probe.argument.accepted
    behaviour = by_id["mha-gaussian"].checks[1].evidence
    assert isinstance(behaviour, ObservationEvidence) and behaviour.observation.explanation
    # written again, it is a version-2 report that reads back unchanged
    again = run.model_dump_json()
    assert json.loads(again)["version"] == REPORT_VERSION
    assert AuditRun.model_validate_json(again) == run


def test_a_version_1_store_reads_as_typed_evidence(tmp_path: Path) -> None:
    """Rows the previous version stored (the same ClaimResult JSON) are reused as typed results."""
    results = json.loads(V1.read_text(encoding="utf-8"))["results"]
    ResultStore(tmp_path).close()  # the tables, as any version creates them
    with sqlite3.connect(tmp_path / "store.sqlite") as db:
        db.executemany("INSERT INTO results VALUES (?, ?, ?, ?)",
                       [(f"hash-{r['claim_id']}", r["claim_id"], "2026-11-28", json.dumps(r)) for r in results])
    db.close()
    store = ResultStore(tmp_path, read_only=True)
    try:
        for raw in results:
            result = store.get(f"hash-{raw['claim_id']}")
            assert result is not None and result.claim_id == raw["claim_id"]
            assert [c.evidence.kind if c.evidence else None for c in result.checks] == [
                EXPECTED[(raw["claim_id"], c["name"])] for c in raw["checks"]]
    finally:
        store.close()


def test_evidence_that_fits_no_variant_is_kept_as_legacy() -> None:
    """A version-1 mapping whose keys no variant has (or whose values do not fit it) is kept untouched."""
    raw = json.loads(V1.read_text(encoding="utf-8"))["results"][1]
    assert raw["claim_id"] == "two-thirds-output"
    check = raw["checks"][0]
    check["evidence"]["runs"][0]["status"] = "vanished"  # not a run status any version wrote
    kept = ClaimResult.model_validate(raw).checks[0].evidence
    assert isinstance(kept, LegacyEvidence) and kept.data == check["evidence"]
    check["evidence"] = {"elapsed": 3}
    assert ClaimResult.model_validate(raw).checks[0].evidence == LegacyEvidence(data={"elapsed": 3})


@pytest.fixture
def old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    make_project(root)
    (root / "reports").mkdir()
    shutil.copy(V1, root / "reports" / "latest.json")
    monkeypatch.setenv("VERIFIER_REGISTRY", str(root / "claims"))
    monkeypatch.setenv("VERIFIER_HOME", str(root / ".verifier"))
    return root


@pytest.mark.parametrize(("claim", "expected"), [
    ("wrong-output", ["Claimed output", '<mark style="background:#ffcdd2">0.6700</mark>']),
    ("gan-paper", ["Matched record", "Candidates"]),
    ("slope-at-one", ["Observation"]),
])
def test_the_report_shows_a_version_1_report(old_report: Path, claim: str, expected: list[str]) -> None:
    assert read_run(old_report / "reports" / "latest.json").message is None
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = claim
    at.run()
    at.switch_page("verifier/report/page_scripts/detail.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(m.value) for m in [*at.markdown, *at.caption])
    for fragment in expected:
        assert fragment in shown, fragment
