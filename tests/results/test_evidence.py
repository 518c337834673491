"""Typed evidence end to end: real checkers on small claims write every variant of the union to the JSON
report, the report is read back through the models (kind by kind, field by field), the claim detail page shows
each kind, and the report validates against the committed reports/schema.json."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA, ROOT, run_cli
from tests.report.conftest import APP
from verifier.audit import check_one
from verifier.checkers.code import CodeChecker
from verifier.checkers.interface import CheckContext
from verifier.execution.pool import LocalPool
from verifier.references.snapshot import build
from verifier.registry import load_registry
from verifier.report.api_view import api_rows
from verifier.report.views import arxiv_link
from verifier.results.evidence import (
    AboutEvidence,
    ApiEvidence,
    ErrorEvidence,
    ObservationEvidence,
    ReferenceEvidence,
    ReviewEvidence,
    RunEvidence,
)
from verifier.results.margin import margin_of
from verifier.results.models import REPORT_VERSION, AuditRun, CheckResult, ClaimResult
from verifier.results.schema import REPORT_SCHEMA, report_schema_text
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(600)

DEMO = """
- id: gan-paper
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: the GAN paper exists
  reference: {title: Generative Adversarial Nets, authors: [Ian Goodfellow], year: 2014}
  described_as: a framework for estimating generative models via an adversarial process
- id: gan-is-adversarial
  source: demo
  kind: fact
  quote: Attention Is All You Need
  statement: a generative model is trained against a discriminative model in an adversarial process
  about: gan-paper
- id: wrong-output
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: prints 0.6700
  code: print(round(2.0 / 3.0, 4))
  printed: "0.6700"
- id: needs-a-backend
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: runs with a backend that is not installed
  code: import verifier_absent_backend
  requires: [verifier_absent_backend]
- id: slope-at-one
  source: demo
  kind: math
  quote: the derivative of x^2 is 2x.
  statement: the slope of x^2 at x = 1 is 2
  check:
    value:
      let: {x: "1.0"}
      stated: 2
      expression: grad(x**2, x)
"""

LIBS_SOURCE = """Compute the SVD with numpy.linalg.svd(a, full_matrices=False).
Define an attention layer with a Gaussian kernel as the similarity function:
attention = nn.MultiheadAttention(embed_dim=1, num_heads=1, kdim=1, vdim=1)
Plug these gradients into scipy's optimize.fmin_unc.
"""

LIBS = """# yaml-language-server: $schema=schema.json
- id: numpy-svd
  source: libs
  kind: api
  quote: numpy.linalg.svd(a, full_matrices=False)
  statement: numpy.linalg.svd takes full_matrices.
  package: numpy
  name: numpy.linalg.svd
  argument: full_matrices
- id: fmin-unc
  source: libs
  kind: api
  quote: optimize.fmin_unc
  statement: scipy.optimize has fmin_unc.
  package: scipy
  name: scipy.optimize.fmin_unc
- id: mha-gaussian
  source: libs
  kind: api
  quote: Define an attention layer with a Gaussian kernel as the similarity function
  statement: torch.nn.MultiheadAttention uses a Gaussian kernel as its similarity function.
  package: torch
  name: torch.nn.MultiheadAttention
  does: attention with a Gaussian kernel as the similarity function
  check: api_behaviour:multihead_attention_similarity
  params: {similarity: gaussian}
"""


def make_project(root: Path) -> None:
    shutil.copytree(DATA / "registry", root)
    demo = root / "claims" / "demo.yaml"
    demo.write_text(demo.read_text(encoding="utf-8") + DEMO, encoding="utf-8")
    (root / "claims" / "sources" / "libs.txt").write_text(LIBS_SOURCE, encoding="utf-8")
    with (root / "claims" / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- slug: libs\n  file: libs.txt\n  title: Libraries\n  kind: chat\n  language: en\n"
                     "  origin: written for the tests\n")
    (root / "claims" / "libs.yaml").write_text(LIBS, encoding="utf-8")
    shutil.copy(ROOT / "reproductions" / "api_behaviour.py", root / "reproductions" / "api_behaviour.py")
    build([DATA / "arxiv" / "bulk_sample.jsonl"], root / "snapshot.sqlite")


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project audited offline by the real CLI: reports/latest.json holds every evidence variant."""
    root = tmp_path_factory.mktemp("evidence") / "project"
    make_project(root)
    result = run_cli("audit", "--offline", "--snapshot", str(root / "snapshot.sqlite"), cwd=root,
                     env={"VERIFIER_HOME": str(root / ".verifier")})
    assert result.returncode == 0, result.stderr
    return root


