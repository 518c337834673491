"""Citation claims through `verifier audit` (real subprocess) against the loopback arXiv server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivStub, records_from
from tests.conftest import DATA, run_cli
from verifier.references.snapshot import build

pytestmark = pytest.mark.timeout(120)
RECORDS = list(records_from([str(DATA / "arxiv" / "kaggle_head50.jsonl")]))
CLAIMS = """
- id: gan-by-title
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: s
  reference: {title: Generative Adversarial Networks, authors: [Ian Goodfellow, et al.], year: 2014}
- id: kaggle-by-id
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: s
  reference: {url: "https://arxiv.org/abs/0704.0002", title: "Sparsity-certifying Graph Decompositions"}
- id: invented-on-arxiv
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: s
  reference: {title: Learning Numerical Integration Rules via Attention, url: arxiv.org}
"""


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(RECORDS) as server:
        yield server


@pytest.fixture
def citation_project(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    (project / "claims" / "demo.yaml").write_text((project / "claims" / "demo.yaml").read_text() + CLAIMS)
    snapshot = tmp_path / "snapshot.sqlite"
    build([DATA / "arxiv" / "bulk_sample.jsonl"], snapshot)
    return project, snapshot


def audit(project: Path, snapshot: Path, url: str, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run_cli("audit", "--kind", "citation", "--format", "json", "--snapshot", str(snapshot), *args,
                     cwd=project, env={"VERIFIER_ARXIV_URL": url, "VERIFIER_ARXIV_MIN_INTERVAL": "0",
                                       "VERIFIER_INDEXES": "arxiv"})
    assert result.returncode == 0, result.stderr
    return {r["claim_id"]: r for r in json.loads(result.stdout)["results"]}


def test_citations_online(citation_project: tuple[Path, Path], stub: ArxivStub) -> None:
    project, snapshot = citation_project
    results = audit(project, snapshot, stub.url)
    assert results["gan-by-title"]["status"] == "confirmed"
    assert results["gan-by-title"]["checks"][0]["evidence"]["record"]["origin"] == "snapshot"
    assert results["kaggle-by-id"]["status"] == "confirmed"
    assert results["kaggle-by-id"]["checks"][0]["evidence"]["record"]["origin"] == "arxiv-api"
    assert results["invented-on-arxiv"]["status"] == "not_found"
    nearest = results["invented-on-arxiv"]["checks"][0]["evidence"]
    assert nearest["failed"] == [] and "cache+arxiv-api" in nearest["consulted"]
    assert results["transformer-paper"]["status"] == "unverifiable"  # no such record on this stub or snapshot
    requests = len(stub.state.log)
    assert requests >= 2

    again = audit(project, snapshot, stub.url)
    assert len(stub.state.log) == requests  # the second audit asks nothing
    assert all(r["reused"] for r in again.values())

    offline = audit(project, snapshot, stub.url, "--offline")
    assert offline["kaggle-by-id"]["status"] == "confirmed"  # from the cache of the online run
    assert offline["kaggle-by-id"]["checks"][0]["evidence"]["consulted"] == ["snapshot", "cache"]
    assert len(stub.state.log) == requests


def test_arxiv_down_means_unreachable(citation_project: tuple[Path, Path]) -> None:
    project, snapshot = citation_project
    results = audit(project, snapshot, "http://127.0.0.1:9/api/query")
    assert results["gan-by-title"]["status"] == "confirmed"  # the snapshot still answers
    assert results["invented-on-arxiv"]["status"] == "unreachable"
    assert results["kaggle-by-id"]["status"] == "unreachable"


def test_explicit_missing_snapshot_is_invalid_input(project: Path, tmp_path: Path) -> None:
    result = run_cli("audit", "--kind", "citation", "--snapshot", str(tmp_path / "none.sqlite"), cwd=project)
    assert result.returncode == 3 and "no snapshot index here" in result.stderr
