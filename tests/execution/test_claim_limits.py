"""Claim fields that drive the sandbox, through the real CLI: ignore patterns, seeds and timeout caps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.errors import ExitCode

pytestmark = pytest.mark.timeout(300)

CLAIM = """
- id: patterned-output
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: The snippet prints 0.6667.
  code: |
    print('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', round(2.0 / 3.0, 4))
  printed: "0.6667"
"""


def project_with(tmp_path: Path, extra: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(DATA / "registry", project)
    with (project / "claims" / "demo.yaml").open("a") as claims:
        claims.write(CLAIM + extra)
    return project


def test_a_broken_ignore_pattern_is_a_validation_error_with_its_line(tmp_path: Path) -> None:
    project = project_with(tmp_path, "  compare:\n    ignore: ['([']\n")
    done = run_cli("validate", cwd=project)
    assert done.returncode == ExitCode.INVALID_INPUT, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "demo.yaml:" in output and "ignore" in output and "missing ]" in output
    assert "Traceback" not in output


def test_a_catastrophic_pattern_cannot_hang_the_audit(tmp_path: Path) -> None:
    project = project_with(tmp_path, "  compare:\n    ignore: ['^(a+)+$', 'a+!']\n")
    done = run_cli("audit", "--only", "patterned-output", "--format", "json", cwd=project, timeout=240)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["status"] == "confirmed", result


@pytest.mark.parametrize(("field", "value"), [("seeds", "[" + ", ".join(map(str, range(21))) + "]"),
                                              ("timeout_s", "601")])
def test_seeds_and_timeout_are_capped_in_the_registry(tmp_path: Path, field: str, value: str) -> None:
    project = project_with(tmp_path, f"  {field}: {value}\n")
    done = run_cli("validate", cwd=project)
    assert done.returncode == ExitCode.INVALID_INPUT, done.stdout + done.stderr
    assert field in done.stdout + done.stderr


def test_verifier_run_refuses_seeds_and_timeouts_beyond_the_caps(tmp_path: Path) -> None:
    (tmp_path / "snippet.py").write_text("print(1)\n")
    for option in (["--seeds", "10000"], ["--timeout", "100000"]):
        done = run_cli("run", "snippet.py", *option, cwd=tmp_path)
        assert done.returncode == ExitCode.USAGE, done.stdout + done.stderr
        assert option[0] in done.stdout + done.stderr
