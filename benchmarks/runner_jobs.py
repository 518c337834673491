"""Figure: wall time of 20 CPU-bound snippets with 2 workers vs 1 (`--jobs 2` vs `--jobs 1`).

Each snippet is a pure-Python loop of about 0.4 s. Both pools are started before timing; median of 3."""

from __future__ import annotations

import statistics
import sys
import time
from concurrent.futures import wait

from verifier.execution.interface import RunSpec
from verifier.execution.pool import LocalPool

CODE = "total = 0\nfor i in range(6_000_000):\n    total += i * i % 7\nprint(total)"
COUNT, REPEATS = 20, 3


def wall(pool: LocalPool) -> float:
    start = time.perf_counter()
    futures = [pool.submit(RunSpec(mode="snippet", code=CODE)) for _ in range(COUNT)]
    wait(futures)
    assert all(f.result().status == "ok" for f in futures)
    return time.perf_counter() - start


def main() -> int:
    results: dict[int, list[float]] = {1: [], 2: []}
    with LocalPool(size=1) as one, LocalPool(size=2) as two:
        for pool in (one, two):
            wait([pool.submit(RunSpec(mode="snippet", code="print(0)")) for _ in range(pool.size)])
        for _ in range(REPEATS):
            results[1].append(wall(one))
            results[2].append(wall(two))
    t1, t2 = statistics.median(results[1]), statistics.median(results[2])
    print(f"runner_jobs: {COUNT} CPU-bound snippets: jobs=1 median {t1:.2f} s, jobs=2 median {t2:.2f} s, "
          f"speed-up {t1 / t2:.2f}x on {REPEATS} repeats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
