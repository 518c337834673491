"""Linux isolation for one sandboxed child: a private root filesystem, an unprivileged identity, no network.

Runs only in a forked child of the warm worker, before any snippet code. The steps, in order:

1. A mount namespace we may change (real root: a new mount namespace; anyone else: a new user namespace
   first, mapping its uid to itself).
2. A new root built from nothing (an allow-list), then `pivot_root` into it: the system folders (`/usr`,
   `/lib*`, `/bin`, `/sbin`, `/etc`, `/sys`), the interpreter and the folders Python imports from, the
   project's `verifier/` package and (for our reproductions and checks only) `reproductions/` and
   `claims/`, read-only. A fresh size-limited tmpfs is `/tmp` (the run's work dir and disk quota) and
   another is `/dev/shm`; `/dev` holds only the harmless device nodes. Not there at all: `/home`, `/root`
   (but for the interpreter), `/run`, `/var`, the host's `/tmp`, the result store, every other folder of
   the project, and for a snippet the registry (`claims/`); so no Unix-domain socket of the host in
   those folders is reachable by path.
3. Real root drops to an unprivileged uid/gid (`nobody`): files only root may read (`/etc/shadow`) stay
   unreadable even where they are visible.
4. New user, mount, network and PID namespaces: uid 0 inside maps to that unprivileged uid (never to host
   root); the network namespace has only a loopback that is down, so no TCP/UDP and no abstract Unix
   socket of the host; the mounts copied into it are locked read-only.

Each step that the kernel refuses is recorded in `problems` and the run goes on with what holds; the facts
travel with the result so the report says what isolation a run really had."""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
from pathlib import Path
from typing import Any, ClassVar

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
SYS_MOUNT_SETATTR = 442  # same number on x86_64 and aarch64
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine(), 155)
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID = 0x1, 0x2
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_SET_DUMPABLE = 38, 24, 4
NOBODY = 65534
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "sys")
DEVICES = ("null", "zero", "full", "random", "urandom")
WORK_DIR = "/tmp/work"


def libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _errno() -> str:
    return os.strerror(ctypes.get_errno())


