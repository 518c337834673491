"""Did an older release have a name the installed one lacks? Asked of the package index, in the host.

The index is PyPI's JSON API (`GET /pypi/<package>/json`: every release with its files). For a release
the source of one wheel is read with HTTP Range requests (`wheels.py`), never installed or imported.
Releases older than the installed one are searched newest first, by doubling steps until one has the
name, then by bisection for the newest that has it: about 2 log2(n) wheels, not n. Every answer is
cached in `<VERIFIER_HOME>/pypi.sqlite` (a release never changes), so a re-audit asks nothing.
A failed request makes the history `unknown`, never "never existed"."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from verifier.apicheck.wheels import RangeFile, has_name
from verifier.results.evidence import LatestRelease, ReleaseChecked, ReleaseHistory

DEFAULT_URL = "https://pypi.org"
MAX_WHEELS = 12
READ_BLOCK = 256 << 10  # bytes per Range request: a module's source usually fits in one
MAX_WHEEL_BYTES = 2 << 30


class OfflineMiss(Exception):
    """Offline, and the answer is not in the cache."""


@dataclass(frozen=True)
class History:
    """What the index says about a name missing from the installed release."""

    status: Literal["removed", "never", "unknown"]
    reason: str
    last_with: str | None = None
    first_without: str | None = None
    checked: list[ReleaseChecked] = field(default_factory=list)

    def evidence(self) -> ReleaseHistory:
        return ReleaseHistory(status=self.status, reason=self.reason, last_with=self.last_with,
                              first_without=self.first_without, checked=self.checked)


@dataclass(frozen=True)
class Latest:
    """Whether the newest release on the index defines a name (None: not known), and how that was read."""

    version: str | None
    has: bool | None
    reason: str
    failed: bool = False  # the index or a file could not be read (an outage, not an answer)

    def evidence(self) -> LatestRelease:
        return LatestRelease(version=self.version, has=self.has, reason=self.reason)


@dataclass(frozen=True)
class Release:
    version: Version
    url: str
    filename: str
    size: int


def _pick_wheel(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A pure-Python wheel if there is one, else the smallest wheel (its .py files are the same)."""
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")
              and isinstance(f.get("url"), str)]
    if not wheels:
        return None
    pure = [f for f in wheels if str(f.get("filename", "")).endswith("-none-any.whl")]
    return min(pure or wheels, key=lambda f: int(f.get("size") or 0))


