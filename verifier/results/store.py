"""The results store: every audit kept (history), results reused by input hash, the report written atomically.

Layout under the `.verifier/` folder (VERIFIER_HOME):
    store.sqlite   results (one row per input hash, written as each claim finishes, so an interrupted
                   audit loses nothing it finished), audits (history) and audit_statuses (for diffs)
The latest complete report is `reports/latest.json`, replaced atomically (temp file + os.replace),
so a crash or Ctrl-C never leaves a half-written report behind."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from verifier.results.models import AuditRun, ClaimResult

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
    """SQLite-backed store; one instance per audit, used from one thread."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / "store.sqlite"
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, input_hash: str) -> ClaimResult | None:
        row = self._db.execute("SELECT json FROM results WHERE input_hash = ?", (input_hash,)).fetchone()
        return ClaimResult.model_validate_json(row[0]) if row else None

    def put(self, result: ClaimResult, created: str) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                (result.input_hash, result.claim_id, created, result.model_dump_json()),
            )

    def record_audit(self, run: AuditRun) -> int:
        with self._db:
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


def read_report(path: Path) -> AuditRun:
    return AuditRun.model_validate_json(path.read_text(encoding="utf-8"))
