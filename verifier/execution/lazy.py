"""The executor of one audit, started only when a run is submitted (an audit of citations starts nothing)."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from verifier.config import ExecutorKind
from verifier.execution.interface import Executor, RunResult, RunSpec
from verifier.execution.pool import LocalPool


class LazyExecutor:
    """Starts the executor (the local warm pool, or Ray) on the first submitted run; `shutdown` closes it."""

    def __init__(self, jobs: int, kind: ExecutorKind = ExecutorKind.LOCAL, ray_address: str | None = None) -> None:
        self.jobs = jobs
        self.kind = kind
        self.ray_address = ray_address
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    def _start(self) -> Executor:
        if self.kind is ExecutorKind.RAY:
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
