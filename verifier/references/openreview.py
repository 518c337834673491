"""OpenReview API v2 (`api2.openreview.net`): the papers of ICLR, NeurIPS and TMLR as their venues list them,
including submissions that were rejected or withdrawn (which a citation must not present as published).

Endpoints: `GET /notes?content.title=<title>` (exact title) and, when that finds nothing, `GET
/notes/search?term=<title>&type=terms&content=title&source=forum` (full-text over titles). Both answer
`{"notes": [...], "count": N}`. In v2 every content field is an object `{"value": ...}`: `title`, `authors`,
`abstract`, `venue` (`ICLR 2023 notable top 5%`, `Submitted to ICLR 2023`, `TMLR`), `venueid`
(`ICLR.cc/2023/Conference`, `.../Rejected_Submission`, `.../Withdrawn_Submission`); `pdate`/`cdate` are
milliseconds since the epoch. (v1 answers carried plain values; both are read.)

Coverage: ICLR since 2013 (whole since 2018), NeurIPS since 2021, TMLR since 2022 (its only venue of
record). OpenReview holds these venues' submissions, but older editions only in part and search ranks by
relevance, so it is not declared complete; a rejected submission is returned with that status in its
record (`comment`), for the resolver to weigh. No arXiv-id or DOI look-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, expect_status
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import title_tokens
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://api2.openreview.net"
OPENREVIEW_POLICY = HttpPolicy(min_interval=1.0, retry=RetryPolicy(delays=(2.0, 5.0, 10.0)))


def _value(content: dict[str, Any], name: str) -> Any:
    field = content.get(name)
    return field.get("value") if isinstance(field, dict) else field


def _status(venue_id: str) -> str:
    for marker, status in (("Withdrawn", "withdrawn submission"), ("Desk_Rejected", "desk-rejected submission"),
                           ("Rejected", "rejected submission")):
        if marker in venue_id:
            return status
    return "accepted" if venue_id else "submission"


def record(note: dict[str, Any]) -> PaperRecord:
    raw = note.get("content")
    content: dict[str, Any] = raw if isinstance(raw, dict) else {}
    stamp = note.get("pdate") or note.get("cdate")
    published = dt.datetime.fromtimestamp(stamp / 1000, dt.UTC).date().isoformat() \
        if isinstance(stamp, int | float) else None
    venue_id = str(_value(content, "venueid") or "")
    authors = _value(content, "authors")
    return PaperRecord(title=" ".join(str(_value(content, "title") or "").split()),
                       authors=[str(a) for a in authors] if isinstance(authors, list) else [],
                       abstract=" ".join(str(_value(content, "abstract") or "").split()), published=published,
                       venue=_value(content, "venue") or venue_id or None,
                       url=f"https://openreview.net/forum?id={note.get('forum') or note.get('id')}",
                       comment=f"OpenReview {venue_id}: {_status(venue_id)}", origin="openreview")


def _notes(reply: Reply) -> list[dict[str, Any]]:
    expect_status(reply, "openreview")
    data = reply.json()
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        raise BadAnswer("no `notes` list in the answer")
    return [n for n in notes if isinstance(n, dict) and isinstance(n.get("content"), dict)]


class OpenReviewIndex(HttpIndex):
    name = "openreview"

    def __init__(self, base_url: str = DEFAULT_URL, limiter: RateLimiter | None = None, contact: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: HttpPolicy | None = None,
                 sleep: Callable[[float], None] | None = None, rows: int = 10) -> None:
        self.rows = rows
        self._connect(base_url, policy or OPENREVIEW_POLICY, contact, transport=transport, limiter=limiter, sleep=sleep)

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"OpenReview at {self.base_url}: ICLR (2013-), NeurIPS (2021-), TMLR (2022-), "
                                   "accepted and rejected submissions; not complete", complete=False, first="2013",
                        capabilities=frozenset({Capability.TITLE}), fields=frozenset({"cs"}),
                        venues=frozenset({"iclr", "neurips", "tmlr"}), kinds=frozenset({"proceedings", "journal"}),
                        online=True)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        """The exact title first; then a term search over titles."""
        if not title_tokens(title):
            return []
        cleaned = " ".join(title.split())
        with self.http.question():
            notes = self.http.get("/notes", _notes, params={"content.title": cleaned, "limit": self.rows})
            if not notes:
                notes = self.http.get("/notes/search", _notes, params={
                    "term": cleaned, "type": "terms", "content": "title", "source": "forum", "limit": self.rows})
        return [record(n) for n in notes if _value(n["content"], "title")]

    def search_name(self, name: str) -> list[PaperRecord] | None:
        return None  # relevance-ranked only: cannot list the oldest titles carrying a name