def report_text(root: Path) -> str:
    return (root / "reports" / "latest.json").read_text(encoding="utf-8")


def checks(run: AuditRun, claim_id: str) -> list[CheckResult]:
    return next(r for r in run.results if r.claim_id == claim_id).checks


def test_every_variant_round_trips_through_the_json_report(audited: Path) -> None:
    text = report_text(audited)
    raw = json.loads(text)
    assert raw["version"] == REPORT_VERSION
    run = AuditRun.model_validate_json(text)
    # the models read back exactly what was written: serialising again gives the same JSON
    assert json.loads(run.model_dump_json()) == raw
    kinds = {(r.claim_id, c.name): c.evidence.kind if c.evidence else None for r in run.results for c in r.checks}
    assert kinds[("gan-paper", "reference")] == "reference"
    assert kinds[("wrong-output", "as_written")] == "run"
    assert kinds[("needs-a-backend", "as_written")] == "run"
    assert kinds[("slope-at-one", "computation")] == "observation"
    assert kinds[("derivative-of-square", "computation")] == "observation"
    assert kinds[("transformer-relies-on-attention", "review")] == "review"
    assert kinds[("gan-is-adversarial", "about")] == "about"
    assert kinds[("numpy-svd", "probe")] == "api"
    assert kinds[("mha-gaussian", "behaviour")] == "observation"
    assert {c["evidence"]["kind"] for r in raw["results"] for c in r["checks"] if c["evidence"]} >= {
        "reference", "run", "observation", "review", "about", "api"}


def test_reference_and_fact_evidence(audited: Path) -> None:
    run = AuditRun.model_validate_json(report_text(audited))
    (reference,) = checks(run, "gan-paper")
    evidence = reference.evidence
    assert isinstance(evidence, ReferenceEvidence) and reference.status is Status.MISMATCH  # "Nets" vs "Networks"
    assert evidence.record is not None and evidence.record.arxiv_id == "1406.2661" and evidence.record.abstract
    assert evidence.consulted == ["snapshot"] and evidence.indexes[0].answered
    assert evidence.candidates[0].score.title is not None and evidence.candidates[0].score.title >= 0.93
    assert evidence.summary_check is not None and evidence.summary_check.verdict == "fits the cited paper"
    assert margin_of(reference) is not None  # read from the typed candidates
    (about,) = checks(run, "gan-is-adversarial")
    assert isinstance(about.evidence, AboutEvidence)
    assert about.evidence.about == "gan-paper" and about.evidence.about_status is Status.MISMATCH
    assert about.evidence.record == evidence.record  # the citation's record, carried over
    assert about.evidence.abstract_support is not None
    assert "adversarial" in about.evidence.abstract_support.sentences[0].shared
    gan = next(r for r in run.results if r.claim_id == "gan-paper")
    assert arxiv_link(gan) == "https://arxiv.org/abs/1406.2661"
    review = checks(run, "transformer-relies-on-attention")[-1]
    assert isinstance(review.evidence, ReviewEvidence) and review.manual
    assert review.evidence.note == "The abstract says so." and review.evidence.date.isoformat() == "2026-01-01"


def test_run_and_observation_evidence(audited: Path) -> None:
    run = AuditRun.model_validate_json(report_text(audited))
    (wrong,) = checks(run, "wrong-output")
    evidence = wrong.evidence
    assert isinstance(evidence, RunEvidence) and wrong.status is Status.REFUTED
    assert evidence.claimed == "0.6700" and evidence.runs[0].stdout == "0.6667\n"
    assert evidence.comparison is not None and evidence.comparison.status is Status.REFUTED
    assert [(n.claimed, n.observed, n.verdict) for n in evidence.comparison.numbers] == [
        ("0.6700", ["0.6667"], "refuted")]
    (skipped,) = checks(run, "needs-a-backend")
    assert skipped.status is Status.SKIPPED
    assert isinstance(skipped.evidence, RunEvidence) and skipped.evidence.missing == ["verifier_absent_backend"]
    (declarative,) = checks(run, "slope-at-one")
    assert isinstance(declarative.evidence, ObservationEvidence) and declarative.status is Status.CONFIRMED
    assert declarative.evidence.observation.holds and declarative.evidence.check is not None
    assert declarative.evidence.runs[0].status == "ok"
    (python,) = checks(run, "derivative-of-square")
    assert isinstance(python.evidence, ObservationEvidence) and python.evidence.check is None
    assert python.evidence.observation.measured == {"autograd": 6.0}


