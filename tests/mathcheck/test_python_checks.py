"""The contract of Python math checks: observations read strictly, sentences only from measurements.

Every check of reproductions/ is read statically: it must return `observe(holds, template, **measured)`,
its template may name only what it measured and may not carry a conclusion of its own. Checks whose
statement can be inverted through their params are run both ways in the sandbox: the verdict must flip
while the words around the numbers stay the template's."""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from tests.conftest import ROOT, run_cli
from tests.mathcheck.sandbox_checks import run_check
from verifier.execution.runner import SandboxRunner
from verifier.mathcheck.observation import observe
from verifier.registry import load_registry
from verifier.registry.models import MathClaim
from verifier.results.evidence import Observation

pytestmark = pytest.mark.timeout(600)

REPRODUCTIONS = ROOT / "reproductions"
#: words that state a verdict; a template must leave the verdict to `holds` and its numbers
CONCLUSION = re.compile(r"\b(holds?|fails?|wrong|correct(ly)?|missing|never|always|proves?|confirm(s|ed)?|"
                        r"refuted?|is half|is twice|vanish(es)?|explodes?|not the|only for|so its|so the)\b", re.I)


def observe_calls() -> Iterator[tuple[str, ast.Call]]:
    for path in sorted(REPRODUCTIONS.glob("*.py")):  # math checks and helpers; api checks do not call observe
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "observe":
                yield f"{path.name}:{node.lineno}", node


def check_functions() -> Iterator[tuple[str, ast.FunctionDef]]:
    registry = load_registry(ROOT / "claims")
    targets = {r.claim.check for r in registry.records
               if isinstance(r.claim, MathClaim) and isinstance(r.claim.check, str)}
    for target in sorted(targets):
        module, name = target.split(":")
        tree = ast.parse((REPRODUCTIONS / f"{module}.py").read_text(encoding="utf-8"))
        function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
        yield target, function


def own_returns(function: ast.FunctionDef) -> list[ast.Return]:
    """The function's own return statements (not those of functions defined inside it)."""
    found: list[ast.Return] = []
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.Lambda | ast.AsyncFunctionDef | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))
    return found


def template_text(call: ast.Call) -> str:
    template = call.args[1]
    assert isinstance(template, ast.Constant) and isinstance(template.value, str), ast.unparse(template)
    return template.value


def test_every_bundled_python_check_returns_an_observation() -> None:
    checked = 0
    for target, function in check_functions():
        returns = own_returns(function)
        assert returns, target
        for node in returns:
            assert isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "observe", (
                f"{target} returns {ast.unparse(node.value)[:80]} instead of observe(...)")
        checked += 1
    assert checked >= 25


def test_templates_name_only_measurements_and_state_no_conclusion() -> None:
    calls = list(observe_calls())
    assert len(calls) >= 30
    for where, call in calls:
        text = template_text(call)
        fields = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}
        measured = {k.arg for k in call.keywords}
        assert fields <= measured, f"{where}: template names {fields - measured}, which is not measured"
        words = re.sub(r"\{[^}]*\}", " ", text)
        found = CONCLUSION.search(words)
        assert found is None, f"{where}: the template states a conclusion ({found.group(0)!r}): {text!r}"


def test_the_lint_catches_the_kind_of_sentence_it_is_for() -> None:
    bad = ("autograd / stated formula = {ratio:.4f}: the stated gradients are half the true ones "
           "(the factor 2 is missing)")
    assert CONCLUSION.search(re.sub(r"\{[^}]*\}", " ", bad))


def test_observation_accepts_numpy_and_rejects_non_booleans() -> None:
    encoded = json.loads(json.dumps({"holds": np.bool_(True), "measured": {}}, default=repr))
    assert Observation.model_validate(encoded).holds is True
    assert Observation.model_validate({"holds": repr(np.False_)}).holds is False
    for bad in (1, "yes", None, 0.0):
        with pytest.raises(ValueError, match="holds"):
            Observation.model_validate({"holds": bad})
    value = observe(np.bool_(False), "x = {x:.2f}, n = {n}", x=np.float32(0.5), n=torch.tensor(3))
    assert value == {"holds": False, "template": "x = {x:.2f}, n = {n}", "measured": {"x": 0.5, "n": 3}}
    assert Observation.model_validate(value).sentence() == "x = 0.50, n = 3"
    with pytest.raises(KeyError, match="did not measure"):
        Observation.model_validate({"holds": True, "template": "{ratio}", "measured": {}}).sentence()


