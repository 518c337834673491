"""Say what went wrong with a file the tool keeps for itself, and what to do, instead of a bare traceback.

SQLite and the OS report a damaged store, a read-only home and a full disk with terse, different words
("file is not a database", "attempt to write a readonly database", "database or disk is full", EFBIG when a
file-size limit is hit, EROFS, EACCES); the user needs the file's name and the remedy."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from verifier.errors import StorageError

DAMAGED = "it is damaged (not a SQLite database, or truncated); move it aside or restore a backup, then run again"
READ_ONLY = "its folder is read-only; make it writable, or set VERIFIER_HOME to a writable folder"
UNOPENABLE = ("it cannot be opened or created there (a read-only folder, or something else in its place); "
              "make the folder writable, or set VERIFIER_HOME to another folder")
FULL = "the disk is full (or a file-size limit was reached); free some space and run again"


def explain(exc: BaseException) -> str:
    """`exc` in words, followed by the remedy when the cause is one we recognise."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"{text}: {FULL}"
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{text}: {READ_ONLY}"
    if isinstance(exc, sqlite3.Error):
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return f"{text}: {DAMAGED}"
        if "readonly" in lowered or "read-only" in lowered:
            return f"{text}: {READ_ONLY}"
        if "unable to open" in lowered:
            return f"{text}: {UNOPENABLE}"
        if "full" in lowered or "disk i/o" in lowered:
            return f"{text}: {FULL}"
    return text


def storage_error(path: Path, action: str, exc: BaseException) -> StorageError:
    return StorageError(str(path), action, explain(exc))
