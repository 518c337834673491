"""The composition root: one object per project that holds its registry, its settings, and builds what an
audit or a look-up needs (indexes, executor, checkers) when it is asked for.

Every method returns data and never prints: the CLI (`cli.py`) prints, prompts and draws the progress bar; the
Streamlit report reads claims and their latest result through the same object. A project is a folder whose
registry is `claims/` (any folder given with `--registry`; the project is its parent) and whose store, caches
and snapshot live in `.verifier/` (VERIFIER_HOME), its reports in `reports/`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from verifier.atomic import write_atomic
from verifier.audit import exit_statuses, run_audit, select
from verifier.config import DEFAULT_REGISTRY, AuditConfig, OutputFormat, ReferenceConfig, Settings, load_settings
from verifier.errors import EmptySelectionError, StorageError, UsageError
from verifier.registry import load_registry
from verifier.registry.anchor import ambiguity
from verifier.registry.records import ClaimRecord, Registry, SourceDoc
from verifier.results.formats import FORMATS
from verifier.results.models import AuditRun, ClaimResult
from verifier.results.store import ResultStore, read_report
from verifier.verdicts import Status

if TYPE_CHECKING:  # typing only: the checkers and indexes are imported when an audit or a look-up builds them
    from verifier.checkers.registry import CheckerRegistry
    from verifier.references.bib_command import BibResolution
    from verifier.references.resolver import Resolution, Resolver
    from verifier.registry.models import Reference

NO_RESULT = "no result yet: run `verifier audit`"


class AuditProgress(Protocol):
    """What an audit tells its caller while it runs (the CLI draws a progress bar from it)."""

    def started(self, total: int) -> None: ...

    def finished(self, result: ClaimResult) -> None: ...


@dataclass(frozen=True)
class Validation:
    """A registry that loaded: its claims per kind and the quotes that anchor in more than one place."""

    registry: Registry
    kinds: dict[str, int]
    warnings: list[tuple[ClaimRecord, str]]


@dataclass(frozen=True)
class LatestUpdate:
    """What an audit did to `reports/latest.json` (a filtered audit keeps the other claims' results)."""

    path: Path
    updated: int
    kept: int
    unreadable: str | None = None  # why the previous report could not be read (it now holds only this audit)


@dataclass(frozen=True)
class AuditOutcome:
    run: AuditRun
    latest: LatestUpdate
    failed: list[Status]  # the statuses named by --fail-on that occurred, in precedence order


@dataclass(frozen=True)
class ClaimView:
    """One claim, its source document, and its result in `reports/latest.json` if it has one."""

    record: ClaimRecord
    document: SourceDoc
    result: ClaimResult | None
    why: str  # why there is no result (empty when there is one)
    damaged: StorageError | None  # the store cannot be read: `show` says so after the claim, as `audit` would


@dataclass
class Checkers:
    """The checkers of one audit, by claim kind, and what must be closed after it."""

    by_kind: CheckerRegistry
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


class Project:
    """A registry folder and the settings of its project; indexes and executors are built per call."""

    def __init__(self, registry_dir: Path, settings: Settings | None = None, *, settings_root: Path | None = None,
                 arxiv_url: str | None = None) -> None:
        self.registry_dir = registry_dir
        self._settings = settings
        self._settings_root = settings_root
        self._arxiv_url = arxiv_url

    @classmethod
    def open(cls, registry: Path = DEFAULT_REGISTRY, settings: Settings | None = None, *,
             arxiv_url: str | None = None) -> Project:
        """The project of a registry folder. Nothing is read yet: the registry when a method needs it, the
        settings (environment) too, so `validate` does not depend on VERIFIER_* variables."""
        return cls(registry, settings, arxiv_url=arxiv_url)

    @classmethod
    def here(cls, arxiv_url: str | None = None) -> Project:
        """The project at the working directory, for the commands that take no registry (resolve, index)."""
        return cls(DEFAULT_REGISTRY, settings_root=Path.cwd(), arxiv_url=arxiv_url)

    @cached_property
    def settings(self) -> Settings:
        if self._settings is not None:
            return self._settings
        root = self._settings_root or self.registry_dir.resolve().parent
        return load_settings(root, self._arxiv_url)

    @cached_property
    def registry(self) -> Registry:
        """Loaded once; raises InvalidInputError naming every problem (file, line, field)."""
        return load_registry(self.registry_dir)

    @property
    def latest_path(self) -> Path:
        """`reports/latest.json`, the report `audit` keeps and `show` and the Streamlit report read."""
        return self.settings.latest_report

    @property
    def snapshot_path(self) -> Path:
        """The offline index used when no --snapshot is given (VERIFIER_SNAPSHOT, else in VERIFIER_HOME)."""
        return self.settings.default_snapshot

    @property
    def schema_path(self) -> Path:
        from verifier.registry.schema import SCHEMA_FILE

        return self.registry_dir / SCHEMA_FILE

    def schema_current(self) -> bool:
        """Whether `<registry>/schema.json` is the schema of this version's claim models."""
        from verifier.registry.schema import schema_text

        path = self.schema_path
        return (path.read_text(encoding="utf-8") if path.exists() else "") == schema_text()

    def write_schema(self) -> Path:
        from verifier.registry.schema import schema_text

        write_atomic(self.schema_path, schema_text())
        return self.schema_path

    def validate(self) -> Validation:
        registry = self.registry
        kinds: dict[str, int] = {}
        for record in registry.records:
            kinds[record.claim.kind] = kinds.get(record.claim.kind, 0) + 1
        warnings = [(record, message) for record in registry.records if (message := ambiguity(record.anchors))]
        return Validation(registry, kinds, warnings)

    def audit(self, config: AuditConfig, progress: AuditProgress | None = None) -> AuditOutcome:
        """Check the selected claims, keep the run in the store and in `reports/latest.json`, and return it."""
        from verifier.execution.environment import host_environment

        registry = self.registry
        records = select(registry.records, config.only, config.kind)
        if not records:
            asked = [f"--{name} {value!r}" for name, value in (("only", config.only), ("kind", config.kind)) if value]
            raise EmptySelectionError(f"no claim matches {' '.join(asked)}")
        store = ResultStore(self.settings.home)  # first: a store that cannot be opened stops before any work
        try:
            checkers = self._checkers(config)
            try:
                if progress is not None:
                    progress.started(len(records))
                run = run_audit(registry, records, checkers.by_kind, config, cache=store,
                                on_result=progress.finished if progress else None, environment=host_environment())
                store.record_audit(run)
            finally:
                checkers.close()
        finally:
            store.close()
        latest = self._keep_latest(run)
        return AuditOutcome(run, latest, exit_statuses(run, config.fail_on))

    def _keep_latest(self, run: AuditRun) -> LatestUpdate:
        """Write `reports/latest.json`: a filtered audit updates its claims there and keeps the others."""
        from verifier.results.merge import is_filtered, merge

        path = self.latest_path
        previous, unreadable = None, None
        if is_filtered(run) and path.is_file():
            try:
                previous = read_report(path)
            except (StorageError, OSError, UnicodeDecodeError, ValueError) as exc:
                unreadable = str(exc)
        merged = merge(previous, run, [r.claim.id for r in self.registry.records])
        write_atomic(path, FORMATS[OutputFormat.JSON].render(merged.run))
        return LatestUpdate(path, merged.updated, merged.kept, unreadable)

    def _checkers(self, config: AuditConfig) -> Checkers:
        """The only place that wires concrete checkers: one per claim kind, sharing one lazy executor."""
        from verifier.apicheck.history import DEFAULT_URL as PYPI_URL
        from verifier.apicheck.history import PackageIndex
        from verifier.checkers.api import ApiChecker
        from verifier.checkers.citation import CitationChecker
        from verifier.checkers.code import CodeChecker
        from verifier.checkers.fact import FactChecker
        from verifier.checkers.math import MathChecker
        from verifier.checkers.registry import CheckerRegistry
        from verifier.execution.lazy import LazyExecutor
        from verifier.references.indexes import build_resolver
        from verifier.registry.models import ApiClaim, CitationClaim, CodeClaim, FactClaim, MathClaim

        settings, device = self.settings, config.device.value
        executor = LazyExecutor(config.jobs, config.executor, config.ray_address)
        closers: list[Callable[[], None]] = [executor.shutdown]
        references = build_resolver(settings, config.references, closers)
        # Release history of removed names (api claims); offline it answers from its cache only.
        package_index = PackageIndex(os.environ.get("VERIFIER_PYPI_URL") or PYPI_URL, settings.home / "pypi.sqlite",
                                     settings.contact or "", offline=config.offline)
        closers.append(package_index.close)
        by_kind = (CheckerRegistry()
                   .register(CitationClaim, CitationChecker(references.resolver, references.fingerprint,
                                                            live=None if config.offline else references.live))
                   .register(CodeClaim, CodeChecker(executor, device, config.seeds))
                   .register(MathClaim, MathChecker(executor, device))
                   .register(FactClaim, FactChecker())
                   .register(ApiClaim, ApiChecker(executor, device, package_index)))
        return Checkers(by_kind=by_kind, closers=closers)

    def latest_result(self, claim_id: str) -> tuple[ClaimResult | None, str]:
        """The claim's result in reports/latest.json, or None with the reason (no audit yet, unreadable report)."""
        path = self.latest_path
        if not path.exists():  # a FIFO or folder there is named by read_report
            return None, NO_RESULT
        try:
            run = read_report(path)
        except StorageError as exc:
            return None, f"no result shown: {exc}"
        found = next((r for r in run.results if r.claim_id == claim_id), None)
        return found, "" if found else NO_RESULT

    def claim(self, claim_id: str) -> ClaimView:
        """The claim with its document and latest result; UsageError when the registry has no such claim."""
        record = self.registry.by_id(claim_id)
        if record is None:
            raise UsageError(f"no claim with id {claim_id!r} in {self.registry_dir}")
        result, why = self.latest_result(claim_id)
        return ClaimView(record, self.registry.sources[record.claim.source], result, why, self.store_problem())

    def store_problem(self) -> StorageError | None:
        """Why the results store cannot be read, if it cannot. Opened read-only, so a read-only VERIFIER_HOME
        still shows."""
        home = self.settings.home
        if not (home / "store.sqlite").exists():
            return None
        try:
            store = ResultStore(home, read_only=True)
        except StorageError as exc:
            return exc
        store.close()
        return None

    def add(self, data: dict[str, Any]) -> ClaimRecord:
        """Append one claim (a mapping as in a claims file) to its source's file, validated before writing."""
        from verifier.registry.writer import append_claim, build_claim

        record = append_claim(self.registry_dir, build_claim(data))
        self.__dict__.pop("registry", None)  # the next read sees the new claim
        return record

    @contextmanager
    def resolver(self, config: ReferenceConfig) -> Iterator[Resolver]:
        """The audit's resolver (same indexes, same order), closed when the block ends."""
        from verifier.references.indexes import build_resolver

        closers: list[Callable[[], None]] = []
        try:
            yield build_resolver(self.settings, config, closers).resolver
        finally:
            for close in closers:
                close()

    def resolve(self, reference: Reference, described_as: str | None, config: ReferenceConfig) -> Resolution:
        with self.resolver(config) as resolver:
            return resolver.resolve(reference, described_as)

    def resolve_bib(self, path: Path, config: ReferenceConfig, jobs: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> BibResolution:
        """Every entry of a BibTeX file, resolved in file order; entries that could not be read as problems.
        `jobs` above 1 shares the entries among worker processes, offline only: each process would pace
        arXiv on its own, and together they would break its one-request-per-3-seconds rule."""
        from functools import partial

        from verifier.references.bib_command import resolve_bib, worker_resolver

        if jobs > 1 and not config.offline:
            raise UsageError("--jobs above 1 resolves offline only (each worker process would pace arXiv on its "
                             "own): add --offline, or use --jobs 1")
        return resolve_bib(path, lambda: self.resolver(config), jobs, partial(worker_resolver, self.settings, config),
                           progress)

