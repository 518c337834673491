"""The fault machinery shared by the loopback servers of the scholarly indexes (`tests/*_server.py`).

Each server module defines its routes (real URL paths, real JSON shapes) as `route(request) -> Answer`;
this base serves them over real HTTP/1.1 on 127.0.0.1 and, before each answer, applies the next queued
fault: an HTTP status with an error body and optional Retry-After, a slow answer, a body cut short
(Content-Length larger than what is sent), a bot-check HTML page in place of JSON, a reset connection,
a server that accepts and never answers, a body trickled one byte at a time for ever, an endless body,
and a redirect loop."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Fault:
    kind: str  # status | slow | truncated | html | reset | hang | trickle | endless | redirect | none
    status: int = 503
    retry_after: str | None = None
    seconds: float = 0.0
    body: Any = None


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]


@dataclass
class Answer:
    status: int
    body: Any
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: StubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        request = Request(method, url.path, parse_qs(url.query, keep_blank_values=True),
                          {k.lower(): v for k, v in self.headers.items()}, body)
        stub = self.server
        with stub.lock:
            stub.log.append(request)
            fault = stub.faults.popleft() if stub.faults else stub.always
        if fault is not None and self._fault(fault):
            return
        answer = stub.route(request)
        data = answer.body if isinstance(answer.body, bytes) else (
            answer.body.encode() if isinstance(answer.body, str) else json.dumps(answer.body).encode())
        if fault is not None and fault.kind == "truncated":
            self._send(answer.status, data[: len(data) // 2], answer.content_type, answer.headers, length=len(data))
            self.close_connection = True
            return
        self._send(answer.status, data, answer.content_type, answer.headers)

    def _fault(self, fault: Fault) -> bool:
        """Apply a fault; True when it replaced the answer."""
        if fault.kind == "slow":
            time.sleep(fault.seconds)
            return False
        if fault.kind == "status":
            body = fault.body if fault.body is not None else {"error": f"HTTP {fault.status}"}
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            self._send(fault.status, json.dumps(body).encode(), "application/json", headers)
            return True
        if fault.kind == "html":
            self._send(200, b"<!DOCTYPE html><html><body>Checking your browser before accessing...</body></html>",
                       "text/html", {})
            return True
        if fault.kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
            return True
        if fault.kind == "hang":
            self.server.stopping.wait(fault.seconds)
            self.close_connection = True
            return True
        if fault.kind == "redirect":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if fault.kind in ("trickle", "endless"):
            self._stream(fault)
            return True
        return False

    def _stream(self, fault: Fault) -> None:
        """A 200 whose body never ends: one byte per `seconds` (trickle) or 64 KB chunks as fast as the
        socket takes them (endless), until the client hangs up or `seconds` * 10,000 passes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"[" if fault.kind == "trickle" else b" " * 65536
        stop = time.monotonic() + 120
        try:
            while time.monotonic() < stop and not self.server.stopping.is_set():
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
                if fault.kind == "trickle":
                    time.sleep(fault.seconds)
        except OSError:
            pass
        self.close_connection = True

    def _send(self, status: int, data: bytes, content_type: str, headers: dict[str, str],
              length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class StubServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, route: Callable[[Request], Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.route = route
        self.faults: deque[Fault] = deque()
        self.always: Fault | None = None  # a fault for every request once the queue is empty
        self.log: list[Request] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fault(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def load_works(path: str) -> list[dict[str, Any]]:
    """The real records the servers are built from (`tests/data/indexes/works.jsonl`)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def tokens(text: str) -> list[str]:
    from verifier.references.normalize import title_tokens

    return title_tokens(text)


def overlap(query: str, title: str) -> float:
    """The share of the query's title words found in a title (how the stubs rank search hits)."""
    wanted = set(tokens(query))
    return len(wanted & set(tokens(title))) / len(wanted) if wanted else 0.0


def page(items: list[Any], offset: int, size: int) -> list[Any]:
    return items[offset:offset + size]
