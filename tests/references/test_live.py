"""The live arXiv client against a loopback server that speaks the API: batching, pacing, faults."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator

import httpx
import pytest

from tests.arxiv_server import ArxivStub, Fault, records_from
from tests.conftest import DATA
from verifier.errors import ServiceError
from verifier.references.arxiv_api import ARXIV_POLICY, ArxivIndex
from verifier.references.limiter import RateLimiter, RetryPolicy

pytestmark = pytest.mark.timeout(60)
RECORDS = list(records_from([str(DATA / "arxiv" / "bulk_sample.jsonl")]))


class FakeClock:
    """Time that passes only when someone sleeps: checks the 3-second spacing without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(RECORDS) as server:
        yield server


def client(stub: ArxivStub, clock: FakeClock, **options: object) -> ArxivIndex:
    limiter = RateLimiter(3.0, clock=clock, sleep=clock.sleep)
    return ArxivIndex(stub.url, limiter, contact="tests@example.org", **options)  # type: ignore[arg-type]


def test_ids_are_batched_and_matched_back(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock)
    wanted = [r.arxiv_id for r in RECORDS[:150] if r.arxiv_id]
    found = index.lookup_ids(wanted)
    assert all(found[i] is not None and found[i].arxiv_id == i for i in wanted)  # type: ignore[union-attr]
    assert index.requests == 2  # 150 ids, 100 per request
    assert [int(p["max_results"][0]) for p in stub.state.log] == [100, 50]


def test_requests_are_three_seconds_apart(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock)
    for record in RECORDS[:4]:
        index.lookup_ids([str(record.arxiv_id)])
    starts = index.limiter.starts
    assert len(starts) == 4
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(starts))


def test_user_agent_names_the_tool_and_contact(stub: ArxivStub) -> None:
    seen: list[str] = []

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, content=b'<feed xmlns="http://www.w3.org/2005/Atom"/>')

    clock = FakeClock()
    index = ArxivIndex("http://127.0.0.1:9/api/query", RateLimiter(3.0, clock, clock.sleep), contact="me@example.org",
                       transport=httpx.MockTransport(spy))
    index.lookup_ids(["1406.2661"])
    assert seen[0].startswith("verifier/") and "mailto:me@example.org" in seen[0]


def test_missing_id_is_asked_again_alone_then_absent(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock)
    found = index.lookup_ids(["1406.2661", "1409.99999"])
    assert found["1406.2661"] is not None and found["1409.99999"] is None
    assert [p["id_list"][0] for p in stub.state.log] == ["1406.2661,1409.99999", "1409.99999"]


def test_title_search_falls_back_from_phrase_to_words(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock)
    results = index.search("Networks Generative Adversarial", ["Ian Goodfellow"])
    assert "1406.2661" in [r.arxiv_id for r in results]
    queries = [p["search_query"][0] for p in stub.state.log]
    assert queries[0] == 'ti:"networks generative adversarial" AND au:goodfellow'
    assert queries[-1] == "ti:networks AND ti:generative AND ti:adversarial"


@pytest.mark.parametrize("fault", [
    Fault("status", 503), Fault("status", 429, retry_after="7"), Fault("truncated"), Fault("malformed"),
    Fault("reset"), Fault("status", 502),
])
def test_one_fault_is_retried(stub: ArxivStub, fault: Fault) -> None:
    clock = FakeClock()
    index = client(stub, clock)
    stub.fault(fault)
    assert index.lookup_ids(["1406.2661"])["1406.2661"] is not None
    assert index.requests == 2
    if fault.retry_after:
        assert 7.0 in clock.sleeps  # Retry-After honoured


def test_slow_answer_past_the_timeout_is_retried(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock, policy=dataclasses.replace(ARXIV_POLICY, read_timeout=0.3))
    stub.fault(Fault("slow", seconds=1.0))
    assert index.lookup_ids(["1406.2661"])["1406.2661"] is not None
    assert index.requests == 2


def test_empty_page_in_the_middle_is_retried(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock, page_size=2)
    stub.fault(Fault("none"), Fault("empty"))  # page 1 answers normally, page 2 comes back empty once
    results = index._search('ti:"generative adversarial"', 4)
    assert len(results) == 4
    assert [p["start"][0] for p in stub.state.log] == ["0", "2", "2"]


def test_persistent_failure_is_a_service_error_not_absence(stub: ArxivStub) -> None:
    clock = FakeClock()
    index = client(stub, clock, policy=RetryPolicy(delays=(5.0, 10.0, 20.0)))
    stub.fault(*[Fault("status", 503)] * 10)
    with pytest.raises(ServiceError, match="no answer after 4 attempts: HTTP 503"):
        index.lookup_ids(["1406.2661"])
    backoff = [s for s in clock.sleeps if s > 3.5][:3]
    assert all(base <= s <= base * 1.1 for s, base in zip(backoff, (5, 10, 20), strict=True))
    # four failures in a row opened the breaker: arXiv is not asked again in this run
    with pytest.raises(ServiceError, match="left alone for the rest of the run"):
        index.search("Generative Adversarial Networks")
    assert index.requests == 4


def test_unreachable_host_fails_fast_and_stays_down() -> None:
    clock = FakeClock()
    index = ArxivIndex("http://127.0.0.1:9/api/query", RateLimiter(3.0, clock, clock.sleep))
    with pytest.raises(ServiceError, match="connection failed"):
        index.lookup_ids(["1406.2661"])
    assert index.requests == 4
    assert max(clock.sleeps) <= 3.0  # quick retries (1 s, 2 s) and pacing only, no long back-off
    with pytest.raises(ServiceError, match="left alone for the rest of the run"):
        index.search("anything at all")
    assert index.requests == 4


def test_malformed_id_is_never_sent(stub: ArxivStub) -> None:
    from verifier.references.ids import extract

    assert extract("abc", None) is None
    assert extract(None, "https://arxiv.org/abs/1713.00001") is None
    assert stub.state.log == []
