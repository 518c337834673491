"""What happens inside a sandboxed child, between fork and exit. Runs only in a forked child.

Order matters: process group; output files on fds 1 and 2; rlimits; drop root (uid 65534); new user,
network and PID namespaces (no network; every process the snippet starts dies with it); a second fork so
the snippet is PID 1 of its namespace and dies with its parent (PR_SET_PDEATHSIG); then seed, pick the
device and run. The result is written to result.json in the working folder; the parent reads it."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, ClassVar

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
SYS_MOUNT_SETATTR = 442  # same number on x86_64 and aarch64
AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = -100, 0x8000, 0x1
NOBODY = 65534
RESULT_FILE = "result.json"


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _set_limits(spec: dict[str, Any], baseline_vm: int) -> None:
    timeout = float(spec["timeout_s"])
    limits = {
        resource.RLIMIT_CPU: int(timeout * max(1, int(spec["threads"])) + 2),
        resource.RLIMIT_FSIZE: 64 << 20,
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


class _MountAttr(ctypes.Structure):
    _fields_: ClassVar[list[tuple[str, Any]]] = [
        ("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _set_readonly(libc: Any, path: bytes, readonly: bool, recursive: bool) -> bool:
    attr = _MountAttr(MOUNT_ATTR_RDONLY if readonly else 0, 0 if readonly else MOUNT_ATTR_RDONLY, 0, 0)
    flags = AT_RECURSIVE if recursive else 0
    return int(libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, path, flags, ctypes.byref(attr),
                            ctypes.sizeof(attr))) == 0


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def _readonly_filesystem(libc: Any, workdir: Path) -> bool:
    """Everything read-only but the working folder (needs a mount namespace and Linux >= 5.12)."""
    work = str(workdir).encode()
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    if libc.mount(work, work, None, MS_BIND | MS_REC, None) != 0:
        return False
    return _set_readonly(libc, b"/", True, True) and _set_readonly(libc, work, False, False)


def _drop_capabilities(libc: Any) -> None:
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    libc.capset(header, data)


def _isolate(workdir: Path, options: dict[str, Any]) -> dict[str, Any]:
    """Limit processes, drop root where the interpreter allows it, and enter new user, mount, network
    and PID namespaces with a read-only filesystem. Say what could and could not be closed."""
    facts: dict[str, Any] = {"network_isolated": False, "pid_namespace": False,
                             "filesystem_readonly": False, "uid": os.getuid(), "problems": []}
    cgroup = options.get("pids_cgroup")
    if cgroup:
        try:
            _write(os.path.join(cgroup, "cgroup.procs"), str(os.getpid()))
            facts["pids_max"] = options.get("pids_max")
        except OSError as exc:
            facts["problems"].append(f"pids cgroup: {exc}")
    if os.getuid() == 0 and options.get("drop_root"):
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        facts["uid"] = NOBODY
    uid, gid = os.getuid(), os.getgid()
    libc = _libc()
    for flags in (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            facts["network_isolated"] = True
            facts["pid_namespace"] = bool(flags & CLONE_NEWPID)
            break
        facts["problems"].append(f"unshare({flags:#x}): {os.strerror(ctypes.get_errno())}")
    if facts["network_isolated"]:
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"0 {uid} 1")
            _write("/proc/self/gid_map", f"0 {gid} 1")
        except OSError as exc:
            facts["problems"].append(f"uid map: {exc}")
        if facts["pid_namespace"]:
            facts["filesystem_readonly"] = _readonly_filesystem(libc, workdir)
            os.chdir(workdir)  # enter the writable bind mount, not the read-only folder under it
            if not facts["filesystem_readonly"]:
                facts["problems"].append(f"read-only mounts: {os.strerror(ctypes.get_errno())}")
    _drop_capabilities(libc)
    return facts


def _redirect(workdir: Path) -> None:
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        target = os.open(workdir / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = open(1, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, closefd=False, encoding="utf-8", errors="replace")  # noqa: SIM115
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)


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


def child_main(spec: dict[str, Any], workdir: Path, close_fds: list[int], options: dict[str, Any]) -> None:
    """Entry point of the forked child; never returns."""
    code = 1
    try:
        os.setpgid(0, 0)
        for fd in close_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        os.chdir(workdir)
        _redirect(workdir)
        _set_limits(spec, int(options["baseline_vm"]))
        facts = _isolate(workdir, options)
        private_environment(workdir)
        pid = os.fork() if facts["pid_namespace"] else 0
        if pid == 0:
            if facts["pid_namespace"]:
                _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            _run(spec, workdir, facts)
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


def _run(spec: dict[str, Any], workdir: Path, facts: dict[str, Any]) -> None:
    result: dict[str, Any] = {"status": "ok"}
    code = 0
    started = time.perf_counter()
    try:
        import torch

        torch.set_num_threads(int(spec["threads"]))
        device, result["device"] = _device(spec)
        result["environment"] = _environment(facts)
        if device is None:
            result.update(status="skipped", reason=f"needs a {spec['device']} device; none is available")
        else:
            _seed(spec.get("seed"))
            result["value"] = _execute(spec, device)
    except SystemExit as exc:
        if exc.code not in (0, None):
            code = 1
            result.update(status="exception", exception={
                "type": "SystemExit", "message": str(exc.code), "traceback": ""})
    except BaseException as exc:  # the snippet's failure is the finding
        code = 1
        result.update(status="exception", exception={
            "type": type(exc).__name__, "message": str(exc)[:2000],
            "traceback": "".join(traceback.format_exception(exc))[-8000:]})
    result["duration_s"] = time.perf_counter() - started
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    try:
        (workdir / RESULT_FILE).write_text(json.dumps(result, default=repr), encoding="utf-8")
    except (OSError, TypeError, ValueError):
        code = 3
    os._exit(code)


def _execute(spec: dict[str, Any], device: Any) -> Any:
    import torch

    if spec["mode"] == "snippet":
        if device.type != "cpu":
            torch.set_default_device(device)
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        exec(compile(spec["code"], "<snippet>", "exec"), namespace)
        return None
    import importlib
    import types

    # The `reproductions` package of *this* project, whatever else is on sys.path under that name.
    package = types.ModuleType("reproductions")
    package.__path__ = [str(Path(spec["project_root"]) / "reproductions")]
    sys.modules["reproductions"] = package
    module_name, function = spec["target"].split(":", 1)
    module = importlib.import_module(f"reproductions.{module_name}")
    return getattr(module, function)(device, **spec.get("params", {}))
