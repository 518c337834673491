"""Crossref as a secondary index, against a loopback server that speaks its REST API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DATA
from tests.crossref_server import CrossrefStub
from verifier.errors import ServiceError
from verifier.references.crossref import CrossrefIndex
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.readers import read
from verifier.references.resolver import Resolver
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(60)
RECORDS = list(read(DATA / "arxiv" / "iclr_2021_sample.json"))


@pytest.fixture
def stub() -> Iterator[CrossrefStub]:
    with CrossrefStub(RECORDS) as server:
        yield server


def index(stub: CrossrefStub) -> CrossrefIndex:
    return CrossrefIndex(stub.url, RateLimiter(0.0), contact="tests@example.org", sleep=lambda s: None,
                         policy=RetryPolicy(delays=(0.0, 0.0)))


def test_title_found_through_crossref(stub: CrossrefStub) -> None:
    resolver = Resolver([index(stub)])
    result = resolver.resolve(Reference(title="Rethinking Attention with Performers", year=2021), None)
    assert result.status is Status.CONFIRMED
    assert result.record is not None and result.record.origin == "crossref"
    assert result.record.venue == "ICLR 2021" and result.record.doi and result.record.abstract
    assert result.consulted == ["crossref"]
    assert "query.bibliographic=Rethinking+Attention+with+Performers" in stub.server.log[0]


def test_doi_lookup(stub: CrossrefStub) -> None:
    resolver = Resolver([index(stub)])
    doi = str(stub.server.items[3]["DOI"])
    found = resolver.resolve(Reference(doi=doi, title=RECORDS[3].title), None)
    assert found.status is Status.CONFIRMED and found.record is not None and found.record.doi == doi
    missing = resolver.resolve(Reference(doi="10.9999/nothing.here"), None)
    assert missing.status is Status.UNVERIFIABLE and "DOI 10.9999/nothing.here is not in crossref" in missing.summary


def test_absence_from_crossref_proves_nothing(stub: CrossrefStub) -> None:
    resolver = Resolver([index(stub)])
    result = resolver.resolve(Reference(title="A Treatise On Nothing At All, Volume Seven"), None)
    assert result.status is Status.UNVERIFIABLE and result.consulted == ["crossref"]


def test_crossref_outage_is_unreachable(stub: CrossrefStub) -> None:
    stub.server.faults.extend([503] * 10)
    crossref = index(stub)
    with pytest.raises(ServiceError, match="no answer after 3 attempts: HTTP 503"):
        crossref.search("Rethinking Attention with Performers")
    result = Resolver([crossref]).resolve(Reference(doi="10.9999/stub.1"), None)
    assert result.status is Status.UNREACHABLE
