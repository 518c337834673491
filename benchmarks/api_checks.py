"""Figure: what an api claim costs. (1) The sandboxed probe of one name through the warm pool (median of
several runs per name). (2) The release-history search of a removed name against the loopback PyPI
server with 40 releases: wheels read, bytes read against the wheels' total size, and a second search
(cached: no request)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pypi_server import PypiState, build_wheel, pypi_server  # noqa: E402
from verifier.apicheck.history import PackageIndex  # noqa: E402
from verifier.apicheck.probe import parse_output, snippet  # noqa: E402
from verifier.execution.pool import LocalPool  # noqa: E402
from verifier.execution.runner import CodeRequest, SandboxRunner  # noqa: E402
from verifier.results.evidence import RunEvidence  # noqa: E402

NAMES = [("numpy", "numpy.linalg.svd"), ("scipy", "scipy.optimize.fmin_ncg"), ("scipy", "scipy.misc.derivative"),
         ("torch", "torch.nn.MultiheadAttention"), ("scipy", "scipy.optimize.fmin_unc")]
RUNS = 5


def probe_costs() -> None:
    pool = LocalPool(size=1)
    runner = SandboxRunner(pool, str(ROOT))
    try:
        runner.check("warm-up", CodeRequest(code="pass"), ours=True)
        for package, name in NAMES:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                result = runner.check("probe", CodeRequest(code=snippet(package, name, None)), ours=True)
                times.append(time.perf_counter() - started)
                assert isinstance(result.evidence, RunEvidence)
                seen = parse_output(result.evidence.runs[0].stdout)
            found = seen.found if seen else None
            print(f"probe {name:32} found={found!s:5} median {statistics.median(times) * 1000:7.1f} ms "
                  f"(min {min(times) * 1000:.1f}, {RUNS} runs)")
    finally:
        pool.shutdown()


def history_costs() -> None:
    old = {"lib/__init__.py": "from .core import *\n", "lib/core.py": "__all__ = ['gone']\ndef gone():\n    pass\n"}
    new = {"lib/__init__.py": "from .core import *\n", "lib/core.py": "__all__ = []\n"}
    state = PypiState()
    for minor in range(40):
        state.add("lib", f"1.{minor}.0", f"lib-1.{minor}.0-py3-none-any.whl", build_wheel(old if minor < 23 else new))
    total = sum(len(data) for _, data in state.projects["lib"].values())
    with pypi_server(state) as url, tempfile.TemporaryDirectory() as home:
        index = PackageIndex(url, Path(home) / "pypi.sqlite")
        started = time.perf_counter()
        history = index.history("lib", "lib.gone", "2.0.0")
        seconds = time.perf_counter() - started
        read = sum(sent for _, path, sent in state.log if path.startswith("/files/"))
        requests = len(state.log)
        started = time.perf_counter()
        index.history("lib", "lib.gone", "2.0.0")
        again = time.perf_counter() - started
        index.close()
    print(f"history of a name removed after 1.22.0 among 40 releases: last_with={history.last_with}, "
          f"{len(history.checked)} wheels read, {requests} requests, {read / 1e6:.2f} MB of {total / 1e6:.1f} MB "
          f"({read / total:.1%}), {seconds:.2f} s; again (cached) {again * 1000:.1f} ms, "
          f"{len(state.log) - requests} requests")


if __name__ == "__main__":
    probe_costs()
    history_costs()
