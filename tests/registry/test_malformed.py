"""Every malformed file under tests/data/malformed gives file:line, field and exit code 3, all at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.errors import ExitCode, InvalidInputError
from verifier.registry import load_registry

CASES = sorted((DATA / "malformed").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\S+) (\S+) (.+)$")


def expectations(path: Path) -> list[tuple[int | None, str | None, str]]:
    found = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        match = EXPECT.match(line)
        if match:
            number, field, message = match.groups()
            found.append((None if number == "-" else int(number), None if field == "-" else field, message))
    return found


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert all(expectations(case) for case in CASES), "every case states what it expects"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_malformed_file_is_reported_with_line_and_field(case: Path, project: Path) -> None:
    shutil.copy(case, project / "claims" / "demo.yaml")
    with pytest.raises(InvalidInputError) as caught:
        load_registry(project / "claims")
    problems = caught.value.problems
    for line, field, message in expectations(case):
        matching = [p for p in problems if p.path == "claims/demo.yaml" and message in p.message
                    and p.line == line and p.field == field]
        assert matching, f"expected line={line} field={field} {message!r}; got {[str(p) for p in problems]}"


def test_subprocess_reports_every_problem_without_traceback(project: Path) -> None:
    shutil.copy(DATA / "malformed" / "34_two_bad_claims.yaml", project / "claims" / "demo.yaml")
    result = run_cli("validate", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "Traceback" not in result.stderr
    assert "claims/demo.yaml:5: [kind] unknown kind 'guess'" in result.stderr
    assert "claims/demo.yaml:11: [reference.year]" in result.stderr
    assert "2 problems" in result.stderr


def test_problems_in_several_files_are_all_reported(project: Path) -> None:
    shutil.copy(DATA / "malformed" / "07_unknown_kind.yaml", project / "claims" / "demo.yaml")
    (project / "claims" / "other.yaml").write_text("- id: X\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_registry(project / "claims")
    files = {p.path for p in caught.value.problems}
    assert files == {"claims/demo.yaml", "claims/other.yaml"}


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("- slug: demo\n  file: demo.txt\n  title: T\n  kind: blog\n  language: en\n  origin: o\n",
         4, "kind", "Input should be 'chat', 'qa', 'slides' or 'other'"),
        ("- slug: demo\n  file: missing.txt\n  title: T\n  kind: chat\n  language: en\n  origin: o\n",
         2, "file", "cannot read sources/missing.txt: no such file"),
        ("- slug: demo\n  file: demo.txt\n  title: T\n  kind: chat\n  language: en\n  origin: o\n"
         "- slug: demo\n  file: demo.txt\n  title: T\n  kind: chat\n  language: en\n  origin: o\n",
         7, "slug", "duplicate source slug 'demo'"),
        ("slug: demo\n", 1, None, "expected a list of sources"),
    ],
)
def test_sources_file_problems(project: Path, text: str, line: int, field: str | None, message: str) -> None:
    (project / "claims" / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_registry(project / "claims")
    assert any(p.path == "claims/sources.yaml" and p.line == line and p.field == field and message in p.message
               for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_missing_registry_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="registry folder not found"):
        load_registry(tmp_path / "nope")