def test_api_evidence(audited: Path) -> None:
    run = AuditRun.model_validate_json(report_text(audited))
    (svd,) = checks(run, "numpy-svd")
    assert isinstance(svd.evidence, ApiEvidence) and svd.status is Status.CONFIRMED
    probe = svd.evidence.probe
    assert probe.found and probe.argument is not None and probe.argument.accepted
    assert dict(api_rows(svd.evidence))["argument full_matrices"] == "yes"
    (missing,) = checks(run, "fmin-unc")
    assert isinstance(missing.evidence, ApiEvidence) and missing.status is Status.REFUTED
    assert "fmin_ncg" in missing.evidence.probe.nearest
    assert missing.evidence.history is not None and missing.evidence.history.status == "unknown"
    probe_check, behaviour = checks(run, "mha-gaussian")
    assert isinstance(probe_check.evidence, ApiEvidence)
    assert isinstance(behaviour.evidence, ObservationEvidence) and behaviour.status is Status.REFUTED
    assert behaviour.evidence.observation.measured["matches"] == ["dot_product"]


def test_a_checker_that_raises_leaves_its_traceback(tmp_path: Path) -> None:
    """A real checker over a real pool that was shut down: submitting raises, the audit keeps the traceback."""
    root = tmp_path / "project"
    shutil.copytree(DATA / "registry", root)
    registry = load_registry(root / "claims")
    record = registry.by_id("two-thirds-output")
    assert record is not None
    pool = LocalPool(size=1)
    pool.shutdown()
    checker = CodeChecker(pool)
    result = check_one(record, checker, CheckContext(registry), "digest")
    back = ClaimResult.model_validate_json(result.model_dump_json())
    (check,) = back.checks
    assert check.status is Status.ERROR and isinstance(check.evidence, ErrorEvidence)
    assert "Traceback" in check.evidence.traceback and "RuntimeError" in check.evidence.traceback


def test_the_report_validates_against_the_committed_schema(audited: Path) -> None:
    committed = (ROOT / REPORT_SCHEMA).read_text(encoding="utf-8")
    assert committed == report_schema_text(), "run `verifier schema --report`"
    schema = json.loads(committed)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(report_text(audited)), schema, cls=jsonschema.Draft202012Validator)
    broken = json.loads(report_text(audited))
    broken["results"][0]["checks"][0]["evidence"]["kind"] = "telepathy"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_schema_command_writes_and_checks_the_report_schema(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "registry", root)
    stale = run_cli("schema", "--report", "--check", cwd=root)
    assert stale.returncode == 2 and "verifier schema --report" in stale.stderr + stale.stdout
    assert run_cli("schema", "--report", cwd=root).returncode == 0
    assert (root / REPORT_SCHEMA).read_text(encoding="utf-8") == report_schema_text()
    assert run_cli("schema", "--report", "--check", cwd=root).returncode == 0
    assert run_cli("schema", "--check", cwd=root).returncode == 2  # the claims schema is another file


@pytest.fixture
def app_env(audited: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("VERIFIER_REGISTRY", str(audited / "claims"))
    monkeypatch.setenv("VERIFIER_HOME", str(audited / ".verifier"))
    yield audited


@pytest.mark.parametrize(("claim", "expected"), [
    ("gan-paper", ["Matched record", "Generative Adversarial Networks", "Candidates", "Summary vs abstracts"]),
    ("gan-is-adversarial", ["Evidence from `gan-paper` (mismatch)", "Matched record", "shares"]),
    ("wrong-output", ["Claimed output", '<mark style="background:#ffcdd2">0.6700</mark>', "Observed output"]),
    ("needs-a-backend", ["Not installed here:** verifier_absent_backend"]),
    ("slope-at-one", ["Observation", '"holds"']),
    ("transformer-relies-on-attention", ["Reviewer's note", "The abstract says so."]),
])
def test_detail_page_shows_each_kind(app_env: Path, claim: str, expected: list[str]) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = claim
    at.run()
    at.switch_page("verifier/report/page_scripts/detail.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(m.value) for m in [*at.markdown, *at.caption]) + "\n".join(
        json.dumps(j.value) if not isinstance(j.value, str) else j.value for j in at.json)
    for fragment in expected:
        assert fragment in shown, fragment


def test_detail_page_shows_api_evidence(app_env: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["claim_id"] = "numpy-svd"
    at.run()
    at.switch_page("verifier/report/page_scripts/detail.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rows = at.dataframe[0].value
    assert dict(zip(rows.iloc[:, 0], rows.iloc[:, 1], strict=True))["argument full_matrices"] == "yes"
