"""One HTTP helper for every live index: pacing, retries, deadlines, a body cap and a circuit breaker.

Why one helper: every scholarly index fails the same ways (429 with or without Retry-After, 5xx, a read
that hangs, a body that trickles for ever or never ends, a bot-check HTML page instead of JSON, a redirect
loop), and each client used to handle a different subset. `HttpService` gives every client the same
guarantees:

- **Pacing**: one request start every `min_interval` seconds per host for the whole process (`limiter.py`),
  slower when the service announces a lower limit (`x-rate-limit-limit` per `x-rate-limit-interval`).
- **Retries** (tenacity): on 429, 5xx (and whatever else a client lists), timeouts, connection failures
  and unusable bodies; throttling and errors wait with exponential back-off and jitter, honouring
  `Retry-After` (seconds or an HTTP date); a timeout or a refused connection is retried after 1-2 s (a
  host that does not answer is not asking us to slow down); a wait longer than the time left is not
  waited: the question fails at once.
- **Deadlines**: one exchange (connect, headers and the whole body) never takes longer than
  `request_deadline`; one question (every attempt and wait of a look-up for one reference) never longer
  than `reference_deadline`; `deadline()` narrows both for a caller that asks several indexes.
- **A body cap**: the body is read as a stream and cut at `max_body` bytes (after decompression), so an
  endless or 5 GB answer ends with a ServiceError instead of a MemoryError (not retried: it would come
  again; counted by the breaker).
- **Bounded redirects**: at most `max_redirects`; a loop is a ServiceError (the verdict `unreachable`).
- **A circuit breaker** per service: `breaker_threshold` failed attempts in a row (timeouts, connection
  failures, bad bodies, throttling, 5xx) and the host is left alone for the rest of the run, so an index
  that hangs costs a few seconds for the whole audit instead of minutes per reference.
- A `User-Agent` naming the tool and the contact (`VERIFIER_CONTACT`).

Every failure ends as `ServiceError` (never as "absent"): the resolver turns it into `unreachable`."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import httpx
import tenacity

import verifier
from verifier.errors import ServiceError
from verifier.references.limiter import RateLimiter, RetryPolicy

log = logging.getLogger(__name__)
T = TypeVar("T")
_DEADLINE: ContextVar[float | None] = ContextVar("verifier_http_deadline", default=None)
REFERENCE_BUDGET = 300.0  # seconds for one reference across every index (the audit's resolver uses it)


def user_agent(contact: str | None) -> str:
    mail = f"; mailto:{contact}" if contact else ""
    return f"verifier/{verifier.__version__} (literature-and-claims auditor{mail})"


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every request made inside this block (in this thread or task) ends by `seconds` from now.

    Nested blocks keep the earlier end; the citation checker can wrap one reference's whole cascade."""
    end = time.monotonic() + seconds
    current = _DEADLINE.get()
    token = _DEADLINE.set(end if current is None else min(current, end))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class BadAnswer(Exception):
    """Raised by a client's parser for a body it cannot read (truncated JSON, an HTML page, a wrong shape):
    retried like a 5xx and counted by the breaker, because a healthy service does not send it."""


@dataclass(frozen=True)
class HttpPolicy:
    """How one service is asked. Defaults suit a small public API; each client sets its own."""

    min_interval: float = 1.0
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(delays=(2.0, 5.0, 10.0)))
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    request_deadline: float = 60.0
    reference_deadline: float = 120.0
    max_body: int = 32 * 2**20
    max_redirects: int = 3
    breaker_threshold: int = 4
    connect_delays: tuple[float, ...] = (1.0, 2.0)
    max_connections: int = 4