INVERTIBLE: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("attention_numerics:attention_differentiation_order", {"stated_order": 0.0}, {"stated_order": 2.0}),
    ("fourier:fft_sizes", {"sizes": [64, 128]}, {"sizes": [12, 97, 128]}),
    ("metrics:f_beta_weights_recall", {"beta": 2, "weight": 2}, {"beta": 2, "weight": 4}),
    ("recurrent_and_attention:gru_equations_vs_torch", {"candidate": "tanh"}, {"candidate": "sigmoid"}),
    ("recurrent_and_attention:positional_encoding", {"exponent_numerator": 2.0}, {"exponent_numerator": 1.0}),
    ("lstm_sizes:lstm_input_shapes", {"timeseries": 50, "features": 2}, {"timeseries": 1000, "features": 2}),
    ("lstm_sizes:lstm_input_shapes", {"timeseries": 12, "features": 1, "example": "text", "text": "to be or not to be"
                                      " that is the question"},
     {"timeseries": 12, "features": 26, "example": "text", "text": "to be or not to be that is the question"}),
    ("recurrent_and_attention:gradient_descent_step", {"eta": 0.1}, {"eta": -0.1}),
    # the order predicted from every tree's condition matches the measured one; from the quadrature
    # (bushy-tree) conditions alone it does not (the perturbed Kutta tableau: predicted 4, measured 2)
    ("trees:rk4_order_conditions", {}, {"conditions": "bushy"}),
    # the very sparse R loses the JL guarantee on 0.2%-dense data, not on fully dense rows; Achlioptas'
    # R keeps it on both, so the unqualified statement (default params) is refuted
    ("qa_checks:sparse_projection_on_sparse_data", {"sparsities": ["sqrt(d)"], "densities": [0.002]},
     {"sparsities": ["sqrt(d)"], "densities": [1.0]}),
    ("qa_checks:sparse_projection_on_sparse_data", {"sparsities": ["sqrt(d)"], "densities": [0.002]}, {}),
]


@pytest.mark.parametrize(("target", "holding", "failing"), INVERTIBLE)
def test_inverted_conclusions_flip_the_verdict_not_the_words(runner: SandboxRunner, target: str,
                                                            holding: dict[str, Any], failing: dict[str, Any]) -> None:
    good, bad = run_check(runner, target, holding), run_check(runner, target, failing)
    assert good.holds is True and bad.holds is False
    assert good.template == bad.template
    assert good.sentence() != bad.sentence()


def test_a_check_that_raises_is_error_with_traceback_and_a_bad_template_is_error(project: Path) -> None:
    (project / "reproductions" / "contract.py").write_text(
        "import numpy as np\n\n"
        "def numpy_bool(device):\n    return {'holds': np.bool_(True), 'template': 'ok {n}', 'measured': {'n': 1}}\n\n"
        "def raises(device):\n    raise ZeroDivisionError('bug in the check')\n\n"
        "def unmeasured(device):\n    return {'holds': False, 'template': 'ratio {ratio}', 'measured': {}}\n")
    path = project / "claims" / "demo.yaml"
    text = path.read_text()
    for name in ("numpy_bool", "raises", "unmeasured"):
        text += (f"\n- id: contract-{name.replace('_', '-')}\n  source: demo\n  kind: math\n"
                 f"  quote: the derivative of x^2 is 2x.\n  statement: s\n  check: contract:{name}\n")
    path.write_text(text)
    result = run_cli("audit", "--kind", "math", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    results = {r["claim_id"]: r for r in json.loads(result.stdout)["results"]}
    assert results["contract-numpy-bool"]["status"] == "confirmed"
    assert results["contract-numpy-bool"]["summary"] == "ok 1"
    raised = results["contract-raises"]
    assert raised["status"] == "error" and "ZeroDivisionError" in raised["summary"]
    assert "bug in the check" in raised["checks"][0]["evidence"]["runs"][0]["exception"]["traceback"]
    assert results["contract-unmeasured"]["status"] == "error"
    assert "did not measure" in results["contract-unmeasured"]["summary"]
