"""Code and math claims end to end: real registry, real sandbox, real comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.errors import ExitCode
from verifier.execution.runner import choose_seeds, draws_unseeded_randomness

pytestmark = pytest.mark.timeout(180)


def audit(project: Path, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run_cli("audit", "--format", "json", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return {r["claim_id"]: r for r in json.loads(result.stdout)["results"]}


def add_claims(project: Path, text: str) -> None:
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + text)


def test_code_and_math_claims_are_checked(project: Path) -> None:
    results = audit(project, "--kind", "code")
    two_thirds = results["two-thirds-output"]
    assert two_thirds["status"] == "confirmed"
    assert [c["name"] for c in two_thirds["checks"]] == ["as_written", "reproduction"]
    run = two_thirds["checks"][0]["evidence"]["runs"][0]
    assert run["stdout"] == "0.6667\n" and run["device"]["type"] == "cpu"
    assert run["environment"]["threads"] == 1
    math = audit(project, "--kind", "math")["derivative-of-square"]
    assert math["status"] == "confirmed"
    assert math["checks"][0]["evidence"]["observation"]["measured"] == {"autograd": 6.0}


def test_findings_from_code(project: Path) -> None:
    add_claims(project, """
- id: wrong-output
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: prints 0.6700
  code: print(round(2.0 / 3.0, 4))
  printed: "0.6700"
- id: removed-api
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: uses scipy.misc.derivative
  code: |
    from scipy.misc import derivative
    print(derivative(lambda x: x**2, 1.0))
- id: needs-tensorflow
  source: demo
  kind: code
  quote: "Here it is:"
  statement: a Keras model
  code: |
    import tensorflow as tf
    print(tf.constant(1.0))
- id: slow-loop
  source: demo
  kind: code
  quote: "Here it is:"
  statement: never finishes
  code: "while True: pass"
  timeout_s: 1
""")
    results = audit(project, "--kind", "code")
    assert results["wrong-output"]["status"] == "refuted"
    assert "0.6700 vs 0.6667" in results["wrong-output"]["summary"]
    assert results["removed-api"]["status"] == "does_not_run"
    assert "ImportError" in results["removed-api"]["summary"]
    assert results["needs-tensorflow"]["status"] == "skipped"
    assert "tensorflow" in results["needs-tensorflow"]["summary"]
    assert results["slow-loop"]["status"] == "does_not_run"
    assert "timed out after 1 s" in results["slow-loop"]["summary"]


def test_broken_reproduction_is_an_error_not_a_finding(project: Path) -> None:
    (project / "reproductions" / "broken.py").write_text("def port(device):\n    raise KeyError('bug')\n")
    add_claims(project, """
- id: broken-port
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: prints 0.6667
  code: print(round(2.0 / 3.0, 4))
  printed: "0.6667"
  reproduction: broken:port
""")
    result = audit(project, "--only", "broken-port")["broken-port"]
    assert result["status"] == "error"
    assert {c["name"]: c["status"] for c in result["checks"]} == {"as_written": "confirmed", "reproduction": "error"}


def test_unseeded_random_code_runs_with_several_seeds(project: Path) -> None:
    add_claims(project, """
- id: random-mean
  source: demo
  kind: code
  quote: "Here it is:"
  statement: prints a mean near 0.5
  code: |
    import numpy as np
    print(f"{np.random.rand(1000).mean():.2f}")
  printed: "0.50"
""")
    result = audit(project, "--only", "random-mean", "--seeds", "4")["random-mean"]
    runs = result["checks"][0]["evidence"]["runs"]
    assert [r["seed"] for r in runs] == [0, 1, 2, 3]
    number = result["checks"][0]["evidence"]["comparison"]["numbers"][0]
    assert number["low"] <= 0.5 <= number["high"]
    assert result["status"] == "confirmed"


def test_seed_choice() -> None:
    assert draws_unseeded_randomness("x = torch.rand(3)")
    assert not draws_unseeded_randomness("torch.manual_seed(0)\nx = torch.rand(3)")
    assert choose_seeds("print(1)", [], None) == [None]
    assert choose_seeds("np.random.rand()", [], None) == [0, 1, 2]
    assert choose_seeds("np.random.rand()", [5], 9) == [5]


def test_run_command(tmp_path: Path) -> None:
    script = tmp_path / "s.py"
    script.write_text("print(sum(range(10)))\n")
    claimed = tmp_path / "claimed.txt"
    claimed.write_text("45\n")
    result = run_cli("run", str(script), "--printed", str(claimed), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    check = json.loads(result.stdout)
    assert check["status"] == "confirmed" and check["evidence"]["runs"][0]["stdout"] == "45\n"
    claimed.write_text("46\n")
    table = run_cli("run", str(script), "--printed", str(claimed), cwd=tmp_path)
    assert table.stdout.startswith("refuted: 1 of 1 printed numbers differ: 46 vs 45")


def test_run_command_bad_input(tmp_path: Path) -> None:
    missing = run_cli("run", str(tmp_path / "nope.py"), cwd=tmp_path)
    assert missing.returncode == ExitCode.INVALID_INPUT and "cannot read the snippet" in missing.stderr
    script = tmp_path / "s.py"
    script.write_text("print(1)\n")
    assert run_cli("run", str(script), "--device", "tpu", cwd=tmp_path).returncode == ExitCode.USAGE
