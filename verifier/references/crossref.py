"""Crossref, for references that live outside arXiv (journal articles, proceedings, books with DOIs): DOI
look-ups and bibliographic title search over the shared HTTP helper.

On by default online (`--index` chooses the indexes); `VERIFIER_CROSSREF_URL` points at a mirror or a test
server. Polite use: one request per second, a `mailto:` in the User-Agent (VERIFIER_CONTACT), retries with
back-off on 429/5xx and timeouts, and `ServiceError` after them (the checker then says `unreachable`, never
`not_found`).

DOIs: `/works/{doi}` answers for DOIs Crossref registered. A 404 there is not yet absence: DataCite (arXiv's
`10.48550/arXiv.*`, Zenodo) and other agencies register DOIs too, so `/works/{doi}/agency` is asked: a DOI
of another agency is left out of the answer ("cannot say"), and only a DOI that no agency knows is absent
(None).
arXiv DOIs are never sent: they are arXiv ids (`ids.arxiv_id_from_doi`), looked up by arXiv-capable indexes.

Coverage: not complete for any field or venue (publishers deposit what they choose; most ML conference
papers have no DOI), so absence from its title search proves nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from verifier.references import ids
from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, expect_status
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import surnames
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://api.crossref.org"
CROSSREF_POLICY = HttpPolicy(min_interval=1.0, retry=RetryPolicy(delays=(2.0, 5.0, 10.0)))
_KINDS = {"journal-article": "journal", "proceedings-article": "proceedings", "book": "book",
          "book-chapter": "book", "monograph": "book", "edited-book": "book", "posted-content": "preprint"}


def _record(item: dict[str, Any]) -> PaperRecord:
    authors = [" ".join(p for p in (a.get("given"), a.get("family")) if p) or a.get("name", "")
               for a in item.get("author", []) if isinstance(a, dict)]
    parts = (item.get("issued") or item.get("published") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    abstract = re.sub(r"<[^>]+>", " ", item.get("abstract") or "")
    doi = item.get("DOI")
    kind = _KINDS.get(str(item.get("type")), "other")
    return PaperRecord(title=" ".join(str((item.get("title") or [""])[0]).split()), authors=authors,
                       abstract=" ".join(abstract.split()), published=str(year) if year else None, doi=doi,
                       venue=(item.get("container-title") or [None])[0], url=f"https://doi.org/{doi}" if doi else None,
                       comment=f"Crossref type {item.get('type')} ({kind})", origin="crossref")


def _message(reply: Reply) -> Any:
    data = reply.json()
    if not isinstance(data, dict) or "message" not in data:
        raise BadAnswer("no `message` in the answer")
    return data["message"]


class CrossrefIndex(HttpIndex):
    name = "crossref"

    def __init__(self, base_url: str, limiter: RateLimiter | None = None, contact: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: HttpPolicy | RetryPolicy | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        if isinstance(policy, RetryPolicy):
            policy = HttpPolicy(min_interval=CROSSREF_POLICY.min_interval, retry=policy)
        self._connect(base_url, policy or CROSSREF_POLICY, contact, transport=transport, limiter=limiter, sleep=sleep)

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"Crossref works at {self.base_url} (DOIs registered with Crossref: journals, "
                                   "proceedings, books; not complete for any field)",
                        complete=False, capabilities=frozenset({Capability.DOI, Capability.TITLE}),
                        kinds=frozenset({"journal", "proceedings", "book", "preprint", "other"}), online=True)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}  # Crossref does not index arXiv preprints as such

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """A record, None for a DOI no registration agency knows, nothing for another agency's DOI."""
        answers: dict[str, PaperRecord | None] = {}
        for doi in dict.fromkeys(dois):
            if ids.arxiv_id_from_doi(doi) is not None:
                continue
            with self.http.question():
                found = self._find_doi(doi)
            if found is None or isinstance(found, PaperRecord):
                answers[doi] = found
        return answers

    def lookup_doi(self, doi: str) -> PaperRecord | None:
        """The record, or None when Crossref has no such DOI (it may be another agency's)."""
        with self.http.question():
            found = self._find_doi(doi)
        return found if isinstance(found, PaperRecord) else None

    def _find_doi(self, doi: str) -> PaperRecord | bool | None:
        """The record; None when the DOI exists nowhere; False when another agency registered it."""
        path = "/works/" + quote(ids.normalize_doi(doi) or doi, safe="/")

        def work(reply: Reply) -> PaperRecord | None:
            if reply.status == 404:
                return None
            expect_status(reply, self.name)
            message = _message(reply)
            if not isinstance(message, dict):
                raise BadAnswer("`message` is not a work")
            return _record(message)

        record = self.http.get(path, work)
        if record is not None:
            return record
        return self.http.get(path + "/agency", self._agency)

    def _agency(self, reply: Reply) -> bool | None:
        if reply.status == 404:
            return None
        expect_status(reply, self.name)
        message = _message(reply)
        agency = message.get("agency") if isinstance(message, dict) else None
        if not isinstance(agency, dict):
            raise BadAnswer("no `agency` in the answer")
        return False  # registered (with another agency, or with Crossref without metadata): cannot say

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        names = surnames(list(authors))
        query = " ".join([title, *names[:1]])

        def items(reply: Reply) -> list[PaperRecord]:
            expect_status(reply, self.name)
            message = _message(reply)
            found = message.get("items") if isinstance(message, dict) else None
            if not isinstance(found, list):
                raise BadAnswer("no `items` list in the answer")
            return [_record(item) for item in found if isinstance(item, dict) and item.get("title")]

        with self.http.question():
            return self.http.get("/works", items, params={"query.bibliographic": query, "rows": 5})

    def search_name(self, name: str) -> list[PaperRecord] | None:
        """Not answered: Crossref's bibliographic search ranks by relevance and cannot list the oldest
        titles that carry a name, which is what tells a model's origin from later work using it."""
        return None

