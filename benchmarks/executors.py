"""Figure: 40 CPU-bound reproductions through the local warm pool vs Ray on this machine (2 workers each),
wall times and per-task overhead (median round trip of a trivial run, minus nothing: it is all overhead).

Both executors are started and warmed before timing; the reproductions are the chat's numpy derivative
port (reproductions/attention_derivative.py) made CPU-bound by a loop of 200 evaluations per task."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from concurrent.futures import wait
from pathlib import Path

import ray

from verifier.execution.interface import RunSpec
from verifier.execution.pool import LocalPool
from verifier.execution.ray_executor import RayExecutor

TASKS, WORKERS, TRIVIAL = 40, 2, 20
REPRO = '''
import numpy as np
def busy(device, repeats=200):
    total = 0.0
    for _ in range(repeats):
        x = np.linspace(-5, 5, 2000)
        y = x**2 + 2 * x - 3
        for q in (0.99, 1.01):
            s = np.exp(-0.5 * (q - x) ** 2)
            total += float(np.sum(s / s.sum() * y))
    print(f"{total:.6f}")
'''


def timed(executor: object, specs: list[RunSpec]) -> float:
    start = time.perf_counter()
    futures = [executor.submit(spec) for spec in specs]  # type: ignore[attr-defined]
    wait(futures)
    assert all(f.result().status == "ok" for f in futures), [f.result().reason for f in futures][:2]
    return time.perf_counter() - start


def overhead(executor: object) -> float:
    times = []
    for _ in range(TRIVIAL):
        start = time.perf_counter()
        executor.run(RunSpec(mode="snippet", code="pass"))  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "reproductions").mkdir()
        (Path(tmp) / "reproductions" / "busy.py").write_text(REPRO)
        specs = [RunSpec(mode="call", target="busy:busy", project_root=tmp, params={"repeats": 4000})
                 for _ in range(TASKS)]
        ray.init(num_cpus=WORKERS, include_dashboard=False, log_to_driver=False)
        local, remote = LocalPool(size=WORKERS), RayExecutor(workers=WORKERS)
        try:
            start = time.perf_counter()
            wait([remote.submit(RunSpec(mode="snippet", code="pass")) for _ in range(WORKERS)])
            ray_warm = time.perf_counter() - start
            wait([local.submit(RunSpec(mode="snippet", code="pass")) for _ in range(WORKERS)])
            local_wall, ray_wall = timed(local, specs), timed(remote, specs)
            local_over, ray_over = overhead(local), overhead(remote)
        finally:
            local.shutdown()
            remote.shutdown()
            ray.shutdown()
    print(f"executors: {TASKS} CPU-bound reproductions on {WORKERS} workers: local pool {local_wall:.2f} s, Ray "
          f"{ray_wall:.2f} s; per-task overhead (median trivial run) local {local_over * 1000:.1f} ms, Ray "
          f"{ray_over * 1000:.1f} ms; Ray actors ready in {ray_warm:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
