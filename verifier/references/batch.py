"""Resolving many references at once (a bibliography, a benchmark) across cores.

Each worker process builds its own resolver once (its own SQLite connection to the snapshot: connections
cannot be shared across processes) and resolves a contiguous share of the batch; answers come back in the
order of the input. One process (jobs=1) runs in the caller, with no pool to start."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from verifier.references.resolver import Resolution, Resolver
from verifier.references.snapshot import SnapshotIndex
from verifier.registry.models import Reference

Item = tuple[Reference, str | None]  # a reference and the summary the source gives of it (or None)
_worker: dict[str, Resolver] = {}  # this worker process's resolver, made once by _start


def offline_resolver(snapshot: Path) -> Resolver:
    """A resolver that consults only the snapshot at `snapshot` (picklable as `partial(offline_resolver, p)`)."""
    index = SnapshotIndex(snapshot)
    return Resolver([index], index)


def offline(snapshot: Path) -> Callable[[], Resolver]:
    return partial(offline_resolver, snapshot)


def _start(make_resolver: Callable[[], Resolver]) -> None:
    _worker["resolver"] = make_resolver()


def _resolve(item: Item) -> Resolution:
    return _worker["resolver"].resolve(item[0], item[1])


def resolve_many(items: Sequence[Item], make_resolver: Callable[[], Resolver], jobs: int = 1) -> list[Resolution]:
    """Every item's resolution, in input order, using `jobs` processes; `make_resolver` must be picklable
    (a module-level function or a partial of one)."""
    if jobs <= 1 or len(items) < 2:
        resolver = make_resolver()
        return [resolver.resolve(reference, described) for reference, described in items]
    workers = min(jobs, len(items))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(make_resolver,)) as pool:
        return list(pool.map(_resolve, items, chunksize=max(1, len(items) // (workers * 4))))
