"""`verifier run`: one snippet through the same sandbox and comparison as an audit, outside any registry."""

from __future__ import annotations

from pathlib import Path

from verifier.config import Device
from verifier.results.models import CheckResult


def run_snippet(code: str, printed: str | None, seeds: int | None, device: Device, timeout: float,
                project_root: Path) -> CheckResult:
    """Run `code` as written (with seeds 0..seeds-1, or the seeds its randomness calls for) and compare what it
    prints with `printed`; the verdict and the runs are the check's result, as an audit would record them."""
    from verifier.execution.pool import LocalPool
    from verifier.execution.runner import CodeRequest, SandboxRunner, choose_seeds

    chosen = tuple(choose_seeds(code, [], seeds) if seeds is None else range(seeds))
    with LocalPool(size=1) as pool:
        runner = SandboxRunner(pool, str(project_root))
        return runner.check("as_written", CodeRequest(code=code, printed=printed, seeds=chosen,
                                                      device=device.value, timeout_s=timeout), ours=False)
