"""OpenAlex works (`/works?filter=title.search:<title>`, `/works/doi:<doi>`), used only with an API key.

Since February 2026 OpenAlex needs a key (`api_key=` parameter): without one a client gets a tiny daily
budget and then 429s. So the index is built only when `OPENALEX_API_KEY` is set; otherwise the cascade
lists it as skipped ("no OPENALEX_API_KEY") and the verdict says so. A rejected key (401/403) is a
ServiceError naming the key; a spent budget (429 after the retries) is `unreachable`.

The answer (`{"meta": {"count", "page", "per_page"}, "results": [...]}` or one work) carries `title`,
`authorships[].author.display_name`, `publication_date`, `type`, `doi` (a doi.org URL),
`primary_location.source.display_name` (the venue), `locations[].landing_page_url` (an arxiv.org link
gives the arXiv id) and the abstract as an inverted index (word -> positions), rebuilt here.

Coverage: all fields, not complete for any (records merged from Crossref, PubMed, arXiv, repositories)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from verifier.references import ids
from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, expect_status
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import title_tokens
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://api.openalex.org"
OPENALEX_POLICY = HttpPolicy(min_interval=0.2, retry=RetryPolicy(delays=(2.0, 5.0, 10.0)))


def abstract(inverted: Any) -> str:
    """The abstract from OpenAlex's inverted index ({"word": [positions]})."""
    if not isinstance(inverted, dict):
        return ""
    placed = sorted((pos, word) for word, positions in inverted.items() if isinstance(positions, list)
                    for pos in positions if isinstance(pos, int))
    return " ".join(word for _, word in placed)


def record(work: dict[str, Any]) -> PaperRecord:
    authors = [str((a.get("author") or {}).get("display_name", "")) for a in work.get("authorships") or []
               if isinstance(a, dict)]
    doi = ids.normalize_doi(work.get("doi"))
    links = [str(loc.get("landing_page_url") or "") for loc in work.get("locations") or [] if isinstance(loc, dict)]
    arxiv_id = ids.arxiv_id_from_doi(doi) or next((found for link in links if (found := ids.from_text(link))), None)
    source = ((work.get("primary_location") or {}).get("source") or {})
    year = work.get("publication_year")
    published = work.get("publication_date") or (str(year) if year else None)
    venue = source.get("display_name") if isinstance(source, dict) else None
    return PaperRecord(title=" ".join(str(work.get("title") or work.get("display_name") or "").split()),
                       authors=authors, abstract=abstract(work.get("abstract_inverted_index")), published=published,
                       doi=doi, arxiv_id=arxiv_id, venue=venue,
                       url=str(work.get("id") or "") or None, comment=f"OpenAlex type {work.get('type')}",
                       origin="openalex")


class OpenAlexIndex(HttpIndex):
    name = "openalex"

    def __init__(self, api_key: str, base_url: str = DEFAULT_URL, limiter: RateLimiter | None = None,
                 contact: str | None = None, transport: httpx.BaseTransport | None = None,
                 policy: HttpPolicy | None = None, sleep: Callable[[float], None] | None = None) -> None:
        self.api_key = api_key
        self._connect(base_url, policy or OPENALEX_POLICY, contact, transport=transport, limiter=limiter, sleep=sleep)

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"OpenAlex at {self.base_url} (with a key): all fields, not complete for any",
                        complete=False, online=True,
                        capabilities=frozenset({Capability.ARXIV_ID, Capability.DOI, Capability.TITLE}),
                        kinds=frozenset({"preprint", "journal", "proceedings", "book", "other"}))

    def _work(self, reply: Reply) -> PaperRecord | None:
        if reply.status == 404:
            return None
        expect_status(reply, self.name)
        data = reply.json()
        if not isinstance(data, dict) or not (data.get("title") or data.get("display_name")):
            raise BadAnswer("not an OpenAlex work")
        return record(data)

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        answers: dict[str, PaperRecord | None] = {}
        for doi in dict.fromkeys(dois):
            normal = ids.normalize_doi(doi)
            if normal is None:
                continue
            with self.http.question():
                answers[doi] = self.http.get("/works/doi:" + quote(normal, safe="/"), self._work,
                                             params={"api_key": self.api_key})
        return answers

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        """Through the arXiv DOI DataCite registered for every arXiv paper."""
        found = self.lookup_dois([f"10.48550/arXiv.{i}" for i in arxiv_ids])
        return {i: found[f"10.48550/arXiv.{i}"] for i in arxiv_ids if f"10.48550/arXiv.{i}" in found}

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        words = title_tokens(title)
        if not words:
            return []

        def results(reply: Reply) -> list[PaperRecord]:
            expect_status(reply, self.name)
            data = reply.json()
            works = data.get("results") if isinstance(data, dict) else None
            if not isinstance(works, list):
                raise BadAnswer("no `results` list in the answer")
            return [record(w) for w in works if isinstance(w, dict) and (w.get("title") or w.get("display_name"))]

        with self.http.question():
            return self.http.get("/works", results, params={
                "filter": "title.search:" + " ".join(words), "per-page": 10, "api_key": self.api_key})

    def search_name(self, name: str) -> list[PaperRecord] | None:
        return None
