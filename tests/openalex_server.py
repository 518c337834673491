"""A loopback server that speaks the OpenAlex API, built from real records (`tests/data/indexes/`): `GET
/works?filter=title.search:...&per-page=` (`meta` and `results`) and `GET /works/doi:<doi>` (one work, 404
when unknown), abstracts as inverted indexes, arXiv copies as arxiv.org landing pages. Every request needs
`api_key`; a missing or wrong one gets 401. Faults come from `tests/http_stub.py`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from tests.http_stub import Answer, Request, StubServer, overlap


def work(record: dict[str, Any]) -> dict[str, Any]:
    inverted: dict[str, list[int]] = {}
    for position, word in enumerate((record.get("abstract") or "").split()):
        inverted.setdefault(word, []).append(position)
    locations = [{"landing_page_url": f"https://arxiv.org/abs/{record['arxiv_id']}"}] if record.get("arxiv_id") else []
    return {"id": "https://openalex.org/W" + str(int(hashlib.sha1(record["title"].encode()).hexdigest()[:8], 16)),
            "doi": f"https://doi.org/{record['doi']}" if record.get("doi") else None, "title": record["title"],
            "display_name": record["title"], "publication_year": record["year"],
            "publication_date": f"{record['year']}-01-01", "type": "article",
            "authorships": [{"author_position": "middle", "author": {"display_name": a}} for a in record["authors"]],
            "primary_location": {"source": {"display_name": record.get("venue")}} if record.get("venue") else None,
            "locations": locations, "abstract_inverted_index": inverted or None}


class OpenAlexStub(StubServer):
    def __init__(self, records: Sequence[dict[str, Any]], key: str = "test-key") -> None:
        self.works = [work(r) for r in records]
        self.key = key
        super().__init__(self.answer)

    def answer(self, request: Request) -> Answer:
        if request.arg("api_key") != self.key:
            return Answer(401, {"error": "Invalid or missing API key", "message": "an api_key is required"})
        path = unquote(request.path)
        if path.startswith("/works/doi:"):
            doi = path[len("/works/doi:"):].lower()
            found = next((w for w in self.works if (w["doi"] or "").lower() == f"https://doi.org/{doi}"), None)
            return Answer(200, found) if found else Answer(404, {"error": "Not Found", "message": "no such work"})
        if path == "/works":
            query = request.arg("filter").removeprefix("title.search:")
            per_page = int(request.arg("per-page", "25"))
            hits = sorted((w for w in self.works if overlap(query, w["title"]) >= 0.5),
                          key=lambda w: -overlap(query, w["title"]))
            return Answer(200, {"meta": {"count": len(hits), "db_response_time_ms": 3, "page": 1,
                                         "per_page": per_page}, "results": hits[:per_page], "group_by": []})
        return Answer(404, {"error": "Not Found", "message": f"{path} is not an endpoint"})
