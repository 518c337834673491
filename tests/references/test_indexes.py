"""Every live index against its own loopback server (real URL paths and JSON shapes, built from real
records): it finds real papers, survives each fault once, turns an outage or a rejected key into a
ServiceError, and never lets the resolver say `not_found` while it is down."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.arxiv_server import ArxivStub, records_from
from tests.conftest import DATA
from tests.crossref_server import CrossrefStub
from tests.dblp_server import DblpStub
from tests.http_stub import Fault, StubServer, load_works
from tests.openalex_server import OpenAlexStub
from tests.openreview_server import OpenReviewStub
from tests.semantic_scholar_server import SemanticScholarStub
from verifier.errors import ServiceError
from verifier.references.arxiv_api import ARXIV_POLICY, ArxivIndex
from verifier.references.crossref import CrossrefIndex
from verifier.references.dblp import DblpIndex
from verifier.references.http import HttpPolicy
from verifier.references.interface import ReferenceIndex
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.openalex import OpenAlexIndex
from verifier.references.openreview import OpenReviewIndex
from verifier.references.resolver import Resolver
from verifier.references.semantic_scholar import SemanticScholarIndex
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(120)
WORKS = load_works(str(DATA / "indexes" / "works.jsonl"))
WITH_DOI = next(w for w in WORKS if w.get("doi"))
ICLR = next(w for w in WORKS if str(w.get("venue")).startswith("ICLR"))
FAST = HttpPolicy(min_interval=0.0, retry=RetryPolicy(delays=(0.05, 0.05, 0.05), jitter=0.0), read_timeout=1.0,
                  request_deadline=2.0, reference_deadline=10.0, connect_delays=(0.05,))


@dataclass(frozen=True)
class Case:
    """One index: its server, its client, and a real paper it must find by title."""

    name: str
    stub: Callable[[], StubServer]
    client: Callable[[str], Any]
    work: dict[str, Any]


CASES = [
    Case("crossref", lambda: CrossrefStub(WORKS), lambda url: CrossrefIndex(url, RateLimiter(0.0), policy=FAST),
         WITH_DOI),
    Case("dblp", lambda: DblpStub(WORKS), lambda url: DblpIndex(url, RateLimiter(0.0), policy=FAST), WITH_DOI),
    Case("semantic-scholar", lambda: SemanticScholarStub(WORKS),
         lambda url: SemanticScholarIndex(url, limiter=RateLimiter(0.0), policy=FAST), WITH_DOI),
    Case("openreview", lambda: OpenReviewStub(WORKS),
         lambda url: OpenReviewIndex(url, RateLimiter(0.0), policy=FAST), ICLR),
    Case("openalex", lambda: OpenAlexStub(WORKS),
         lambda url: OpenAlexIndex("test-key", url, RateLimiter(0.0), policy=FAST), WITH_DOI),
]


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> Iterator[tuple[Case, StubServer, Any]]:
    chosen: Case = request.param
    with chosen.stub() as server:
        index = chosen.client(server.url)
        yield chosen, server, index
        index.close()


def test_finds_a_real_paper_by_title(case: tuple[Case, StubServer, Any]) -> None:
    chosen, _, index = case
    found = index.search(chosen.work["title"], chosen.work["authors"][:1])
    best = found[0]
    assert best.title.rstrip(".") == chosen.work["title"].rstrip(".") and best.origin == chosen.name
    assert best.authors[:2] == chosen.work["authors"][:2] and best.year == chosen.work["year"]
    assert index.coverage().online and index.coverage().name == chosen.name


@pytest.mark.parametrize("fault", [Fault("status", 429, retry_after="0.1"), Fault("status", 503), Fault("status", 502),
                                   Fault("truncated"), Fault("html"), Fault("reset"), Fault("slow", seconds=1.5)],
                         ids=["429", "503", "502", "truncated", "html", "reset", "slow"])
def test_one_fault_is_retried(case: tuple[Case, StubServer, Any], fault: Fault) -> None:
    chosen, server, index = case
    server.fault(fault)
    found = index.search(chosen.work["title"])
    assert found and found[0].title.rstrip(".") == chosen.work["title"].rstrip(".")
    assert index.requests == 2


def test_outage_is_a_service_error_and_leaves_the_index_alone(case: tuple[Case, StubServer, Any]) -> None:
    chosen, server, index = case
    server.always = Fault("status", 503)
    with pytest.raises(ServiceError, match="no answer after 4 attempts: HTTP 503"):
        index.search(chosen.work["title"])
    with pytest.raises(ServiceError, match="left alone for the rest of the run"):
        index.search("Another Title Entirely About Graphs")
    assert index.requests == 4


def test_refusal_names_the_key_and_is_not_retried(case: tuple[Case, StubServer, Any]) -> None:
    chosen, server, index = case
    server.fault(Fault("status", 401, body={"error": "Unauthorized"}))
    with pytest.raises(ServiceError, match=r"HTTP 401.*API key"):
        index.search(chosen.work["title"])
    assert index.requests == 1


@pytest.fixture
def arxiv_without_it() -> Iterator[ArxivIndex]:
    """A live arXiv that answers, and has no record of the fabricated title."""
    with ArxivStub(list(records_from([str(DATA / "arxiv" / "bulk_sample.jsonl")]))) as stub:
        policy = dataclasses.replace(ARXIV_POLICY, min_interval=0.0)
        yield ArxivIndex(stub.url, RateLimiter(0.0), policy=policy, sleep=lambda s: None)


def test_no_not_found_while_the_index_is_down(case: tuple[Case, StubServer, Any],
                                              arxiv_without_it: ArxivIndex) -> None:
    """The control (the index up) gives `not_found`; the same reference with the index down is
    `unreachable`, naming it."""
    chosen, server, index = case
    fabricated = Reference(title="Learning Numerical Integration Rules via Attention", url="https://arxiv.org/abs/x")
    up: list[ReferenceIndex] = [arxiv_without_it, index]
    assert Resolver(up, None).resolve(fabricated, None).status is Status.NOT_FOUND
    server.always = Fault("status", 503)
    down = Resolver(up, None).resolve(fabricated, None)
    assert down.status is Status.UNREACHABLE
    assert [f.index for f in down.failed] == [chosen.name]
