"""Crossref against a loopback server that speaks its REST API: title search, DOI look-ups with the
registration agency, arXiv DOIs, and outages through the resolver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import DATA
from tests.crossref_server import CrossrefStub, work_from
from tests.http_stub import Fault
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
    with CrossrefStub([work_from(r, f"10.9999/stub.{n}") for n, r in enumerate(RECORDS)]) as server:
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
    assert stub.log[0].path == "/works"
    assert stub.log[0].arg("query.bibliographic") == "Rethinking Attention with Performers"


def test_doi_lookup(stub: CrossrefStub) -> None:
    resolver = Resolver([index(stub)])
    doi = str(stub.items[3]["DOI"])
    found = resolver.resolve(Reference(doi=doi, title=RECORDS[3].title), None)
    assert found.status is Status.CONFIRMED and found.record is not None and found.record.doi == doi
    missing = resolver.resolve(Reference(doi="10.9999/nothing.here"), None)
    assert missing.status is Status.UNVERIFIABLE and "DOI 10.9999/nothing.here is not in crossref" in missing.summary


def test_registration_agency_tells_absent_from_cannot_say(stub: CrossrefStub) -> None:
    """A 404 from /works is absence only when no agency registered the DOI; DataCite's are left out."""
    crossref = index(stub)
    doi = str(stub.items[0]["DOI"])
    answers = crossref.lookup_dois([doi, "10.9999/nothing.here", "10.5281/zenodo.1234567",
                                    "https://doi.org/10.48550/arXiv.1706.03762"])
    assert answers[doi] is not None and answers[doi].doi == doi  # type: ignore[union-attr]
    assert answers["10.9999/nothing.here"] is None
    assert "10.5281/zenodo.1234567" not in answers  # DataCite: Crossref cannot say
    assert "https://doi.org/10.48550/arXiv.1706.03762" not in answers  # an arXiv id, never sent to Crossref
    assert [r.path for r in stub.log] == [f"/works/{doi}", "/works/10.9999/nothing.here",
                                          "/works/10.9999/nothing.here/agency", "/works/10.5281/zenodo.1234567",
                                          "/works/10.5281/zenodo.1234567/agency"]


def test_absence_from_crossref_proves_nothing(stub: CrossrefStub) -> None:
    resolver = Resolver([index(stub)])
    result = resolver.resolve(Reference(title="A Treatise On Nothing At All, Volume Seven"), None)
    assert result.status is Status.UNVERIFIABLE and result.consulted == ["crossref"]


def test_crossref_outage_is_unreachable(stub: CrossrefStub) -> None:
    stub.always = Fault("status", 503)
    crossref = index(stub)
    with pytest.raises(ServiceError, match="no answer after 3 attempts: HTTP 503"):
        crossref.search("Rethinking Attention with Performers")
    result = Resolver([crossref]).resolve(Reference(doi="10.9999/stub.1"), None)
    assert result.status is Status.UNREACHABLE
