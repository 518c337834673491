"""A loopback server that speaks dblp's publication search API (`/search/publ/api?q=&format=json&h=&f=`),
built from real records (`tests/data/indexes/`): every query word must prefix-match a word of the
record (as dblp matches), hits in `result.hits.hit[].info` with `authors.author` an object for one author
and a list for several, homonym numbers on names, titles ending in a full stop, CoRR preprints with their
arXiv `ee` link, `@total`/`@sent`/`@first` and paging. Faults come from `tests/http_stub.py`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from tests.http_stub import Answer, Request, StubServer, tokens

TYPES = {"journal": "Journal Articles", "proceedings": "Conference and Workshop Papers",
         "preprint": "Informal and Other Publications"}


def info(work: dict[str, Any]) -> dict[str, Any]:
    names = [{"@pid": hashlib.sha1(a.encode()).hexdigest()[:8], "text": a} for a in work["authors"]]
    key = f"conf/stub/{hashlib.sha1(work['title'].encode()).hexdigest()[:10]}"
    found: dict[str, Any] = {
        "authors": {"author": names[0] if len(names) == 1 else names}, "title": work["title"].rstrip(".") + ".",
        "venue": work.get("venue") or "CoRR", "year": str(work["year"]), "type": TYPES[work.get("kind", "proceedings")],
        "key": key, "url": f"https://dblp.org/rec/{key}"}
    if work.get("doi"):
        found["doi"] = work["doi"]
        found["ee"] = f"https://doi.org/{work['doi']}"
    if work.get("arxiv_id"):
        found["volume"] = f"abs/{work['arxiv_id']}"
        found["ee"] = [f"https://arxiv.org/abs/{work['arxiv_id']}"]
    return found


class DblpStub(StubServer):
    def __init__(self, works: Sequence[dict[str, Any]]) -> None:
        self.infos = [info(w) for w in works]
        super().__init__(self.answer)

    def answer(self, request: Request) -> Answer:
        if request.path != "/search/publ/api":
            return Answer(404, "<html><body>Error 404: not found</body></html>", "text/html")
        q = request.arg("q")
        terms = [term.split("|") for term in q.lower().split()]  # words AND-ed; `a|b` is an OR
        scored = [(sum(self._matches(i, alternative) for term in terms for alternative in term), i)
                  for i in self.infos
                  if all(any(self._matches(i, alternative) for alternative in term) for term in terms)]
        hits = [i for _, i in sorted(scored, key=lambda pair: -pair[0])]
        first, size = int(request.arg("f", "0")), min(int(request.arg("h", "30")), 1000)
        sent = hits[first:first + size]
        hits_body: dict[str, Any] = {"@total": str(len(hits)), "@computed": str(len(hits)), "@sent": str(len(sent)),
                                     "@first": str(first)}
        if sent:
            hits_body["hit"] = [{"@score": "1", "@id": str(n), "info": i, "url": i["url"]}
                                for n, i in enumerate(sent, start=first)]
        return Answer(200, {"result": {"query": q, "status": {"@code": "200", "text": "OK"},
                                       "time": {"@unit": "msecs", "text": "1.00"}, "hits": hits_body}})

    @staticmethod
    def _matches(found: dict[str, Any], prefix: str) -> bool:
        """dblp's default: a case-insensitive prefix of a word of the title or of an author's name."""
        authors = found["authors"]["author"]
        names = [a["text"].lower() for a in (authors if isinstance(authors, list) else [authors])]
        return any(word.startswith(prefix) for word in tokens(found["title"]) + " ".join(names).split())
