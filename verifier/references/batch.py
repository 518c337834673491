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


Progress = Callable[[int, int], None]  # (resolved so far, total): called as answers arrive, in input order


def resolve_many(items: Sequence[Item], make_resolver: Callable[[], Resolver], jobs: int = 1,
                 progress: Progress | None = None) -> list[Resolution]:
    """Every item's resolution, in input order, using `jobs` processes; `make_resolver` must be picklable
    (a module-level function or a partial of one). Work goes out in small chunks (about eight per worker, at
    most 64 references each) so `progress` moves steadily and one slow chunk does not idle the others."""
    total = len(items)
    answers: list[Resolution] = []
    if jobs <= 1 or total < 2:
        resolver = make_resolver()
        for reference, described in items:
            answers.append(resolver.resolve(reference, described))
            if progress:
                progress(len(answers), total)
        return answers
    workers = min(jobs, total)
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(64, total // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(make_resolver,)) as pool:
        for answer in pool.map(_resolve, items, chunksize=chunk):
            answers.append(answer)
            if progress:
                progress(len(answers), total)
    return answers
