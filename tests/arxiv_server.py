"""A loopback HTTP server that speaks the arXiv query API, from real metadata records, with faults on demand.

It answers `GET /api/query` with Atom feeds in the current backend's shape: `id_list` (only existing ids are
returned), `search_query` with `ti:`, `au:`, `abs:`, `all:`, quoted phrases, AND / OR / ANDNOT and
parentheses, `start` / `max_results` paging and opensearch totals; a malformed id gets HTTP 400 with an
Atom error entry. Faults are queued and consumed one per request: an HTTP status (with Retry-After),
a slow answer, a truncated or malformed body, an empty page, a reset connection."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

from verifier.references import ids
from verifier.references.normalize import fold, surnames, words
from verifier.references.records import PaperRecord


@dataclass
class Fault:
    kind: str  # status | slow | truncated | malformed | empty | reset
    status: int = 503
    retry_after: str | None = None
    seconds: float = 0.0


@dataclass
class StubState:
    records: list[PaperRecord]
    faults: deque[Fault] = field(default_factory=deque)
    log: list[dict[str, list[str]]] = field(default_factory=list)


def _field_text(record: PaperRecord, name: str) -> str:
    if name == "ti":
        return record.title
    if name == "au":
        return " ".join(record.authors)
    if name == "abs":
        return record.abstract
    return " ".join([record.title, " ".join(record.authors), record.abstract])


def _term_matches(record: PaperRecord, term: str) -> bool:
    name, _, value = term.partition(":") if re.match(r"^(ti|au|abs|all|cat|id):", term) else ("all", "", term)
    value = value.strip('"')
    if name == "au":
        wanted = value.replace("_", " ").lower()
        return any(wanted in s for s in surnames(record.authors)) or fold(wanted) in fold(_field_text(record, "au"))
    haystack = " ".join(words(_field_text(record, name)))
    needle = " ".join(words(value))
    return f" {needle} " in f" {haystack} " if needle else False


def _tokens(query: str) -> list[str]:
    return re.findall(r'\(|\)|\w+:"[^"]*"|"[^"]*"|[^\s()]+', query)


def _parse(tokens: list[str], records: Sequence[PaperRecord]) -> set[int]:
    """Left-to-right boolean evaluation with parentheses, as the API does."""
    def operand() -> set[int]:
        token = tokens.pop(0)
        if token == "(":
            result = expression()
            if tokens and tokens[0] == ")":
                tokens.pop(0)
            return result
        return {i for i, r in enumerate(records) if _term_matches(r, token)}

    def expression() -> set[int]:
        result = operand()
        while tokens and tokens[0] in ("AND", "OR", "ANDNOT"):
            op = tokens.pop(0)
            right = operand()
            result = result & right if op == "AND" else result | right if op == "OR" else result - right
        return result

    return expression() if tokens else set()


def entry_xml(record: PaperRecord) -> str:
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in record.authors)
    version = record.version or "v1"
    return (f"<entry><id>http://arxiv.org/abs/{record.arxiv_id}{version}</id>"
            f"<updated>{record.updated or record.published}T00:00:00Z</updated>"
            f"<published>{record.published}T00:00:00Z</published><title>{escape(record.title)}</title>"
            f"<summary>{escape(record.abstract)}</summary>{authors}"
            f'<link href="https://arxiv.org/abs/{record.arxiv_id}{version}" rel="alternate" type="text/html"/>'
            f'<arxiv:primary_category term="cs.LG"/><category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>'
            "</entry>")


def feed_xml(entries: Sequence[PaperRecord], total: int, start: int, per_page: int, query: str) -> str:
    body = "".join(entry_xml(r) for r in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
            f"<id>https://arxiv.org/api/stub</id><title>arXiv Query: {escape(query)}</title>"
            f"<updated>2026-11-22T00:00:00Z</updated><opensearch:totalResults>{total}</opensearch:totalResults>"
            f"<opensearch:startIndex>{start}</opensearch:startIndex>"
            f"<opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>{body}</feed>")


def error_xml(message: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<entry><id>https://arxiv.org/api/errors#{escape(message.replace(' ', '_'))}</id><title>Error</title>"
            f"<summary>{escape(message)}</summary><author><name>arXiv api core</name></author></entry></feed>")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        state = self.server.state
        url = urlparse(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        state.log.append(params)
        fault = state.faults.popleft() if state.faults else None
        if fault and fault.kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            return
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault and fault.kind == "status":
            self._send(fault.status, "Rate exceeded." if fault.status == 429 else "Service Unavailable",
                       "text/plain", fault.retry_after)
            return
        if url.path != "/api/query":
            self._send(404, "not found", "text/plain")
            return
        status, body = self._answer(params, empty=bool(fault and fault.kind == "empty"))
        if fault and fault.kind == "truncated":
            body = body[: len(body) // 2]
        if fault and fault.kind == "malformed":
            body = body.replace("</feed>", "</fed>")
        self._send(status, body, "application/atom+xml; charset=utf-8")

    def _answer(self, params: dict[str, list[str]], empty: bool) -> tuple[int, str]:
        records = self.server.state.records
        start = int(params.get("start", ["0"])[0] or 0)
        per_page = int(params.get("max_results", ["10"])[0] or 10)
        id_list = [i for i in params.get("id_list", [""])[0].split(",") if i]
        query = params.get("search_query", [""])[0]
        if id_list:
            for raw in id_list:
                if ids.parse(raw) is None:
                    return 400, error_xml(f"incorrect id format for {raw}")
            wanted = {ids.parse(raw)[0] for raw in id_list}  # type: ignore[index]
            matches = [r for r in records if r.arxiv_id in wanted]
        else:
            chosen = _parse(_tokens(query), records)
            matches = [records[i] for i in sorted(chosen)]
            if params.get("sortBy", [""])[0] == "submittedDate":  # the real API's date order
                matches.sort(key=lambda r: r.published or "", reverse=params.get("sortOrder", [""])[0] == "descending")
        page = [] if empty else matches[start:start + per_page]
        return 200, feed_xml(page, len(matches), start, per_page, query or ",".join(id_list))

    def _send(self, status: int, body: str, content_type: str, retry_after: str | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: StubState


class ArxivStub:
    """Start with `with ArxivStub(records) as stub:`; `stub.url` is the query endpoint."""

    def __init__(self, records: Sequence[PaperRecord]) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.state = StubState(list(records))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/query"

    @property
    def state(self) -> StubState:
        return self.server.state

    def fault(self, *faults: Fault) -> None:
        self.state.faults.extend(faults)

    def __enter__(self) -> ArxivStub:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def records_from(paths: Sequence[str]) -> Iterator[PaperRecord]:
    from pathlib import Path

    from verifier.references.readers import read

    for path in paths:
        yield from read(Path(path))