@dataclass(frozen=True)
class Reply:
    """A whole answer, read within the deadline and the size cap."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            start = self.body[:60].decode("utf-8", "replace").strip()
            raise BadAnswer(f"not JSON ({type(exc).__name__}; starts {start!r})") from None


class _Transient(Exception):
    """One failed attempt that may succeed if repeated."""

    def __init__(self, message: str, kind: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # timeout | connection | body | status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class CircuitBreaker:
    """Counts failed attempts in a row; at `threshold` the service is left alone for the rest of the run
    (no half-open state: one audit is short, and a host that failed this often will not be back soon)."""

    def __init__(self, name: str, threshold: int) -> None:
        self.name = name
        self.threshold = threshold
        self.failures = 0
        self.reason: str | None = None
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.reason is not None

    def check(self) -> None:
        if self.reason is not None:
            raise ServiceError(self.name, f"left alone for the rest of the run after {self.threshold} failures "
                                          f"in a row (last: {self.reason})")

    def failure(self, reason: str) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= self.threshold and self.reason is None:
                self.reason = reason
                log.warning("%s: %d failures in a row (%s); not asked again in this run", self.name,
                            self.failures, reason)

    def success(self) -> None:
        with self._lock:
            self.failures = 0


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class HttpService:
    """One remote service: `request()` returns what `parse` makes of a reply or raises ServiceError."""

    def __init__(self, name: str, base_url: str, policy: HttpPolicy | None = None, contact: str | None = None,
                 headers: Mapping[str, str] | None = None, transport: httpx.BaseTransport | None = None,
                 limiter: RateLimiter | None = None, sleep: Callable[[float], None] | None = None) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.policy = policy or HttpPolicy()
        self.limiter = limiter or RateLimiter.for_endpoint(host_key(base_url), self.policy.min_interval)
        self.sleep = sleep or self.limiter.sleep
        self.breaker = CircuitBreaker(name, self.policy.breaker_threshold)
        self.requests = 0
        self._count = threading.Lock()
        self.client = httpx.Client(
            transport=transport, headers={"User-Agent": user_agent(contact), **(headers or {})},
            follow_redirects=True, max_redirects=self.policy.max_redirects,
            limits=httpx.Limits(max_connections=self.policy.max_connections))

    def close(self) -> None:
        self.client.close()

    @contextlib.contextmanager
    def question(self) -> Iterator[None]:
        """The scope of one look-up for one reference: every request in it shares `reference_deadline`."""
        with deadline(self.policy.reference_deadline):
            yield

    def get(self, path: str, parse: Callable[[Reply], T], params: Mapping[str, Any] | None = None) -> T:
        return self.request("GET", path, parse, params=params)

    def post(self, path: str, parse: Callable[[Reply], T], params: Mapping[str, Any] | None = None,
             body: Any = None) -> T:
        return self.request("POST", path, parse, params=params, body=body)

    def request(self, method: str, path: str, parse: Callable[[Reply], T], params: Mapping[str, Any] | None = None,
                body: Any = None) -> T:
        """Ask until `parse` accepts a reply, the attempts run out, the deadline passes or the breaker opens.

        `parse` sees every reply whose status is not retried (it decides what a 404 means) and raises
        BadAnswer for a body it cannot read, ServiceError for an answer that is a refusal."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        end = min(time.monotonic() + self.policy.reference_deadline, _DEADLINE.get() or float("inf"))
        attempts = [0]
        retrying = tenacity.Retrying(
            sleep=self.sleep, retry=tenacity.retry_if_exception_type(_Transient), reraise=True,
            wait=self._wait, stop=lambda state: self._stop(state, end),
            before_sleep=lambda state: log.info("%s: %s; retrying in %.1f s", self.name,
                                                state.outcome.exception() if state.outcome else "?",
                                                state.upcoming_sleep))
        try:
            value: T = retrying(self._attempt, method, url, params, body, parse, end, attempts)
            return value
        except _Transient as exc:
            tail = "; the service is left alone for the rest of the run" if self.breaker.open else ""
            count = f"{attempts[0]} attempt" + ("s" if attempts[0] != 1 else "")
            raise ServiceError(self.name, f"no answer after {count}: {exc}{tail}") from None

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        failed = state.attempt_number - 1
        if isinstance(exc, _Transient) and exc.kind in ("connection", "timeout"):  # not throttling: no long wait
            return self.policy.connect_delays[min(failed, len(self.policy.connect_delays) - 1)]
        retry_after = exc.retry_after if isinstance(exc, _Transient) else None
        if retry_after is not None:
            return retry_after
        return self.policy.retry.delay(failed, None)

    def _stop(self, state: tenacity.RetryCallState, end: float) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        too_long = isinstance(exc, _Transient) and exc.retry_after is not None and \
            exc.retry_after > self.policy.retry.max_retry_after
        return (state.attempt_number >= self.policy.retry.attempts or self.breaker.open or too_long
                or time.monotonic() + state.upcoming_sleep >= end)

    def _attempt(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any,
                 parse: Callable[[Reply], T], end: float, attempts: list[int]) -> T:
        self.breaker.check()
        self.limiter.wait()
        budget = min(end - time.monotonic(), self.policy.request_deadline)
        if budget <= 0:
            raise ServiceError(self.name, "the deadline for this reference passed before an answer came")
        attempts[0] += 1
        with self._count:
            self.requests += 1
        try:
            reply = self._exchange(method, url, params, body, budget)
            self._slow_down(reply.headers)
            if reply.status in self.policy.retry_statuses:
                wait = parse_retry_after(reply.headers.get("Retry-After"))
                asked = f" (Retry-After {wait:.0f} s)" if wait is not None else ""
                raise _Transient(f"HTTP {reply.status}{asked}", "status", wait)
            try:
                value = parse(reply)
            except BadAnswer as exc:
                raise _Transient(f"unusable answer: {exc}", "body") from None
        except _Transient as exc:
            self.breaker.failure(str(exc))
            raise
        self.breaker.success()
        return value

    def _oversized(self, reason: str) -> NoReturn:
        """Not retried: a service that sends more than the cap once will send it again (counted, though)."""
        self.breaker.failure(reason)
        raise ServiceError(self.name, reason)

    def _slow_down(self, headers: httpx.Headers) -> None:
        """Honour a service's announced limit (`x-rate-limit-limit` requests per `x-rate-limit-interval`,
        as Crossref sends): the pace only ever gets slower than the configured one, never faster."""
        limit, interval = headers.get("x-rate-limit-limit", ""), headers.get("x-rate-limit-interval", "")
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*s?", interval.strip())
        if not limit.strip().isdigit() or int(limit) <= 0 or match is None:
            return
        announced = float(match.group(1)) / int(limit)
        if announced > self.limiter.interval:
            log.info("%s announces %s requests per %s: pacing at %.2f s", self.name, limit, interval, announced)
            self.limiter.interval = announced

    def _exchange(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any, budget: float) -> Reply:
        policy = self.policy
        timeout = httpx.Timeout(min(policy.read_timeout, budget), connect=min(policy.connect_timeout, budget),
                                pool=budget)
        started = time.monotonic()
        try:
            with self.client.stream(method, url, params=params, json=body, timeout=timeout) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > policy.max_body:
                    self._oversized(f"an answer of {int(declared)} bytes is over the cap of {policy.max_body}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > policy.max_body:
                        self._oversized(f"an answer longer than the cap of {policy.max_body} bytes")
                    if time.monotonic() - started > budget:
                        raise _Transient(f"no complete answer within {budget:.1f} s ({size} bytes so far)", "timeout")
                    chunks.append(chunk)
                return Reply(response.status_code, response.headers, b"".join(chunks), str(response.url))
        except httpx.TooManyRedirects:
            self.breaker.failure("redirect loop")
            raise ServiceError(self.name, f"more than {policy.max_redirects} redirects from {url}") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise ServiceError(self.name, f"bad address {url}: {exc}") from None
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out: {type(exc).__name__}", "timeout") from None
        except (httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            raise _Transient(f"broken answer: {type(exc).__name__}: {exc}", "body") from None
        except httpx.HTTPError as exc:
            raise _Transient(f"connection failed: {type(exc).__name__}: {exc}", "connection") from None


def expect_status(reply: Reply, service: str, ok: frozenset[int] = frozenset({200})) -> None:
    """A status the client does not handle is a refusal; 401/403 name the key as the likely cause."""
    if reply.status in ok:
        return
    detail = reply.body[:200].decode("utf-8", "replace").strip()
    if reply.status in (401, 403):
        raise ServiceError(service, f"HTTP {reply.status}: the service refused the request (a missing, wrong or "
                                    f"expired API key?) {detail}".strip())
    raise ServiceError(service, f"HTTP {reply.status} {detail}".strip())


class HttpIndex:
    """What every live index shares: its `HttpService` (pacing, retries, deadlines, body cap, breaker), the
    count of requests it made (benchmarks read it) and closing its connections. A subclass sets `name` and
    opens its service with `_connect` in its constructor."""

    name: str
    base_url: str
    http: HttpService

    def _connect(self, base_url: str, policy: HttpPolicy, contact: str | None, *,
                 headers: Mapping[str, str] | None = None, transport: httpx.BaseTransport | None = None,
                 limiter: RateLimiter | None = None, sleep: Callable[[float], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = HttpService(self.name, self.base_url, policy, contact, headers=headers, transport=transport,
                                limiter=limiter, sleep=sleep)

    @property
    def requests(self) -> int:
        return self.http.requests

    def close(self) -> None:
        self.http.close()
