"""Build the checkers of one audit from its options (the only place that wires concrete classes)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from verifier.apicheck.history import DEFAULT_URL as PYPI_URL
from verifier.apicheck.history import PackageIndex
from verifier.checkers.api import ApiChecker
from verifier.checkers.citation import CitationChecker
from verifier.checkers.code import CodeChecker
from verifier.checkers.fact import FactChecker
from verifier.checkers.math import MathChecker
from verifier.checkers.registry import CheckerRegistry
from verifier.config import Settings
from verifier.execution.interface import Executor, RunResult, RunSpec
from verifier.execution.pool import LocalPool
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.cascade import ARXIV, build_arxiv, build_others, live_urls, parse_selection
from verifier.references.http import REFERENCE_BUDGET, deadline
from verifier.references.interface import ReferenceIndex
from verifier.references.resolver import Resolution, Resolver
from verifier.references.snapshot import SnapshotIndex
from verifier.registry.models import ApiClaim, CitationClaim, CodeClaim, FactClaim, MathClaim, Reference
from verifier.registry.records import Registry


@dataclass(frozen=True)
class CheckerOptions:
    offline: bool = False
    device: str = "auto"
    jobs: int = 1
    seeds: int | None = None
    snapshot: Path | None = None
    fresh: bool = False
    executor: str = "local"
    ray_address: str | None = None
    crossref: bool = False
    indexes: str | None = None  # --index: comma-separated live indexes, `all` or `none` (None: VERIFIER_INDEXES)


class ClosingPool:
    """Starts the executor (the local warm pool, or Ray) only when a run is submitted; closes it at the end."""

    def __init__(self, jobs: int, executor: str = "local", ray_address: str | None = None) -> None:
        self.jobs = jobs
        self.kind = executor
        self.ray_address = ray_address
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    def _start(self) -> Executor:
        if self.kind == "ray":
            from verifier.execution.ray_executor import RayExecutor

            return RayExecutor(address=self.ray_address, workers=self.jobs)
        return LocalPool(size=self.jobs)

    def submit(self, spec: RunSpec) -> Future[RunResult]:
        with self._lock:
            if self._pool is None:
                self._pool = self._start()
        return self._pool.submit(spec)

    def shutdown(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait)
            self._pool = None


@dataclass
class Checkers:
    """The checkers of one audit, by claim kind, and what must be closed after it."""

    by_kind: CheckerRegistry
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


def snapshot_path(settings: Settings, explicit: Path | None) -> Path:
    """--snapshot, else VERIFIER_SNAPSHOT, else <VERIFIER_HOME>/snapshot.sqlite (built by `make`)."""
    return explicit or Path(os.environ.get("VERIFIER_SNAPSHOT") or settings.home / "snapshot.sqlite")


class BoundedResolver(Resolver):
    """Every request made for one reference, in every index, ends within `budget` seconds (`http.deadline`):
    each index also bounds its own look-up, but a cascade of slow (not failing) indexes would add them up."""

    budget = REFERENCE_BUDGET

    def resolve(self, reference: Reference, described_as: str | None) -> Resolution:
        with deadline(self.budget):
            return super().resolve(reference, described_as)


def build_references(settings: Settings, options: CheckerOptions, closers: list[Callable[[], None]]) -> (
        tuple[Resolver, CachedIndex, dict[str, str]]):
    """The indexes in the order they are asked: snapshot, cache (+ live arXiv unless offline), then the other
    enabled indexes (`--index`, VERIFIER_INDEXES; see `references/cascade.py`), each behind the cache."""
    path = snapshot_path(settings, options.snapshot)
    snapshot = SnapshotIndex(path) if (options.snapshot is not None or path.is_file()) else None
    cache = LookupCache(settings.home / "references.sqlite")
    closers.append(cache.close)
    selection = parse_selection(options.indexes)
    if options.crossref and "crossref" not in selection:
        selection = (*selection, "crossref")
    api = None
    if not options.offline and ARXIV in selection:
        api = build_arxiv(settings.arxiv_url, settings.min_interval, settings.contact)
        closers.append(api.close)
    live = CachedIndex(cache, api, fresh=options.fresh)
    others = build_others(selection, cache, settings.contact, options.offline, options.fresh, closers)
    # Every other index after arXiv in the order cascade.py gives (Crossref last: it searches loosely); the
    # resolver reads what each covers from its Coverage.
    indexes: list[ReferenceIndex] = [*([snapshot] if snapshot else []), live, *others]
    fingerprint = {"snapshot": str(snapshot.meta.get("built")) if snapshot else "none",
                   "offline": str(options.offline), "arxiv_url": settings.arxiv_url,
                   "indexes": ",".join(selection),
                   "crossref": live_urls(selection, options.offline).get("crossref", "off"),
                   "skipped": ",".join(i.name for i in others if i.coverage().skipped)}
    return BoundedResolver(indexes, corpus=snapshot), live, fingerprint


def build_checkers(registry: Registry, settings: Settings, options: CheckerOptions) -> Checkers:
    executor = ClosingPool(options.jobs, options.executor, options.ray_address)
    closers: list[Callable[[], None]] = [executor.shutdown]
    resolver, live, fingerprint = build_references(settings, options, closers)
    # Release history of removed names (api claims); offline it answers from its cache only.
    package_index = PackageIndex(os.environ.get("VERIFIER_PYPI_URL") or PYPI_URL, settings.home / "pypi.sqlite",
                                 settings.contact or "", offline=options.offline)
    closers.append(package_index.close)
    by_kind = (CheckerRegistry()
               .register(CitationClaim, CitationChecker(resolver, fingerprint, live=None if options.offline else live))
               .register(CodeClaim, CodeChecker(executor, options.device, options.seeds))
               .register(MathClaim, MathChecker(executor, options.device))
               .register(FactClaim, FactChecker())
               .register(ApiClaim, ApiChecker(executor, options.device, package_index)))
    return Checkers(by_kind=by_kind, closers=closers)
