"""The shared HTTP helper against a loopback server with real faults (issue 13's live-client probes):
a trickled body past the deadline, an endless body past the size cap, a redirect loop, a hanging server
tripping the breaker, Retry-After, bad bodies, rejected keys; and the arXiv client through the same faults."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import time
from collections.abc import Iterator

import pytest

from tests.arxiv_server import feed_xml, records_from
from tests.conftest import DATA
from tests.http_stub import Answer, Fault, Request, StubServer
from verifier.errors import ServiceError
from verifier.references.arxiv_api import ARXIV_POLICY, ArxivIndex
from verifier.references.http import HttpPolicy, HttpService, Reply, deadline, expect_status, parse_retry_after
from verifier.references.limiter import RateLimiter, RetryPolicy

pytestmark = pytest.mark.timeout(90)
RECORDS = list(records_from([str(DATA / "arxiv" / "bulk_sample.jsonl")]))[:5]
FAST = HttpPolicy(min_interval=0.0, retry=RetryPolicy(delays=(0.05, 0.05, 0.05), jitter=0.0), read_timeout=1.0,
                  request_deadline=1.0, reference_deadline=5.0, max_body=1 << 20, breaker_threshold=4,
                  connect_delays=(0.05,))


def route(request: Request) -> Answer:
    if request.path == "/api/query":
        return Answer(200, feed_xml(RECORDS[:1], 1, 0, 1, "id"), "application/atom+xml")
    return Answer(200, {"ok": True, "path": request.path})


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer(route) as server:
        yield server


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def service(stub: StubServer, policy: HttpPolicy = FAST, **options: object) -> HttpService:
    return HttpService("test-index", stub.url, policy, contact="tests@example.org",
                       limiter=RateLimiter(0.0), **options)  # type: ignore[arg-type]


def ok(reply: Reply) -> object:
    expect_status(reply, "test-index")
    return reply.json()


def test_answer_user_agent_and_count(stub: StubServer) -> None:
    http = service(stub)
    assert http.get("/x", ok) == {"ok": True, "path": "/x"}
    assert http.requests == 1
    agent = stub.log[0].headers["user-agent"]
    assert agent.startswith("verifier/") and "mailto:tests@example.org" in agent


def test_retry_after_is_honoured_in_seconds_and_as_a_date(stub: StubServer) -> None:
    sleeps = Sleeps()
    http = service(stub, sleep=sleeps)
    stub.fault(Fault("status", 429, retry_after="0.2"), Fault("status", 503))
    assert http.get("/x", ok) == {"ok": True, "path": "/x"}
    assert sleeps.calls[0] == 0.2 and http.requests == 3
    now = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
    later = email.utils.format_datetime(now + dt.timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now) == 30.0
    assert parse_retry_after("soon", now) is None


def test_a_retry_after_beyond_the_deadline_is_not_waited(stub: StubServer) -> None:
    sleeps = Sleeps()
    http = service(stub, sleep=sleeps)
    stub.fault(Fault("status", 429, retry_after="3600"))
    with pytest.raises(ServiceError, match="no answer after 1 attempts: HTTP 429"):
        http.get("/x", ok)
    assert sleeps.calls == []


def test_trickled_body_ends_at_the_request_deadline(stub: StubServer) -> None:
    http = service(stub, dataclasses.replace(FAST, breaker_threshold=1))
    stub.fault(Fault("trickle", seconds=0.05))
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"no complete answer within 1\.0 s"):
        http.get("/x", ok)
    assert time.monotonic() - started < 3.0


def test_endless_body_ends_at_the_size_cap(stub: StubServer) -> None:
    http = service(stub, dataclasses.replace(FAST, breaker_threshold=1, request_deadline=30.0, read_timeout=30.0))
    stub.fault(Fault("endless"))
    started = time.monotonic()
    with pytest.raises(ServiceError, match="longer than the cap of 1048576 bytes"):
        http.get("/x", ok)
    assert time.monotonic() - started < 10.0


def test_redirect_loop_is_a_service_error(stub: StubServer) -> None:
    http = service(stub)
    stub.always = Fault("redirect")
    with pytest.raises(ServiceError, match="more than 3 redirects"):
        http.get("/loop", ok)
    assert len(stub.log) == 4  # the first request and three redirects, then it stops


def test_bad_bodies_are_retried_then_counted_by_the_breaker(stub: StubServer) -> None:
    http = service(stub)
    stub.fault(Fault("html"), Fault("truncated"))
    assert http.get("/x", ok) == {"ok": True, "path": "/x"}
    assert http.requests == 3 and http.breaker.failures == 0  # a success resets the count
    stub.always = Fault("html")
    with pytest.raises(ServiceError, match=r"not JSON.*left alone for the rest of the run"):
        http.get("/x", ok)
    with pytest.raises(ServiceError, match="left alone for the rest of the run"):
        http.get("/y", ok)
    assert http.requests == 3 + 4


def test_rejected_key_is_named_and_not_retried(stub: StubServer) -> None:
    http = service(stub)
    stub.fault(Fault("status", 403, body={"message": "Forbidden"}))
    with pytest.raises(ServiceError, match=r"refused the request .*API key"):
        http.get("/x", ok)
    assert http.requests == 1 and not http.breaker.open


def test_reference_deadline_bounds_every_attempt_and_wait(stub: StubServer) -> None:
    http = service(stub, dataclasses.replace(FAST, retry=RetryPolicy(delays=(0.4,) * 8, jitter=0.0),
                                             breaker_threshold=100))
    stub.always = Fault("status", 503)
    started = time.monotonic()
    with deadline(1.0), pytest.raises(ServiceError, match="HTTP 503"):
        http.get("/x", ok)
    assert time.monotonic() - started < 1.5 and http.requests <= 3


def arxiv(stub: StubServer, **policy: object) -> ArxivIndex:
    fast = dataclasses.replace(ARXIV_POLICY, min_interval=0.0, retry=RetryPolicy(delays=(0.05,) * 3, jitter=0.0),
                               connect_delays=(0.05,), **policy)  # type: ignore[arg-type]
    return ArxivIndex(f"{stub.url}/api/query", RateLimiter(0.0), policy=fast)


def test_arxiv_client_survives_each_probe(stub: StubServer) -> None:
    """Issue 13's arXiv probes, one after another, on one client: each ends as ServiceError in bounded time."""
    index = arxiv(stub, request_deadline=1.0, read_timeout=1.0, max_body=1 << 20, breaker_threshold=100)
    for fault, message in ((Fault("trickle", seconds=0.05), "no complete answer"),
                           (Fault("endless"), "longer than the cap"), (Fault("redirect"), "redirects")):
        stub.always = fault
        started = time.monotonic()
        with pytest.raises(ServiceError, match=message):
            index.lookup_ids(["1406.2661"])
        assert time.monotonic() - started < 10.0, fault
    stub.always = None
    assert index.lookup_ids([str(RECORDS[0].arxiv_id)])[str(RECORDS[0].arxiv_id)] is not None


def test_hanging_arxiv_trips_the_breaker_and_twenty_references_take_seconds(stub: StubServer) -> None:
    """A server that accepts and never answers: the first reference spends the breaker's four timeouts, the
    other nineteen fail at once (`unreachable`), instead of minutes each."""
    index = arxiv(stub, request_deadline=1.0, read_timeout=1.0)
    stub.always = Fault("hang", seconds=60)
    started = time.monotonic()
    failures = []
    for n in range(20):
        with pytest.raises(ServiceError) as caught:
            index.lookup_ids([f"1406.{2661 + n}"])
        failures.append(str(caught.value))
    elapsed = time.monotonic() - started
    assert elapsed < 15.0
    assert index.requests == 4
    assert "timed out" in failures[0] and all("left alone for the rest of the run" in f for f in failures[1:])
