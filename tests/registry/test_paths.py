"""Registry files must resolve inside the registry folder, be regular files and not be huge.

Before: a source `file:` of `/etc/passwd` or `../../..`, or a claims file symlinked to a file outside the
registry, was read, and `verifier show` printed it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.errors import ExitCode, InvalidInputError
from verifier.registry import load_registry
from verifier.registry.files import MAX_SOURCE_BYTES, MAX_SOURCE_LINES, MAX_YAML_BYTES

SECRET = "TOP-SECRET-HOST-FILE well-known fact"


def set_source_file(project: Path, name: str) -> None:
    sources = project / "claims" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("file: demo.txt", f"file: {name!r}"),
                       encoding="utf-8")


def problems(project: Path) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        load_registry(project / "claims")
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A host file outside the registry whose text would anchor every quote if it were read."""
    path = tmp_path / "host-secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["absolute", "dot-dot"])
def test_source_file_outside_the_registry_is_refused_and_never_shown(
        project: Path, outside: Path, how: str) -> None:
    name = str(outside) if how == "absolute" else os.path.relpath(outside, project / "claims" / "sources")
    set_source_file(project, name)
    (project / "claims" / "demo.yaml").write_text(
        "- id: leak\n  source: demo\n  kind: fact\n  quote: well-known fact\n  statement: x\n", encoding="utf-8")
    result = run_cli("show", "leak", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "claims/sources.yaml:2: [file]" in result.stderr and "outside the registry folder" in result.stderr
    assert "TOP-SECRET" not in result.stdout + result.stderr


def test_etc_passwd_as_a_source_is_refused(project: Path) -> None:
    set_source_file(project, "/etc/passwd")
    found = problems(project)
    assert any("claims/sources.yaml:2: [file] cannot read sources//etc/passwd" in p and "outside" in p
               for p in found), found


def test_source_symlink_pointing_outside_is_refused(project: Path, outside: Path) -> None:
    link = project / "claims" / "sources" / "linked.txt"
    link.symlink_to(outside)
    set_source_file(project, "linked.txt")
    assert any("[file] cannot read sources/linked.txt: resolves to" in p and "outside" in p
               for p in problems(project))


def test_claims_file_symlink_pointing_outside_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("- id: elsewhere\n  source: other\n  kind: fact\n  quote: one sentence worth quoting\n"
                         "  statement: TOP-SECRET\n", encoding="utf-8")
    (project / "claims" / "other.yaml").unlink()
    (project / "claims" / "other.yaml").symlink_to(elsewhere)
    result = run_cli("validate", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "claims/other.yaml: cannot read: resolves to" in result.stderr
    assert "TOP-SECRET" not in result.stdout + result.stderr


def test_symlinks_that_stay_inside_the_registry_are_fine(project: Path) -> None:
    (project / "claims" / "sources" / "alias.txt").symlink_to("demo.txt")
    set_source_file(project, "alias.txt")
    assert len(load_registry(project / "claims").records) == 5


def test_fifo_source_is_refused_without_blocking(project: Path) -> None:
    os.mkfifo(project / "claims" / "sources" / "pipe.txt")
    set_source_file(project, "pipe.txt")
    result = run_cli("validate", cwd=project, timeout=30)  # opening a FIFO for reading would block for ever
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "sources/pipe.txt: not a regular file" in result.stderr


def test_huge_source_is_refused_before_it_is_read(project: Path) -> None:
    huge = project / "claims" / "sources" / "huge.txt"
    with huge.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_SOURCE_BYTES + 1)
    set_source_file(project, "huge.txt")
    assert any("sources/huge.txt: too large" in p for p in problems(project))


def test_source_that_is_not_utf8_names_its_line(project: Path) -> None:
    path = project / "claims" / "sources" / "demo.txt"
    path.write_bytes(path.read_bytes().replace(b"which paper", b"which pap\xe9r"))
    assert any("[file] cannot read sources/demo.txt (its line 3): not UTF-8: byte 0xe9 at line 3" in p
               for p in problems(project)), problems(project)


def test_source_with_nul_bytes_is_read_as_text(project: Path) -> None:
    """A NUL in a document is odd but harmless text: quotes elsewhere still anchor."""
    path = project / "claims" / "sources" / "demo.txt"
    path.write_bytes(path.read_bytes() + b"\x00trailing\x00\n")
    assert len(load_registry(project / "claims").records) == 5


def test_huge_claims_file_is_refused_before_it_is_read(project: Path) -> None:
    with (project / "claims" / "demo.yaml").open("r+b") as handle:  # sparse tail: costs no disk
        handle.truncate(MAX_YAML_BYTES + 1)
    assert any(p.startswith("claims/demo.yaml: cannot read: too large") for p in problems(project))


def test_claims_file_that_is_a_folder_is_refused(project: Path) -> None:
    (project / "claims" / "folder.yaml").mkdir()
    assert any(p.startswith("claims/folder.yaml: cannot read: not a regular file") for p in problems(project))


def test_symlink_loops_are_reported_not_crashed_on(project: Path) -> None:
    (project / "claims" / "loop.yaml").symlink_to("loop.yaml")
    (project / "claims" / "self").symlink_to("self")
    result = run_cli("validate", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "claims/loop.yaml: cannot read: cannot resolve:" in result.stderr
    result = run_cli("validate", "--registry", "claims/self", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "registry folder cannot be resolved" in result.stderr and "Traceback" not in result.stderr


def test_source_with_too_many_lines_is_refused(project: Path) -> None:
    """10 million empty lines (10 MB) took 5 GB and minutes to anchor against; a line cap refuses them."""
    (project / "claims" / "sources" / "demo.txt").write_bytes(b"\n" * MAX_SOURCE_LINES)
    assert any("[file] cannot read sources/demo.txt: too many lines: 1,000,000 (at most 1,000,000)" in p
               for p in problems(project)), problems(project)