class _MountAttr(ctypes.Structure):
    _fields_: ClassVar[list[tuple[str, Any]]] = [
        ("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _setattr(lib: Any, path: str, set_: int, clear: int, recursive: bool) -> bool:
    attr = _MountAttr(set_, clear, 0, 0)
    return int(lib.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, path.encode(), AT_RECURSIVE if recursive else 0,
                           ctypes.byref(attr), ctypes.sizeof(attr))) == 0


def _c(text: str | None) -> bytes | None:
    return text.encode() if text is not None else None


def _mount(lib: Any, source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    if lib.mount(_c(source), target.encode(), _c(fstype), flags, _c(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {source or fstype} on {target}: {_errno()}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def map_identity(uid: int, gid: int, proc: str = "/proc") -> None:
    """In a new user namespace: uid/gid 0 inside is `uid`/`gid` outside (one id, nothing else)."""
    _write(f"{proc}/self/setgroups", "deny")
    _write(f"{proc}/self/uid_map", f"0 {uid} 1")
    _write(f"{proc}/self/gid_map", f"0 {gid} 1")


def exposed_paths(options: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    """Host folders the child sees (read-only) besides the system folders: where Python imports from,
    the `verifier` package, and `reproductions/` for a call of our own reproduction or check. Never `/`,
    never a project root, never `claims/` or the store: a check that needs another claim gets it through
    `reads:` from the loader, and a snippet that could read its claim could print the output it claims."""
    paths = list(options.get("python_paths", []))
    if options.get("package_dir"):
        paths.append(str(options["package_dir"]))
    if spec.get("mode") == "call" and spec.get("project_root"):
        paths.append(str(Path(str(spec["project_root"])) / "reproductions"))
    chosen: list[str] = []
    for path in sorted({os.path.realpath(p) for p in paths if p}, key=len):
        if path == "/" or not os.path.isdir(path) or path.split("/")[1] in SYSTEM_DIRS:
            continue
        if not any(path.startswith(done + "/") for done in chosen):
            chosen.append(path)
    return chosen


def _bind(lib: Any, root: str, host: str) -> None:
    target = root + host
    os.makedirs(target, mode=0o755, exist_ok=True)
    _mount(lib, host, target, None, MS_BIND | MS_REC)


def _build_root(lib: Any, root: str, exposed: list[str], disk_mb: int, owner: int) -> None:
    """Fill the empty folder `root` with the allow-listed view (see the module docstring)."""
    _mount(lib, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=4096,mode=755")
    quota = f"size={disk_mb}m,nr_inodes=65536,mode=1777"
    for name in ("tmp", "dev/shm"):  # first: an exposed folder may lie under /tmp (then bound on top)
        os.makedirs(f"{root}/{name}", mode=0o755, exist_ok=True)
        _mount(lib, "tmpfs", f"{root}/{name}", "tmpfs", MS_NOSUID | MS_NODEV, quota)
    os.makedirs(root + WORK_DIR, mode=0o700)
    os.chown(root + WORK_DIR, owner, owner)
    for name in SYSTEM_DIRS:
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), root + host)
        elif os.path.isdir(host):
            _bind(lib, root, host)
    for host in exposed:
        _bind(lib, root, host)
    _devices(lib, root)
    os.makedirs(root + "/proc", mode=0o555)
    _mount(lib, "/proc", root + "/proc", None, MS_BIND | MS_REC)  # replaced by a fresh one in the child


def _devices(lib: Any, root: str) -> None:
    """/dev: the harmless nodes, GPUs if any, the fd links; nothing else of the host's /dev."""
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            Path(f"{root}/dev/{name}").touch()
            _mount(lib, f"/dev/{name}", f"{root}/dev/{name}", None, MS_BIND)
    for name in sorted(os.listdir("/dev")):
        if name.startswith("nvidia") or name == "dri":  # GPUs, for device: cuda
            host = f"/dev/{name}"
            target = f"{root}{host}"
            if os.path.isdir(host):
                os.makedirs(target, exist_ok=True)
            else:
                Path(target).touch()
            _mount(lib, host, target, None, MS_BIND | MS_REC)
    for name, link in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                       ("stderr", "/proc/self/fd/2")):
        os.symlink(link, f"{root}/dev/{name}")


def _pivot(lib: Any, root: str) -> None:
    os.chdir(root)
    if lib.syscall(SYS_PIVOT_ROOT, b".", b".") != 0:
        raise OSError(ctypes.get_errno(), f"pivot_root: {_errno()}")
    if lib.umount2(b".", MNT_DETACH) != 0:
        raise OSError(ctypes.get_errno(), f"detach the old root: {_errno()}")
    os.chdir("/")


def _read_only(lib: Any) -> None:
    """Everything read-only and nosuid but the two quota'd tmpfs and /proc (Linux >= 5.12)."""
    if not _setattr(lib, "/", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, True):
        raise OSError(ctypes.get_errno(), f"read-only mounts: {_errno()}")
    for path in ("/tmp", "/dev/shm", "/proc"):  # /proc: the uid map is written there next
        if not _setattr(lib, path, 0, MOUNT_ATTR_RDONLY, False):
            raise OSError(ctypes.get_errno(), f"writable {path}: {_errno()}")


def _drop_root(lib: Any) -> None:
    for cap in range(64):  # the bounding set, while we still may
        lib.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # a uid change clears it; /proc/self/uid_map is written next


def drop_capabilities() -> None:
    """No capabilities left, none regained through execve (setuid files, file capabilities)."""
    lib = libc()
    lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    lib.capset(header, data)


def undumpable() -> None:
    """Nothing of the same uid may ptrace this process or read its /proc entries (fds, memory)."""
    libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _private_root(lib: Any, root: str, spec: dict[str, Any], options: dict[str, Any], real_root: bool) -> None:
    """Steps 1 and 2; OSError naming the step that failed."""
    if real_root:
        if lib.unshare(CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), f"unshare(mount): {_errno()}")
    else:
        if lib.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
            raise OSError(ctypes.get_errno(), f"unshare(user, mount): {_errno()}")
        map_identity(os.getuid(), os.getgid())
    _mount(lib, None, "/", None, MS_REC | MS_PRIVATE)
    owner = NOBODY if real_root else 0
    _build_root(lib, root, exposed_paths(options, spec), int(spec.get("disk_mb", 512)), owner)
    _pivot(lib, root)
    _read_only(lib)


def _namespaces(lib: Any, facts: dict[str, Any]) -> None:
    """Step 4: new user, mount, network and PID namespaces (or at least user and network)."""
    uid, gid = os.getuid(), os.getgid()
    for flags in (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID, CLONE_NEWUSER | CLONE_NEWNET):
        if lib.unshare(flags) == 0:
            facts["network_isolated"] = True
            facts["pid_namespace"] = bool(flags & CLONE_NEWPID)
            break
        facts["problems"].append(f"unshare({flags:#x}): {_errno()}")
    if facts["network_isolated"]:
        try:
            map_identity(uid, gid)
        except OSError as exc:
            facts["problems"].append(f"uid map: {exc}")


def isolate(root: str, spec: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Steps 1-4 of the module docstring. `root` is an empty folder (the run's host work dir). Returns
    the facts: what holds, the work dir to use, and the problems met."""
    lib = libc()
    real_root = os.geteuid() == 0
    facts: dict[str, Any] = {"private_root": False, "network_isolated": False, "pid_namespace": False,
                             "host_uid": os.getuid(), "disk_quota_mb": None, "work_dir": root,
                             "problems": []}
    try:
        _private_root(lib, root, spec, options, real_root)
        facts.update(private_root=True, disk_quota_mb=int(spec.get("disk_mb", 512)), work_dir=WORK_DIR)
    except OSError as exc:
        facts["problems"].append(f"private root: {exc.strerror or exc}")
    if real_root:
        try:
            _drop_root(lib)
            facts["host_uid"] = NOBODY
        except OSError as exc:
            facts["problems"].append(f"drop root: {exc}")
    _namespaces(lib, facts)
    with contextlib.suppress(OSError):
        os.chdir(facts["work_dir"])
    return facts


def private_proc() -> str | None:
    """In the new PID namespace (as its PID 1): a /proc of this namespace only, over the host's, so no
    host process (and no /proc/<pid>/root) is reachable. None when done, else the problem."""
    try:
        _mount(libc(), "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError as exc:
        return f"private /proc: {exc.strerror or exc}"
    return None
