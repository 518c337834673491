"""The Semantic Scholar Graph API: title match and search, batch look-up by DOI and arXiv id, and the
oldest papers that carry a name (bulk search sorted by date).

Endpoints (`/graph/v1`): `GET /paper/search/match?query=<title>` (the best match, with `matchScore`; 404
`{"error": "Title match not found"}` when none), `GET /paper/search?query=&offset=&limit=` (relevance,
`{"total", "offset", "next", "data"}`), `GET /paper/search/bulk?query="<phrase>"&sort=publicationDate:asc`
(`{"total", "token", "data"}`), `POST /paper/batch` with `{"ids": ["DOI:...", "ARXIV:..."]}` (a list in
the order asked, `null` for an unknown id; at most 500 ids). Papers carry `externalIds` (`ArXiv`, `DOI`,
`DBLP`, ...), which map a venue paper to its arXiv id.

Key: optional, `SEMANTIC_SCHOLAR_API_KEY`, sent as `x-api-key`. Without one, calls share a pool with every
other anonymous client and 429s are common, so the client waits 3 s between requests (1 s with a key),
backs off on 429, and after `breaker_threshold` failures in a row leaves the service alone for the run
(the verdicts then say `unreachable`, never `not_found`). A rejected key (403) is a ServiceError naming it.

Coverage: all fields, hundreds of millions of papers, but not complete for any of them (ingestion gaps,
merged or split records), so its silence is never evidence on its own. arXiv DOIs are asked as arXiv ids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from verifier.references import ids
from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, expect_status
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import words
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://api.semanticscholar.org"
FIELDS = "title,authors,year,venue,externalIds,abstract,publicationDate,publicationTypes"
BATCH = 500
S2_RETRY = RetryPolicy(delays=(3.0, 6.0, 12.0, 24.0))


def s2_policy(keyed: bool) -> HttpPolicy:
    """1 request/s with a key (its own quota); one every 3 s in the shared anonymous pool."""
    return HttpPolicy(min_interval=1.0 if keyed else 3.0, retry=S2_RETRY)


def record(paper: dict[str, Any]) -> PaperRecord:
    external = paper.get("externalIds") or {}
    arxiv = ids.parse(str(external["ArXiv"])) if external.get("ArXiv") else None
    authors = [str(a.get("name", "")) for a in paper.get("authors") or [] if isinstance(a, dict)]
    published = paper.get("publicationDate") or (str(paper["year"]) if paper.get("year") else None)
    types = ", ".join(paper.get("publicationTypes") or [])
    return PaperRecord(title=" ".join(str(paper.get("title") or "").split()), authors=authors,
                       abstract=" ".join(str(paper.get("abstract") or "").split()), published=published,
                       doi=external.get("DOI"), arxiv_id=arxiv[0] if arxiv else None, venue=paper.get("venue") or None,
                       url=f"https://www.semanticscholar.org/paper/{paper.get('paperId', '')}",
                       comment=f"Semantic Scholar {types}".strip(), origin="semantic-scholar")


def _papers(reply: Reply, key: str = "data") -> list[dict[str, Any]]:
    expect_status(reply, "semantic-scholar")
    data = reply.json()
    papers = data.get(key) if isinstance(data, dict) else None
    if not isinstance(papers, list):
        raise BadAnswer(f"no `{key}` list in the answer")
    return [p for p in papers if isinstance(p, dict) and p.get("title")]


class SemanticScholarIndex(HttpIndex):
    name = "semantic-scholar"

    def __init__(self, base_url: str = DEFAULT_URL, api_key: str | None = None, limiter: RateLimiter | None = None,
                 contact: str | None = None, transport: httpx.BaseTransport | None = None,
                 policy: HttpPolicy | None = None, sleep: Callable[[float], None] | None = None) -> None:
        self.keyed = bool(api_key)
        headers = {"x-api-key": api_key} if api_key else {}
        self._connect(base_url, policy or s2_policy(self.keyed), contact, headers=headers, transport=transport,
                      limiter=limiter, sleep=sleep)

    def coverage(self) -> Coverage:
        key = "with an API key" if self.keyed else "without a key (shared anonymous pool)"
        return Coverage(self.name, f"Semantic Scholar at {self.base_url}, {key}: all fields, not complete for any",
                        complete=False, online=True,
                        capabilities=frozenset({Capability.ARXIV_ID, Capability.DOI, Capability.TITLE,
                                                Capability.NAME}),
                        kinds=frozenset({"preprint", "journal", "proceedings", "book", "other"}))

    def _batch(self, keys: list[str]) -> list[PaperRecord | None]:
        def parse(reply: Reply) -> list[PaperRecord | None]:
            expect_status(reply, self.name)
            data = reply.json()
            if not isinstance(data, list) or len(data) != len(keys):
                raise BadAnswer(f"batch answer is not a list of {len(keys)}")
            return [record(p) if isinstance(p, dict) and p.get("title") else None for p in data]

        answers: list[PaperRecord | None] = []
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            answers += self.http.post("/graph/v1/paper/batch", parse, params={"fields": FIELDS}, body={"ids": chunk})
        return answers

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        unique = list(dict.fromkeys(arxiv_ids))
        if not unique:
            return {}
        with self.http.question():
            return dict(zip(unique, self._batch([f"ARXIV:{i}" for i in unique]), strict=True))

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """DOIs as `DOI:`, arXiv DOIs as the arXiv ids they are (`ARXIV:`)."""
        unique = list(dict.fromkeys(dois))
        keys = [f"ARXIV:{a}" if (a := ids.arxiv_id_from_doi(d)) else f"DOI:{ids.normalize_doi(d) or d}" for d in unique]
        if not unique:
            return {}
        with self.http.question():
            return dict(zip(unique, self._batch(keys), strict=True))

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        """The title match; when there is none, the top relevance hits as candidates."""
        if not words(title):
            return []

        def match(reply: Reply) -> list[dict[str, Any]]:
            if reply.status == 404:
                return []
            return _papers(reply)

        with self.http.question():
            found = self.http.get("/graph/v1/paper/search/match", match, params={"query": title, "fields": FIELDS})
            if not found:
                found = self.http.get("/graph/v1/paper/search", _papers,
                                      params={"query": title, "fields": FIELDS, "limit": 5, "offset": 0})
        return [record(p) for p in found]

    def search_name(self, name: str, limit: int = 20) -> list[PaperRecord] | None:
        """Papers whose title or abstract carries the name as a phrase, oldest first (bulk search)."""
        tokens = words(name)
        if not tokens:
            return []
        with self.http.question():
            found = self.http.get("/graph/v1/paper/search/bulk", _papers,
                                  params={"query": f'"{name}"', "fields": FIELDS, "sort": "publicationDate:asc"})
        records = [record(p) for p in found]
        dated = sorted((r for r in records if r.published), key=lambda r: r.published or "")
        return dated[:limit]
