"""The tool's own files (store, latest report) damaged or replaced by a FIFO: a clear message naming the file,
exit 6 from the CLI (README "Exit codes"), never a hang or a misleading "no result yet".

Before: a garbage store made `verifier show` say "no result yet: run `verifier audit`" (exit 0) while `audit`
exited 6 on it; a FIFO as reports/latest.json blocked the report's loader for ever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from verifier.errors import ExitCode

CLAIM = "two-thirds-output"


def test_show_names_a_damaged_store_with_exit_6_after_the_claim(project: Path) -> None:
    store = project / ".verifier" / "store.sqlite"
    store.parent.mkdir()
    store.write_bytes(b"not a database at all, " * 2000)
    result = run_cli("show", CLAIM, cwd=project, timeout=60)
    assert result.returncode == ExitCode.STORAGE, result.stdout + result.stderr
    assert str(store) in result.stderr and "damaged" in result.stderr
    assert CLAIM in result.stdout  # the claim itself is still shown
    assert "no result yet" not in result.stdout
    assert "Traceback" not in result.stderr


def test_show_and_audit_refuse_a_fifo_store_without_blocking(project: Path) -> None:
    store = project / ".verifier" / "store.sqlite"
    store.parent.mkdir()
    os.mkfifo(store)
    for command in (["show", CLAIM], ["audit", "--offline", "--only", CLAIM]):
        result = run_cli(*command, cwd=project, timeout=60)  # before: SQLite blocked opening the FIFO
        assert result.returncode == ExitCode.STORAGE, result.stdout + result.stderr
        assert str(store) in result.stderr and "not a regular file" in result.stderr


def test_show_names_a_fifo_report(project: Path) -> None:
    report = project / "reports" / "latest.json"
    report.parent.mkdir()
    os.mkfifo(report)
    result = run_cli("show", CLAIM, cwd=project, timeout=60)
    assert result.returncode == ExitCode.OK, result.stderr
    shown = " ".join(result.stdout.split())  # rich wraps long lines
    assert f"no result shown: {report}: cannot read the report: not a regular file" in shown


def test_report_loader_refuses_a_fifo_latest_json(tmp_path: Path) -> None:
    fifo = tmp_path / "latest.json"
    os.mkfifo(fifo)
    code = ("import sys; from pathlib import Path; from verifier.report import data; "
            "print(data.read_run(Path(sys.argv[1])).message)")
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60,
                            check=False)  # before: blocked for ever (TimeoutExpired)
    assert result.returncode == 0, result.stderr
    assert f"Cannot read {fifo}: not a regular file" in result.stdout
