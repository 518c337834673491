"""Atomic writes keep the mode of the file they replace; new files get what the umask allows.

Before: `write_atomic` used mkstemp's 0600, so every `verifier add` (even one rolled back) made a shared claims
file private, and reports/latest.json was always 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from verifier.errors import ExitCode


def cli(project: Path, *args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_HOME"}
    return subprocess.run([sys.executable, "-m", "verifier", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300, check=False, preexec_fn=lambda: os.umask(umask))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_add_keeps_the_claims_file_mode_even_when_rolled_back(project: Path) -> None:
    claims = project / "claims" / "demo.yaml"
    claims.chmod(0o644)
    added = cli(project, "add", "--source", "demo", "--kind", "fact", "--id", "new-fact",
                "--quote", "well-known fact", "--statement", "A fact.")
    assert added.returncode == 0, added.stderr
    assert "new-fact" in claims.read_text(encoding="utf-8")
    assert mode(claims) == 0o644
    claims.chmod(0o664)
    before = claims.read_bytes()
    rolled_back = cli(project, "add", "--source", "demo", "--kind", "fact", "--id", "bad-quote",
                      "--quote", "a sentence the source never says", "--statement", "x")
    assert rolled_back.returncode == ExitCode.INVALID_INPUT
    assert claims.read_bytes() == before
    assert mode(claims) == 0o664


def test_new_report_follows_the_umask_and_an_existing_one_keeps_its_mode(project: Path) -> None:
    first = cli(project, "audit", "--kind", "fact", umask=0o022)
    assert first.returncode == 0, first.stderr
    report = project / "reports" / "latest.json"
    assert mode(report) == 0o644
    report.chmod(0o640)
    second = cli(project, "audit", "--kind", "fact", umask=0o077)
    assert second.returncode == 0, second.stderr
    assert mode(report) == 0o640
    report.unlink()
    third = cli(project, "audit", "--kind", "fact", umask=0o027)
    assert third.returncode == 0, third.stderr
    assert mode(report) == 0o640


def test_a_folder_given_as_the_output_file_is_named_and_nothing_is_written_beside_it(tmp_path: Path) -> None:
    from verifier.atomic import write_atomic
    from verifier.results.faults import StorageError

    folder = tmp_path / "reports"
    folder.mkdir()
    try:
        write_atomic(folder, "{}")
    except StorageError as exc:
        assert "is a folder" in str(exc), str(exc)
    else:
        raise AssertionError("wrote over a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"] and not any(folder.iterdir())
