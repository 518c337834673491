"""The live arXiv index: batched id look-ups and title searches over the shared HTTP helper (`http.py`).

Why not the `arxiv` package: it uses requests without a timeout (a stalled connection hangs), retries any
failure after a fixed delay without reading Retry-After, and silently drops ids missing from a multi-id
answer. This client validates ids first, batches up to 100 per request with `max_results` set, matches
answers back by id, re-asks for a missing id on its own before calling it absent, and treats an empty page
before `totalResults` as a fault. Pacing (one request start every 3 s, one connection), retries with
Retry-After, deadlines, the body cap and the circuit breaker come from `HttpService`; after them a failure
is a ServiceError (the checker says `unreachable`), never "not found"."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from verifier.errors import ServiceError
from verifier.references import atom
from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, user_agent
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import surnames, title_tokens, words
from verifier.references.records import PaperRecord

__all__ = ["ARXIV_POLICY", "ArxivIndex", "user_agent"]
log = logging.getLogger(__name__)
BATCH = 100
# arXiv's terms: one request every 3 s on one connection; 403 is how it throttles clients it finds abusive.
ARXIV_POLICY = HttpPolicy(min_interval=3.0, retry=RetryPolicy(),
                          retry_statuses=frozenset({403, 429, 500, 502, 503, 504}),
                          read_timeout=20.0, request_deadline=60.0, reference_deadline=180.0, max_body=64 * 2**20,
                          breaker_threshold=4, max_connections=1)


class ArxivIndex(HttpIndex):
    name = "arxiv-api"

    def __init__(self, base_url: str, limiter: RateLimiter, contact: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: HttpPolicy | RetryPolicy | None = None,
                 sleep: Callable[[float], None] | None = None, page_size: int = BATCH) -> None:
        if isinstance(policy, RetryPolicy):
            policy = dataclasses.replace(ARXIV_POLICY, retry=policy)
        self.page_size = page_size
        self._connect(base_url, policy or ARXIV_POLICY, contact, transport=transport, limiter=limiter, sleep=sleep)
        self.limiter = limiter

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"the arXiv API at {self.base_url} (every arXiv paper, all fields)", complete=True,
                        capabilities=frozenset({Capability.ARXIV_ID, Capability.TITLE, Capability.NAME}),
                        kinds=frozenset({"preprint"}), first="1991", online=True)

    @staticmethod
    def _parse(reply: Reply, params: dict[str, Any], expect_entries: bool) -> atom.Feed:
        if reply.status != 200:
            detail = ""
            with contextlib.suppress(atom.FeedError):
                detail = "; ".join(atom.parse(reply.body).errors)
            raise ServiceError("arxiv-api", f"HTTP {reply.status} {detail}".strip())
        try:
            feed = atom.parse(reply.body)
        except atom.FeedError as exc:
            raise BadAnswer(str(exc)) from None
        start = int(params.get("start", 0))
        if expect_entries and not feed.records and feed.total is not None and start < feed.total:
            raise BadAnswer(f"empty page at start={start} of {feed.total} results")
        return feed

    def _get(self, params: dict[str, Any], expect_entries: bool = False) -> atom.Feed:
        """One page; `expect_entries`: an empty page before totalResults is a fault (retried)."""
        return self.http.get("", lambda reply: self._parse(reply, params, expect_entries), params=params)

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """Not answered here: DOIs are looked up in DOI-capable indexes."""
        return {}

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        with self.http.question():
            return self._lookup_ids(arxiv_ids)

    def _lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        found: dict[str, PaperRecord | None] = dict.fromkeys(arxiv_ids)
        unique = list(dict.fromkeys(arxiv_ids))
        for start in range(0, len(unique), BATCH):
            chunk = unique[start:start + BATCH]
            feed = self._get({"id_list": ",".join(chunk), "max_results": len(chunk), "start": 0})
            for record in feed.records:
                if record.arxiv_id in found:
                    found[record.arxiv_id] = record
            missing = [i for i in chunk if found[i] is None]
            if len(chunk) > 1:  # multi-id answers may drop ids: ask each missing one on its own
                for arxiv_id in missing:
                    alone = self._get({"id_list": arxiv_id, "max_results": 1, "start": 0})
                    found[arxiv_id] = next((r for r in alone.records if r.arxiv_id == arxiv_id), None)
        return found

    def search(self, title: str, authors: Sequence[str] = (), limit: int = 10,
               year: int | None = None) -> list[PaperRecord]:
        """`ti:"phrase"` (with the first author's surname when given), then the title's words."""
        words = title_tokens(title)
        if not words:
            return []
        names = surnames(list(authors))
        author = f" AND au:{names[0]}" if names else ""
        phrase = " ".join(words)
        with self.http.question():
            for query in (f'ti:"{phrase}"{author}', f'ti:"{phrase}"', " AND ".join(f"ti:{w}" for w in words[:8])):
                records = self._search(query, limit)
                if records:
                    return records
        return []

    def search_name(self, name: str, limit: int = 20) -> list[PaperRecord]:
        """`ti:"name"`, oldest submissions first: the paper that introduced a name is among the first to
        carry it in its title, while relevance ranking would bury it under later papers using it."""
        tokens = words(name)
        if not tokens:
            return []
        with self.http.question():
            return self._search(f'ti:"{" ".join(tokens)}"', limit, oldest_first=True)

    def _search(self, query: str, limit: int, oldest_first: bool = False) -> list[PaperRecord]:
        records: list[PaperRecord] = []
        start = 0
        order = {"sortBy": "submittedDate", "sortOrder": "ascending"} if oldest_first else {}
        while len(records) < limit:
            size = min(self.page_size, limit - len(records))
            feed = self._get({"search_query": query, "start": start, "max_results": size, **order},
                             expect_entries=True)
            records += feed.records
            start += size
            if not feed.records or feed.total is None or start >= feed.total:
                break
        return records[:limit]
