"""A loopback HTTP server that speaks the Crossref REST API (`/works?query.bibliographic=`, `/works/{doi}`),
serving works built from the shipped proceedings metadata, with a queue of HTTP faults."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

from verifier.references.normalize import title_tokens
from verifier.references.records import PaperRecord


def item(record: PaperRecord, doi: str) -> dict[str, object]:
    authors = [{"given": " ".join(a.split()[:-1]), "family": a.split()[-1]} for a in record.authors if a.split()]
    return {"DOI": doi, "title": [record.title], "author": authors, "abstract": f"<jats:p>{record.abstract}</jats:p>",
            "issued": {"date-parts": [[record.year]]}, "container-title": [record.venue or ""]}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.log.append(self.path)
        if server.faults:
            status = server.faults.popleft()
            self._send(status, {"status": "error"})
            return
        url = urlparse(self.path)
        if url.path.startswith("/works/"):
            doi = unquote(url.path[len("/works/"):])
            found = server.by_doi.get(doi)
            self._send(200 if found else 404, {"message": found} if found else {"status": "not found"})
            return
        query = parse_qs(url.query).get("query.bibliographic", [""])[0]
        wanted = set(title_tokens(query))
        scored = sorted(server.items, key=lambda i: -len(wanted & set(title_tokens(str(i["title"][0])))))  # type: ignore[index]
        self._send(200, {"message": {"items": scored[: int(parse_qs(url.query).get("rows", ["5"])[0])]}})

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    items: list[dict[str, object]]
    by_doi: dict[str, dict[str, object]]
    faults: deque[int]
    log: list[str]


class CrossrefStub:
    def __init__(self, records: Sequence[PaperRecord]) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.items = [item(r, f"10.9999/stub.{n}") for n, r in enumerate(records)]
        self.server.by_doi = {str(i["DOI"]): i for i in self.server.items}
        self.server.faults = deque()
        self.server.log = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> CrossrefStub:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
