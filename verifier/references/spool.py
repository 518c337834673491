"""Reading many input files in worker processes while one process writes what they read, in file order.

Building the offline index is mostly reading: decoding JSON or XML, validating records, normalising titles
and hashing keys is about nine tenths of the load phase, and SQLite takes only one writer. Files are
independent, so with `jobs` above 1 each file is read by a worker process that writes its batches to a spool
file (pickled, in a private folder beside the index); the writer takes the spools in the order the files were
given, so the result is the same, batch for batch, as reading them one after another in this process (a later
record still replaces an earlier one with the same identity). Each spool is deleted once taken.

A file that cannot be read fails as it would in this process: its exception (a FormatError keeps its line)
is raised when the writer reaches that file, after every earlier file was taken, and the other workers are
stopped. The spools never outlive the call."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
ReadBatches = Callable[[Path], Iterator[list[T]]]  # a module-level function, so workers can be given it


DEFAULT_MAX_JOBS = 4  # each worker holds about 250 MB (its caches and the pages it copies after the fork)


def default_jobs() -> int:
    """Worker processes for a build: the cores this process may use, at most DEFAULT_MAX_JOBS (a full arXiv
    + DBLP build reads two files anyway)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_MAX_JOBS))


def _context() -> multiprocessing.context.BaseContext:
    """Forked workers where the platform has fork: nothing to re-import, and no dependence on the caller's
    main module being importable (spawn re-runs a script without a `__main__` guard). The building process
    holds an SQLite connection the workers never touch, and it starts no threads."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _spool(read_batches: ReadBatches[T], path: Path, target: Path) -> int:
    """In a worker: every batch of one file, pickled one after another into `target`; returns the batches."""
    count = 0
    with target.open("wb") as handle:
        for batch in read_batches(path):
            pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
    return count


def _unspool(target: Path) -> Iterator[list[T]]:
    with target.open("rb") as handle:
        while True:
            try:
                batch: list[T] = pickle.load(handle)
            except EOFError:
                break
            yield batch
    target.unlink()


class _Pending(Generic[T]):
    """One file being read by a worker: its batches once the worker is done (or its exception)."""

    def __init__(self, result: AsyncResult[int], target: Path) -> None:
        self.result, self.target = result, target

    def batches(self) -> Iterator[list[T]]:
        self.result.get()  # re-raises the worker's exception here, where the caller names the file
        yield from _unspool(self.target)


@contextmanager
def batches_in_order(paths: Sequence[Path], read_batches: ReadBatches[T], jobs: int,
                     beside: Path) -> Iterator[Iterator[tuple[Path, Iterator[list[T]]]]]:
    """(path, its batches) per file in the given order; with `jobs` above 1 and several files, read by that
    many worker processes into spools in a temporary folder in `beside`. Use as a context manager: leaving it
    (normally or by an exception) stops the workers and removes the folder."""
    if jobs <= 1 or len(paths) < 2:
        yield ((path, read_batches(path)) for path in paths)
        return
    folder = Path(tempfile.mkdtemp(prefix=".spool-", dir=beside))
    pool: Pool | None = None
    try:
        pool = _context().Pool(min(jobs, len(paths)))
        pending: list[_Pending[T]] = []
        for number, path in enumerate(paths):
            target = folder / f"{number:06d}.pickle"
            pending.append(_Pending(pool.apply_async(_spool, (read_batches, path, target)), target))
        yield ((path, item.batches()) for path, item in zip(paths, pending, strict=True))
        pool.close()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        shutil.rmtree(folder, ignore_errors=True)
