"""What happens inside a sandboxed child, between fork and exit. Runs only in a forked child.

Order matters: die with the worker (PR_SET_PDEATHSIG, set again after every change of identity: the
kernel clears it when the uid changes, as the drop to `nobody` does); own process group; fds 0-3 wired to the pipes the
worker opened (stdin /dev/null, stdout, stderr, the result channel) and every other fd closed; the pids
cgroup; rlimits; then `isolation.isolate` (private root, unprivileged uid, new user/mount/network/PID
namespaces); private HOME/TMPDIR/caches in the work dir; a second fork into a new PID namespace with a
/proc of its own and no capabilities, whose PID 1 forks the snippet and reaps (`init_of_namespace`), so
the snippet dies of its own signals as under plain python, and everything dies with its parent. The result goes through
the channel (see `channel`), never through a file."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import select
import signal
import sys
import threading
import traceback
import types
from pathlib import Path
from typing import Any

from verifier.execution.isolation import drop_capabilities, isolate, libc, private_proc, undumpable

PR_SET_PDEATHSIG = 1
RESULT_FD = 3


def _set_limits(spec: dict[str, Any], baseline_vm: int) -> None:
    timeout = float(spec["timeout_s"])
    limits = {
        resource.RLIMIT_CPU: int(timeout * max(1, int(spec["threads"])) + 2),
        resource.RLIMIT_FSIZE: int(spec.get("disk_mb", 512)) << 20,
        resource.RLIMIT_NOFILE: 256,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NPROC: 512,
    }
    if spec["device"] == "cpu" or spec["device"] == "auto":
        # Address space relative to what the warm worker already maps (torch alone maps ~600 MB).
        limits[resource.RLIMIT_AS] = baseline_vm + (int(spec["memory_mb"]) << 20)
    for which, value in limits.items():
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))


def _wire(pipes: dict[str, int]) -> None:
    """fd 0 /dev/null, 1 and 2 the output pipes, 3 the result channel; nothing else stays open."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    wanted = {0: devnull, 1: pipes["stdout"], 2: pipes["stderr"], RESULT_FD: pipes["result"]}
    moved = {fd: os.dup(source) for fd, source in wanted.items()}  # above 3 before overwriting 0-3
    for fd, source in moved.items():
        os.dup2(source, fd)
    os.closerange(RESULT_FD + 1, 1 << 16)
    sys.stdout = open(1, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")  # noqa: SIM115


def private_environment(workdir: Path) -> dict[str, str]:
    """Point every home, temp and cache folder a library may use at the run's own writable work dir,
    before anything caches a path: the rest of the filesystem is read-only in the sandbox, and a fresh
    machine has no `/tmp/torchinductor_*` already there. `tempfile` caches its folder on first use, and
    the warm worker used it before the fork, so its cache is reset here."""
    folders = {"HOME": "home", "TMPDIR": "tmp", "XDG_CACHE_HOME": ".cache", "XDG_CONFIG_HOME": ".config",
               "XDG_DATA_HOME": ".local/share", "XDG_STATE_HOME": ".local/state", "XDG_RUNTIME_DIR": ".run",
               "TORCHINDUCTOR_CACHE_DIR": ".cache/torchinductor", "TRITON_CACHE_DIR": ".cache/triton",
               "TORCH_HOME": ".cache/torch", "MPLCONFIGDIR": ".config/matplotlib", "HF_HOME": ".cache/huggingface",
               "CUDA_CACHE_PATH": ".cache/nv", "PYTHONPYCACHEPREFIX": ".cache/pycache", "KERAS_HOME": ".keras"}
    env = {}
    for name, relative in folders.items():
        path = workdir / relative
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[name] = str(path)
    os.environ.update(env)
    import tempfile

    tempfile.tempdir = None
    return env


def die_with_worker(worker_pid: int) -> None:
    """SIGKILL when the worker dies; exit now if it already has (it died before the prctl took hold).

    Called again after every change of credentials: the kernel clears the death signal when the uid,
    gid or capabilities change (commit_creds), so the first one is gone after the drop to `nobody`."""
    libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != worker_pid:
        os._exit(1)


def die_with_parent(parent: int) -> None:
    """The same for PID 1 of the new PID namespace, whose parent is outside it (getppid() is 0 there):
    `parent` is a pidfd of that parent, readable once it has exited. Closed here: the snippet keeps no
    handle on the process that waits for it."""
    libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        gone, _, _ = select.select([parent], [], [], 0)
    finally:
        os.close(parent)
    if gone:
        os._exit(1)


def init_of_namespace() -> None:
    """PID 1 of the run's PID namespace forks the snippet and waits for it; returns only in the snippet.

    Why not run the snippet as PID 1: the kernel does not deliver to a namespace's init the signals it has
    no handler for, so a snippet that kills itself (SIGKILL, an unhandled SIGTERM, `signal.alarm`) would
    go on running where plain python dies. PID 1 holds none of the pipes, reaps orphans, and exits with the
    snippet's status (128 + n for a signal); its exit kills whatever the snippet left in the namespace."""
    snippet = os.fork()
    if snippet == 0:
        libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != 1:  # PID 1 is already gone
            os._exit(1)
        return
    for fd in (1, 2, RESULT_FD):  # only the snippet's process tree holds the pipes
        os.close(fd)
    undumpable()  # the snippet (same uid) cannot trace it or read its memory
    while True:
        try:
            done, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        if done == snippet:
            code = os.waitstatus_to_exitcode(status)
            os._exit(code if code >= 0 else 128 - code)


def child_main(spec: dict[str, Any], pipes: dict[str, int], root: str, options: dict[str, Any]) -> None:
    """Entry point of the forked child; never returns. `root`: the run's empty host work dir."""
    code = 1
    worker = int(options["worker_pid"])
    try:
        die_with_worker(worker)
        os.setpgid(0, 0)
        _wire(pipes)
        problems = []
        cgroup = options.get("pids_cgroup")
        if cgroup:
            try:
                Path(cgroup, "cgroup.procs").write_text(str(os.getpid()))
            except OSError as exc:
                problems.append(f"pids cgroup: {exc}")
        _set_limits(spec, int(options["baseline_vm"]))
        facts = isolate(root, spec, options)
        die_with_worker(worker)  # the drop to `nobody` in isolate() cleared it
        facts["problems"] = problems + facts["problems"]
        facts["pids_max"] = options.get("pids_max") if cgroup and not problems else None
        private_environment(Path(facts["work_dir"]))
        myself = os.pidfd_open(os.getpid()) if facts["pid_namespace"] else -1
        pid = os.fork() if facts["pid_namespace"] else 0
        if pid == 0:
            if facts["pid_namespace"]:
                problem = private_proc()
                facts["private_proc"] = problem is None
                if problem:
                    facts["problems"].append(problem)
            drop_capabilities()
            if facts["pid_namespace"]:
                die_with_parent(myself)  # last: no change of credentials after it
                init_of_namespace()  # returns only in the snippet's process
            else:
                die_with_worker(worker)
            _run(spec, facts)
        os.close(myself)
        for fd in (1, 2, RESULT_FD):  # only the snippet's process tree holds the pipes
            os.close(fd)
        undumpable()
        drop_capabilities()
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        code = code if code >= 0 else 128 - code
    finally:
        os._exit(code)


def _device(spec: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    import torch

    wanted = spec["device"]
    has_cuda = torch.cuda.is_available()
    if wanted == "cuda" and not has_cuda:
        return None, {"type": "cuda", "available": False}
    name = "cuda" if (wanted == "cuda" or (wanted == "auto" and has_cuda)) else "cpu"
    device = torch.device(name)
    label = torch.cuda.get_device_name(device) if name == "cuda" else _cpu_name()
    return device, {"type": name, "name": label, "available": True}


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def _seed(seed: int | None) -> None:
    if seed is None:
        return
    import random

    import numpy
    import torch

    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)


def _environment(facts: dict[str, Any]) -> dict[str, Any]:
    import platform

    import numpy
    import torch

    return {**facts, "python": platform.python_version(), "numpy": numpy.__version__,
            "torch": torch.__version__, "threads": torch.get_num_threads(),
            "cuda": torch.version.cuda}


def _send(message: dict[str, Any]) -> None:
    data = (json.dumps(message, default=repr, allow_nan=True) + "\n").encode("utf-8")
    view = memoryview(data)
    while view:
        view = view[os.write(RESULT_FD, view):]


def _exception(exc: BaseException) -> dict[str, str]:
    return {"type": type(exc).__name__, "message": str(exc)[:2000],
            "traceback": "".join(traceback.format_exception(exc))[-8000:]}


def _run(spec: dict[str, Any], facts: dict[str, Any]) -> None:
    """Start message (before any snippet code), the run, end message; exit 0 ok, 1 exception, 3 channel."""
    code = 0
    try:
        import torch

        torch.set_num_threads(int(spec["threads"]))
        device, device_info = _device(spec)
        skipped = None if device is not None else f"needs a {spec['device']} device; none is available"
        _send({"kind": "start", "device": device_info, "environment": _environment(facts), "skipped": skipped})
        if device is None:
            os._exit(0)
    except BaseException:  # no start message: the worker reports how the child died
        os._exit(3)
    end: dict[str, Any] = {"kind": "end", "status": "ok", "value": None}
    origin = os.getpid()
    try:
        _seed(spec.get("seed"))
        end["value"] = _execute(spec, device)
    except SystemExit as exc:
        if exc.code not in (0, None):
            code = 1
            end.update(status="exception", exception={"type": "SystemExit", "message": str(exc.code),
                                                      "traceback": ""})
    except BaseException as exc:  # the snippet's failure is the finding
        code = 1
        end.update(status="exception", exception=_exception(exc))
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if os.getpid() != origin:  # a copy the snippet forked left the snippet: only the run itself reports
        os._exit(code)
    try:
        _send(end)
    except (OSError, TypeError, ValueError, RecursionError):
        code = 3
    os._exit(code)


def _finish_like_python() -> None:
    """What `python snippet.py` does after the last line, before the process ends: wait for the threads the
    snippet started (all but daemon threads), then run its `atexit` handlers. The result is sent after this, so
    a line a thread or an exit handler prints is part of the output, as it is when the user runs the snippet
    (the result used to be sent at once, and such a line was lost: a false `mismatch`). A thread that never
    ends keeps the run going until its timeout, as it would keep the user's interpreter."""
    current = threading.current_thread()
    while waiting := [t for t in threading.enumerate() if t is not current and not t.daemon and t.is_alive()]:
        for thread in waiting:
            thread.join()
    atexit._run_exitfuncs()


def _execute(spec: dict[str, Any], device: Any) -> Any:
    import torch

    if spec["mode"] == "snippet":
        if device.type != "cpu":
            torch.set_default_device(device)
        # The snippet runs as the real `__main__` module, as `python snippet.py` would: pickle (and so a
        # multiprocessing Pool, an object sent to a worker) finds a function or class the snippet defines by
        # looking it up in sys.modules["__main__"]; with a bare dict it found the zygote there and a snippet
        # that runs fine was reported `does_not_run` ("attribute lookup f on __main__ failed").
        main = types.ModuleType("__main__")
        main.__dict__["__builtins__"] = __builtins__
        sys.modules["__main__"] = main
        atexit._clear()  # the warm worker's own exit handlers are not the snippet's
        try:
            exec(compile(spec["code"], "<snippet>", "exec"), main.__dict__)
        finally:
            _finish_like_python()
        return None
    import importlib

    # The `reproductions` package of *this* project, whatever else is on sys.path under that name.
    package = types.ModuleType("reproductions")
    package.__path__ = [str(Path(spec["project_root"]) / "reproductions")]
    sys.modules["reproductions"] = package
    module_name, function = spec["target"].split(":", 1)
    module = importlib.import_module(f"reproductions.{module_name}")
    return getattr(module, function)(device, **spec.get("params", {}))
