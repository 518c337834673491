"""Escape attempts against the real sandbox, each through the real pool or the real `verifier run` CLI.

Every test is an attack a snippet (or a claim) could make; each asserts what the attacker wanted did not
happen (a host file in the evidence, a forged verdict, a full disk, a blocked worker, code run on the host),
and that the run still ended with a clear status."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.execution.interface import RunResult, RunSpec
from verifier.execution.pool import LocalPool

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def pool() -> Iterator[LocalPool]:
    with LocalPool(size=1) as pool:
        yield pool


def snippet(pool: LocalPool, code: str, timeout: float = 10.0, **extra: object) -> RunResult:
    return pool.run(RunSpec(mode="snippet", code=code, timeout_s=timeout, **extra))  # type: ignore[arg-type]


def secret_line(path: str) -> str:
    """A line of a root-only host file, to look for in what the snippet could bring back."""
    return next(line for line in Path(path).read_text().splitlines() if line.strip())


def verifier_run(tmp_path: Path, code: str, *args: str) -> tuple[int, dict[str, object]]:
    (tmp_path / "snippet.py").write_text(code)
    done = run_cli("run", "snippet.py", "--format", "json", "--timeout", "20", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_symlinked_stdout_does_not_bring_back_a_host_file(tmp_path: Path) -> None:
    code = ("import os\nfor name in ('stdout.txt', 'stderr.txt', 'result.json'):\n"
            "    os.symlink('/etc/shadow', name)\nos.symlink('/proc/1/environ', 'env.txt')\nos._exit(0)\n")
    _, result = verifier_run(tmp_path, code)
    text = json.dumps(result)
    assert secret_line("/etc/shadow") not in text
    assert result["status"] == "confirmed"  # it ran (and printed nothing): no host file in the evidence
    assert result["evidence"]["runs"][0]["stdout"] == ""  # type: ignore[index]


def test_fifo_as_stdout_does_not_block_the_worker(pool: LocalPool) -> None:
    started = time.monotonic()
    result = snippet(pool, "import os\nos.mkfifo('stdout.txt')\nos.mkfifo('result.json')\nprint('done')")
    assert result.status == "ok" and result.stdout == "done\n"
    assert time.monotonic() - started < 10


def test_result_file_in_the_work_dir_cannot_forge_a_verdict(tmp_path: Path) -> None:
    code = ("import json, os\njson.dump({'status': 'skipped', 'reason': 'forged'}, open('result.json', 'w'))\n"
            "os._exit(0)\n")
    _, result = verifier_run(tmp_path, code)
    assert result["status"] == "confirmed" and "forged" not in json.dumps(result)


def test_result_channel_cannot_report_skipped_or_a_second_result(pool: LocalPool) -> None:
    forged_skip = snippet(pool, "import os\nos.write(3, b'{\"kind\": \"end\", \"status\": \"skipped\"}\\n')\n"
                                "os._exit(0)")
    assert forged_skip.status == "invalid" and "not a valid result" in forged_skip.reason
    twice = snippet(pool, "import os\nos.write(3, b'{\"kind\": \"end\", \"status\": \"ok\"}\\n')")
    assert twice.status == "invalid" and "more than one result" in twice.reason
    facts = snippet(pool, "import os\nos.write(3, b'{\"kind\": \"end\", \"status\": \"ok\", \"environment\": "
                          "{\"network_isolated\": false}}\\n')\nos._exit(0)")
    assert facts.status == "invalid" and facts.environment["network_isolated"] is True


def test_malformed_result_never_crashes_verifier_run(tmp_path: Path) -> None:
    code = "import os\nos.write(3, b'\\xff\\xfe{not json\\n' * 1000)\nos._exit(0)\n"
    _, result = verifier_run(tmp_path, code)
    assert result["status"] == "does_not_run"
    assert "result was refused" in str(result["summary"])


def test_fifty_megabyte_value_is_refused(pool: LocalPool, tmp_path: Path) -> None:
    (tmp_path / "reproductions").mkdir()
    (tmp_path / "reproductions" / "__init__.py").write_text("")
    (tmp_path / "reproductions" / "big.py").write_text("def value(device):\n    return 'x' * (50 << 20)\n")
    started = time.monotonic()
    result = pool.run(RunSpec(mode="call", target="big:value", project_root=str(tmp_path), timeout_s=30))
    assert result.status == "invalid" and "larger than 4 MB" in result.reason
    assert result.value is None and time.monotonic() - started < 30


def test_root_only_files_claims_and_store_are_unreadable(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "claims").mkdir(parents=True)
    (project / "claims" / "private.yaml").write_text("secret: claims-content\n")
    (project / ".verifier").mkdir()
    (project / ".verifier" / "results.sqlite").write_text("store-content")
    code = ("import os\nfor path in ['/etc/shadow', 'CLAIMS', 'STORE', '/root']:\n"
            "    try:\n        print(path, 'READ', open(path).read()[:40])\n"
            "    except OSError as exc:\n        print(path, 'refused', type(exc).__name__)\n"
            "print('uid', os.getuid(), open('/proc/self/uid_map').read().split())\n")
    code = code.replace("CLAIMS", str(project / "claims" / "private.yaml"))
    code = code.replace("STORE", str(project / ".verifier" / "results.sqlite"))
    _, result = verifier_run(project, code)
    stdout = str(result["evidence"]["runs"][0]["stdout"])  # type: ignore[index]
    assert "READ" not in stdout and stdout.count("refused") == 4, stdout
    assert "claims-content" not in stdout and "store-content" not in stdout
    # uid 0 inside the namespace is nobody outside: never host root.
    assert "uid 0 ['0', '65534', '1']" in stdout


def test_our_own_checks_do_not_see_the_claims_folder_either(pool: LocalPool, tmp_path: Path) -> None:
    """A reproduction's params come from YAML: even our own code runs without `claims/` in its view."""
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "private.yaml").write_text("secret: claims-content\n")
    (tmp_path / "reproductions").mkdir()
    (tmp_path / "reproductions" / "peek.py").write_text(
        "def read(device, path):\n    try:\n        return open(path).read()\n"
        "    except OSError as exc:\n        return type(exc).__name__\n")
    result = pool.run(RunSpec(mode="call", target="peek:read", project_root=str(tmp_path), timeout_s=30,
                              params={"path": str(tmp_path / "claims" / "private.yaml")}))
    assert result.status == "ok", result.reason
    assert result.value == "FileNotFoundError"


