"""Figure: per-snippet cost of the warm pool vs a fresh `python -c` per snippet (targets: >= 20x, <= 50 ms).

The same 50 trivial snippets that import torch run both ways, interleaved in one process so that machine
load affects both alike. The warm pool's time includes the whole sandbox (fork, the private root built from
bind mounts and two tmpfs, pivot_root, the drop to nobody, user/mount/network/PID namespaces, a fresh
/proc, limits, the output and result pipes); the fresh process has no sandbox at all, so the ratio is
conservative."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from verifier.execution.interface import RunSpec
from verifier.execution.pool import LocalPool

SNIPPETS = [f"import torch\nprint(torch.tensor({i}).item() + 1)" for i in range(50)]


def main() -> int:
    warm: list[float] = []
    fresh: list[float] = []
    with LocalPool(size=1) as pool:
        pool.run(RunSpec(mode="snippet", code="print(0)"))  # start-up is paid once, not per snippet
        for code in SNIPPETS:
            start = time.perf_counter()
            result = pool.run(RunSpec(mode="snippet", code=code))
            warm.append(time.perf_counter() - start)
            assert result.status == "ok", result
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            fresh.append(time.perf_counter() - start)
    warm_median, fresh_median = statistics.median(warm), statistics.median(fresh)
    ratio = fresh_median / warm_median
    print(f"runner_overhead: {len(SNIPPETS)} torch snippets; warm pool median {warm_median * 1000:.1f} ms "
          f"(min {min(warm) * 1000:.1f}, max {max(warm) * 1000:.1f}); fresh python -c median "
          f"{fresh_median * 1000:.0f} ms; ratio {ratio:.1f}x (targets >= 20x, warm <= 50 ms)")
    return 0 if ratio >= 20 and warm_median <= 0.050 else 1


if __name__ == "__main__":
    sys.exit(main())
