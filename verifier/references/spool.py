"""Reading many input files in worker processes while one process writes what they read, in file order.

Building the offline index is mostly reading: decoding JSON or XML, validating records, normalising titles
and hashing keys is about nine tenths of the load phase, and SQLite takes only one writer. Files are
independent, so with `jobs` above 1 each file is read by a worker process of its own that writes its batches
to a spool file (pickled, in a private folder beside the index); the writer takes the spools in the order
the files were given, so the result is the same, batch for batch, as reading them one after another in this
process (a later record still replaces an earlier one with the same identity). At most `jobs` workers run at
once, each spool is deleted once taken, and a worker for the next file starts when one is taken.

A file that cannot be read fails as it would in this process: its exception (a FormatError keeps its line)
is raised when the writer reaches that file, after every earlier file was taken; a worker that dies (killed,
out of memory) is an error naming its file, never a wait without end. Leaving early stops every worker, and
the spools never outlive the call."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TypeVar

from verifier.errors import VerifierError

T = TypeVar("T")
ReadBatches = Callable[[Path], Iterator[list[T]]]  # a module-level function, so a worker can be given it
STOP_GRACE = 3.0  # seconds a stopped worker has to end before it is killed
DEFAULT_MAX_JOBS = 4  # each worker holds about 250 MB (its caches and the pages it copies after the fork)


class WorkerDied(VerifierError):
    """A worker reading a file ended without finishing it or reporting an error (killed by a signal, out of
    memory): the tool failed, not the input (exit 5), and the file is named."""


def default_jobs() -> int:
    """Worker processes for a build: the cores this process may use, at most DEFAULT_MAX_JOBS (a full arXiv
    + DBLP build reads two files anyway)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_MAX_JOBS))


def _context() -> ForkContext | SpawnContext:
    """Forked workers where the platform has fork: nothing to re-import, and no dependence on the caller's
    main module being importable (spawn re-runs a script without a `__main__` guard). The building process
    holds an SQLite connection the workers never touch, and it starts no threads."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _spool(read_batches: ReadBatches[T], path: Path, target: Path, failure: Path) -> None:
    """In a worker: every batch of one file, pickled one after another into `target`; an exception is pickled
    into `failure` instead (and the worker exits with status 1). SIGTERM is reset to its default first: a
    forked worker inherits its parent's Python handlers (Ray's driver, a web server's, a build's), and one
    that does not end the process would keep a stopped worker reading. Ctrl-C is the writer's to handle (it
    stops the workers): ignored here, so a worker prints no traceback of its own."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with target.open("wb") as handle:
            for batch in read_batches(path):
                pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # any reading error travels to the writer, which names the file
        try:
            failure.write_bytes(pickle.dumps(exc))
        except Exception:  # an exception that does not pickle: its text
            failure.write_bytes(pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}")))
        raise SystemExit(1) from None


def _unspool(target: Path) -> Iterator[list[T]]:
    with target.open("rb") as handle:
        while True:
            try:
                batch: list[T] = pickle.load(handle)
            except EOFError:
                break
            yield batch
    target.unlink()


class _Workers:
    """The workers of one call: file `number` is read into `<folder>/<number>.pickle`."""

    def __init__(self, paths: Sequence[Path], read_batches: ReadBatches[T], jobs: int, folder: Path) -> None:
        self.paths, self.read_batches, self.jobs, self.folder = paths, read_batches, jobs, folder
        self.context = _context()
        self.running: dict[int, BaseProcess] = {}
        self.started = 0

    def fill(self) -> None:
        """Start workers for the next files until `jobs` are running."""
        while len(self.running) < self.jobs and self.started < len(self.paths):
            number = self.started
            process = self.context.Process(
                target=_spool, daemon=True,
                args=(self.read_batches, self.paths[number], self._spool(number), self._failure(number)))
            process.start()
            self.running[number] = process
            self.started += 1

    def batches(self, number: int) -> Iterator[list[T]]:
        """File `number`'s batches, once its worker is done; its exception if it failed."""
        process = self.running.pop(number)
        process.join()
        self.fill()
        if process.exitcode != 0:
            failure = self._failure(number)
            if failure.is_file():
                raise pickle.loads(failure.read_bytes())
            raise WorkerDied(f"{self.paths[number]}: the process reading it ended with status {process.exitcode} "
                             "(killed, or out of memory?); nothing was written")
        yield from _unspool(self._spool(number))

    def stop(self) -> None:
        """Stop the running workers: SIGTERM, and SIGKILL for any still running a few seconds later."""
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            process.join(STOP_GRACE)
            if process.exitcode is None:
                process.kill()
                process.join()
        self.running.clear()

    def _spool(self, number: int) -> Path:
        return self.folder / f"{number:06d}.pickle"

    def _failure(self, number: int) -> Path:
        return self.folder / f"{number:06d}.failed"


@contextmanager
def batches_in_order(paths: Sequence[Path], read_batches: ReadBatches[T], jobs: int,
                     beside: Path) -> Iterator[Iterator[tuple[Path, Iterator[list[T]]]]]:
    """(path, its batches) per file in the given order; with `jobs` above 1 and several files, read by up to
    that many worker processes into spools in a temporary folder in `beside`. Use as a context manager:
    leaving it (normally or by an exception) stops the workers and removes the folder."""
    if jobs <= 1 or len(paths) < 2:
        yield ((path, read_batches(path)) for path in paths)
        return
    folder = Path(tempfile.mkdtemp(prefix=".spool-", dir=beside))
    workers = _Workers(paths, read_batches, jobs, folder)
    try:
        workers.fill()
        yield ((path, workers.batches(number)) for number, path in enumerate(paths))
    finally:
        workers.stop()
        shutil.rmtree(folder, ignore_errors=True)