def _unix_server(address: str | bytes, hits: list[bytes]) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    if isinstance(address, str):
        os.chmod(address, 0o777)  # world-writable: only hiding it keeps a snippet out
    server.listen(4)
    server.settimeout(0.2)

    def serve() -> None:
        while server.fileno() >= 0:
            try:
                connection, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            hits.append(connection.recv(100))
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_host_unix_sockets_are_unreachable(pool: LocalPool, tmp_path: Path) -> None:
    hits: list[bytes] = []
    path = str(tmp_path / "host.sock")
    abstract = b"\0verifier-test-" + os.urandom(4).hex().encode()
    servers = [_unix_server(path, hits), _unix_server(abstract, hits)]
    try:
        probe = socket.socket(socket.AF_UNIX)  # both really listen, for the host
        probe.connect(path)
        probe.close()
        time.sleep(0.3)
        hits.clear()
        code = (f"import socket\nfor address in ({path!r}, {abstract!r}):\n"
                "    s = socket.socket(socket.AF_UNIX)\n    try:\n        s.connect(address)\n"
                "        s.send(b'escaped')\n        print('connected')\n"
                "    except OSError as exc:\n        print('refused', exc.errno)\n")
        result = snippet(pool, code)
    finally:
        for server in servers:
            server.close()
    assert result.status == "ok", result
    assert "connected" not in result.stdout and result.stdout.count("refused") == 2
    assert b"escaped" not in hits


