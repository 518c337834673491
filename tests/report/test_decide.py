"""What would decide an open claim (verifier/report/decide.py), one test per rule, on the results of real
audits (`verifier audit` in a subprocess, offline with a tiny snapshot, or online against the loopback arXiv
server); only the claim without any check is made by hand, since no checker returns none."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivStub, records_from
from tests.conftest import DATA, DEAD, run_cli
from verifier.references.snapshot import build
from verifier.report.decide import Audit, decide, next_steps, what_would_decide
from verifier.results.models import AuditRun, ClaimResult
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(300)

CLAIMS = """
- id: authors-only
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: cites a work by its author alone
  reference: {authors: [Someone Else]}
- id: link-only
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: cites a blog post by its link
  reference: {url: "https://blog.example.org/attention"}
- id: uncovered-journal
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: cites a journal paper
  reference: {title: Kernel Quadrature for Attention Layers, venue: Journal of Numerical Results, year: 2019}
- id: invented-on-arxiv
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: cites a preprint
  reference: {title: Learning Numerical Integration Rules via Attention, url: arxiv.org}
- id: named-only
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: names a model
  reference: {name: Frobnicator}
- id: gan-by-title
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: cites the GAN paper
  reference: {title: Generative Adversarial Networks, authors: [Ian Goodfellow, et al.], year: 2014}
- id: says-gans-are-adversarial
  source: demo
  kind: fact
  quote: relies solely on attention mechanisms
  statement: The GAN paper trains two networks against each other.
  about: gan-by-title
- id: says-kernel-quadrature
  source: demo
  kind: fact
  quote: relies solely on attention mechanisms
  statement: The journal paper integrates attention with kernels.
  about: uncovered-journal
- id: reviewed-open
  source: demo
  kind: fact
  quote: relies solely on attention mechanisms
  statement: Nobody can tell.
  review: {verdict: unverifiable, note: the cited talk is not recorded, reviewer: tests, date: 2026-01-02}
- id: needs-a-backend
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: runs with a backend that is not installed
  code: print(2 / 3)
  requires: [tensorflow]
- id: needs-a-gpu
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: runs on a GPU
  code: print(2 / 3)
  device: cuda
- id: api-of-absent-package
  source: demo
  kind: api
  quote: "The output is: 0.6667"
  statement: the package defines frobnicate
  package: frobnicator-nowhere
  name: frobnicator_nowhere.frobnicate
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("decide") / "project"
    shutil.copytree(DATA / "registry", root)
    path = root / "claims" / "demo.yaml"
    path.write_text(path.read_text() + CLAIMS)
    snapshot = root / "snapshot.sqlite"
    build([DATA / "arxiv" / "bulk_sample.jsonl"], snapshot)
    yield root, snapshot


def audited(root: Path, snapshot: Path, *args: str, url: str = DEAD) -> AuditRun:
    """A real audit with a home of its own (nothing reused, no cached answers), as the JSON report gives it."""
    home = Path(tempfile.mkdtemp(prefix=".verifier-", dir=root))
    result = run_cli("audit", "--snapshot", str(snapshot), "--format", "json", *args, cwd=root,
                     env={"VERIFIER_HOME": str(home), "VERIFIER_ARXIV_URL": url, "VERIFIER_ARXIV_MIN_INTERVAL": "0",
                          "VERIFIER_INDEXES": "arxiv"})
    assert result.returncode == 0, result.stderr
    return AuditRun.model_validate_json(result.stdout)


@pytest.fixture(scope="module")
def offline_all(registry: tuple[Path, Path]) -> AuditRun:
    return audited(*registry, "--offline")


@pytest.fixture(scope="module")
def offline(offline_all: AuditRun) -> dict[str, str]:
    return what_would_decide(offline_all)


@pytest.fixture(scope="module")
def offline_run(registry: tuple[Path, Path]) -> AuditRun:
    return audited(*registry, "--offline", "--kind", "fact")


def status(run: AuditRun, claim: str) -> Status:
    return next(r.status for r in run.results if r.claim_id == claim)


def test_decided_claims_get_no_step(offline: dict[str, str]) -> None:
    for claim in ("wrong-output", "two-thirds-output", "derivative-of-square", "transformer-relies-on-attention"):
        assert claim not in offline  # refuted, confirmed, confirmed by review: nothing left to decide


