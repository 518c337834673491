"""The Ray executor: same results as the local pool, lost workers handled, GPU requests honoured."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.execution.interface import RunSpec

ray = pytest.importorskip("ray", reason="the ray extra is installed by `make test`")
pytestmark = pytest.mark.timeout(300)

EXTRA = """
- id: refuted-output
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: prints 0.7
  code: print(round(2.0 / 3.0, 4))
  printed: "0.7000"
- id: broken-call
  source: demo
  kind: code
  quote: "Here it is:"
  statement: runs
  code: import numpy as np; print(np.ones(3) @ np.ones(4))
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def comparable(stdout: str) -> dict[str, tuple[str, list[str], list[str]]]:
    results = json.loads(stdout)["results"]
    return {r["claim_id"]: (r["status"], [c["status"] for c in r["checks"]],
                            [run["stdout"] for c in r["checks"] for run in c["evidence"].get("runs", [])])
            for r in results}


def test_same_report_as_the_local_pool(project: Path) -> None:
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + EXTRA)
    args = ("audit", "--kind", "code", "--format", "json", "--fresh", "--jobs", "2")
    local = run_cli(*args, cwd=project)
    remote = run_cli(*args, "--executor", "ray", cwd=project)
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    assert comparable(local.stdout) == comparable(remote.stdout)
    assert comparable(remote.stdout)["refuted-output"][0] == "refuted"
    math_local = run_cli("audit", "--kind", "math", "--format", "json", "--fresh", cwd=project)
    math_remote = run_cli("audit", "--kind", "math", "--format", "json", "--fresh", "--executor", "ray", cwd=project)
    assert comparable(math_local.stdout) == comparable(math_remote.stdout)


def test_a_lost_worker_ends_that_run_as_lost_and_the_next_run_works(cluster: None) -> None:
    from verifier.execution.ray_executor import RayExecutor

    executor = RayExecutor(workers=1)
    try:
        assert executor.run(RunSpec(mode="snippet", code="print('warm')")).stdout == "warm\n"
        future = executor.submit(RunSpec(mode="snippet", code="import time\ntime.sleep(60)", timeout_s=120))
        time.sleep(2.0)
        killer = threading.Thread(target=lambda: [ray.kill(a) for a in list(executor.actors)])
        killer.start()
        killer.join()
        result = future.result(timeout=120)
        assert result.status == "lost" and "lost" in result.reason
        after = executor.run(RunSpec(mode="snippet", code="print('again')"))
        assert after.status == "ok" and after.stdout == "again\n"
    finally:
        executor.shutdown()


def test_cuda_runs_are_skipped_on_a_cluster_without_gpus(cluster: None) -> None:
    from verifier.execution.ray_executor import RayExecutor

    executor = RayExecutor(workers=1)
    try:
        if executor.has_gpus():  # pragma: no cover - only on GPU clusters
            assert executor.run(RunSpec(mode="snippet", code="print(1)", device="cuda")).status == "ok"
            return
        result = executor.run(RunSpec(mode="snippet", code="print(1)", device="cuda"))
        assert result.status == "skipped" and "no GPU" in result.reason
    finally:
        executor.shutdown()


def test_lost_runs_are_unreachable_not_findings() -> None:
    from verifier.execution.interface import RunResult
    from verifier.execution.runner import SandboxRunner
    from verifier.verdicts import Status

    assert SandboxRunner._failure([(None, RunResult(status="lost", reason="node died"))], ours=False) == (
        Status.UNREACHABLE, "node died")
