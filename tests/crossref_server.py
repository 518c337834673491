"""A loopback server that speaks the Crossref REST API, built from real records (`tests/data/indexes/`):
`GET /works?query.bibliographic=&rows=&offset=` (a `work-list` message with `total-results` and `items`),
`GET /works/{doi}` (a `work` message; 404 `Resource not found.` as plain text, as Crossref answers),
`GET /works/{doi}/agency` (the registration agency: Crossref for its works, DataCite for arXiv and Zenodo
DOIs, 404 for a DOI nobody registered). Faults come from `tests/http_stub.py`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from tests.http_stub import Answer, Request, StubServer, overlap
from verifier.references.records import PaperRecord

TYPES = {"journal": "journal-article", "proceedings": "proceedings-article", "preprint": "posted-content"}
DATACITE_PREFIXES = ("10.48550/", "10.5281/")  # arXiv, Zenodo


def item(work: dict[str, Any]) -> dict[str, Any]:
    """A work in Crossref's JSON shape (names split into given/family, dates as date-parts, JATS abstract)."""
    authors = [{"given": " ".join(a.split()[:-1]), "family": a.split()[-1], "sequence": "additional"}
               for a in work["authors"] if a.split()]
    found: dict[str, Any] = {
        "DOI": work["doi"], "type": TYPES.get(work.get("kind", ""), "other"), "title": [work["title"]],
        "author": authors, "issued": {"date-parts": [[work["year"]]]}, "container-title": [work.get("venue") or ""],
        "publisher": "stub", "URL": f"https://doi.org/{work['doi']}", "score": 1.0}
    if work.get("abstract"):
        found["abstract"] = f"<jats:p>{work['abstract']}</jats:p>"
    return found


def work_from(record: PaperRecord, doi: str) -> dict[str, Any]:
    return {"title": record.title, "authors": record.authors, "year": record.year, "venue": record.venue,
            "doi": doi, "kind": "proceedings", "abstract": record.abstract}


class CrossrefStub(StubServer):
    """Holds the works that have a DOI (Crossref registers nothing else)."""

    def __init__(self, works: Sequence[dict[str, Any]]) -> None:
        self.items = [item(w) for w in works if w.get("doi") and not str(w["doi"]).startswith(DATACITE_PREFIXES)]
        self.by_doi = {str(i["DOI"]).lower(): i for i in self.items}
        super().__init__(self.answer)

    def answer(self, request: Request) -> Answer:
        path = unquote(request.path)
        if path.startswith("/works/") and path.endswith("/agency"):
            doi = path[len("/works/"):-len("/agency")].lower()
            if doi in self.by_doi:
                agency = {"id": "crossref", "label": "Crossref"}
            elif doi.startswith(DATACITE_PREFIXES):
                agency = {"id": "datacite", "label": "DataCite"}
            else:
                return Answer(404, "Resource not found.", "text/plain")
            return Answer(200, {"status": "ok", "message-type": "work-agency",
                                "message": {"DOI": doi, "agency": agency}})
        if path.startswith("/works/"):
            found = self.by_doi.get(path[len("/works/"):].lower())
            if found is None:
                return Answer(404, "Resource not found.", "text/plain")
            return Answer(200, {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": found})
        if path == "/works":
            query = request.arg("query.bibliographic")
            rows, offset = int(request.arg("rows", "20")), int(request.arg("offset", "0"))
            ranked = sorted((i for i in self.items if overlap(query, i["title"][0]) > 0),
                            key=lambda i: -overlap(query, i["title"][0]))
            return Answer(200, {"status": "ok", "message-type": "work-list", "message": {
                "total-results": len(ranked), "items-per-page": rows, "query": {"start-index": offset},
                "items": ranked[offset:offset + rows]}})
        return Answer(404, "Resource not found.", "text/plain")
