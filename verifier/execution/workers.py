"""Worker acquisition shared by the executors: at most `size` workers, started lazily, reused when idle.

The local pool's workers are warm zygote processes, the Ray executor's are actors; both start one only when
a run needs it and none is idle (starting a worker imports torch: an audit without code claims never pays),
hand it back after the run, and discard one that was lost so that a replacement can start in its slot."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

W = TypeVar("W")


class WorkerSlots(Generic[W]):
    """`size` slots of workers made by `start`. `acquire` blocks while every slot holds a busy worker."""

    def __init__(self, size: int, start: Callable[[], W]) -> None:
        self.size = max(1, size)
        self._start = start
        self._idle: deque[W] = deque()
        self._all: list[W] = []
        self._starting = 0
        self._changed = threading.Condition()

    def acquire(self) -> W:
        """An idle worker (the longest idle first), else a new one while a slot is free, else the next one
        handed back. What `start` raises is raised here, and the slot stays free."""
        with self._changed:
            while not self._idle and len(self._all) + self._starting >= self.size:
                self._changed.wait()
            if self._idle:
                return self._idle.popleft()
            self._starting += 1
        try:
            worker = self._start()
        except BaseException:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
            raise
        with self._changed:
            self._starting -= 1
            self._all.append(worker)
        return worker

    def release(self, worker: W) -> None:
        """The run is over and the worker is fine: it serves the next run."""
        with self._changed:
            self._idle.append(worker)
            self._changed.notify()

    def discard(self, worker: W) -> None:
        """The worker was lost or stopped answering (the caller ends it): its slot is free for a new one."""
        with self._changed:
            if worker in self._all:
                self._all.remove(worker)
            if worker in self._idle:
                self._idle.remove(worker)
            self._changed.notify()

    def drain(self) -> list[W]:
        """Every worker started and not discarded, forgotten here (for the caller to end them)."""
        with self._changed:
            workers, self._all = self._all, []
            self._idle.clear()
            self._changed.notify_all()
        return workers

    def started(self) -> list[W]:
        """The workers started and not discarded, idle or busy (a copy)."""
        with self._changed:
            return list(self._all)
