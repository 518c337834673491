"""The warm worker: a long-lived process that has imported numpy and torch once and forks one fresh,
isolated child per run (tens of milliseconds instead of seconds for a new interpreter).

It never runs torch code itself: forking a process whose OpenMP pool has started can deadlock the child.
Protocol: one JSON request per line on stdin, one JSON response per line on a private copy of stdout;
fd 1 itself points at /dev/null so nothing a library prints can corrupt the protocol.

Started by `LocalPool` as `python -s -m verifier.execution.zygote` with a scrubbed environment."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.execution import channel
from verifier.execution.isolation import NOBODY
from verifier.execution.sandbox_child import child_main

GRACE_S = 1.0
DRAIN_S = 1.0
PIDS_MAX = 256
RUN_PREFIX = "verifier-run-"
CHUNK = 1 << 16


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@dataclass
class Collected:
    """What came out of one child through the pipes the worker opened: capped bytes per stream."""

    data: dict[str, bytearray] = field(default_factory=dict)
    over: dict[str, bool] = field(default_factory=dict)
    exit_code: int | None = None
    timed_out: bool = False


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


class _Streams:
    """The read ends of the child's pipes, each kept up to its limit."""

    def __init__(self, fds: dict[str, int], limits: dict[str, int], got: Collected) -> None:
        self.open = dict(fds)
        self.limits = limits
        self.got = got

    def read(self, ready: list[int]) -> None:
        for name, fd in list(self.open.items()):
            if fd in ready:
                self._take(name, fd, os.read(fd, CHUNK))

    def _take(self, name: str, fd: int, chunk: bytes) -> None:
        if not chunk:
            self._close(name)
            return
        room = self.limits[name] - len(self.got.data[name])
        self.got.data[name] += chunk[:max(0, room)]
        if len(chunk) > room:
            self.got.over[name] = True
            if name == "result":  # no more of it: the child's next write fails
                self._close(name)

    def _close(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.close(self.open.pop(name))

    def close_all(self) -> None:
        for name in list(self.open):
            self._close(name)


def collect(pid: int, fds: dict[str, int], timeout: float, limits: dict[str, int]) -> Collected:
    """Read the child's stdout, stderr and result pipes while waiting for it, up to `timeout` seconds.

    Output beyond its limit is read and dropped (the child never blocks on a full pipe); a result
    beyond its limit closes that pipe (the child's next write fails). After the child exits, whatever
    its namespace still had in flight is drained for at most DRAIN_S."""
    got = Collected(data={name: bytearray() for name in fds}, over=dict.fromkeys(fds, False))
    streams = _Streams(fds, limits, got)
    pidfd = os.pidfd_open(pid)
    deadline = time.monotonic() + timeout
    exited_at: float | None = None
    try:
        while streams.open or exited_at is None:
            now = time.monotonic()
            if exited_at is None and now >= deadline and not got.timed_out:
                got.timed_out = True
                _kill(pid)
            if exited_at is not None:
                wait = exited_at + DRAIN_S - now
                if wait <= 0:
                    break
            else:
                wait = 1.0 if got.timed_out else deadline - now
            watched = list(streams.open.values()) + ([pidfd] if exited_at is None else [])
            ready, _, _ = select.select(watched, [], [], wait)
            if pidfd in ready:
                exited_at = time.monotonic()
            streams.read(ready)
    finally:
        os.close(pidfd)
        streams.close_all()
    _, status = os.waitpid(pid, 0)
    got.exit_code = os.waitstatus_to_exitcode(status)
    return got


def pids_alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def sweep_work_dirs(base: Path, only_pid: int | None = None) -> list[Path]:
    """Remove work dirs of workers that are gone (killed before they could remove their own): ours by
    owner, named verifier-run-<worker pid>-*. Returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for path in base.glob(f"{RUN_PREFIX}*-*"):
            owner = path.name.removeprefix(RUN_PREFIX).split("-", 1)[0]
            if not owner.isdigit() or (only_pid is not None and int(owner) != only_pid):
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            ours = {os.getuid(), NOBODY} if os.getuid() == 0 else {os.getuid()}  # root hands them to nobody
            if info.st_uid not in ours or not path.is_dir() or path.is_symlink() or pids_alive(int(owner)):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _remove_work_dir(workdir: Path) -> None:
    try:
        workdir.rmdir()  # the usual case: only the mount point of the child's private root
    except OSError:
        shutil.rmtree(workdir, ignore_errors=True)


def _remove_stale_groups(base: Path) -> None:
    """Groups of workers that were killed before they could remove their own (empty ones only)."""
    for group in base.glob("verifier-*"):
        pid = group.name.removeprefix("verifier-")
        if pid.isdigit() and not pids_alive(int(pid)):
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


def kill_group(group: str, patience_s: float = 5.0) -> list[int]:
    """Kill every process left in a dead worker's pids cgroup, then remove the group. Returns the pids
    killed. The belt to PR_SET_PDEATHSIG's braces: a snippet can clear its own death signal, but it cannot
    leave the cgroup (cgroupfs is read-only and outside its user namespace). Repeated until the group is
    empty: a fork between the read and the kill is caught on the next pass (pids.max bounds how many)."""
    killed: list[int] = []
    deadline = time.monotonic() + patience_s
    procs = Path(group, "cgroup.procs")
    while time.monotonic() < deadline:
        try:
            pids = [int(line) for line in procs.read_text().split()]
        except (OSError, ValueError):
            return killed
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        os.rmdir(group)
    return killed


def _text(data: bytearray) -> str:
    return bytes(data).decode("utf-8", errors="replace")


def judge(spec: dict[str, Any], got: Collected) -> dict[str, Any]:
    """The RunResult fields from what the child sent and how it ended (see `channel`)."""
    start, end, problem = channel.parse(bytes(got.data["result"]), str(spec["mode"]))
    result: dict[str, Any] = {}
    if start is not None:
        result.update(device=start.device, environment=start.environment)
    if got.timed_out:
        result.update(status="timeout",
                      reason=f"timed out after {spec['timeout_s']:g} s; the process group was killed")
    elif got.over["result"]:
        result.update(status="invalid", reason=f"the run sent a result larger than {channel.RESULT_LIMIT >> 20} MB; "
                      "refused (a reproduction's value must be small)")
    elif problem is not None:
        result.update(status="invalid", reason=f"the run's result was refused: {problem}")
    elif end is not None and end.status == "ok" and got.exit_code != 0:
        result.update(status="invalid", reason=f"the run reported success but exited with code {got.exit_code}")
    elif end is not None:
        result.update(status=end.status, value=end.value,
                      exception=end.exception.model_dump() if end.exception else None)
        if end.exception and any(f"[Errno {n}]" in end.exception.message for n in (errno.ENOSPC, errno.EFBIG)):
            result["reason"] = (f"the run's disk quota is full ({spec.get('disk_mb', 512)} MB for /tmp, "
                                "its work dir)")
    elif start is not None and start.skipped:
        result.update(status="skipped", reason=start.skipped)
    elif start is not None and got.exit_code == 0:  # os._exit(0): a success the snippet could always claim
        result.update(status="ok", reason="exited with code 0 without returning to the harness")
    else:
        result.update(status="killed", reason=_death_reason(got.exit_code))
    return result


def run_one(spec: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
    pipes = {name: os.pipe() for name in ("stdout", "stderr", "result")}
    unclosed = {fd for pair in pipes.values() for fd in pair}
    try:
        if os.getuid() == 0:
            os.chown(workdir, NOBODY, NOBODY)  # used as is only where no private root could be built
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            child_main(spec, {name: write for name, (_, write) in pipes.items()}, str(workdir), options)
        for _, write in pipes.values():
            os.close(write)
        unclosed.clear()  # collect() owns the read ends from here on
        limit = int(spec["output_limit"])
        got = collect(pid, {name: read for name, (read, _) in pipes.items()}, float(spec["timeout_s"]) + GRACE_S,
                      {"stdout": limit, "stderr": limit, "result": channel.RESULT_LIMIT})
        result = judge(spec, got)
        result.update(stdout=_text(got.data["stdout"]), stderr=_text(got.data["stderr"]),
                      truncated=got.over["stdout"] or got.over["stderr"], exit_code=got.exit_code,
                      duration_s=time.perf_counter() - started)
        return result
    finally:
        for fd in unclosed:
            with contextlib.suppress(OSError):
                os.close(fd)
        _remove_work_dir(workdir)


def _death_reason(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        name = signal.Signals(-exit_code).name
        extra = {"SIGXCPU": " (CPU time limit)", "SIGKILL": " (killed: memory or process limit)",
                 "SIGSEGV": " (segmentation fault)", "SIGXFSZ": " (file size limit)"}.get(name, "")
        return f"died from {name}{extra}"
    if exit_code is not None and 128 < exit_code <= 128 + 64:  # the snippet died (its namespace's PID 1 passes 128 + n)
        with contextlib.suppress(ValueError):
            return _death_reason(128 - exit_code)
    return f"exited with code {exit_code} before reporting a result"


def main() -> None:
    protocol_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    import sysconfig

    import numpy  # noqa: F401  (warm imports: the point of this process)
    import torch  # noqa: F401

    import verifier

    sweep_work_dirs(Path(tempfile.gettempdir()))
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
             *(entry for entry in sys.path if entry and os.path.isabs(entry))]
    options = {"baseline_vm": _vm_size(), "worker_pid": os.getpid(), "pids_max": PIDS_MAX,
               "pids_cgroup": pids_cgroup(PIDS_MAX) if os.getuid() == 0 else None,
               "python_paths": [p for p in paths if os.path.realpath(p) != _project_root(verifier)],
               "package_dir": str(Path(verifier.__file__).resolve().parent)}
    os.set_inheritable(protocol_out, False)
    out = os.fdopen(protocol_out, "w", buffering=1, encoding="utf-8")
    out.write(json.dumps({"ready": True, "pid": os.getpid(), "temp_root": tempfile.gettempdir(),
                          "pids_cgroup": options["pids_cgroup"]}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            response = {"id": request["id"], "result": run_one(request["spec"], options)}
        except Exception as exc:  # report, keep serving
            response = {"id": request.get("id"), "result": {"status": "sandbox_error",
                                                            "reason": f"{type(exc).__name__}: {exc}"}}
        out.write(json.dumps(response, default=repr) + "\n")
    if options["pids_cgroup"]:
        with contextlib.suppress(OSError):
            os.rmdir(str(options["pids_cgroup"]))


def _project_root(package: Any) -> str:
    """The folder that holds the `verifier` package (a project checkout): never exposed whole."""
    return os.path.realpath(Path(package.__file__).resolve().parent.parent)


if __name__ == "__main__":
    main()