class PackageIndex:
    """A PyPI-compatible JSON API with an answer cache."""

    def __init__(self, base_url: str, cache_path: Path, contact: str = "", timeout_s: float = 30.0,
                 offline: bool = False) -> None:
        self.base_url = base_url.rstrip("/")
        self.offline = offline  # answer from the cache only
        agent = "verifier-apicheck" + (f" (mailto:{contact})" if contact else "")
        self.client = httpx.Client(timeout=timeout_s, follow_redirects=True, headers={"User-Agent": agent},
                                   transport=httpx.HTTPTransport(retries=2))
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(cache_path, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT, at REAL)")
        self.lock = threading.Lock()

    def close(self) -> None:
        self.client.close()
        self.db.close()

    def _cached(self, key: str) -> Any:
        with self.lock:
            row = self.db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def _store(self, key: str, value: Any) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, json.dumps(value), time.time()))
            self.db.commit()

    def releases(self, package: str) -> list[Release]:
        """Final releases that have a wheel, newest first (one request per package, cached)."""
        name = canonicalize_name(package)
        key = f"{self.base_url}|project|{name}"
        data = self._cached(key)
        if data is None:
            if self.offline:
                raise OfflineMiss(f"offline, and {package}'s releases are not in the cache")
            response = self.client.get(f"{self.base_url}/pypi/{name}/json")
            response.raise_for_status()
            data = {v: files for v, files in response.json().get("releases", {}).items()}
            self._store(key, data)
        releases = []
        for text, files in data.items():
            try:
                version = Version(text)
            except InvalidVersion:
                continue
            wheel = _pick_wheel(files) if isinstance(files, list) else None
            if wheel is None or version.is_prerelease or version.is_devrelease:
                continue
            url = str(httpx.URL(f"{self.base_url}/pypi/{name}/json").join(wheel["url"]))  # mirrors give relative URLs
            releases.append(Release(version, url, str(wheel.get("filename")), int(wheel.get("size") or 0)))
        return sorted(releases, key=lambda r: r.version, reverse=True)

    def release_has(self, release: Release, dotted: str) -> bool | None:
        key = f"{self.base_url}|has|{release.url}|{dotted}"
        cached = self._cached(key)
        if cached is not None:
            return None if cached == "unknown" else bool(cached)
        if self.offline:
            raise OfflineMiss(f"offline, and {release.filename} was never read")
        if release.size > MAX_WHEEL_BYTES:
            return None
        size = release.size or int(self.client.head(release.url).headers.get("content-length", "0"))
        remote = io.BufferedReader(RangeFile(self.client, release.url, size), buffer_size=READ_BLOCK)
        with zipfile.ZipFile(remote) as archive:
            answer = has_name(archive, dotted)
        self._store(key, "unknown" if answer is None else answer)
        return answer

    def latest(self, package: str, dotted: str) -> Latest:
        """For a package not installed here: does the newest release on the index define `dotted`?
        Read statically from its wheel, so it says nothing about behaviour, only about the name."""
        try:
            releases = self.releases(package)
            if not releases:
                return Latest(None, None, f"{package} has no wheel on {self.base_url}")
            newest = releases[0]
            return Latest(str(newest.version), self.release_has(newest, dotted),
                          f"read from {newest.filename} on {self.base_url}")
        except OfflineMiss as exc:
            return Latest(None, None, str(exc))
        except (httpx.HTTPError, zipfile.BadZipFile, OSError, ValueError) as exc:
            return Latest(None, None, f"the package index could not be read: {type(exc).__name__}: {exc}"[:300],
                          failed=True)

    def history(self, package: str, dotted: str, installed: str) -> History:
        """Search the releases older than `installed` for the newest one that has `dotted`."""
        try:
            current = Version(installed)
            older = [r for r in self.releases(package) if r.version < current]
        except OfflineMiss as exc:
            return History("unknown", str(exc))
        except (httpx.HTTPError, InvalidVersion, ValueError) as exc:
            return History("unknown", f"the package index could not be read: {type(exc).__name__}: {exc}"[:300])
        if not older:
            return History("never", f"no release of {package} older than {installed} on {self.base_url}")
        checked: list[ReleaseChecked] = []

        def has(index: int) -> bool | None:
            release = older[index]
            answer = self.release_has(release, dotted)
            checked.append(ReleaseChecked(version=str(release.version), has=answer, file=release.filename))
            return answer

        try:
            return self._search(older, has, checked, dotted, package)
        except (httpx.HTTPError, zipfile.BadZipFile, OSError, OfflineMiss) as exc:
            return History("unknown", f"a release could not be read: {type(exc).__name__}: {exc}"[:300],
                           checked=checked)

    @staticmethod
    def _search(older: list[Release], has: Any, checked: list[ReleaseChecked], dotted: str,
                package: str) -> History:
        newest_without, step, index, found = -1, 1, 0, None
        while index < len(older) and len(checked) < MAX_WHEELS:
            answer = has(index)
            if answer is None:
                return History("unknown", f"{package} {older[index].version}: its source cannot tell whether "
                               f"{dotted} exists (compiled, or an attribute of an object)", checked=checked)
            if answer:
                found = index
                break
            newest_without = index
            index = min(index + step, len(older) - 1) if index < len(older) - 1 else len(older)
            step *= 2
        if found is None:
            if len(checked) >= MAX_WHEELS:
                return History("unknown", f"not in the {len(checked)} releases checked", checked=checked)
            return History("never", f"no release of {package} checked from {older[0].version} down to "
                           f"{older[-1].version} defines {dotted}", checked=checked)
        low, high = newest_without, found  # older[low] lacks it (or low = -1), older[high] has it
        while high - low > 1 and len(checked) < MAX_WHEELS:
            middle = (low + high) // 2
            answer = has(middle)
            if answer is None:
                break
            if answer:
                high = middle
            else:
                low = middle
        exact = high - low == 1
        return History("removed", f"{package} {older[high].version} had {dotted}" +
                       ("" if exact else " (a newer release may have had it too)"),
                       last_with=str(older[high].version),
                       first_without=str(older[low].version) if low >= 0 and exact else None, checked=checked)
