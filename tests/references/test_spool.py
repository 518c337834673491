"""Files read by worker processes, delivered in file order: order, failures, a killed worker, leaving early."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.errors import ExitCode
from verifier.references.readers import FormatError
from verifier.references.spool import WorkerDied, batches_in_order


def numbered_lines(path: Path) -> Iterator[list[tuple[str, int]]]:
    """Batches of two (file name, line number) pairs; the first file is the slowest to read, and a file named
    `kill-*` kills its reader, `bad-*` fails on its third line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for start in range(0, len(lines), 2):
        if path.name.startswith("first"):
            time.sleep(0.05)
        if path.name.startswith("kill") and start >= 2:
            os.kill(os.getpid(), signal.SIGKILL)
        if path.name.startswith("bad") and start >= 2:
            raise FormatError("line 3: not a record", 3)
        yield [(path.name, start + i + 1) for i in range(len(lines[start:start + 2]))]


def files(tmp_path: Path, *names: str) -> list[Path]:
    made = []
    for number, name in enumerate(names):
        path = tmp_path / name
        path.write_text("x\n" * (3 + number), encoding="utf-8")
        made.append(path)
    return made


def test_batches_come_in_the_order_of_the_files(tmp_path: Path) -> None:
    paths = files(tmp_path, "first.txt", "second.txt", "third.txt", "fourth.txt")
    with batches_in_order(paths, numbered_lines, 3, tmp_path) as loaded:
        seen = [(path.name, [pair for batch in batches for pair in batch]) for path, batches in loaded]
    alone = [(path.name, [pair for batch in numbered_lines(path) for pair in batch]) for path in paths]
    assert seen == alone  # the slow first file still comes first, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no spool left


def test_a_reading_error_is_raised_at_its_file_with_its_line(tmp_path: Path) -> None:
    paths = files(tmp_path, "first.txt", "bad.txt", "third.txt")
    taken: list[str] = []
    with pytest.raises(FormatError) as raised, batches_in_order(paths, numbered_lines, 2, tmp_path) as loaded:
        for path, batches in loaded:
            for _ in batches:
                pass
            taken.append(path.name)
    assert taken == ["first.txt"] and raised.value.line == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_a_killed_worker_is_an_error_naming_its_file_not_a_wait(tmp_path: Path) -> None:
    paths = files(tmp_path, "first.txt", "kill-me.txt", "third.txt")
    with pytest.raises(WorkerDied) as raised, batches_in_order(paths, numbered_lines, 2, tmp_path) as loaded:
        for _, batches in loaded:
            for _ in batches:
                pass
    assert str(paths[1]) in str(raised.value) and str(-signal.SIGKILL) in str(raised.value)
    assert raised.value.exit_code == ExitCode.INTERNAL
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_leaving_early_stops_the_workers_and_removes_the_spools(tmp_path: Path) -> None:
    paths = files(tmp_path, "first-1.txt", "first-2.txt", "first-3.txt")
    for path in paths:
        path.write_text("x\n" * 400, encoding="utf-8")  # 200 batches, 10 s to read each
    started = time.monotonic()
    with pytest.raises(KeyError), batches_in_order(paths, numbered_lines, 2, tmp_path) as loaded:
        next(iter(loaded))
        children = {p.pid for p in multiprocessing.active_children()}
        assert children  # workers were running
        raise KeyError("the writer failed")
    assert not any(p.pid in children for p in multiprocessing.active_children())
    assert time.monotonic() - started < 5  # stopped, not waited for
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def reader_pid(path: Path) -> Iterator[list[int]]:
    yield [os.getpid()]


def test_one_job_or_one_file_reads_in_this_process_several_in_workers(tmp_path: Path) -> None:
    def pids(paths: list[Path], jobs: int) -> set[int]:
        with batches_in_order(paths, reader_pid, jobs, tmp_path) as loaded:
            return {pid for _, batches in loaded for batch in batches for pid in batch}

    two = files(tmp_path, "a.txt", "b.txt")
    assert pids(two, 1) == {os.getpid()} and pids(two[:1], 4) == {os.getpid()}
    assert os.getpid() not in pids(two, 2) and len(pids(two, 2)) == 2


def test_workers_stop_even_when_the_parent_has_a_sigterm_handler_that_does_not_exit(tmp_path: Path) -> None:
    """A forked worker inherits its parent's Python SIGTERM handler (Ray's driver installs one; so does a
    web server): one that does not end the process must not keep a stopped worker reading."""
    paths = files(tmp_path, "first-1.txt", "first-2.txt")
    for path in paths:
        path.write_text("x\n" * 400, encoding="utf-8")  # 200 batches, 10 s to read each
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        started = time.monotonic()
        with pytest.raises(KeyError), batches_in_order(paths, numbered_lines, 2, tmp_path) as loaded:
            next(iter(loaded))
            time.sleep(0.3)  # the workers are reading
            raise KeyError("the writer failed")
        assert time.monotonic() - started < 5
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
