"""Declarative checks end to end: real registry, real CLI, real sandbox. Each primitive confirms a true
statement and refutes a false one, and the sentence reports what was measured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.errors import ExitCode

pytestmark = pytest.mark.timeout(300)

QUOTE = "the derivative of x^2 is 2x."


def claim(claim_id: str, check: str) -> str:
    body = "\n".join("    " + line for line in check.strip("\n").splitlines())
    return (f"\n- id: {claim_id}\n  source: demo\n  kind: math\n  quote: {QUOTE}\n  statement: {claim_id}\n"
            f"  check:\n{body}\n")


def add(project: Path, *claims: str) -> None:
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + "".join(claims))


def audit(project: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run_cli("audit", "--kind", "math", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    return {r["claim_id"]: r for r in json.loads(result.stdout)["results"]}


def test_each_primitive_confirms_and_refutes(project: Path) -> None:
    add(project,
        claim("identity-true", """
identity:
  vars: {x: {low: -3, high: 3}}
  stated: 2*x
  reference: grad(x**2, x)"""),
        claim("identity-false", """
identity:
  vars: {x: {low: -3, high: 3}}
  stated: x
  reference: grad(x**2, x)"""),
        claim("against-true", """
against:
  vars: {z: {shape: [6], low: -5, high: 5}}
  stated: exp(z) / sum(exp(z))
  reference: torch.softmax(z, dim=-1)"""),
        claim("against-module-false", """
against:
  vars: {x: {shape: [5, 3]}}
  module: {name: torch.nn.RNN, args: {input_size: 3, hidden_size: 2, batch_first: true}, input: "x[None]",
           output: "out[0][0]"}
  bind: {W: weight_hh_l0, U: weight_ih_l0, b: bias_ih_l0 + bias_hh_l0}
  recurrence: {sequence: x, state: {h: zeros(2)}, output: h}
  update: {h: "sigmoid(W @ h + U @ x_t + b)"}
  trials: 3"""),
        claim("value-true", """
value:
  let: {x: "1.0"}
  stated: "4.0"
  expression: grad(x**2 + 2*x - 3, x)"""),
        claim("value-false", """
value:
  let: {x: "1.0"}
  stated: "4.1"
  expression: grad(x**2 + 2*x - 3, x)"""),
        claim("exists-true", """
exists:
  search: {TP: {from: 0, to: 10}, FP: {from: 0, to: 10}}
  conditions: ["TP / (TP + FP) == 0.8"]"""),
        claim("exists-false", """
exists:
  search: {TP: {from: 0, to: 10}, FP: {from: 0, to: 10}}
  conditions: ["TP / (TP + FP) == 0.8", "TP + FP == 3"]"""),
        claim("shapes-differ", """
identity:
  vars: {Q: {shape: [3, 2]}}
  stated: 2 * Q @ Q.T
  reference: jacobian(Q @ Q.T, Q)"""))
    results = audit(project)
    status = {k: v["status"] for k, v in results.items()}
    assert status["identity-true"] == "confirmed"
    assert status["identity-false"] == "refuted"
    assert status["against-true"] == "confirmed"
    assert status["against-module-false"] == "refuted"
    assert status["value-true"] == "confirmed" and status["value-false"] == "refuted"
    assert status["exists-true"] == "confirmed" and status["exists-false"] == "refuted"
    assert status["shapes-differ"] == "refuted"
    # sentences come from the measurements
    assert "over 100 draws" in results["identity-true"]["summary"]
    wrong = results["identity-false"]
    measured = wrong["checks"][0]["evidence"]["observation"]["measured"]["parts"][0]["measured"]
    assert f"max |diff| {measured['max_abs_diff']:.4g}" in wrong["summary"]
    assert "torch.nn.RNN with its weights bound, unrolled over 5 steps" in results["against-module-false"]["summary"]
    assert "stated 4.1, computed 4" in results["value-false"]["summary"]
    assert "the smallest TP = 4, FP = 1" in results["exists-true"]["summary"]
    assert "none of 121 candidates meets all 2 conditions" in results["exists-false"]["summary"]
    assert "shape (3, 3), the reference (3, 3, 3, 2)" in results["shapes-differ"]["summary"]


def test_a_stated_side_that_cannot_be_computed_is_refuted_not_error(project: Path) -> None:
    add(project, claim("non-conformable", """
identity:
  vars: {A: {shape: [3, 2]}, B: {shape: [3, 2]}}
  stated: A @ B
  reference: A @ B.T"""))
    result = audit(project)["non-conformable"]
    assert result["status"] == "refuted"
    assert "cannot be computed as written" in result["summary"]


def test_malformed_expressions_are_input_errors_with_their_line(project: Path) -> None:
    add(project, claim("bad-syntax", """
identity:
  vars: {x: {}}
  stated: 2*x +
  reference: grad(x**2, x)"""), claim("escape-attempt", """
identity:
  vars: {x: {}}
  stated: x.__class__
  reference: x"""), claim("unknown-name", """
exists:
  search: {a: [1, 2]}
  conditions: ["b == 1"]"""))
    result = run_cli("validate", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    text = (project / "claims" / "demo.yaml").read_text().splitlines()
    stated_lines = [i + 1 for i, line in enumerate(text) if line.strip().startswith(("stated: 2*x +",
                                                                                    "stated: x.__class__"))]
    condition_line = next(i + 1 for i, line in enumerate(text) if "conditions:" in line)
    assert f"claims/demo.yaml:{stated_lines[0]}: [check.identity.stated]" in result.stderr
    assert "cannot parse" in result.stderr
    assert f"claims/demo.yaml:{stated_lines[1]}: [check.identity.stated]" in result.stderr
    assert "attribute .__class__ is not allowed" in result.stderr
    assert f"claims/demo.yaml:{condition_line}: [check.exists.conditions[0]]" in result.stderr
    assert "unknown name 'b'" in result.stderr
