"""DBLP's publication search API (`/search/publ/api?q=...&format=json`): computer-science papers as DBLP
lists them, with their venue, year, type, DOI and electronic-edition links.

The answer's shape (`result.hits.hit[].info`): `title` (ending in a full stop), `authors.author` (one object
or a list of objects `{"@pid", "text"}`; homonyms carry a number, `Wei Wang 0001`), `venue` (a string or a
list), `year`, `type` (`Conference and Workshop Papers`, `Journal Articles`, `Informal and Other
Publications` for CoRR preprints, ...), `doi`, `ee` (a string or a list of links), `key` and `url`.
`hits.@total` counts every match; `h` (at most 1000) and `f` page through them. `hit` is absent when
nothing matches. dblp sometimes answers a bot-check HTML page with status 200: that is a bad body (retried,
counted by the breaker), never "no hits".

Queries: the title's words (dblp matches every word, by prefix), then, when that finds nothing, the same
words joined by `|` (dblp's OR, ranked by how many match), so a title cited with one word changed still
brings the real paper back as a candidate.

Coverage: the major computer-science venues are indexed whole (every paper of every edition), so for
them dblp is declared complete, up to the end of the previous year (new proceedings arrive weeks to
months after a conference). It holds CoRR preprints too, but not every arXiv paper (only cs, and not all
of it), and nothing outside computer science. There is no DOI look-up endpoint."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from verifier.references import ids
from verifier.references.http import BadAnswer, HttpIndex, HttpPolicy, Reply, expect_status
from verifier.references.interface import Capability, Coverage
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.normalize import title_tokens
from verifier.references.records import PaperRecord

DEFAULT_URL = "https://dblp.org"
DBLP_POLICY = HttpPolicy(min_interval=1.0, retry=RetryPolicy(delays=(2.0, 5.0, 10.0)))
# Venues dblp indexes edition by edition (canonical keys of venues.py).
VENUES = frozenset({"neurips", "icml", "iclr", "aaai", "ijcai", "cvpr", "iccv", "eccv", "acl", "emnlp", "naacl",
                    "coling", "kdd", "www", "sigir", "aistats", "uai", "colt", "interspeech", "icassp", "jmlr",
                    "tmlr", "tpami", "mlj", "jair", "wacv", "bmvc", "icra", "iros", "corl", "miccai", "sigmod",
                    "vldb", "icde", "stoc", "focs", "soda", "chi", "uist", "icse", "pldi", "popl", "osdi", "sosp",
                    "nsdi", "sigcomm", "ccs", "eacl", "tacl"})
KINDS = {"Conference and Workshop Papers": "proceedings", "Journal Articles": "journal",
         "Informal and Other Publications": "preprint", "Informal Publications": "preprint",
         "Books and Theses": "book", "Parts in Books or Collections": "book"}
_HOMONYM = re.compile(r"\s+\d{4}$")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _author(entry: Any) -> str:
    name = entry.get("text", "") if isinstance(entry, dict) else str(entry)
    return _HOMONYM.sub("", name.strip())


def record(info: dict[str, Any]) -> PaperRecord:
    """A PaperRecord from one hit's `info` (the arXiv id from a CoRR entry's `ee` link or arXiv DOI)."""
    authors = [_author(a) for a in _as_list((info.get("authors") or {}).get("author"))]
    links = [str(e) for e in _as_list(info.get("ee"))]
    doi = info.get("doi")
    arxiv_id = ids.arxiv_id_from_doi(doi) or next((found for link in links if (found := ids.from_text(link))), None)
    venue = ", ".join(str(v) for v in _as_list(info.get("venue"))) or None
    kind = KINDS.get(str(info.get("type")), "other")
    title = " ".join(str(info.get("title") or "").split())
    return PaperRecord(title=title[:-1] if title.endswith(".") else title, authors=authors,
                       published=str(info["year"]) if str(info.get("year", "")).isdigit() else None,
                       doi=doi, venue=venue, arxiv_id=arxiv_id, url=info.get("url") or (links[0] if links else None),
                       comment=f"dblp {info.get('key', '')} {info.get('type', '')} ({kind})".strip(), origin="dblp")


def _hits(reply: Reply) -> tuple[int, list[dict[str, Any]]]:
    if reply.status != 200:
        expect_status(reply, "dblp")
    data = reply.json()
    try:
        hits = data["result"]["hits"]
        total = int(hits.get("@total", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadAnswer(f"not a dblp search answer ({exc})") from None
    found = [h["info"] for h in _as_list(hits.get("hit")) if isinstance(h, dict) and isinstance(h.get("info"), dict)]
    return total, found


class DblpIndex(HttpIndex):
    name = "dblp"

    def __init__(self, base_url: str = DEFAULT_URL, limiter: RateLimiter | None = None, contact: str | None = None,
                 transport: httpx.BaseTransport | None = None, policy: HttpPolicy | None = None,
                 sleep: Callable[[float], None] | None = None, rows: int = 10) -> None:
        self.rows = rows
        self._connect(base_url, policy or DBLP_POLICY, contact, transport=transport, limiter=limiter, sleep=sleep)

    def coverage(self) -> Coverage:
        last = str(dt.date.today().year - 1)
        return Coverage(self.name, f"dblp at {self.base_url}: computer science; every paper of the major venues "
                                   f"(complete for them to the end of {last}), CoRR preprints in part",
                        complete=True, last=f"{last}-12-31", capabilities=frozenset({Capability.TITLE}),
                        fields=frozenset({"cs"}), venues=VENUES, kinds=frozenset({"proceedings", "journal"}),
                        online=True)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}  # dblp lists only some CoRR preprints: it cannot speak for an arXiv id

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}  # the search API does not search DOIs

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        """Every word of the title; when nothing matches, any of them (`a|b|c`)."""
        tokens = title_tokens(title)
        if not tokens:
            return []
        with self.http.question():
            for q in (" ".join(tokens), "|".join(tokens)) if len(tokens) > 1 else (tokens[0],):
                found = self.query(q)
                if found:
                    return found
        return []

    def query(self, q: str, limit: int | None = None) -> list[PaperRecord]:
        """One search, paged with `h`/`f` until `limit` hits or the last one."""
        limit = limit or self.rows
        records: list[PaperRecord] = []
        offset = 0
        while offset < limit:
            size = min(1000, limit - offset)
            total, infos = self.http.get("/search/publ/api", _hits,
                                         params={"q": q, "format": "json", "h": size, "f": offset})
            records += [record(info) for info in infos if info.get("title")]
            offset += len(infos)
            if not infos or offset >= total:
                break
        return records[:limit]

    def search_name(self, name: str) -> list[PaperRecord] | None:
        """Not answered: dblp ranks by relevance and cannot list the oldest titles carrying a name."""
        return None
