"""A loopback server that speaks OpenReview API v2 (`api2.openreview.net`), built from the real ICLR and
NeurIPS (2021-) records of `tests/data/indexes/`: `GET /notes?content.title=` (exact title) and `GET
/notes/search?term=&type=terms&content=title&source=forum`, both answering `{"notes": [...], "count": N}`
with v2 content fields as `{"value": ...}` objects, `venue`/`venueid`, `cdate`/`pdate` in milliseconds.
Faults come from `tests/http_stub.py`."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from tests.http_stub import Answer, Request, StubServer, overlap


def on_openreview(work: dict[str, Any]) -> bool:
    venue = str(work.get("venue") or "").upper()
    return venue.startswith("ICLR") or (venue.startswith("NEURIPS") and int(work["year"]) >= 2021) or \
        venue.startswith("TMLR")


def note(work: dict[str, Any]) -> dict[str, Any]:
    venue = str(work["venue"]).split()[0].upper().replace("NEURIPS", "NeurIPS")
    group = {"ICLR": "ICLR.cc", "NeurIPS": "NeurIPS.cc"}.get(venue, venue)
    forum = hashlib.sha1(work["title"].encode()).hexdigest()[:10]
    stamp = int(dt.datetime(int(work["year"]), 5, 1, tzinfo=dt.UTC).timestamp() * 1000)
    return {"id": forum, "forum": forum, "invitations": [f"{group}/{work['year']}/Conference/-/Submission"],
            "cdate": stamp - 200 * 86400000, "pdate": stamp, "domain": f"{group}/{work['year']}/Conference",
            "content": {"title": {"value": work["title"]}, "authors": {"value": work["authors"]},
                        "abstract": {"value": work.get("abstract") or ""},
                        "venue": {"value": f"{venue} {work['year']} poster"},
                        "venueid": {"value": f"{group}/{work['year']}/Conference"}}}


class OpenReviewStub(StubServer):
    def __init__(self, works: Sequence[dict[str, Any]]) -> None:
        self.notes = [note(w) for w in works if on_openreview(w)]
        super().__init__(self.answer)

    def answer(self, request: Request) -> Answer:
        limit = int(request.arg("limit", "1000"))
        if request.path == "/notes":
            title = request.arg("content.title")
            found = [n for n in self.notes if n["content"]["title"]["value"] == title]
            return Answer(200, {"notes": found[:limit], "count": len(found)})
        if request.path == "/notes/search":
            term = request.arg("term")
            found = sorted((n for n in self.notes if overlap(term, n["content"]["title"]["value"]) >= 0.5),
                           key=lambda n: -overlap(term, n["content"]["title"]["value"]))
            return Answer(200, {"notes": found[:limit], "count": len(found)})
        return Answer(404, {"name": "NotFoundError", "message": f"Path {request.path} not found", "status": 404})
