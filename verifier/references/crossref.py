"""Crossref as a secondary index, for references that live outside arXiv (journal articles, books,
proceedings with DOIs): DOI look-ups and bibliographic title search over httpx.

Off by default (it needs the network): `--crossref` or `VERIFIER_CROSSREF=1`; `VERIFIER_CROSSREF_URL` points
at a mirror or a test server. Polite use: one request per second, a `mailto:` in the User-Agent
(VERIFIER_CONTACT), retries with back-off on 429/5xx and timeouts, and `ServiceError` after them (the
checker then says `unreachable`, never `not_found`). Crossref is not complete for any field, so absence
from it proves nothing: its answers can confirm a reference, never call one fabricated."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from verifier.errors import ServiceError
from verifier.references.arxiv_api import user_agent
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import surnames
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://api.crossref.org"
RETRY = frozenset({429, 500, 502, 503, 504})


def _record(item: dict[str, Any]) -> PaperRecord:
    authors = [" ".join(p for p in (a.get("given"), a.get("family")) if p) or a.get("name", "")
               for a in item.get("author", [])]
    parts = (item.get("issued") or item.get("published") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    abstract = re.sub(r"<[^>]+>", " ", item.get("abstract") or "")
    doi = item.get("DOI")
    return PaperRecord(title=" ".join((item.get("title") or [""])[0].split()), authors=authors,
                       abstract=" ".join(abstract.split()), published=str(year) if year else None, doi=doi,
                       venue=(item.get("container-title") or [None])[0], url=f"https://doi.org/{doi}" if doi else None,
                       origin="crossref")


class CrossrefIndex:
    name = "crossref"

    def __init__(self, base_url: str, limiter: RateLimiter, contact: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter
        self.policy = policy or RetryPolicy(delays=(2.0, 5.0, 10.0))
        self.sleep = sleep or limiter.sleep
        self.requests = 0
        self.client = httpx.Client(transport=transport, timeout=httpx.Timeout(30.0, connect=10.0),
                                   headers={"User-Agent": user_agent(contact)})

    def close(self) -> None:
        self.client.close()

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"Crossref works at {self.base_url} (DOIs; not complete for any field)",
                        complete=False, capabilities=frozenset({Capability.DOI, Capability.TITLE}),
                        kinds=frozenset({"journal", "proceedings", "book", "other"}), online=True)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        last = ""
        for attempt in range(self.policy.attempts):
            self.limiter.wait()
            self.requests += 1
            try:
                response = self.client.get(f"{self.base_url}{path}", params=params)
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in RETRY:
                    return response
                last = f"HTTP {response.status_code}"
                if attempt + 1 < self.policy.attempts:
                    self.sleep(self.policy.delay(attempt, response.headers.get("Retry-After")))
                    continue
                break
            if attempt + 1 < self.policy.attempts:
                self.sleep(self.policy.delay(attempt, None))
        raise ServiceError(self.name, f"no answer after {self.policy.attempts} attempts: {last}")

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}  # Crossref does not index arXiv preprints as such

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """Crossref registers most DOIs of journals and proceedings (not DataCite's: arXiv, Zenodo)."""
        return {doi: self.lookup_doi(doi) for doi in dict.fromkeys(dois)}

    def lookup_doi(self, doi: str) -> PaperRecord | None:
        response = self._get(f"/works/{doi}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ServiceError(self.name, f"HTTP {response.status_code} for DOI {doi}")
        return _record(response.json()["message"])

    def search(self, title: str, authors: Sequence[str] = ()) -> list[PaperRecord] | None:
        names = surnames(list(authors))
        query = " ".join([title, *names[:1]])
        response = self._get("/works", {"query.bibliographic": query, "rows": 5})
        if response.status_code != 200:
            raise ServiceError(self.name, f"HTTP {response.status_code}")
        try:
            items = response.json()["message"]["items"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ServiceError(self.name, f"unusable answer: {exc}") from None
        return [_record(item) for item in items if item.get("title")]

    def search_name(self, name: str) -> list[PaperRecord] | None:
        """Not answered: Crossref's bibliographic search ranks by relevance and cannot list the oldest
        titles that carry a name, which is what tells a model's origin from later work using it."""
        return None
