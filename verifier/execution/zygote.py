"""The warm worker: a long-lived process that has imported numpy and torch once and forks one fresh,
isolated child per run (tens of milliseconds instead of seconds for a new interpreter).

It never runs torch code itself: forking a process whose OpenMP pool has started can deadlock the child.
Protocol: one JSON request per line on stdin, one JSON response per line on a private copy of stdout;
fd 1 itself points at /dev/null so nothing a library prints can corrupt the protocol.

Started by `LocalPool` as `python -s -m verifier.execution.zygote` with a scrubbed environment."""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from verifier.execution.sandbox_child import NOBODY, RESULT_FILE, child_main

GRACE_S = 1.0
PIDS_MAX = 256


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _read_capped(path: Path, limit: int) -> tuple[str, bool]:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        return "", False
    return data[:limit].decode("utf-8", errors="replace"), len(data) > limit


def _wait(pid: int, timeout: float) -> tuple[int | None, bool]:
    """Wait for the child; (exit code or None, timed out)."""
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        timed_out = not ready
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), timed_out
    finally:
        os.close(fd)


def readable_by_all(paths: list[str]) -> bool:
    """True when every folder on the way to these paths can be entered and read by any user, so a
    child can drop root and still import the standard library and site-packages."""
    for path in paths:
        current = Path(path).resolve()
        for part in (current, *current.parents):
            try:
                mode = part.stat().st_mode
            except OSError:
                return False
            if mode & 5 != 5:
                return False
    return True


def _remove_stale_groups(base: Path) -> None:
    """Groups of workers that were killed before they could remove their own (empty ones only)."""
    for group in base.glob("verifier-*"):
        pid = group.name.removeprefix("verifier-")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            with contextlib.suppress(OSError):
                group.rmdir()


def pids_cgroup(limit: int) -> str | None:
    """A pids cgroup (v1 or v2) for this worker's children, so a fork bomb stops at `limit` processes
    even for root, whom RLIMIT_NPROC does not bind. None where cgroups are not writable."""
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if not (base / "cgroup.procs").exists() or not os.access(base, os.W_OK):
            continue
        _remove_stale_groups(base)
        group = base / f"verifier-{os.getpid()}"
        try:
            group.mkdir(exist_ok=True)
            (group / "pids.max").write_text(str(limit))
            return str(group)
        except OSError:
            continue
    return None


def run_one(spec: dict[str, Any], protocol_fds: list[int], options: dict[str, Any]) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="verifier-run-"))
    try:
        if os.getuid() == 0 and options["drop_root"]:
            os.chown(workdir, NOBODY, NOBODY)
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            child_main(spec, workdir, protocol_fds, options)
        exit_code, timed_out = _wait(pid, float(spec["timeout_s"]) + GRACE_S)
        duration = time.perf_counter() - started
        limit = int(spec["output_limit"])
        stdout, cut_out = _read_capped(workdir / "stdout.txt", limit)
        stderr, cut_err = _read_capped(workdir / "stderr.txt", limit)
        result: dict[str, Any] = {}
        result_path = workdir / RESULT_FILE
        if result_path.is_file():
            try:
                result = json.loads(result_path.read_text(encoding="utf-8"))
            except ValueError:
                result = {}
        if timed_out:
            result = {**result, "status": "timeout",
                      "reason": f"timed out after {spec['timeout_s']:g} s; the process group was killed"}
        elif not result:
            result = {"status": "killed", "reason": _death_reason(exit_code)}
        result.update(stdout=stdout, stderr=stderr, truncated=cut_out or cut_err, exit_code=exit_code,
                      duration_s=duration)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _death_reason(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        name = signal.Signals(-exit_code).name
        extra = {"SIGXCPU": " (CPU time limit)", "SIGKILL": " (killed: memory or process limit)",
                 "SIGSEGV": " (segmentation fault)", "SIGXFSZ": " (file size limit)"}.get(name, "")
        return f"died from {name}{extra}"
    return f"exited with code {exit_code} before reporting a result"


def main() -> None:
    protocol_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    import sysconfig

    import numpy  # noqa: F401  (warm imports: the point of this process)
    import torch  # noqa: F401

    paths = [sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], sys.prefix]
    options = {"baseline_vm": _vm_size(), "drop_root": readable_by_all(paths), "pids_max": PIDS_MAX,
               "pids_cgroup": pids_cgroup(PIDS_MAX) if os.getuid() == 0 else None}
    out = os.fdopen(protocol_out, "w", buffering=1, encoding="utf-8")
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            response = {"id": request["id"], "result": run_one(request["spec"], [0, protocol_out], options)}
        except Exception as exc:  # report, keep serving
            response = {"id": request.get("id"), "result": {"status": "sandbox_error",
                                                            "reason": f"{type(exc).__name__}: {exc}"}}
        out.write(json.dumps(response, default=repr) + "\n")
    if options["pids_cgroup"]:
        with contextlib.suppress(OSError):
            os.rmdir(str(options["pids_cgroup"]))


if __name__ == "__main__":
    main()
