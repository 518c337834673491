"""The shared HTTP helper against a loopback server with real faults (issue 13's live-client probes):
a trickled body past the deadline, an endless body past the size cap, a redirect loop, a hanging server
tripping the breaker, Retry-After, bad bodies, rejected keys; and the arXiv client through the same faults."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import feed_xml, records_from
from tests.conftest import DATA, run_cli
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
    with pytest.raises(ServiceError, match=r"no answer after 1 attempt: HTTP 429 \(Retry-After 3600 s\)"):
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
    with pytest.raises(ServiceError, match="an answer longer than the cap of 1048576 bytes"):
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


def test_one_reference_across_slow_indexes_ends_at_its_budget(stub: StubServer) -> None:
    """Two indexes that each answer too slowly: each bounds its own look-up (5 s here), and the audit's
    resolver bounds the reference across both (1.5 s), so it ends `unreachable` in about that time."""
    from verifier.references.dblp import DblpIndex
    from verifier.references.indexes import BoundedResolver
    from verifier.references.openreview import OpenReviewIndex
    from verifier.registry.models import Reference
    from verifier.verdicts import Status

    slow = dataclasses.replace(FAST, request_deadline=5.0, read_timeout=5.0, breaker_threshold=100)
    stub.always = Fault("hang", seconds=60)
    resolver = BoundedResolver([DblpIndex(stub.url, RateLimiter(0.0), policy=slow),
                                OpenReviewIndex(stub.url, RateLimiter(0.0), policy=slow)], None)
    resolver.budget = 1.5
    started = time.monotonic()
    result = resolver.resolve(Reference(title="Some Paper Title About Graphs"), None)
    assert time.monotonic() - started < 3.0
    assert result.status is Status.UNREACHABLE and [f.index for f in result.failed] == ["dblp", "openreview"]


def test_announced_rate_limit_slows_the_pace_never_speeds_it() -> None:
    def limited(request: Request) -> Answer:
        return Answer(200, {"ok": True}, headers={"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"})

    with StubServer(limited) as server:
        http = HttpService("test-index", server.url, FAST, limiter=RateLimiter(0.1))
        http.get("/x", ok)
        assert http.limiter.interval == 0.5
        http.limiter.interval = 2.0
        http.get("/x", ok)
        assert http.limiter.interval == 2.0


def test_semantic_scholar_429_without_retry_after_backs_off() -> None:
    """Semantic Scholar's shared pool answers 429 without Retry-After: waits grow (3 s, then 6 s)."""
    from tests.http_stub import load_works
    from tests.semantic_scholar_server import SemanticScholarStub
    from verifier.references.semantic_scholar import SemanticScholarIndex, s2_policy

    works = load_works(str(DATA / "indexes" / "works.jsonl"))
    sleeps = Sleeps()
    with SemanticScholarStub(works) as server:
        index = SemanticScholarIndex(server.url, limiter=RateLimiter(0.0), sleep=sleeps,
                                     policy=dataclasses.replace(s2_policy(keyed=False), min_interval=0.0))
        server.fault(Fault("status", 429, body={"message": "Too Many Requests"}),
                     Fault("status", 429, body={"message": "Too Many Requests"}))
        assert index.search(works[0]["title"])[0].title == works[0]["title"]
    assert len(sleeps.calls) == 2 and 3.0 <= sleeps.calls[0] <= 3.3 and 6.0 <= sleeps.calls[1] <= 6.6
    assert s2_policy(keyed=False).min_interval == 3.0 and s2_policy(keyed=True).min_interval == 1.0


def test_cli_redirect_loop_and_endless_body_are_unreachable_not_a_crash(stub: StubServer, tmp_path: Path) -> None:
    """Through the real CLI (it used to exit 5 on TooManyRedirects): the verdict is `unreachable`, exit 0."""
    env = {"VERIFIER_HOME": str(tmp_path / "home"), "VERIFIER_SNAPSHOT": str(tmp_path / "none.sqlite"),
           "VERIFIER_ARXIV_URL": f"{stub.url}/api/query", "VERIFIER_ARXIV_MIN_INTERVAL": "0"}
    for fault in (Fault("redirect"), Fault("endless")):
        stub.always = fault
        result = run_cli("resolve", "--arxiv-id", "1406.2661", "--index", "arxiv", "--format", "json",
                         cwd=tmp_path, env=env, timeout=200)
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        assert answer["status"] == "unreachable" and answer["failed"][0]["index"] == "cache+arxiv-api"
