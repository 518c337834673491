"""Pacing for arXiv: one request start every `interval` seconds for the whole process, and the retry policy.

The clock and the sleep are injectable, so tests check the 3-second spacing without waiting."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar


class RateLimiter:
    """Spaces request starts by at least `interval` seconds (thread-safe)."""

    _shared: ClassVar[dict[str, RateLimiter]] = {}
    _shared_lock = threading.Lock()

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next = float("-inf")
        self._lock = threading.Lock()
        self.starts: list[float] = []

    @classmethod
    def for_endpoint(cls, url: str, interval: float) -> RateLimiter:
        """The one limiter of this process for an endpoint (arXiv's limit is per client, not per object)."""
        with cls._shared_lock:
            limiter = cls._shared.get(url)
            if limiter is None or limiter.interval != interval:
                limiter = cls._shared[url] = RateLimiter(interval)
            return limiter

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self.clock()
            self._next = now + self.interval
            self.starts.append(now)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for 429, 5xx, 403, timeouts and connection errors."""

    delays: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0)
    max_retry_after: float = 120.0
    jitter: float = 0.1

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(float(retry_after), self.max_retry_after)
            except ValueError:
                pass
        base = self.delays[min(attempt, len(self.delays) - 1)]
        return base * (1 + random.uniform(0, self.jitter))

    @property
    def attempts(self) -> int:
        return len(self.delays) + 1
