"""The Python checks added for the slides and the attention-numerics chat, run in the sandbox both ways: with
params under which the statement is true the check holds, with the source's own (false) statement it does not,
and the sentence keeps the template's words around different numbers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mathcheck.sandbox_checks import run_check
from verifier.execution.runner import SandboxRunner

pytestmark = pytest.mark.timeout(600)

_TORCH_UNTRAINED = ("import torch\nfrom torch import nn, optim\nq = torch.tensor([1.0])\nk = torch.rand(10)\n"
                    "attention = nn.MultiheadAttention(embed_dim=1, num_heads=1, kdim=1, vdim=1)\n"
                    "optimizer = optim.Adam([q, k], lr=0.01)\n")
_TORCH_TRAINED = _TORCH_UNTRAINED.replace("optim.Adam([q, k]", "optim.Adam(attention.parameters()")

#: (target, params under which the statement holds, the source's params or a false variant)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # the "two transformer blocks" port outputs 0 whatever the seed (LayerNormalization over one feature)
    ("printed_values:log_line", {"ports": ["keras_transformer_blocks_derivative"], "epoch": 50, "output": "0.0000"},
     {"ports": ["keras_transformer_blocks_derivative"], "epoch": 50, "output": "0.5403"}),
    ("code_structure:library_used",
     {"claims": {"c": {"code": "import scipy.special\nprint(scipy.special.expit(0.0))\n"}}, "claim_id": "c",
      "module": "scipy.special"},
     {"claims": {"c": {"code": "import scipy.special\nimport scipy.integrate\nprint(scipy.integrate.quad)\n"}},
      "claim_id": "c", "module": "scipy.special"}),
    ("code_structure:trained_layers", {"claims": {"c": {"code": _TORCH_TRAINED}}, "claim_ids": ["c"]},
     {"claims": {"c": {"code": _TORCH_UNTRAINED}}, "claim_ids": ["c"]}),
    ("attention_statements:weighted_average_as_derivative", {"shifts": [0.0]}, {"shifts": [0.0, 100.0]}),
    ("attention_statements:weighted_average_as_integral", {"a": 0.0, "b": 1.0}, {"a": 0.0, "b": 3.14159}),
    ("lecture_networks:gradient_norm_vanish_explode", {"direction": "vanish"}, {"direction": "explode"}),
    ("lecture_networks:attention_table_shape", {"sentence": "The cat that ate was full", "keys": 6, "values": 6},
     {"sentence": "The cat that ate was full and happy", "keys": 6, "values": 8}),
    ("lecture_networks:qkv_projection_dimensions", {"heads": 8}, {"heads": 1}),
    # a regression loss with a linear output node fits; the same node squashed by a sigmoid cannot reach y > 1
    ("lecture_networks:regression_loss_with_linear_output", {"loss": "mean_absolute_error"},
     {"loss": "mean_absolute_error", "activation": "sigmoid"}),
    ("attention_statements:parameters_grow_with_heads_and_layers", {"heads": [1, 4]}, {"heads": [1, 1]}),
]


@pytest.mark.parametrize(("target", "holding", "failing"), CASES)
def test_each_check_can_come_out_either_way(runner: SandboxRunner, target: str, holding: dict[str, Any],
                                            failing: dict[str, Any]) -> None:
    good, bad = run_check(runner, target, holding), run_check(runner, target, failing)
    assert good.holds is True and bad.holds is False
    assert good.template == bad.template
    assert good.sentence() != bad.sentence()


@pytest.mark.parametrize("target", ["lecture_networks:lstm_input_axes",
                                    "trees:increasing_labellings_from_tree_factorial",
                                    "attention_statements:heads_divide_dimension"])
def test_checks_of_true_statements_hold(runner: SandboxRunner, target: str) -> None:
    """Statements a computation confirms: the LSTM's input axes, n!/t! increasing labellings, torch's heads."""
    params_list: list[dict[str, Any]] = ([{"axis": a} for a in ("batch", "timeseries", "features")]
                                         if target.endswith("lstm_input_axes") else [{}])
    for params in params_list:
        assert run_check(runner, target, params).holds is True, params


def test_softmax_weights_are_never_finite_difference_coefficients(runner: SandboxRunner) -> None:
    observation = run_check(runner, "attention_statements:attention_weights_as_fd_coefficients", {"h": 0.5})
    assert observation.holds is False
    assert observation.measured["distance"] >= observation.measured["bound"] - 1e-9