def test_disk_fill_is_stopped_by_the_quota(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    code = ("block = b'x' * (16 << 20)\nwith open('fill.bin', 'wb') as out:\n"
            "    for _ in range(128):\n        out.write(block)\n")  # 2 GB
    with LocalPool(size=1) as fresh:
        result = snippet(fresh, code, timeout=60, disk_mb=64)
    assert result.status == "exception"
    assert result.exception is not None
    assert any(text in result.exception["message"] for text in ("No space left", "File too large"))
    assert "disk quota is full (64 MB" in result.reason
    assert list(tmp_path.iterdir()) == []  # nothing of it on the host's disk


def test_disk_fill_through_the_cli_is_does_not_run(tmp_path: Path) -> None:
    code = "block = b'x' * (64 << 20)\nwith open('fill.bin', 'wb') as out:\n    for _ in range(32):\n" \
           "        out.write(block)\n"
    _, result = verifier_run(tmp_path, code)
    assert result["status"] == "does_not_run"
    assert "disk quota is full" in str(result["summary"])


def test_work_dirs_of_a_killed_worker_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    dead = 1 << 22  # above pid_max on this machine: a worker that is surely gone
    while Path(f"/proc/{dead}").exists():
        dead += 1
    stale = tmp_path / f"verifier-run-{dead}-old"
    stale.mkdir()
    (stale / "left.bin").write_bytes(b"x" * 1000)
    with LocalPool(size=1) as fresh:
        warm = snippet(fresh, "print('warm')")
        assert warm.status == "ok"
        assert not stale.exists()  # swept when the worker started
        worker = fresh.zygotes[0].process.pid
        box: list[RunResult] = []
        thread = threading.Thread(target=lambda: box.append(snippet(
            fresh, "open('big.bin', 'wb').write(b'x' * (100 << 20))\nimport time\ntime.sleep(60)", timeout=90)))
        thread.start()
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(f"verifier-run-{worker}-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(tmp_path.glob(f"verifier-run-{worker}-*"))
        time.sleep(1.0)
        os.kill(worker, signal.SIGKILL)
        thread.join(60)
        assert box and box[0].status == "sandbox_error"
        assert list(tmp_path.glob("verifier-run-*")) == []
        again = snippet(fresh, "print('replaced')")  # a new worker took over
        assert again.status == "ok" and again.stdout == "replaced\n"


def test_requires_is_never_imported_on_the_host(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA / "registry", project)
    marker = tmp_path / "pwned"
    (project / "hostpwn.py").write_text(f"open({str(marker)!r}, 'w').write('ran on the host')\n")
    with (project / "claims" / "demo.yaml").open("a") as claims:
        claims.write("\n- id: needs-hostpwn\n  source: demo\n  kind: code\n  quote: \"The output is: 0.6667\"\n"
                     "  statement: The snippet prints 0.6667.\n  code: print(round(2.0 / 3.0, 4))\n"
                     "  printed: \"0.6667\"\n  requires: [hostpwn.sub, this.zen]\n")
    done = run_cli("audit", "--only", "needs-hostpwn", "--format", "json", cwd=project)
    assert not marker.exists(), done.stdout + done.stderr
    assert "Beautiful is better than ugly" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["status"] == "skipped" and "hostpwn.sub" in json.dumps(result)


def test_verifier_run_with_empty_temp_and_home(tmp_path: Path) -> None:
    # A fresh CI machine: TMPDIR and HOME are new empty folders, nothing cached (no /tmp/torchinductor_*).
    temp, home, work = tmp_path / "temp", tmp_path / "home", tmp_path / "work"
    for folder in (temp, home, work):
        folder.mkdir()
    (work / "snippet.py").write_text(
        "import tempfile, torch\nweight = torch.nn.Parameter(torch.ones(2))\n"
        "optimiser = torch.optim.Adam([weight], lr=0.1)\nweight.sum().backward()\noptimiser.step()\n"
        "with tempfile.NamedTemporaryFile() as handle:\n    handle.write(b'x')\n"
        "print(round(weight.sum().item(), 4))\n")
    (work / "printed.txt").write_text("1.8\n")
    done = run_cli("run", "snippet.py", "--printed", "printed.txt", "--format", "json", cwd=work,
                   env={"TMPDIR": str(temp), "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "confirmed", result["summary"]
    assert list(temp.iterdir()) == []  # the run's work dir was removed


def test_params_that_are_not_json_never_stall_the_pool(pool: LocalPool) -> None:
    import datetime

    refused = pool.run(RunSpec(mode="call", target="x:y", params={"when": datetime.date(2024, 1, 1)}))
    assert refused.status == "invalid" and "not plain JSON" in refused.reason
    assert snippet(pool, "print('still serving')").stdout == "still serving\n"


def test_runner_refuses_requests_beyond_the_caps(pool: LocalPool) -> None:
    from verifier.execution.runner import CodeRequest, SandboxRunner

    runner = SandboxRunner(pool, str(Path.cwd()))
    many = runner.check("as_written", CodeRequest(code="print(1)", seeds=tuple(range(21))), ours=False)
    assert many.status.value == "error" and "cap of 20" in many.summary
    long = runner.check("as_written", CodeRequest(code="print(1)", timeout_s=601), ours=False)
    assert long.status.value == "error" and "600" in long.summary


NESTED_NAMESPACE_REMOUNT = """\
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print('fds', sorted(int(fd) for fd in os.listdir('/proc/self/fd')))
print('pids', sorted(p for p in os.listdir('/proc') if p.isdigit()))
if libc.unshare(0x10000000 | 0x00020000) == 0:  # a user namespace of its own: full capabilities in it
    open('/proc/self/setgroups', 'w').write('deny')
    open('/proc/self/uid_map', 'w').write('0 0 1')
    print('nested')
libc.mount(None, b'/usr', None, 32 | 4096, None)  # remount the bind read-write
libc.mount(None, b'/', None, 32 | 4096, None)
try:
    open('/usr/planted', 'w')
    print('WROTE')
except OSError as exc:
    print('refused', exc.errno)
"""


def test_nested_namespace_cannot_unlock_the_filesystem_or_see_the_host(pool: LocalPool) -> None:
    result = snippet(pool, NESTED_NAMESPACE_REMOUNT)
    assert result.status == "ok", result
    lines = result.stdout.splitlines()
    assert lines[0] == "fds [0, 1, 2, 3, 4]"  # stdin, the three pipes, the listing itself
    assert lines[1] == "pids ['1', '2']"  # its own /proc (the namespace's init, the snippet): no host process
    assert "WROTE" not in result.stdout and "refused 30" in result.stdout
    assert not Path("/usr/planted").exists()


def test_killing_everything_it_can_see_leaves_the_worker_alive(pool: LocalPool) -> None:
    code = ("import os, signal, subprocess\nchild = subprocess.Popen(['sleep', '30'])\n"
            "os.kill(-1, signal.SIGKILL)\nprint('after', child.wait())")
    result = snippet(pool, code)
    assert result.status == "ok" and result.stdout == "after -9\n"  # only its own processes died
    assert snippet(pool, "print('worker alive')").stdout == "worker alive\n"


def _processes_named(marker: str) -> list[int]:
    """Host pids whose command name (/proc/<pid>/comm) is `marker`: the snippet names itself so."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == marker:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_killing_the_worker_kills_the_run_and_removes_its_work_dir(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL of the warm worker mid-run: the sandboxed child (dropped to nobody, in new namespaces) and
    everything it started die with it, long before the run's own timeout, and its work dir goes."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    marker = f"orphan{os.getpid() % 100000:05d}"
    code = (f"import ctypes, os, time\nctypes.CDLL(None).prctl(15, b'{marker}', 0, 0, 0)\n"
            "if os.fork() == 0:\n    time.sleep(600)\ntime.sleep(600)\n")
    try:
        with LocalPool(size=1) as fresh:
            assert snippet(fresh, "print('warm')").status == "ok"
            worker = fresh.zygotes[0].process.pid
            box: list[RunResult] = []
            thread = threading.Thread(target=lambda: box.append(snippet(fresh, code, timeout=120)))
            thread.start()
            deadline = time.monotonic() + 30
            while len(_processes_named(marker)) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(_processes_named(marker)) == 2  # the snippet and its child
            assert list(tmp_path.glob(f"verifier-run-{worker}-*"))
            os.kill(worker, signal.SIGKILL)
            thread.join(60)
            assert box and box[0].status == "sandbox_error"
            deadline = time.monotonic() + 10  # the run's timeout is 120 s: nothing waits for it
            while _processes_named(marker) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _processes_named(marker) == []
            assert list(tmp_path.glob("verifier-run-*")) == []
    finally:
        for pid in _processes_named(marker):  # never leave an orphan behind, even when the test fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_verifier_run_exits_as_an_internal_failure_when_its_worker_dies(tmp_path: Path) -> None:
    """The sandbox failing is not a finding about the snippet: exit 5 (README "Exit codes"), not 0."""
    marker = f"killer{os.getpid() % 100000:05d}"
    (tmp_path / "snippet.py").write_text(f"import ctypes, time\nctypes.CDLL(None).prctl(15, b'{marker}', 0, 0, 0)\n"
                                         "time.sleep(600)\n")
    stop = threading.Event()

    def kill_the_worker() -> None:
        while not stop.is_set():
            for pid in _processes_named(marker):
                worker = _worker_of(pid)
                if worker is not None:
                    os.kill(worker, signal.SIGKILL)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    try:
        done = run_cli("run", "snippet.py", "--timeout", "120", cwd=tmp_path)
    finally:
        stop.set()
        killer.join()
        for pid in _processes_named(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert done.returncode == 5, done.stdout + done.stderr
    assert "the sandbox failed" in done.stderr


def _worker_of(pid: int) -> int | None:
    """The warm worker above a sandboxed process: the topmost ancestor running verifier.execution.zygote
    (the child it forked for the run has the same command line)."""
    worker = None
    while pid > 1:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        if b"verifier.execution.zygote" in cmdline:
            worker = pid
        elif worker is not None:
            return worker
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return worker


def test_a_snippet_runs_as_main_so_pickle_and_a_fork_pool_find_its_functions(pool: LocalPool) -> None:
    """`python snippet.py` pickles a function or class of the snippet by its name in `__main__`; a fork Pool does
    so for every task. Run with a bare namespace dict, this working code was reported as an exception."""
    code = ("import multiprocessing as mp, pickle\n"
            "def square(x):\n    return x * x\n"
            "class Box:\n    pass\n"
            "pickle.dumps(Box())\n"
            "if __name__ == '__main__':\n"
            "    with mp.get_context('fork').Pool(2) as workers:\n"
            "        print(workers.map(square, range(4)))\n")
    result = snippet(pool, code, timeout=60)
    assert (result.status, result.stdout) == ("ok", "[0, 1, 4, 9]\n"), result.reason or result.exception


def test_output_of_a_thread_and_an_exit_handler_after_the_last_line_is_kept(pool: LocalPool) -> None:
    """`python snippet.py` waits for its non-daemon threads and runs atexit handlers before it ends; what they
    print is part of the output a document shows."""
    code = ("import atexit, threading, time\n"
            "atexit.register(print, 'bye')\n"
            "def late():\n    time.sleep(0.3)\n    print('late')\n"
            "threading.Thread(target=late).start()\n"
            "print('main')\n")
    result = snippet(pool, code, timeout=30)
    assert (result.status, result.stdout) == ("ok", "main\nlate\nbye\n"), result.reason or result.exception