def test_nothing_to_look_up_is_for_a_person(offline: dict[str, str]) -> None:
    assert offline["authors-only"].startswith("identify the work by hand")
    assert offline["link-only"].startswith("open the link it gives and judge it by hand")


def test_offline_citation_says_go_online(offline: dict[str, str]) -> None:
    assert offline["uncovered-journal"].startswith("audit online (without --offline): no offline index covers it")
    assert offline["named-only"].startswith("audit online")
    assert offline["invented-on-arxiv"].startswith(
        "audit online (without --offline): the offline index that covers it is not complete for it")


def test_fact_without_about_or_review_asks_for_a_review(offline: dict[str, str]) -> None:
    assert offline["other-sentence"].startswith("add a review")


def test_fact_about_a_found_paper_asks_to_read_it(offline: dict[str, str]) -> None:
    assert offline["says-gans-are-adversarial"] == (
        "add a review: read 'Generative Adversarial Networks' (gan-by-title) and record whether it says this")


def test_fact_about_an_unresolved_paper_says_resolve_it_first(offline: dict[str, str]) -> None:
    assert offline["says-kernel-quadrature"].startswith(
        "resolve the cited paper, then add a review: uncovered-journal: audit online (without --offline)")


def test_review_that_could_not_decide(offline: dict[str, str]) -> None:
    assert offline["reviewed-open"] == "find new evidence (a source, a measurement): reviewed by tests as unverifiable"


def test_missing_backend_says_install_it(offline: dict[str, str]) -> None:
    assert offline["needs-a-backend"] == "install tensorflow and audit again"
    assert offline["api-of-absent-package"].startswith("install frobnicator-nowhere and audit again or audit online")


def test_missing_device_says_where_to_run(offline: dict[str, str]) -> None:
    assert offline["needs-a-gpu"] == "audit on a machine with a cuda device (`--device cuda`)"


def test_fact_whose_citation_was_left_out(offline_run: AuditRun) -> None:
    assert status(offline_run, "says-gans-are-adversarial") is Status.UNVERIFIABLE
    assert what_would_decide(offline_run)["says-gans-are-adversarial"] == (
        "audit it together with the citation it is about: gan-by-title was not in this audit")


def test_online_without_a_covering_index(registry: tuple[Path, Path]) -> None:
    """Online, arXiv answers but covers neither a 2017 paper with no venue nor a bare name: a person decides."""
    with ArxivStub(list(records_from([str(DATA / "arxiv" / "kaggle_head50.jsonl")]))) as stub:
        run = audited(*registry, "--kind", "citation", url=stub.url)
    steps = what_would_decide(run)
    assert status(run, "transformer-paper") is Status.UNVERIFIABLE
    assert steps["transformer-paper"].startswith("find the work by hand or ask an index that covers its venue")
    assert steps["named-only"].startswith("identify the paper that introduced the name")
    assert "invented-on-arxiv" not in steps  # online, arXiv is complete for it: not_found, decided


def test_unreachable_index_says_audit_again(registry: tuple[Path, Path]) -> None:
    run = audited(*registry, "--kind", "citation", url=f"{DEAD}/api/query")
    assert status(run, "invented-on-arxiv") is Status.UNREACHABLE
    assert what_would_decide(run)["invented-on-arxiv"].startswith("audit again when cache+arxiv-api answers")


def test_claim_without_any_check_asks_for_one(offline_run: AuditRun) -> None:
    real = next(r for r in offline_run.results if r.claim_id == "other-sentence")
    for kind, expected in (("math", "add a check: `verifier new-check demo <name>`"), ("fact", "add a review")):
        bare = ClaimResult.model_validate({**real.model_dump(), "kind": kind, "source": "demo", "checks": []})
        step = decide(bare, Audit.of(offline_run))
        assert step is not None and step.startswith(expected)


def test_next_steps_count_each_action_once_per_claim(offline_all: AuditRun) -> None:
    """The overview's list: actions counted over the open claims, most first; every open claim is counted."""
    counted = dict(next_steps(offline_all))
    open_claims = [r for r in offline_all.results if r.status in (Status.UNVERIFIABLE, Status.SKIPPED)]
    assert sum(counted.values()) == len(open_claims)
    assert counted["audit online (without --offline)"] == 4  # transformer-paper, uncovered, invented, named
    assert counted["add a review"] == 2  # other-sentence, says-gans-are-adversarial
    assert [n for _, n in next_steps(offline_all)] == sorted(counted.values(), reverse=True)
