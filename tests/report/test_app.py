"""Every page of the Streamlit report, driven by streamlit.testing.v1.AppTest on a real audit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA, run_cli
from tests.report.conftest import APP
from verifier.references.snapshot import build
from verifier.registry import load_registry

PAGES = "verifier/report/page_scripts"
NAMED = """
- id: wavenet-named
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: names WaveNet
  reference: {name: WaveNet}
"""


def started(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page:
        at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_overview(app_env: Path) -> None:
    at = started()
    labels = {m.label: m.value for m in at.metric}
    assert labels["refuted"] == "1" and labels["reviewed by hand"].startswith("1 ")
    assert "offline" in text(at) and "7 claims" in text(at)
    assert len(at.get("vega_lite_chart")) == 1  # charts are opaque to AppTest; their data is tested in test_views


@pytest.mark.parametrize("content", [None, "", "{broken", '{"audit": {}, "results": []}'])
def test_empty_and_corrupt_report(app_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  content: str | None) -> None:
    home = tmp_path / ".verifier"
    monkeypatch.setenv("VERIFIER_HOME", str(home))
    if content is not None:
        (tmp_path / "reports").mkdir()
        (tmp_path / "reports" / "latest.json").write_text(content)
    for page in (None, "claims", "detail"):
        at = started(page)
        message = text(at)
        assert ("No audit yet" in message) if content is None else ("verifier audit" in message)
        assert at.code[0].value == "verifier audit"


def test_claims_filters_and_open(app_env: Path) -> None:
    at = started("claims")
    table = at.dataframe[0].value
    assert len(table) == 7
    at.multiselect[2].select("refuted").run()
    assert list(at.dataframe[0].value["claim"]) == ["wrong-output"]
    at.multiselect[2].unselect("refuted").run()
    at.text_input[0].input("sentence").run()
    assert list(at.dataframe[0].value["claim"]) == ["other-sentence"]
    at.selectbox[0].select("other-sentence").run()
    at.button[0].click().run()
    assert at.session_state["claim_id"] == "other-sentence"
    assert [t.value for t in at.title] == ["Claim detail"]


@pytest.mark.parametrize(("claim", "expected"), [
    ("gan-paper", ["Matched record", "Generative Adversarial Networks", "Candidates"]),
    ("wrong-output", ["Claimed output", '<mark style="background:#ffcdd2">0.6700</mark>', "Observed output"]),
    ("derivative-of-square", ["Observation"]),
    ("transformer-relies-on-attention", ["Reviewer's note", "The abstract says so."]),
])
def test_detail_of_each_kind(app_env: Path, claim: str, expected: list[str]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = claim
    at.run()
    at.switch_page(f"{PAGES}/detail.py").run()
    assert not at.exception
    shown = text(at) + "\n".join(str(j.value) for j in at.json)
    for fragment in expected:
        assert fragment in shown, fragment
    if claim == "wrong-output":
        assert any("print(round(2.0 / 3.0, 4))" in c.value for c in at.code)


def test_source_reader(app_env: Path) -> None:
    at = started("source")
    page = text(at)
    assert "[two-thirds-output: confirmed, wrong-output: refuted]" in page
    assert "[transformer-relies-on-attention: confirmed]" in page


def test_history_shows_changes(app_env: Path, audited: Path) -> None:
    from verifier.results.models import AuditRun
    from verifier.results.store import ResultStore, read_report

    run = read_report(audited / "reports" / "latest.json")
    from verifier.verdicts import Status

    changed = run.model_copy(update={"results": [r.model_copy(update={"status": Status.CONFIRMED}) if r.claim_id ==
                                                 "wrong-output" else r for r in run.results]})
    store = ResultStore(audited / ".verifier")
    try:
        store.record_audit(AuditRun.model_validate(changed.model_dump()))
    finally:
        store.close()
    at = started("history")
    frames = [d.value for d in at.dataframe]
    assert len(frames[0]) >= 2
    change = frames[1]
    assert list(change["claim"]) == ["wrong-output"] and list(change["to"]) == ["confirmed"]


def test_add_a_claim(app_env: Path, audited: Path) -> None:
    at = started("add")
    at.selectbox[0].select("other").run()
    at.selectbox[1].select("fact").run()
    at.text_input[0].input("added-in-the-report").run()
    at.text_area[0].input("not in the source at all").run()
    assert any("Quote not found" in w.value for w in at.warning)
    at.text_area[0].input("worth quoting").run()
    assert any("Quote found at line 1" in s.value for s in at.success)
    at.text_area[1].input("A statement.").run()
    assert "id: added-in-the-report" in at.code[0].value
    at.button[0].click().run()
    assert any("Added claims/other.yaml" in s.value for s in at.success), [s.value for s in at.success]
    record = load_registry(audited / "claims").by_id("added-in-the-report")
    assert record is not None and record.claim.statement == "A statement."


def test_detail_shows_how_a_named_work_was_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "registry", root)
    path = root / "claims" / "demo.yaml"
    path.write_text(path.read_text() + NAMED)
    snapshot = root / "snapshot.sqlite"
    build([DATA / "arxiv" / "bulk_sample.jsonl"], snapshot)
    home = root / ".verifier"
    result = run_cli("audit", "--offline", "--only", "wavenet-named", "--snapshot", str(snapshot), cwd=root,
                     env={"VERIFIER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("VERIFIER_REGISTRY", str(root / "claims"))
    monkeypatch.setenv("VERIFIER_HOME", str(home))
    monkeypatch.chdir(root)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = "wavenet-named"
    at.run()
    at.switch_page(f"{PAGES}/detail.py").run()
    assert not at.exception
    shown = text(at)
    assert "WaveNet: A Generative Model for Raw Audio" in shown
    assert "Note: the source gives the name 'WaveNet', no title; the earliest paper titled after it" in shown


API_CLAIM = """
- id: svd-named
  source: demo
  kind: api
  quote: Here it is
  statement: numpy.linalg.svd takes full_matrices
  package: numpy
  name: numpy.linalg.svd
  argument: full_matrices
"""


def test_detail_shows_what_the_api_probe_measured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "registry", root)
    path = root / "claims" / "demo.yaml"
    path.write_text(path.read_text() + API_CLAIM)
    home = root / ".verifier"
    result = run_cli("audit", "--offline", "--only", "svd-named", cwd=root, env={"VERIFIER_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("VERIFIER_REGISTRY", str(root / "claims"))
    monkeypatch.setenv("VERIFIER_HOME", str(home))
    monkeypatch.chdir(root)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = "svd-named"
    at.run()
    at.switch_page(f"{PAGES}/detail.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rows = dict(zip(at.dataframe[0].value.iloc[:, 0], at.dataframe[0].value.iloc[:, 1], strict=True))
    assert rows["first docstring line"] == "Singular Value Decomposition." and rows["argument full_matrices"] == "yes"
    assert "numpy.linalg.svd" in text(at)


def test_add_an_api_claim(app_env: Path, audited: Path) -> None:
    at = started("add")
    at.selectbox[0].select("other").run()
    at.selectbox[1].select("api").run()
    at.text_input[0].input("api-added-in-the-report").run()
    at.text_area[0].input("worth quoting").run()
    at.text_area[1].input("numpy.exp exists.").run()
    at.text_input[1].input("numpy").run()
    at.text_input[2].input("numpy.exp").run()
    assert "kind: api" in at.code[0].value and "name: numpy.exp" in at.code[0].value
    at.button[0].click().run()
    record = load_registry(audited / "claims").by_id("api-added-in-the-report")
    assert record is not None and record.claim.kind == "api"
