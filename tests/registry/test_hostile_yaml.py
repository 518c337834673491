"""Hostile YAML through the real CLI: refused with exit 3 and file:line, in bounded time, before any check runs.

Before: 30,000 nested `[` segfaulted `verifier validate` (exit 139); an alias bomb validated and then grew
without bound in `show` and `audit`; a date or `!!binary` in params passed validation and hung the audit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.errors import ExitCode

MALFORMED = DATA / "malformed"
HOSTILE = ["46_alias_bomb", "47_deep_flow_nesting", "48_deep_block_nesting", "49_recursive_alias",
           "40_params_date", "41_params_binary", "44_params_nan"]


def use(project: Path, case: str) -> None:
    shutil.copy(MALFORMED / f"{case}.yaml", project / "claims" / "demo.yaml")


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("command", [["validate"], ["audit", "--kind", "math", "--offline"],
                                     ["show", "a-claim"]])
def test_hostile_claims_file_is_refused_by_every_command(project: Path, case: str, command: list[str]) -> None:
    use(project, case)
    first_line = (MALFORMED / f"{case}.yaml").read_text(encoding="utf-8").splitlines()[0]
    line = first_line.split()[2]
    result = run_cli(*command, cwd=project, timeout=60)  # before: a segfault, or growth without end
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert f"claims/demo.yaml:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "reports" / "latest.json").exists()  # nothing ran, nothing was written


def test_non_json_params_never_reach_the_sandbox(project: Path) -> None:
    use(project, "40_params_date")
    result = run_cli("audit", "--kind", "math", "--offline", cwd=project, timeout=60)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "[params.start]" in result.stderr and "2024-01-01 is a date, not a JSON value" in result.stderr
    assert not (project / ".verifier" / "store.sqlite").exists()


def test_quoted_date_and_nested_json_params_are_accepted(project: Path) -> None:
    text = (MALFORMED / "40_params_date.yaml").read_text(encoding="utf-8")
    text = text.replace("start: 2024-01-01", "start: '2024-01-01'\n    grid: {x: [1, 2.5, null, true], name: n}")
    (project / "claims" / "demo.yaml").write_text(text.split("\n", 1)[1], encoding="utf-8")
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, result.stderr


def test_add_from_yaml_uses_the_bounded_reader(project: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "new.yaml"
    lines = ["id: new-claim", "source: demo", "kind: fact", "quote: well-known fact", "statement: x",
             "tags: &a [x, x, x, x, x, x, x, x, x, x]"]
    previous = "a"
    for name in "bcdefgh":
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
        previous = name
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (project / "claims" / "demo.yaml").read_bytes()
    result = run_cli("add", "--yaml", str(bomb), cwd=project, timeout=60)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert f"{bomb}:10: invalid YAML: aliases expand to more than 100,000 nodes" in result.stderr
    assert (project / "claims" / "demo.yaml").read_bytes() == before


@pytest.mark.parametrize(("transform", "label"), [
    (lambda text: "\ufeff" + text, "byte-order mark"),
    (lambda text: text.replace("\n", "\r\n"), "CRLF line ends"),
])
def test_bom_and_crlf_files_are_read_as_usual(project: Path, transform: object, label: str) -> None:
    path = project / "claims" / "demo.yaml"
    path.write_bytes(transform(path.read_text(encoding="utf-8")).encode("utf-8"))  # type: ignore[operator]
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, (label, result.stderr)
    assert "5 claims" in result.stdout


@pytest.mark.parametrize("args", [
    ["audit", "--seeds", "10000"], ["audit", "--seeds", "0"],
    ["run", "snippet.py", "--seeds", "21"], ["run", "snippet.py", "--timeout", "601"],
])
def test_seed_and_timeout_options_are_capped(project: Path, args: list[str]) -> None:
    (project / "snippet.py").write_text("print(1)\n", encoding="utf-8")
    result = run_cli(*args, cwd=project, timeout=60)
    assert result.returncode == ExitCode.USAGE
    assert "less than or equal to" in result.stderr or "greater than or equal to" in result.stderr
