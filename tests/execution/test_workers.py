"""Worker acquisition shared by the local pool and the Ray executor: lazy start, reuse, a lost worker's slot."""

from __future__ import annotations

import itertools
import threading

import pytest

from verifier.execution.workers import WorkerSlots


def counter_slots(size: int) -> tuple[WorkerSlots[int], list[int]]:
    started: list[int] = []
    numbers = itertools.count(1)

    def start() -> int:
        started.append(next(numbers))
        return started[-1]

    return WorkerSlots(size, start), started


def test_workers_start_only_when_none_is_idle_and_are_reused() -> None:
    slots, started = counter_slots(2)
    assert started == []  # nothing starts before a run needs it
    first = slots.acquire()
    slots.release(first)
    assert slots.acquire() == first and started == [1]
    second = slots.acquire()
    assert second == 2 and slots.started() == [1, 2]


def test_a_full_pool_waits_for_a_worker_to_come_back_or_to_be_discarded() -> None:
    slots, started = counter_slots(1)
    held = slots.acquire()
    got: list[int] = []
    waiter = threading.Thread(target=lambda: got.append(slots.acquire()))
    waiter.start()
    waiter.join(timeout=0.3)
    assert waiter.is_alive() and got == []  # the one slot is busy
    slots.discard(held)  # lost: its slot frees and a replacement starts for the waiting run
    waiter.join(timeout=5)
    assert got == [2] and started == [1, 2] and slots.started() == [2]


def test_a_worker_that_fails_to_start_leaves_its_slot_free() -> None:
    attempts: list[int] = []

    def start() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the warm worker failed to start")
        return len(attempts)

    slots = WorkerSlots(1, start)
    with pytest.raises(RuntimeError, match="failed to start"):
        slots.acquire()
    assert slots.acquire() == 2


def test_drain_hands_over_every_worker_once() -> None:
    slots, _ = counter_slots(3)
    workers = [slots.acquire() for _ in range(3)]
    slots.release(workers[0])
    assert sorted(slots.drain()) == [1, 2, 3]
    assert slots.drain() == [] and slots.started() == []
