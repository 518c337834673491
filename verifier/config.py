"""Settings from the environment (flags override them): where the store lives and how arXiv is reached; and
the validated configuration of one audit (`AuditConfig`) with the enums the CLI's options are typed by."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from verifier.errors import UsageError
from verifier.verdicts import Status

DEFAULT_REGISTRY = Path("claims")  # a project's registry folder, relative to where the CLI runs
DEFAULT_ARXIV_URL = "https://export.arxiv.org/api/query"
MIN_INTERVAL_FLOOR = 3.0  # arXiv's terms: one request every 3 s


@dataclass(frozen=True)
class Settings:
    home: Path
    arxiv_url: str
    min_interval: float
    contact: str | None

    @property
    def reports(self) -> Path:
        return self.home.parent / "reports"

    @property
    def latest_report(self) -> Path:
        """`reports/latest.json`: the one place its path is computed (audit writes it; show and the report read
        it)."""
        return self.reports / "latest.json"

    @property
    def default_snapshot(self) -> Path:
        """VERIFIER_SNAPSHOT, else <VERIFIER_HOME>/snapshot.sqlite (built by `make`)."""
        return Path(os.environ.get("VERIFIER_SNAPSHOT") or self.home / "snapshot.sqlite")


def load_settings(project_root: Path, arxiv_url: str | None = None) -> Settings:
    """Read VERIFIER_HOME, VERIFIER_ARXIV_URL, VERIFIER_ARXIV_MIN_INTERVAL and VERIFIER_CONTACT.

    The interval may go below 3 s only for a mirror you run (a non-arxiv.org URL)."""
    home = Path(os.environ.get("VERIFIER_HOME") or project_root / ".verifier").resolve()
    url = arxiv_url or os.environ.get("VERIFIER_ARXIV_URL") or DEFAULT_ARXIV_URL
    raw = os.environ.get("VERIFIER_ARXIV_MIN_INTERVAL", str(MIN_INTERVAL_FLOOR))
    try:
        interval = float(raw)
    except ValueError:
        raise UsageError(f"VERIFIER_ARXIV_MIN_INTERVAL must be a number of seconds, not {raw!r}") from None
    if interval < 0:
        raise UsageError("VERIFIER_ARXIV_MIN_INTERVAL cannot be negative")
    if "arxiv.org" in url and interval < MIN_INTERVAL_FLOOR:
        interval = MIN_INTERVAL_FLOOR
    return Settings(home=home, arxiv_url=url, min_interval=interval,
                    contact=os.environ.get("VERIFIER_CONTACT") or None)


class Device(StrEnum):
    """Where code and math checks may run (`--device`; a claim's own `device` narrows it)."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class ExecutorKind(StrEnum):
    """What runs the sandboxed snippets: the local warm pool or a Ray cluster (`--executor`)."""

    LOCAL = "local"
    RAY = "ray"


class OutputFormat(StrEnum):
    """The formats of an audit report (`--format`); `results/formats` has one formatter for each."""

    TABLE = "table"
    JSON = "json"
    JUNIT = "junit"
    MARKDOWN = "markdown"


class BriefFormat(StrEnum):
    """The formats of the one-off commands (`run`, `resolve`): a table for people, JSON for scripts."""

    TABLE = "table"
    JSON = "json"


@dataclass(frozen=True)
class ReferenceConfig:
    """Which indexes answer a reference, and how: what `audit` and `resolve` share.

    `indexes` is `--index` as given (comma-separated names, `all` or `none`; None reads VERIFIER_INDEXES)."""

    offline: bool = False
    fresh: bool = False
    snapshot: Path | None = None
    crossref: bool = False
    indexes: str | None = None


@dataclass(frozen=True)
class AuditConfig:
    """Everything one audit is asked to do, validated once (typer checks the enums and the kind; the CLI parses
    `fail_on`). It replaces the three option bags the audit used to be unpacked into: the audit core, the
    checkers and the indexes each read what they need from it (`references` derives the indexes' part)."""

    only: str | None = None
    kind: str | None = None  # a claim kind (registry/models.py KINDS), checked by the CLI
    offline: bool = False
    jobs: int = 1
    device: Device = Device.AUTO
    fresh: bool = False
    seeds: int | None = None
    snapshot: Path | None = None
    executor: ExecutorKind = ExecutorKind.LOCAL
    ray_address: str | None = None
    crossref: bool = False
    indexes: str | None = None
    format: OutputFormat = OutputFormat.TABLE
    output: Path | None = None
    fail_on: frozenset[Status] = frozenset()

    @property
    def references(self) -> ReferenceConfig:
        return ReferenceConfig(offline=self.offline, fresh=self.fresh, snapshot=self.snapshot,
                               crossref=self.crossref, indexes=self.indexes)
