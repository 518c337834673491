"""Hostile and ordinary snippets in the real sandbox: each is contained and reported, none escapes."""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from verifier.execution.interface import RunSpec
from verifier.execution.pool import LocalPool

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def pool() -> Iterator[LocalPool]:
    with LocalPool(size=1) as pool:
        yield pool


def survivors(pattern: str) -> list[str]:
    """Processes whose command line contains the pattern (the snippet's children must all be gone)."""
    return subprocess.run(["pgrep", "-f", pattern], check=False, capture_output=True, text=True).stdout.split()


def snippet(pool: LocalPool, code: str, timeout: float = 5.0, **extra: object) -> object:
    return pool.run(RunSpec(mode="snippet", code=code, timeout_s=timeout, **extra))  # type: ignore[arg-type]


def test_output_and_environment_are_recorded(pool: LocalPool) -> None:
    result = snippet(pool, "import torch\nprint(torch.arange(4).sum().item())")
    assert result.status == "ok" and result.stdout == "6\n"
    assert result.device["type"] == "cpu" and result.device["name"]
    env = result.environment
    assert env["threads"] == 1 and env["torch"].startswith("2.") and env["python"]
    assert env["network_isolated"] is True


def test_exception_is_reported_with_type_and_traceback(pool: LocalPool) -> None:
    result = snippet(pool, "import numpy as np\nnp.ones(3) @ np.ones(4)")
    assert result.status == "exception"
    assert result.exception["type"] == "ValueError"
    assert "matmul" in result.exception["message"]
    assert "<snippet>" in result.exception["traceback"]


def test_infinite_loop_times_out(pool: LocalPool) -> None:
    result = snippet(pool, "while True:\n    pass", timeout=1.5)
    assert result.status == "timeout"
    assert "timed out after 1.5 s" in result.reason
    assert result.duration_s < 10


def test_memory_hog_fails_cleanly(pool: LocalPool) -> None:
    result = snippet(pool, "x = bytearray(64 * 2**30)")
    assert result.status == "exception" and result.exception["type"] == "MemoryError"


def test_fork_bomb_is_contained(pool: LocalPool) -> None:
    marker = uuid.uuid4().hex
    code = f"import os, time\nmarker = '{marker}'\nwhile True:\n    os.fork()\n    time.sleep(0.01)"
    result = snippet(pool, code, timeout=3)
    assert result.status in ("timeout", "exception", "killed")
    assert survivors(marker) == []


def test_a_forked_copy_of_the_snippet_does_not_report_a_second_result(pool: LocalPool) -> None:
    # the forked child falls off the end of the snippet into the harness, as a fork bomb's copies do
    code = "import os\npid = os.fork()\nif pid:\n    os.waitpid(pid, 0)\n    print('parent')"
    result = snippet(pool, code)
    assert result.status == "ok", result.reason
    assert result.stdout == "parent\n"


@pytest.mark.parametrize("how", ["os.kill(os.getpid(), signal.SIGKILL)", "os.kill(os.getpid(), signal.SIGTERM)",
                                 "signal.alarm(1); time.sleep(5)"])
def test_a_snippet_dies_of_its_own_signals_as_under_plain_python(pool: LocalPool, how: str) -> None:
    code = f"import os, signal, time\nprint('before', flush=True)\n{how}\nprint('survived')"
    result = snippet(pool, code, timeout=20)
    assert result.status == "killed", (result.status, result.reason, result.stdout)
    assert result.stdout == "before\n"
    assert "died from SIG" in result.reason


def test_the_namespace_init_cannot_be_read_by_the_snippet(pool: LocalPool) -> None:
    code = ("import os\nprint(os.getppid())\nfor name in ('environ', 'mem', 'fd/0'):\n    try:\n"
            "        open(f'/proc/1/{name}', 'rb').read(1)\n        print('READ', name)\n"
            "    except OSError as exc:\n        print('refused', exc.errno)")
    result = snippet(pool, code)
    assert result.status == "ok", result.reason
    assert result.stdout.splitlines()[0] == "1"  # the snippet's parent is the namespace's init
    assert "READ" not in result.stdout and result.stdout.count("refused 13") == 3


def test_output_flood_is_capped(pool: LocalPool) -> None:
    result = snippet(pool, "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)", timeout=5)
    assert result.truncated is True
    assert len(result.stdout) <= 1 << 20
    assert result.status in ("exception", "timeout")


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_no_network_even_to_this_machine(pool: LocalPool) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        code = f"import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{port}/leak', timeout=2)"
        result = snippet(pool, code)
    finally:
        server.shutdown()
    assert result.status == "exception"
    assert "unreachable" in result.exception["message"].lower()
    assert _Recorder.hits == []


def test_child_that_escapes_with_setsid_is_killed(pool: LocalPool) -> None:
    marker = str(300 + uuid.uuid4().int % 1000)
    code = f"import subprocess, time\nsubprocess.Popen(['setsid', 'sleep', '{marker}.5'])\ntime.sleep(60)"
    result = snippet(pool, code, timeout=2)
    assert result.status == "timeout"
    assert survivors(f"sleep {marker}.5") == []


