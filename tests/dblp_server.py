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
        wanted = q.lower().split()
        hits = [i for i in self.infos
                if all(any(word.startswith(w) for word in tokens(i["title"]) + [a["text"].lower() for a in
                       (i["authors"]["author"] if isinstance(i["authors"]["author"], list)
                        else [i["authors"]["author"]])]) for w in wanted)]
        first, size = int(request.arg("f", "0")), min(int(request.arg("h", "30")), 1000)
        sent = hits[first:first + size]
        hits_body: dict[str, Any] = {"@total": str(len(hits)), "@computed": str(len(hits)), "@sent": str(len(sent)),
                                     "@first": str(first)}
        if sent:
            hits_body["hit"] = [{"@score": "1", "@id": str(n), "info": i, "url": i["url"]}
                                for n, i in enumerate(sent, start=first)]
        return Answer(200, {"result": {"query": q, "status": {"@code": "200", "text": "OK"},
                                       "time": {"@unit": "msecs", "text": "1.00"}, "hits": hits_body}})
