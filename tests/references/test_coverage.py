"""The coverage rule: `not_found` only when every index covering the reference answered and either two
independent online ones or one offline index complete for its scope did; an outage of a covering index is
`unreachable`; nothing covering it is `unverifiable`. Loopback servers speak the real protocols."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivStub, records_from
from tests.conftest import DATA
from tests.crossref_server import CrossrefStub, work_from
from tests.http_stub import Fault
from verifier.references.arxiv_api import ArxivIndex
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.crossref import CrossrefIndex
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.readers import read
from verifier.references.resolver import Resolver
from verifier.references.snapshot import SnapshotIndex, build
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(90)
ICLR = list(read(DATA / "arxiv" / "iclr_2021_sample.json"))
WORKS = [work_from(r, f"10.9999/stub.{n}") for n, r in enumerate(ICLR)]
PERFORMERS = Reference(title="Rethinking Attention with Performers", authors=[ICLR[0].authors[0], "et al."],
                       year=2021, venue="ICLR")
INVENTED = Reference(title="Sparse Quantum Priors for Tokenizer-Free Retrieval", authors=["Ann Lee"], year=2021,
                     venue="ICLR")


@pytest.fixture
def first() -> Iterator[CrossrefStub]:
    with CrossrefStub(WORKS) as server:
        yield server


@pytest.fixture
def second() -> Iterator[CrossrefStub]:
    with CrossrefStub(WORKS) as server:
        yield server


def crossref(stub: CrossrefStub, name: str = "crossref") -> CrossrefIndex:
    index = CrossrefIndex(stub.url, RateLimiter(0.0), contact="tests@example.org", sleep=lambda s: None,
                          policy=RetryPolicy(delays=(0.0, 0.0)))
    index.name = name  # two servers of the same protocol stand for two independent online indexes
    return index


def test_one_online_index_lacking_a_reference_is_not_evidence(first: CrossrefStub) -> None:
    result = Resolver([crossref(first)]).resolve(INVENTED, None)
    assert result.status is Status.UNVERIFIABLE
    assert "neither complete for it nor two independent online ones" in result.summary


def test_two_independent_online_indexes_make_absence_evidence(first: CrossrefStub, second: CrossrefStub) -> None:
    result = Resolver([crossref(first), crossref(second, "crossref-mirror")]).resolve(INVENTED, None)
    assert result.status is Status.NOT_FOUND
    indexes = [i.model_dump() for i in result.evidence().indexes]
    assert [(i["index"], i["online"], i["covers_reference"], i["answered"]) for i in indexes] == [
        ("crossref", True, True, True), ("crossref-mirror", True, True, True)]
    assert all(i["description"] for i in indexes)


def test_a_covering_index_down_is_unreachable_never_not_found(first: CrossrefStub, second: CrossrefStub) -> None:
    second.fault(*[Fault("status", 503)] * 20)
    result = Resolver([crossref(first), crossref(second, "crossref-mirror")]).resolve(INVENTED, None)
    assert result.status is Status.UNREACHABLE
    assert result.evidence().failed[0].index == "crossref-mirror"
    assert "HTTP 503" in result.summary


def test_a_real_paper_one_index_lacks_is_never_not_found(first: CrossrefStub, tmp_path: Path) -> None:
    # The arXiv server (complete for arXiv) has no record of this ICLR paper and a complete DBLP-format index
    # does not cover ICLR: neither is evidence; Crossref has it.
    with ArxivStub(list(records_from([str(DATA / "arxiv" / "bulk_sample.jsonl")]))) as arxiv:
        api = ArxivIndex(arxiv.url, RateLimiter(0.0), sleep=lambda s: None)
        path = tmp_path / "dblp.sqlite"
        build([DATA / "dblp" / "dblp_sample.xml"], path, complete=True)
        dblp = SnapshotIndex(path)
        live = CachedIndex(LookupCache(tmp_path / "cache.sqlite"), api)
        found = Resolver([dblp, live, crossref(first)]).resolve(PERFORMERS, None)
        assert found.status is Status.CONFIRMED and found.record is not None and found.record.origin == "crossref"
        covering = {i.index: i.covers_reference for i in found.evidence().indexes}
        assert covering == {"snapshot": False, "cache+arxiv-api": False, "crossref": True}
        first.fault(*[Fault("status", 503)] * 20)
        down = Resolver([dblp, live, crossref(first)]).resolve(PERFORMERS, None)
        assert down.status is Status.UNREACHABLE
        alone = Resolver([dblp, live]).resolve(PERFORMERS, None)
        assert alone.status is Status.UNVERIFIABLE and "no index consulted covers it" in alone.summary


def test_a_preprint_absent_from_the_complete_arxiv_index_is_not_found(tmp_path: Path) -> None:
    with ArxivStub(list(records_from([str(DATA / "arxiv" / "bulk_sample.jsonl")]))) as arxiv:
        api = ArxivIndex(arxiv.url, RateLimiter(0.0), sleep=lambda s: None)
        resolver = Resolver([CachedIndex(LookupCache(tmp_path / "cache.sqlite"), api)])
        preprint = resolver.resolve(INVENTED.model_copy(update={"venue": "arXiv preprint"}), None)
        assert preprint.status is Status.NOT_FOUND
        book = resolver.resolve(INVENTED.model_copy(update={"venue": "MIT Press"}), None)
        assert book.status is Status.UNVERIFIABLE


def test_a_field_restricted_index_covers_through_the_venues_it_lists() -> None:
    from verifier.references.interface import Capability, Coverage
    from verifier.references.resolver import covers

    dblp_like = Coverage("dblp", "cs venues", complete=True, last="2025-12-31", fields=frozenset({"cs"}),
                         venues=frozenset({"icml", "neurips"}), kinds=frozenset({"proceedings", "journal"}),
                         capabilities=frozenset({Capability.TITLE}), online=True)
    assert covers(dblp_like, Reference(title="x", venue="Advances in Neural Information Processing Systems",
                                       year=2021))
    assert not covers(dblp_like, Reference(title="x", venue="Nature", year=2021))
    assert not covers(dblp_like, Reference(title="x", year=2021))  # no venue: its field is unknown
    assert not covers(dblp_like, Reference(title="x", venue="ICML", year=2026))  # after its last year
    anything = Coverage("s2", "all fields", complete=False, online=True,
                        kinds=frozenset({"preprint", "journal", "proceedings", "book", "other"}))
    assert covers(anything, Reference(title="x")) and covers(anything, Reference(title="x", venue="MIT Press"))
    physics = Coverage("p", "physics", complete=True, fields=frozenset({"physics"}), kinds=frozenset({"journal"}))
    assert not covers(physics, Reference(title="x", venue="Nature"))
