"""The persistent look-up cache (SQLite under `.verifier/`): every answer with its time and origin.

A re-audit makes no request for references already resolved. Absence ("no such id", "no title match") is
stored only when it came from a successful answer; failures are never cached. Used offline, the cache
answers what it knows and nothing else."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from verifier.references.ids import normalize_doi
from verifier.references.interface import Coverage, ReferenceIndex
from verifier.references.normalize import surnames, title_tokens, words
from verifier.references.records import PaperRecord
from verifier.results.faults import explain

log = logging.getLogger(__name__)
SCHEMA = """CREATE TABLE IF NOT EXISTS lookups (key TEXT PRIMARY KEY, origin TEXT NOT NULL,
    fetched TEXT NOT NULL, value TEXT NOT NULL)"""


class LookupCache:
    """A cache never stops a look-up: in a read-only home it is read as it is and nothing new is kept; a
    damaged or unopenable file is replaced by an empty in-memory cache for this run. Each case is logged
    once, naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writable = True
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self._db = self._fallback(exc)

    def _fallback(self, exc: BaseException) -> sqlite3.Connection:
        self.writable = False
        if self.path.is_file():
            uri = self.path.resolve().as_uri()
            for mode in ("mode=ro", "immutable=1"):  # a WAL file in a read-only folder opens only immutable
                try:
                    db = sqlite3.connect(f"{uri}?{mode}", uri=True, check_same_thread=False)
                    db.execute("SELECT COUNT(*) FROM lookups").fetchone()
                except sqlite3.Error:
                    continue
                log.warning("%s: %s; using the cache read-only, new answers are not kept", self.path, explain(exc))
                return db
        log.warning("%s: %s; using an empty cache for this run", self.path, explain(exc))
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(SCHEMA)
        return db

    def get(self, key: str) -> tuple[object, str, str] | None:
        try:
            with self._lock:
                row = self._db.execute("SELECT value, origin, fetched FROM lookups WHERE key = ?",
                                       (key,)).fetchone()
        except sqlite3.Error as exc:  # damaged pages: ask again rather than fail
            log.warning("%s: cannot read the cache: %s", self.path, explain(exc))
            return None
        return (json.loads(row[0]), row[1], row[2]) if row else None

    def put(self, key: str, origin: str, value: object) -> None:
        if not self.writable:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            with self._lock, self._db:
                self._db.execute("INSERT OR REPLACE INTO lookups VALUES (?, ?, ?, ?)",
                                 (key, origin, now, json.dumps(value, ensure_ascii=False)))
        except sqlite3.Error as exc:  # read-only or full: the answer is still used, only not kept
            self.writable = False
            log.warning("%s: %s; new answers are not kept", self.path, explain(exc))

    def close(self) -> None:
        self._db.close()


def search_key(title: str, authors: Sequence[str]) -> str:
    names = surnames(list(authors))
    return "search:" + " ".join(title_tokens(title)) + ("|" + names[0] if names else "")


LEGACY = "arxiv-api"  # the arXiv API's answers keep the keys they had before other indexes were cached


class CachedIndex:
    """An index (a live API) behind the cache; with `inner=None`, the cache alone (offline).

    Keys are per index (`crossref|doi:10.1/x`; the arXiv API's keep their first form, `id:1706.03762`), so
    one index's answer never stands in for another's. Offline, `source` names the index whose earlier
    answers are read and `offline_coverage` describes them (its coverage, asked without the network)."""

    def __init__(self, cache: LookupCache, inner: ReferenceIndex | None, fresh: bool = False,
                 source: str | None = None, offline_coverage: Coverage | None = None) -> None:
        self.cache = cache
        self.inner = inner
        self.fresh = fresh
        self.source = source or (inner.name if inner else LEGACY)
        self.prefix = "" if self.source == LEGACY else f"{self.source}|"
        self.offline_coverage = offline_coverage
        self.name = f"cache+{inner.name}" if inner else ("cache" if self.source == LEGACY else f"cache:{self.source}")
        self.hits = 0

    def coverage(self) -> Coverage:
        if self.inner is not None:
            return self.inner.coverage()
        if self.offline_coverage is not None:
            return replace(self.offline_coverage, name=self.name, online=False,
                           description=f"earlier answers of {self.offline_coverage.description} kept in the cache")
        return Coverage("cache", "earlier answers of the arXiv API kept in the cache", complete=True)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        answers: dict[str, PaperRecord | None] = {}
        todo = []
        for arxiv_id in dict.fromkeys(arxiv_ids):
            cached = None if self.fresh else self.cache.get(f"{self.prefix}id:{arxiv_id}")
            if cached is None:
                todo.append(arxiv_id)
                continue
            self.hits += 1
            value = cached[0]
            answers[arxiv_id] = PaperRecord.model_validate(value) if isinstance(value, dict) else None
        if todo and self.inner is not None:
            fetched = self.inner.lookup_ids(todo)
            for arxiv_id, record in fetched.items():
                self.cache.put(f"{self.prefix}id:{arxiv_id}", self.inner.name, record.model_dump() if record else None)
                answers[arxiv_id] = record
        return answers

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """Cached like ids, under the normalised DOI; a DOI the index cannot speak for is not cached."""
        answers: dict[str, PaperRecord | None] = {}
        todo = []
        for doi in dict.fromkeys(dois):
            cached = None if self.fresh else self.cache.get(f"{self.prefix}doi:{normalize_doi(doi) or doi}")
            if cached is None:
                todo.append(doi)
                continue
            self.hits += 1
            answers[doi] = PaperRecord.model_validate(cached[0]) if isinstance(cached[0], dict) else None
        if todo and self.inner is not None:
            for doi, record in self.inner.lookup_dois(todo).items():
                self.cache.put(f"{self.prefix}doi:{normalize_doi(doi) or doi}", self.inner.name,
                               record.model_dump() if record else None)
                answers[doi] = record
        return answers

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        return self._cached(self.prefix + search_key(title, authors), lambda inner: inner.search(title, authors))

    def search_name(self, name: str) -> list[PaperRecord] | None:
        return self._cached(f"{self.prefix}name:" + " ".join(words(name)), lambda inner: inner.search_name(name))

    def _cached(self, key: str,
                ask: Callable[[ReferenceIndex], list[PaperRecord] | None]) -> list[PaperRecord] | None:
        cached = None if self.fresh else self.cache.get(key)
        if cached is not None:
            self.hits += 1
            value = cached[0]
            return [PaperRecord.model_validate(r) for r in value] if isinstance(value, list) else []
        if self.inner is None:
            return None
        records = ask(self.inner)
        if records is None:
            return None
        self.cache.put(key, self.inner.name, [r.model_dump() for r in records])
        for record in records:
            if record.arxiv_id:
                self.cache.put(f"{self.prefix}id:{record.arxiv_id}", self.inner.name, record.model_dump())
        return records
