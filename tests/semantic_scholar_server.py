"""A loopback server that speaks the Semantic Scholar Graph API (`/graph/v1`), built from real records
(`tests/data/indexes/`): `GET /paper/search/match` (one paper with `matchScore`, or 404 `{"error": "Title
match not found"}`), `GET /paper/search` (`total`/`offset`/`next`/`data`), `GET /paper/search/bulk`
(phrase in title or abstract, `sort=publicationDate:asc`, `total`/`token`/`data`), `POST /paper/batch`
(`{"ids": ["DOI:..", "ARXIV:.."]}` -> a list in order with `null` for unknown ids; 400 over 500 ids).
Only the requested `fields` are returned. With `key` set, a wrong `x-api-key` gets 403 `{"message":
"Forbidden"}`. Faults come from `tests/http_stub.py`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from tests.http_stub import Answer, Request, StubServer, overlap, tokens


def paper(work: dict[str, Any]) -> dict[str, Any]:
    external: dict[str, Any] = {"CorpusId": int(hashlib.sha1(work["title"].encode()).hexdigest()[:7], 16)}
    if work.get("doi"):
        external["DOI"] = work["doi"]
    if work.get("arxiv_id"):
        external["ArXiv"] = work["arxiv_id"]
    return {"paperId": hashlib.sha1(work["title"].encode()).hexdigest(), "externalIds": external,
            "title": work["title"], "abstract": work.get("abstract") or None, "venue": work.get("venue") or "",
            "year": work["year"], "publicationDate": f"{work['year']}-01-01" if work.get("year") else None,
            "publicationTypes": ["Conference"] if work.get("kind") == "proceedings" else ["JournalArticle"],
            "authors": [{"authorId": str(n), "name": a} for n, a in enumerate(work["authors"])]}


def select(found: dict[str, Any], fields: str) -> dict[str, Any]:
    wanted = {f for f in fields.split(",") if f} | {"paperId"}
    return {k: v for k, v in found.items() if k in wanted}


class SemanticScholarStub(StubServer):
    def __init__(self, works: Sequence[dict[str, Any]], key: str | None = None) -> None:
        self.papers = [paper(w) for w in works]
        self.key = key
        super().__init__(self.answer)

    def answer(self, request: Request) -> Answer:
        if self.key is not None and request.headers.get("x-api-key", self.key) != self.key:
            return Answer(403, {"message": "Forbidden"})
        fields = request.arg("fields", "title")
        if request.path == "/graph/v1/paper/search/match":
            query = request.arg("query")
            scored = sorted(((overlap(query, p["title"]), p) for p in self.papers), key=lambda pair: -pair[0])
            if not scored or scored[0][0] < 0.8:
                return Answer(404, {"error": "Title match not found"})
            return Answer(200, {"data": [{**select(scored[0][1], fields), "matchScore": 100 * scored[0][0]}]})
        if request.path == "/graph/v1/paper/search":
            query = request.arg("query")
            offset, limit = int(request.arg("offset", "0")), int(request.arg("limit", "10"))
            hits = sorted((p for p in self.papers if overlap(query, p["title"]) > 0),
                          key=lambda p: -overlap(query, p["title"]))
            body: dict[str, Any] = {"total": len(hits), "offset": offset,
                                    "data": [select(p, fields) for p in hits[offset:offset + limit]]}
            if offset + limit < len(hits):
                body["next"] = offset + limit
            return Answer(200, body)
        if request.path == "/graph/v1/paper/search/bulk":
            phrase = " ".join(tokens(request.arg("query").strip('"')))
            hits = [p for p in self.papers
                    if f" {phrase} " in f" {' '.join(tokens(p['title'] + ' ' + (p['abstract'] or '')))} "]
            if request.arg("sort") == "publicationDate:asc":
                hits.sort(key=lambda p: p["publicationDate"] or "9999")
            return Answer(200, {"total": len(hits), "token": None, "data": [select(p, fields) for p in hits]})
        if request.path == "/graph/v1/paper/batch" and request.method == "POST":
            wanted = (request.body or {}).get("ids", []) if isinstance(request.body, dict) else []
            if len(wanted) > 500:
                return Answer(400, {"error": "Cannot process more than 500 ids"})
            index = {f"DOI:{p['externalIds']['DOI'].lower()}": p for p in self.papers if "DOI" in p["externalIds"]}
            index |= {f"ARXIV:{p['externalIds']['ArXiv']}": p for p in self.papers if "ArXiv" in p["externalIds"]}
            return Answer(200, [select(index[k], fields) if k in index else None
                                for k in (w if not w.startswith("DOI:") else w[:4] + w[4:].lower() for w in wanted)])
        return Answer(404, {"error": f"Path not found: {request.path}"})
