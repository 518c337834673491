"""Where the report's data comes from: the registry, reports/latest.json and the store's history.

Everything that can fail (a missing, partial or corrupt report, an invalid registry) becomes a message for
the page, never an exception: the report must always render."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from verifier.errors import InvalidInputError, StorageError
from verifier.project import Project
from verifier.registry import Registry, load_registry
from verifier.registry.files import Unreadable, read_regular
from verifier.results.models import AuditRun
from verifier.results.store import MAX_REPORT_BYTES, AuditSummary, ResultStore


@dataclass(frozen=True)
class Location:
    registry: Path
    report: Path
    home: Path


def locate(argv: list[str] | None = None) -> Location:
    """`streamlit run app.py -- --registry DIR`, else VERIFIER_REGISTRY, else ./claims beside app.py."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--registry", default=None)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    registry = Path(known.registry or os.environ.get("VERIFIER_REGISTRY") or Path.cwd() / "claims").resolve()
    project = Project.open(registry)
    return Location(registry=registry, report=project.latest_path, home=project.settings.home)


@dataclass(frozen=True)
class Loaded:
    run: AuditRun | None
    message: str | None  # why there is no run (or a warning about it)


def read_run(path: Path) -> Loaded:
    if not path.exists():
        return Loaded(None, f"No audit yet: {path} does not exist. Run `verifier audit` (or `make audit`).")
    try:  # only a regular file: a FIFO would block the page for ever; bytes: pydantic reports bad UTF-8
        data = read_regular(path, MAX_REPORT_BYTES)
    except Unreadable as exc:
        return Loaded(None, f"Cannot read {path}: {exc}")
    if not data.strip():
        return Loaded(None, f"{path} is empty (an audit may have been interrupted). Run `verifier audit` again.")
    try:
        return Loaded(AuditRun.from_json(data), None)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return Loaded(None, f"{path} is not a complete verifier report ({exc.error_count()} problems; first: "
                            f"{where}: {first['msg']}). Run `verifier audit` again.")


@dataclass(frozen=True)
class LoadedRegistry:
    registry: Registry | None
    message: str | None


def read_registry(path: Path) -> LoadedRegistry:
    try:
        return LoadedRegistry(load_registry(path), None)
    except InvalidInputError as exc:
        return LoadedRegistry(None, str(exc))


@dataclass(frozen=True)
class History:
    audits: list[AuditSummary]
    message: str | None  # why the history cannot be shown


def read_history(home: Path, limit: int = 50) -> History:
    """The store's audits, opened read-only (the report never writes); a damaged store is a message."""
    if not (home / "store.sqlite").exists():
        return History([], None)
    try:
        store = ResultStore(home, read_only=True)
    except StorageError as exc:
        return History([], str(exc))
    try:
        return History(store.history(limit), None)
    except StorageError as exc:
        return History([], str(exc))
    finally:
        store.close()


def mtime(path: Path) -> float:
    """A cache key that changes when the file does (0 when it does not exist)."""
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return 0.0


def registry_mtime(path: Path) -> float:
    files = [*path.glob("*.yaml"), *(path / "sources").glob("*")]
    return max((mtime(f) for f in files), default=0.0)
