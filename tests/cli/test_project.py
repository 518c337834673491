"""A user's own project through the real CLI: `init`, `extract --into`, partial audits that keep the rest of
the report, `validate` warnings for quotes found twice, verdicts near their threshold, and the report served
from another folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.execution.compare import compare
from verifier.registry import load_registry
from verifier.results.evidence import (
    Candidate,
    Evidence,
    Observation,
    ObservationEvidence,
    ReferenceEvidence,
    RunEvidence,
    TitleScore,
)
from verifier.results.formats.table_format import TableFormat
from verifier.results.margin import NEAR, margin_of, near_threshold
from verifier.results.models import AuditInfo, AuditRun, CheckResult, ClaimResult
from verifier.verdicts import Status

DOC = b"""# Notes on softmax\r\n\r\nThe softmax of a vector sums to one.\r\n\r\n```python\r\nimport math\r\n\
print(round(math.exp(1) / (math.exp(1) + 1), 4))\r\n```\r\n\r\nThe output is:\r\n\r\n0.7311\r\n"""


def test_init_keeps_the_document_byte_for_byte_and_validates(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_bytes(DOC)
    result = run_cli("init", "audit", "--source", "notes.md", "--kind", "qa", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    registry = tmp_path / "audit" / "claims"
    assert (registry / "sources" / "notes.md").read_bytes() == DOC
    assert (registry / "schema.json").is_file() and (tmp_path / "audit" / "reproductions" / "__init__.py").is_file()
    draft = (registry / "notes.yaml").read_text()
    assert draft.startswith("# yaml-language-server: $schema=schema.json")
    entry = (registry / "sources.yaml").read_text()
    assert "slug: notes" in entry and "file: notes.md" in entry and "title: Notes on softmax" in entry
    loaded = load_registry(registry)  # the draft validates as written (no math statement in this document)
    (code,) = [r.claim for r in loaded.records if r.claim.kind == "code"]
    assert code.printed == "0.7311\n"  # type: ignore[union-attr]
    audit = run_cli("audit", "--offline", "--kind", "code", "--format", "json", cwd=tmp_path / "audit")
    assert audit.returncode == 0 and json.loads(audit.stdout)["results"][0]["status"] == "confirmed"


def test_init_and_extract_into_refuse_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_bytes(DOC)
    assert run_cli("init", "p", "--source", "notes.md", cwd=tmp_path).returncode == 0
    registry = tmp_path / "p" / "claims"
    before = {p: p.read_bytes() for p in registry.rglob("*") if p.is_file()}
    again = run_cli("init", "p", "--source", "notes.md", cwd=tmp_path)
    assert again.returncode == 2 and "extract FILE --into" in again.stderr
    twice = run_cli("extract", "notes.md", "--into", str(registry), cwd=tmp_path)
    assert twice.returncode == 2 and "already has a source 'notes'" in twice.stderr
    bad_slug = run_cli("extract", "notes.md", "--into", str(registry), "--source-slug", "Not Kebab", cwd=tmp_path)
    assert bad_slug.returncode == 2
    missing = run_cli("init", "q", "--source", "absent.md", cwd=tmp_path)
    assert missing.returncode == 3 and "absent.md" in missing.stderr
    assert {p: p.read_bytes() for p in registry.rglob("*") if p.is_file()} == before
    other = run_cli("extract", "notes.md", "--into", str(registry), "--source-slug", "notes-copy", cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert len(load_registry(registry).sources) == 2


def test_a_filtered_audit_updates_its_claims_and_keeps_the_others(project: Path) -> None:
    full = run_cli("audit", "--offline", cwd=project)
    assert full.returncode == 0, full.stderr
    latest = project / "reports" / "latest.json"
    before = json.loads(latest.read_text())
    assert len(before["results"]) == 5
    partial = run_cli("audit", "--offline", "--only", "derivative-of-square", "--fresh", cwd=project)
    assert partial.returncode == 0
    assert "updated 1 claim(s), kept 4 from earlier audits" in " ".join(partial.stderr.split())
    after = json.loads(latest.read_text())
    assert [r["claim_id"] for r in after["results"]] == [r["claim_id"] for r in before["results"]]
    assert after["audit"]["selection"]["kept"] == 4 and after["audit"]["selection"]["updated"] == 1
    assert after["audit"]["selection"]["kept_from"] == before["audit"]["started"]
    changed = {r["claim_id"]: r for r in after["results"]}
    assert changed["two-thirds-output"] == {r["claim_id"]: r for r in before["results"]}["two-thirds-output"]
    assert changed["derivative-of-square"]["reused"] is False
    separate = project / "only.json"
    alone = run_cli("audit", "--offline", "--kind", "math", "--format", "json", "--output", str(separate),
                    cwd=project)
    assert alone.returncode == 0
    assert [r["claim_id"] for r in json.loads(separate.read_text())["results"]] == ["derivative-of-square"]
    assert len(json.loads(latest.read_text())["results"]) == 5


def test_validate_warns_when_a_quote_occurs_twice(project: Path) -> None:
    source = project / "claims" / "sources" / "demo.txt"
    source.write_text(source.read_text() + "\nAgain: the derivative of x^2 is 2x.\n")
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0 and "valid (1 warning(s))" in result.stdout
    warning = " ".join(result.stderr.split())
    assert "claims/demo.yaml:" in warning and "'derivative-of-square'" in warning
    line = next(i for i, text in enumerate(source.read_text().split("\n"), 1) if "the derivative of x^2" in text)
    assert "occurs 2 times" in warning and f"anchored at the first, line {line}" in warning


def _check(status: Status, evidence: Evidence | None, margin: float | None = None) -> CheckResult:
    return CheckResult(name="as_written", status=status, summary="s", evidence=evidence, margin=margin)


def test_margins_from_the_comparison_the_title_score_and_the_check() -> None:
    on_edge = compare("0.6667", ["0.66674"])  # 0.4 of the last digit's half unit left
    assert on_edge.status == "confirmed"
    edge = margin_of(_check(Status.CONFIRMED, RunEvidence(comparison=on_edge)))
    assert edge is not None and 0 < edge < NEAR + 0.1
    exact = margin_of(_check(Status.CONFIRMED, RunEvidence(comparison=compare("0.6667", ["0.66670"]))))
    assert exact is not None and exact > 0.9
    far = compare("0.70", ["0.6667"])
    assert far.status is Status.REFUTED
    assert margin_of(_check(Status.REFUTED, RunEvidence(comparison=far))) < -1  # type: ignore[operator]
    score = TitleScore(title=0.935, authors=None, year=None, total=0.935)
    candidate = Candidate(title="Generative Adversarial Networks", origin="snapshot", score=score)
    title = margin_of(_check(Status.CONFIRMED, ReferenceEvidence(candidates=[candidate])))
    assert title is not None and abs(title) < NEAR
    assert margin_of(_check(Status.CONFIRMED, _measured(-0.02))) == -0.02
    assert margin_of(_check(Status.CONFIRMED, None, margin=0.5)) == 0.5
    assert margin_of(_check(Status.CONFIRMED, None)) is None


def _measured(margin: float) -> ObservationEvidence:
    """A math check that measured its own `margin` (results/margin.py)."""
    return ObservationEvidence(observation=Observation(holds=True, measured={"margin": margin}))


def test_the_table_says_near_threshold() -> None:
    near = _check(Status.CONFIRMED, _measured(0.01))
    far = _check(Status.CONFIRMED, _measured(0.8))
    results = [ClaimResult(claim_id=f"c-{i}", source="s", kind="math", status=Status.CONFIRMED, summary="ok",
                           location="claims/s.yaml:1", checks=[check]) for i, check in enumerate((near, far))]
    run = AuditRun(audit=AuditInfo(started="t0", finished="t1", registry="claims", offline=True), results=results)
    assert near_threshold(results[0]) == [("as_written", 0.01)] and near_threshold(results[1]) == []
    text = TableFormat().render(run)
    assert text.count("near threshold") == 1 and "1 verdict(s) near their decision threshold" in text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.timeout(120)
def test_report_serves_from_another_folder(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = _free_port()
    command = [sys.executable, "-m", "verifier", "report", "--registry", str(project / "claims"), "--port",
               str(port), "--address", "127.0.0.1", "--headless"]
    process = subprocess.Popen(command, cwd=elsewhere, env={**os.environ, "VERIFIER_HOME": str(project / ".v")},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        health = b""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        assert health == b"ok", process.stdout.read() if process.poll() is not None and process.stdout else ""
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "<title>" in page.lower() or "streamlit" in page.lower()
    finally:
        process.terminate()
        process.wait(timeout=20)
    missing = run_cli("report", "--registry", str(tmp_path / "nothing"), cwd=elsewhere)
    assert missing.returncode == 3 and "registry folder not found" in missing.stderr  # as audit says it


def test_the_installed_report_renders_from_another_folder(project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.util import find_spec

    from streamlit.testing.v1 import AppTest

    assert run_cli("audit", "--offline", cwd=project).returncode == 0
    assert run_cli("audit", "--offline", "--only", "derivative-of-square", cwd=project).returncode == 0
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VERIFIER_REGISTRY", str(project / "claims"))
    spec = find_spec("verifier.report.app")
    assert spec is not None and spec.origin is not None and Path(spec.origin).parent.name == "report"
    at = AppTest.from_file(spec.origin, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label for m in at.metric} >= {"confirmed"}
    assert any("the other 4 keep their results from earlier audits" in str(c.value) for c in at.caption)
    at.switch_page(str(Path(spec.origin).parent / "page_scripts" / "claims.py")).run()
    assert not at.exception and any("of 5 claims" in str(c.value) for c in at.caption)


def test_a_math_draft_must_be_given_a_check_before_it_validates(tmp_path: Path) -> None:
    (tmp_path / "proof.md").write_text("The derivative of x^2 + 3x is 2x + 3, so it equals 5 at x = 1.\n")
    assert run_cli("init", ".", "--source", "proof.md", cwd=tmp_path).returncode == 0
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 3
    message = " ".join(result.stderr.split())
    assert "claims/proof.yaml:" in message and "is a drafted placeholder: name a check" in message


BIB = """@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  year = {2017},
  eprint = {1706.03762},
  archivePrefix = {arXiv}
}
"""


def test_a_bibtex_file_joins_a_registry_as_it_is_and_a_broken_one_does_not(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_bytes(DOC)
    assert run_cli("init", ".", "--source", "notes.md", cwd=tmp_path).returncode == 0
    (tmp_path / "refs.bib").write_text(BIB)
    added = run_cli("extract", "refs.bib", "--into", "claims", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "claims" / "sources" / "refs.bib").read_text() == BIB
    (citation,) = [r.claim for r in load_registry(tmp_path / "claims").records if r.claim.source == "refs"]
    assert citation.reference.arxiv_id == "1706.03762"  # type: ignore[union-attr]
    (tmp_path / "broken.bib").write_text(BIB + "@article{broken, title = {Unclosed\n")
    before = sorted(p.name for p in (tmp_path / "claims").rglob("*"))
    refused = run_cli("extract", "broken.bib", "--into", "claims", cwd=tmp_path)
    assert refused.returncode == 3 and "broken.bib" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "claims").rglob("*")) == before
