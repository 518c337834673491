"""The results store: every audit kept (history), results reused by input hash; reading a saved report.

Layout under the `.verifier/` folder (VERIFIER_HOME):
    store.sqlite   results (one row per input hash, written as each claim finishes, so an interrupted
                   audit loses nothing it finished), audits (history) and audit_statuses (for diffs)
This module does not write reports: `Project.audit` writes `reports/latest.json` (`atomic.write_atomic`:
temp file + os.replace, so a crash or Ctrl-C never leaves a half-written report); `read_report` reads one."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from verifier.errors import StorageError
from verifier.registry.files import Unreadable, read_regular, require_regular
from verifier.results.faults import storage_error
from verifier.results.models import AuditRun, ClaimResult

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 1024 * 1024 * 1024  # far above any real report; a device posing as one is refused

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    input_hash TEXT PRIMARY KEY, claim_id TEXT NOT NULL, created TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT NOT NULL,
    registry TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_statuses (
    audit_id INTEGER NOT NULL REFERENCES audits(id), claim_id TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (audit_id, claim_id));
"""


@dataclass(frozen=True)
class AuditSummary:
    id: int
    started: str
    finished: str
    statuses: dict[str, str]


class ResultStore:
    """SQLite-backed store; one instance per audit, used from one thread.

    Every SQLite or OS failure (a damaged file, a read-only home, a full disk) becomes a StorageError that
    names the file; a write that fails is rolled back by SQLite, so what was stored before stays intact.
    With `read_only`, the store is opened for reading and never created (the report's history page)."""

    def __init__(self, home: Path, read_only: bool = False) -> None:
        self.path = home / "store.sqlite"
        if self.path.exists():  # SQLite would block for ever opening a FIFO
            try:
                require_regular(self.path)
            except Unreadable as exc:
                raise StorageError(str(self.path), "open the results store",
                                   f"{exc}; move it aside, then run again") from None
        with self._guard("open the results store"):
            if read_only:
                self._db = _open_read_only(self.path)
                return
            home.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise storage_error(self.path, action, exc) from None

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()

    def get(self, input_hash: str) -> ClaimResult | None:
        """The stored result, or None; a row that no longer reads as a result is checked again, not fatal."""
        with self._guard("read the results store"):
            row = self._db.execute("SELECT json FROM results WHERE input_hash = ?", (input_hash,)).fetchone()
        if not row:
            return None
        try:
            return ClaimResult.model_validate_json(row[0])
        except ValidationError as exc:
            log.warning("%s: stored result %s is unreadable (%s); checking the claim again",
                        self.path, input_hash[:12], exc.errors()[0]["msg"])
            return None

    def put(self, result: ClaimResult, created: str) -> None:
        with self._guard("write to the results store"), self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                (result.input_hash, result.claim_id, created, result.model_dump_json()),
            )

    def record_audit(self, run: AuditRun) -> int:
        with self._guard("record the audit in the results store"), self._db:
            cursor = self._db.execute(
                "INSERT INTO audits (started, finished, registry, json) VALUES (?, ?, ?, ?)",
                (run.audit.started, run.audit.finished, run.audit.registry, run.model_dump_json()),
            )
            audit_id = int(cursor.lastrowid or 0)
            self._db.executemany(
                "INSERT INTO audit_statuses VALUES (?, ?, ?)",
                [(audit_id, r.claim_id, r.status.value) for r in run.results],
            )
        return audit_id

    def history(self, limit: int = 50) -> list[AuditSummary]:
        with self._guard("read the audit history"):
            return self._history(limit)

    def _history(self, limit: int) -> list[AuditSummary]:
        rows = self._db.execute(
            "SELECT id, started, finished FROM audits ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        summaries = []
        for audit_id, started, finished in reversed(rows):
            statuses = dict(
                self._db.execute(
                    "SELECT claim_id, status FROM audit_statuses WHERE audit_id = ?", (audit_id,)
                ).fetchall()
            )
            summaries.append(AuditSummary(audit_id, started, finished, statuses))
        return summaries


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Open without writing anything; a WAL database in a read-only folder needs `immutable` to open at all."""
    uri = path.resolve().as_uri()
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # fails here if damaged or unopenable
        return db
    except sqlite3.OperationalError:
        db = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=30)
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db


def read_report(path: Path) -> AuditRun:
    """The report at `path`; StorageError naming it when it cannot be read or is not a complete report."""
    try:
        data = read_regular(path, MAX_REPORT_BYTES)
    except Unreadable as exc:
        raise StorageError(str(path), "read the report", f"{exc}; run `verifier audit` again") from None
    try:
        return AuditRun.from_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise StorageError(str(path), "read the report", f"not a complete verifier report ({exc.error_count()} "
                           f"problems; first: {where}: {first['msg']}); run `verifier audit` again") from None
