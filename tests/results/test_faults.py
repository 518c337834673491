"""Store, report and cache faults end with a message naming the file (exit 6), never a traceback, and lose
nothing: a damaged store or report, a read-only home (as root, through a user namespace in which we are not
root, so the permission bits apply), a full disk (RLIMIT_FSIZE in the CLI's process)."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.errors import ExitCode
from verifier.report.data import read_history, read_run


def cli(project: Path, *args: str, home: Path | None = None, unprivileged: bool = False,
        fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a real subprocess; `unprivileged` drops root's permission override, `fsize` caps file growth."""
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_HOME"}
    if home is not None:
        env["VERIFIER_HOME"] = str(home)
    prefix = ["unshare", "--user", "--map-user=1000", "--map-group=1000"] if unprivileged and os.geteuid() == 0 \
        else []

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([*prefix, sys.executable, "-m", "verifier", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300, check=False, preexec_fn=limit)


def clean_failure(result: subprocess.CompletedProcess[str], path: Path) -> None:
    assert result.returncode == ExitCode.STORAGE, (result.returncode, result.stderr)
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr


@pytest.fixture
def audited(project: Path) -> Path:
    result = run_cli("audit", "--kind", "fact", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[list[Path]]:
    """Folders made read-only for the test (restored afterwards so pytest can clean up)."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        folder.chmod(0o755)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_store_is_named_and_nothing_else_is_touched(audited: Path, damage: str) -> None:
    store = audited / ".verifier" / "store.sqlite"
    report = audited / "reports" / "latest.json"
    before = report.read_bytes()
    if damage == "garbage":
        store.write_bytes(os.urandom(8192))
    else:
        data = store.read_bytes()
        store.write_bytes(data[: len(data) // 3])
        for extra in store.parent.glob("store.sqlite-*"):
            extra.unlink()
    result = cli(audited, "audit", "--kind", "fact", "--fresh")
    clean_failure(result, store)
    assert "move it aside" in result.stderr or "damaged" in result.stderr
    assert report.read_bytes() == before
    history = read_history(audited / ".verifier")
    assert history.audits == [] and history.message is not None and str(store) in history.message


@pytest.mark.parametrize("content", [os.urandom(2048), "{\"audit\": \"caf\xe9\"}".encode("latin-1"), b"{\"audit\":"])
def test_unreadable_report_is_a_message_for_the_pages_and_for_show(audited: Path, content: bytes) -> None:
    report = audited / "reports" / "latest.json"
    report.write_bytes(content)
    loaded = read_run(report)
    assert loaded.run is None and loaded.message is not None
    assert str(report) in loaded.message and "Run `verifier audit` again" in loaded.message
    result = cli(audited, "show", "other-sentence")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"no result shown: {report}: cannot read the report: not a complete verifier report" \
        in " ".join(result.stdout.split())


def test_audit_from_a_read_only_home_names_the_store(audited: Path, read_only: list[Path]) -> None:
    home = audited / ".verifier"
    before = (audited / "reports" / "latest.json").read_bytes()
    home.chmod(0o555)
    read_only.append(home)
    result = cli(audited, "audit", "--kind", "fact", "--fresh", unprivileged=True)
    clean_failure(result, home / "store.sqlite")
    assert "read-only" in result.stderr
    assert (audited / "reports" / "latest.json").read_bytes() == before


def test_report_history_reads_a_store_in_a_read_only_home(audited: Path, read_only: list[Path]) -> None:
    home = audited / ".verifier"
    home.chmod(0o555)
    read_only.append(home)
    probe = ("import sys; from pathlib import Path; from verifier.report.data import read_history; "
             "h = read_history(Path(sys.argv[1])); print(len(h.audits), h.message)")
    prefix = ["unshare", "--user", "--map-user=1000", "--map-group=1000"] if os.geteuid() == 0 else []
    result = subprocess.run([*prefix, sys.executable, "-c", probe, str(home)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.stdout.split() == ["1", "None"], result.stderr


def test_resolve_offline_works_from_a_read_only_home(project: Path, tmp_path: Path, read_only: list[Path]) -> None:
    """With an earlier answer in the cache (read as it is) and with no cache at all (an empty one)."""
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "references.sqlite") as db:
        db.execute("CREATE TABLE lookups (key TEXT PRIMARY KEY, origin TEXT NOT NULL, fetched TEXT NOT NULL, "
                   "value TEXT NOT NULL)")
        record = {"arxiv_id": "1706.03762", "title": "Attention Is All You Need", "authors": ["Ashish Vaswani"],
                  "published": "2017-06-12", "origin": "arxiv"}
        db.execute("INSERT INTO lookups VALUES (?, ?, ?, ?)",
                   ("id:1706.03762", "arxiv", "2026-01-01T00:00:00+00:00", json.dumps(record)))
    db.close()
    home.chmod(0o555)
    read_only.append(home)
    found = cli(project, "resolve", "--offline", "--arxiv-id", "1706.03762", "--title", "Attention Is All You Need",
                "--format", "json", home=home, unprivileged=True)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["status"] == "confirmed"
    assert "references.sqlite" in found.stderr and "read-only" in found.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    empty.chmod(0o555)
    read_only.append(empty)
    unknown = cli(project, "resolve", "--offline", "--title", "Attention Is All You Need", "--format", "json",
                  home=empty, unprivileged=True)
    assert unknown.returncode == 0, unknown.stderr
    assert json.loads(unknown.stdout)["status"] in ("unverifiable", "not_found")
    assert "using an empty cache" in unknown.stderr
    assert not list(empty.iterdir())


def test_full_disk_during_an_audit_keeps_store_and_report(audited: Path) -> None:
    report = audited / "reports" / "latest.json"
    before = report.read_bytes()
    result = cli(audited, "audit", "--kind", "fact", "--fresh", fsize=0)  # no file may grow by one byte
    assert result.returncode == ExitCode.STORAGE, result.stderr
    assert "store.sqlite" in result.stderr and "disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert report.read_bytes() == before
    history = read_history(audited / ".verifier")
    assert history.message is None and len(history.audits) == 1
    again = run_cli("audit", "--kind", "fact", cwd=audited)
    assert again.returncode == 0 and len(read_history(audited / ".verifier").audits) == 2


def test_unwritable_report_folder_names_the_report(audited: Path, read_only: list[Path]) -> None:
    """The audit is kept in the store; the previous report stays whole and no temporary file is left."""
    reports = audited / "reports"
    before = (reports / "latest.json").read_bytes()
    reports.chmod(0o555)
    read_only.append(reports)
    result = cli(audited, "audit", "--kind", "fact", "--fresh", unprivileged=True)
    clean_failure(result, reports / "latest.json")
    assert (reports / "latest.json").read_bytes() == before
    assert sorted(p.name for p in reports.iterdir()) == ["latest.json"]
    assert len(read_history(audited / ".verifier").audits) == 2


@pytest.mark.parametrize("blocked", ["home-is-a-file", "store-is-a-folder", "report-is-a-folder"])
def test_something_else_in_place_of_a_file_is_named(project: Path, tmp_path: Path, blocked: str) -> None:
    home = project / ".verifier"
    if blocked == "home-is-a-file":
        home = tmp_path / "not-a-folder"
        home.write_text("x", encoding="utf-8")
        named = home / "store.sqlite"
    elif blocked == "store-is-a-folder":
        named = home / "store.sqlite"
        named.mkdir(parents=True)
    else:
        named = project / "reports" / "latest.json"
        named.mkdir(parents=True)
    result = cli(project, "audit", "--kind", "fact", home=home)
    clean_failure(result, named)


def test_report_nested_beyond_the_json_parser_limit_is_a_message(audited: Path) -> None:
    report = audited / "reports" / "latest.json"
    report.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    loaded = read_run(report)
    assert loaded.run is None and loaded.message is not None and "recursion limit" in loaded.message
