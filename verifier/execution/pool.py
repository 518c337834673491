"""The local warm pool: N warm workers (zygotes), each forking one isolated child per run.

`submit` returns a concurrent.futures.Future, like any Executor. Workers start lazily on the first run
(importing torch takes a second or two; an audit without code claims never pays it). A worker that stops
answering is killed and replaced; the run it held ends as `sandbox_error`, never as a finding."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

import verifier
from verifier.execution.interface import RunResult, RunSpec
from verifier.execution.workers import WorkerSlots
from verifier.execution.zygote import kill_group, sweep_work_dirs

log = logging.getLogger(__name__)
STARTUP_TIMEOUT_S = 120.0
WATCHDOG_MARGIN_S = 30.0
PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "CUDA_VISIBLE_DEVICES",
                  "LD_LIBRARY_PATH", "TMPDIR")


def worker_environment(threads: int) -> dict[str, str]:
    """A scrubbed environment: no tokens or keys leak into snippets; thread counts pinned."""
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    package_parent = str(Path(verifier.__file__).resolve().parent.parent)
    env.update({
        "PYTHONPATH": package_parent, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
        "MPLBACKEND": "Agg", "HOME": tempfile.gettempdir(), "TF_CPP_MIN_LOG_LEVEL": "2",
    })
    return env


class Zygote:
    """One warm worker process and its protocol pipes."""

    def __init__(self, threads: int) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, "-s", "-m", "verifier.execution.zygote"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.log, env=worker_environment(threads), cwd="/",
            text=True, bufsize=1)
        self.counter = 0
        self.temp_root: str | None = None
        self.pids_cgroup: str | None = None
        ready = self._read_line(STARTUP_TIMEOUT_S)
        if ready is None or not json.loads(ready).get("ready"):
            self.close()
            raise RuntimeError(f"the warm worker failed to start: {self.stderr_tail()}")
        self.temp_root = str(json.loads(ready)["temp_root"])  # where its work dirs are
        self.pids_cgroup = json.loads(ready).get("pids_cgroup")  # where its children are (root only)

    def stderr_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")[-2000:].strip() or "no output"

    def _read_line(self, timeout: float) -> str | None:
        stdout: IO[str] | None = self.process.stdout
        assert stdout is not None
        ready, _, _ = select.select([stdout], [], [], timeout)
        if not ready:
            return None
        line = stdout.readline()
        return line or None

    def run(self, spec: RunSpec, request: str | None = None) -> RunResult:
        """`request`: the spec already encoded as JSON (see `encode`)."""
        assert self.process.stdin is not None
        self.counter += 1
        body = request if request is not None else encode(spec)
        self.process.stdin.write(f'{{"id": {self.counter}, "spec": {body}}}\n')
        self.process.stdin.flush()
        line = self._read_line(spec.timeout_s + WATCHDOG_MARGIN_S)
        if line is None:
            raise TimeoutError("the warm worker stopped answering")
        response = json.loads(line)
        return RunResult.from_json(response["result"])

    def close(self) -> None:
        """Ask the worker to finish (it removes its cgroup), kill it if it does not."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.log.close()
        if self.pids_cgroup:  # a worker that was killed mid-run could not wait for its run's processes
            kill_group(self.pids_cgroup)
        if self.temp_root:  # a worker that was killed mid-run could not remove its run's work dir
            sweep_work_dirs(Path(self.temp_root), only_pid=self.process.pid)


def encode(spec: RunSpec) -> str:
    """The spec as strict JSON; ValueError for anything JSON cannot carry (a date, bytes, NaN)."""
    try:
        return json.dumps(spec.to_json(), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the run's parameters are not plain JSON values: {exc}") from exc


class LocalPool:
    """Executor over `size` warm workers on this machine."""

    def __init__(self, size: int = 1, threads: int = 1) -> None:
        self.size = max(1, size)
        self.threads = threads
        self._workers = WorkerSlots(self.size, lambda: Zygote(threads))
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="sandbox")

    @property
    def zygotes(self) -> list[Zygote]:
        """The warm workers started and still in use, idle or busy."""
        return self._workers.started()

    def submit(self, spec: RunSpec) -> Future[RunResult]:
        return self._threads.submit(self._run, spec)

    def run(self, spec: RunSpec) -> RunResult:
        return self.submit(spec).result()

    def _run(self, spec: RunSpec) -> RunResult:
        try:
            request = encode(spec)
        except ValueError as exc:  # refused before any worker is involved (it stays usable)
            return RunResult(status="invalid", reason=str(exc))
        try:
            zygote = self._workers.acquire()
        except RuntimeError as exc:
            return RunResult(status="sandbox_error", reason=str(exc))
        try:
            result = zygote.run(spec, request)
        except (TimeoutError, OSError, ValueError, KeyError, TypeError) as exc:
            reason = f"{exc}; worker log: {zygote.stderr_tail()}"
            zygote.close()
            self._workers.discard(zygote)
            return RunResult(status="sandbox_error", reason=reason)
        self._workers.release(zygote)
        return result

    def shutdown(self, wait: bool = True) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=True)
        for zygote in self._workers.drain():
            zygote.close()

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
