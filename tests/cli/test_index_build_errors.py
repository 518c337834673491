"""`verifier index build` on damaged input: exit 3 naming the file and line, the old index untouched.

Before: a non-UTF-8 file ended in exit 5 (UnicodeDecodeError) and a truncated .gz in exit 1 "Aborted."
(an EOFError that click took for Ctrl-D)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.errors import ExitCode

GOOD = DATA / "arxiv" / "kaggle_head50.jsonl"


def damaged(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A damaged input file and the `file:line: message` the CLI must print for it."""
    lines = GOOD.read_bytes().splitlines(keepends=True)
    if kind == "latin-1":
        path = tmp_path / "latin1.jsonl"
        path.write_bytes(b"".join(lines[:6]) + lines[6].replace(b'"title":"', b'"title":"Caf\xe9 ') + lines[7])
        return path, f"{path}:7: not UTF-8 at line 7: byte 0xe9"
    if kind == "truncated-gz":
        path = tmp_path / "cut.jsonl.gz"
        packed = gzip.compress(GOOD.read_bytes())
        path.write_bytes(packed[: len(packed) // 2])
        return path, f"{path}:"
    if kind == "garbage-gz":
        path = tmp_path / "noise.jsonl.gz"
        path.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 4)
        return path, f"{path}: "
    path = tmp_path / "latin1.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH>\n<title>Caf\xe9</title>\n</OAI-PMH>\n')
    return path, f"{path}:3: invalid XML"


@pytest.mark.parametrize("kind", ["latin-1", "truncated-gz", "garbage-gz", "xml-latin-1"])
def test_damaged_input_exits_3_and_keeps_the_old_index(tmp_path: Path, kind: str) -> None:
    output = tmp_path / "out" / "index.sqlite"
    first = run_cli("index", "build", str(GOOD), "--output", str(output), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = output.read_bytes()
    bad, expected = damaged(tmp_path, kind)
    result = run_cli("index", "build", str(GOOD), str(bad), "--output", str(output), cwd=tmp_path)
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["index.sqlite"]  # no temporary left


def test_truncated_gzip_names_the_line_where_it_ends(tmp_path: Path) -> None:
    bad, _ = damaged(tmp_path, "truncated-gz")
    result = run_cli("index", "build", str(bad), "--output", str(tmp_path / "i.sqlite"), cwd=tmp_path)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "the compressed file ends early at line" in result.stderr
    assert not (tmp_path / "i.sqlite").exists()


def test_unwritable_output_folder_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    shutil.copy(GOOD, blocker)
    result = run_cli("index", "build", str(GOOD), "--output", str(blocker / "index.sqlite"), cwd=tmp_path)
    assert result.returncode == ExitCode.STORAGE, result.stderr
    assert f"{blocker / 'index.sqlite'}: cannot build the index" in result.stderr


def test_a_build_stopped_by_sigterm_leaves_nothing_behind(tmp_path: Path) -> None:
    """`kill` (SIGTERM) of a build reading files in worker processes: exit 143, and neither the temporary
    index, the spools nor a worker process is left (Python's default would die with them all behind)."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    output = tmp_path / "out" / "index.sqlite"
    files = sorted(str(p) for p in (ROOT / "data" / "snapshot").glob("*.gz"))
    process = subprocess.Popen([sys.executable, "-m", "verifier", "index", "build", *files, "--output", str(output),
                                "--jobs", "2"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while not any(output.parent.glob(".spool-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(output.parent.glob(".spool-*")), "the build never started its workers"
    workers = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    assert workers
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert list(output.parent.iterdir()) == []
    time.sleep(0.2)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], pid
