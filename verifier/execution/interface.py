"""The Executor seam: a RunSpec goes in, a Future of a RunResult comes out (concurrent.futures shape).

The local warm pool implements it; a cluster engine (Ray) can replace it without the checkers noticing.
Specs and results are plain frozen dataclasses of JSON-able values, because they cross processes."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

from verifier.results.evidence import RunStatus

RunMode = Literal["snippet", "call"]


@dataclass(frozen=True)
class RunSpec:
    """One sandboxed run: a snippet as written (`snippet`) or a reproduction/check function (`call`)."""

    mode: RunMode
    code: str = ""
    target: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    project_root: str = ""
    device: str = "auto"
    seed: int | None = None
    timeout_s: float = 60.0
    memory_mb: int = 4096
    disk_mb: int = 512  # the run's private /tmp (its work dir) and /dev/shm, each a tmpfs of this size
    output_limit: int = 1 << 20
    threads: int = 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RunResult:
    """What happened, measured: output, exception, limits hit, device and environment."""

    status: RunStatus
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    exception: dict[str, str] | None = None
    value: Any = None
    duration_s: float = 0.0
    exit_code: int | None = None
    reason: str = ""
    device: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        """Fields this version does not know (a worker of another version, a remote actor) are left out."""
        return cls(**{key: value for key, value in data.items() if key in cls.__dataclass_fields__})


class Executor(Protocol):
    """Runs specs somewhere isolated; never in the calling process."""

    def submit(self, spec: RunSpec) -> Future[RunResult]: ...

    def shutdown(self, wait: bool = True) -> None: ...
