"""A loopback HTTP server that speaks PyPI's JSON API and serves wheel files with HTTP Range support.

`GET /pypi/<name>/json` answers `{"info": ..., "releases": {version: [file, ...]}, "urls": [...]}` in
PyPI's shape (filename, packagetype, size, url, yanked, digests); `GET /files/<filename>` serves the wheel,
honouring `Range: bytes=a-b` (206) as files.pythonhosted.org does; `HEAD` gives the length. Wheels are real
zip files built by `build_wheel` from a mapping of paths to text. Faults (an HTTP status) are queued and
consumed one per request; every request is logged with the bytes it sent."""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import zipfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def build_wheel(files: dict[str, str]) -> bytes:
    """A wheel (zip) holding the given files plus padding, so partial reads are measurable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr("padding/blob.bin", hashlib.sha256(b"x").digest() * 40000, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


@dataclass
class PypiState:
    projects: dict[str, dict[str, tuple[str, bytes]]] = field(default_factory=dict)  # name -> version -> file
    faults: deque[int] = field(default_factory=deque)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path, bytes sent)
    base: str = ""

    def add(self, project: str, version: str, filename: str, wheel: bytes) -> None:
        self.projects.setdefault(project, {})[version] = (filename, wheel)

    def file(self, filename: str) -> bytes | None:
        for versions in self.projects.values():
            for name, data in versions.values():
                if name == filename:
                    return data
        return None


class _Handler(BaseHTTPRequestHandler):
    state: PypiState

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None,
              head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.state.log.append((self.command, self.path, 0 if head else len(body)))

    def do_HEAD(self) -> None:
        data = self.state.file(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/files/") else None
        if data is None:
            self._send(404, b"", "text/plain", head=True)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.state.log.append(("HEAD", self.path, 0))

    def do_GET(self) -> None:
        if self.state.faults:
            self._send(self.state.faults.popleft(), b"fault", "text/plain")
            return
        match = re.fullmatch(r"/pypi/([^/]+)/json", self.path)
        if match:
            self._project(match.group(1))
            return
        if self.path.startswith("/files/"):
            self._file(self.path.rsplit("/", 1)[-1])
            return
        self._send(404, b'{"message": "Not Found"}', "application/json")

    def _project(self, name: str) -> None:
        versions = self.state.projects.get(name)
        if versions is None:
            self._send(404, b'{"message": "Not Found"}', "application/json")
            return
        releases = {
            version: [{"filename": filename, "packagetype": "bdist_wheel", "size": len(data),
                       "url": f"{self.state.base}/files/{filename}", "yanked": False,
                       "digests": {"sha256": hashlib.sha256(data).hexdigest()}}]
            for version, (filename, data) in versions.items()}
        latest = max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
        body = {"info": {"name": name, "version": latest}, "releases": releases, "urls": releases[latest]}
        self._send(200, json.dumps(body).encode(), "application/json")

    def _file(self, filename: str) -> None:
        data = self.state.file(filename)
        if data is None:
            self._send(404, b"missing", "text/plain")
            return
        wanted = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if wanted is None:
            self._send(200, data, "application/octet-stream")
            return
        first, last = int(wanted.group(1)), min(int(wanted.group(2)), len(data) - 1)
        self._send(206, data[first:last + 1], "application/octet-stream",
                   {"Content-Range": f"bytes {first}-{last}/{len(data)}", "Accept-Ranges": "bytes"})



@contextmanager
def pypi_server(state: PypiState) -> Iterator[str]:
    """Serve `state` on a loopback port; yields the base URL."""
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state.base
    finally:
        server.shutdown()
        server.server_close()
