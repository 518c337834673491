"""Run sandboxed snippets on a Ray cluster: the same Executor seam as the local warm pool.

Ray only places and schedules the work: each Ray actor owns one warm zygote (verifier.execution.pool), so
every run is still a fresh, isolated child inside the worker machine. CPU runs go to actors that hold
`num_cpus=1`; CUDA runs to actors that hold `num_gpus=1`, created only when the cluster has GPUs (without
any, a CUDA run is `skipped` at once, as in the local pool). A run's timeout and memory limit travel in
its RunSpec. An actor that dies mid-run (a lost worker) ends that run as `lost` (the claim's check becomes
`unreachable`), the actor is replaced, and the audit goes on. Ray is an optional extra: pip install verifier[ray]."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from verifier.errors import UsageError
from verifier.execution.interface import RunResult, RunSpec
from verifier.execution.pool import LocalPool
from verifier.execution.workers import WorkerSlots

log = logging.getLogger(__name__)
GRACE_S = 60.0


class SandboxWorker:
    """The body of a Ray actor: a warm local pool of one zygote on the worker's machine."""

    def __init__(self) -> None:
        self.pool = LocalPool(size=1)

    def run(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.pool.run(RunSpec(**spec)).to_json()

    def pid(self) -> int:
        import os

        return os.getpid()


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UsageError("--executor ray needs Ray: pip install 'verifier[ray]'") from None
    return ray


class RayExecutor:
    """Executor over Ray actors; `workers` runs at a time (like --jobs for the local pool)."""

    def __init__(self, address: str | None = None, workers: int = 2) -> None:
        self.ray = _ray()
        if not self.ray.is_initialized():
            self.ray.init(address=address, include_dashboard=False, log_to_driver=False,
                          ignore_reinit_error=True)
        self.workers = max(1, workers)
        self._actor_class = self.ray.remote(SandboxWorker)
        # CPU actors hold one CPU; CUDA actors one GPU and one CPU; `workers` of each kind at most
        self._slots: dict[str, WorkerSlots[Any]] = {
            "cpu": WorkerSlots(self.workers, lambda: self._actor_class.options(num_cpus=1).remote()),
            "cuda": WorkerSlots(self.workers, lambda: self._actor_class.options(num_gpus=1, num_cpus=1).remote()),
        }
        self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ray-run")

    @property
    def actors(self) -> list[Any]:
        """Every live actor, CPU and CUDA, idle or busy."""
        return [actor for slots in self._slots.values() for actor in slots.started()]

    def has_gpus(self) -> bool:
        return float(self.ray.cluster_resources().get("GPU", 0)) > 0

    def submit(self, spec: RunSpec) -> Future[RunResult]:
        return self._threads.submit(self._run, spec)

    def run(self, spec: RunSpec) -> RunResult:
        return self.submit(spec).result()

    def _kind(self, spec: RunSpec) -> str:
        if spec.device == "cuda" or (spec.device == "auto" and self.has_gpus()):
            return "cuda"
        return "cpu"

    def _run(self, spec: RunSpec) -> RunResult:
        kind = self._kind(spec)
        if spec.device == "cuda" and not self.has_gpus():
            return RunResult(status="skipped", reason="needs a cuda device; the Ray cluster has no GPU")
        slots = self._slots[kind]
        actor = slots.acquire()
        try:
            data = self.ray.get(actor.run.remote(spec.to_json()), timeout=spec.timeout_s + GRACE_S)
        except Exception as exc:  # RayActorError, ActorDiedError, GetTimeoutError, node loss
            self._kill(actor)
            slots.discard(actor)  # a replacement starts in its slot on the next run
            return RunResult(status="lost", reason=f"the Ray worker running it was lost: {type(exc).__name__}: "
                                                   f"{str(exc).splitlines()[0] if str(exc) else ''}"[:400])
        slots.release(actor)
        return RunResult.from_json(data)

    def _kill(self, actor: Any) -> None:
        try:
            self.ray.kill(actor)
        except Exception as exc:  # already gone
            log.debug("could not kill an actor: %s", exc)

    def shutdown(self, wait: bool = True) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=True)
        for slots in self._slots.values():
            for actor in slots.drain():
                self._kill(actor)