def test_filesystem_outside_the_work_folder_is_read_only(pool: LocalPool, tmp_path: Path) -> None:
    target = tmp_path / "written-by-snippet.txt"
    tmp_path.chmod(0o777)
    result = snippet(pool, f"open({str(target)!r}, 'w').write('x')\nprint('wrote')")
    assert result.status == "exception"  # the host's /tmp is not even there: the run has its own
    assert result.exception["type"] in ("OSError", "PermissionError", "FileNotFoundError")
    assert not target.exists()
    import verifier

    package = Path(verifier.__file__).parent  # visible (reproductions import it) but read-only
    result = snippet(pool, f"open({str(package / 'planted.py')!r}, 'w').write('x')")
    assert result.status == "exception" and result.exception["type"] in ("OSError", "PermissionError")
    assert not (package / "planted.py").exists()
    own = snippet(pool, "open('inside.txt', 'w').write('x')\nprint(open('inside.txt').read())")
    assert own.status == "ok" and own.stdout == "x\n"


def test_environment_is_scrubbed(pool: LocalPool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool's workers were started with a scrubbed environment; a secret in ours is not passed on.
    os.environ["VERIFIER_TEST_SECRET"] = "s3cret"
    try:
        with LocalPool(size=1) as fresh:
            result = snippet(fresh, "import os\nprint(sorted(os.environ))")
    finally:
        del os.environ["VERIFIER_TEST_SECRET"]
    assert "VERIFIER_TEST_SECRET" not in result.stdout
    assert "'OMP_NUM_THREADS'" in result.stdout and "'PYTHONHASHSEED'" in result.stdout


def test_each_run_starts_fresh(pool: LocalPool) -> None:
    snippet(pool, "import torch, numpy\ntorch.set_default_dtype(torch.float64)\nnumpy.set_printoptions(precision=2)")
    result = snippet(pool, "import torch, numpy\nprint(torch.get_default_dtype(), numpy.array([1/3]))")
    assert result.stdout == "torch.float32 [0.33333333]\n"


def test_system_exit_zero_is_success(pool: LocalPool) -> None:
    assert snippet(pool, "print('bye')\nraise SystemExit(0)").status == "ok"
    failed = snippet(pool, "raise SystemExit(3)")
    assert failed.status == "exception" and failed.exception["type"] == "SystemExit"


def test_cuda_without_a_gpu_is_skipped(pool: LocalPool) -> None:
    import torch

    if torch.cuda.is_available():  # pragma: no cover - only on GPU machines
        assert snippet(pool, "print(1)", device="cuda").status == "ok"
        return
    result = snippet(pool, "print(1)", device="cuda")
    assert result.status == "skipped" and "cuda" in result.reason


def test_seeds_make_runs_reproducible(pool: LocalPool) -> None:
    code = "import torch, numpy, random\nprint(torch.rand(1).item(), numpy.random.rand(), random.random())"
    first = snippet(pool, code, seed=7)
    again = snippet(pool, code, seed=7)
    other = snippet(pool, code, seed=8)
    assert first.stdout == again.stdout != other.stdout


def test_reproduction_call_returns_its_value(pool: LocalPool, tmp_path: Path) -> None:
    (tmp_path / "reproductions").mkdir()
    (tmp_path / "reproductions" / "__init__.py").write_text("")
    (tmp_path / "reproductions" / "demo.py").write_text(
        "def answer(device, k=2):\n    print('k is', k)\n    return {'device': str(device), 'k': k}\n")
    result = pool.run(RunSpec(mode="call", target="demo:answer", params={"k": 5}, project_root=str(tmp_path)))
    assert result.status == "ok", result
    assert result.value == {"device": "cpu", "k": 5}
    assert result.stdout == "k is 5\n"


OPTIMISER_AND_TEMPFILE = """\
import os, tempfile, torch
weight = torch.nn.Parameter(torch.ones(2))
optimiser = torch.optim.Adam([weight], lr=0.1)
weight.sum().backward()
optimiser.step()
with tempfile.NamedTemporaryFile() as handle:
    handle.write(b'x')
    print(os.path.dirname(handle.name))
print(os.environ['TORCHINDUCTOR_CACHE_DIR'], os.environ['HOME'])
print([round(v, 4) for v in weight.detach().tolist()])
"""


def test_torch_optimiser_and_tempfile_run_with_an_empty_temp_root(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh machine: the worker's TMPDIR is a new empty folder, nothing cached anywhere.
    empty = tmp_path / "empty-temp-root"
    empty.mkdir()
    monkeypatch.setenv("TMPDIR", str(empty))
    with LocalPool(size=1) as fresh:
        result = snippet(fresh, OPTIMISER_AND_TEMPFILE, timeout=60)
    assert result.status == "ok", (result.reason, result.exception)
    temp_dir, caches, weights = result.stdout.splitlines()
    inductor, home = caches.split()
    assert weights == "[0.9, 0.9]"
    for path in (temp_dir, inductor, home):  # private folders of the run, never the shared /tmp
        assert path.startswith("/") and path != "/tmp" and not path.startswith("/tmp/torchinductor")
    assert os.path.commonpath([temp_dir, inductor, home]) not in ("/", "/tmp")
