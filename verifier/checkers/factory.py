"""Build the checkers of one audit from its options (the only place that wires concrete classes)."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from verifier.checkers.code import CodeChecker
from verifier.checkers.fact import FactChecker
from verifier.checkers.interface import Checker
from verifier.checkers.math import MathChecker
from verifier.checkers.unchecked import UncheckedChecker
from verifier.config import Settings
from verifier.execution.interface import RunResult, RunSpec
from verifier.execution.pool import LocalPool
from verifier.execution.runner import SandboxRunner
from verifier.registry.records import Registry


@dataclass(frozen=True)
class CheckerOptions:
    offline: bool = False
    device: str = "auto"
    jobs: int = 1
    seeds: int | None = None
    snapshot: Path | None = None
    fresh: bool = False


class ClosingPool:
    """Starts the warm pool only when a run is submitted; closes it when the audit ends."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: LocalPool | None = None

    def submit(self, spec: RunSpec) -> Future[RunResult]:
        if self._pool is None:
            self._pool = LocalPool(size=self.jobs)
        return self._pool.submit(spec)

    def shutdown(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait)
            self._pool = None


@dataclass
class Checkers:
    """The checkers of one audit, by claim kind, and what must be closed after it."""

    by_kind: dict[str, Checker]
    executor: ClosingPool

    def close(self) -> None:
        self.executor.shutdown()


def build_checkers(registry: Registry, settings: Settings, options: CheckerOptions) -> Checkers:
    executor = ClosingPool(options.jobs)
    runner = SandboxRunner(executor, str(registry.project_root))
    return Checkers(
        by_kind={
            "citation": UncheckedChecker("no reference index is configured"),
            "code": CodeChecker(runner, registry.reproductions, options.device, options.seeds),
            "math": MathChecker(runner, registry.reproductions, options.device),
            "fact": FactChecker(),
        },
        executor=executor,
    )
