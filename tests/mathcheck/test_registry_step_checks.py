"""The Python checks added for single derivation steps and Q&A assertions (reproductions/derivation_steps.py,
reproductions/qa_thread_steps.py), run in the sandbox as the audit runs them: each must be able to come out
either way. A param that states the opposite (a negated rule, the smallest eigenvalues, the product rule for
the asker's derivative, a low dimension) flips the verdict, and the words around the numbers stay the
template's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mathcheck.sandbox_checks import run_check
from verifier.execution.runner import SandboxRunner

pytestmark = pytest.mark.timeout(600)

TABLE = [[20, None, 10], [25, 20, 12], [30, 25, None], [30, None, None]]

#: (check, params under which it holds, params under which it does not)
FLIPS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("derivation_steps:svm_decision_rule", {}, {"rule": "negated sign"}),
    ("derivation_steps:svm_support_vectors_alone", {}, {"keep": "others"}),
    ("derivation_steps:svm_minimise_stated_objective", {"objective": "(1/2)||w||^2"}, {"objective": "1/||w||"}),
    ("derivation_steps:pca_top_components_variance", {"k": 2}, {"k": 2, "order": "smallest"}),
    ("derivation_steps:pca_noise_reduction", {}, {"noise": 0.0}),
    ("qa_thread_steps:self_attention_derivative_as_proposed", {"ds": "dQ*Q^T+Q*dQ^T"}, {"ds": "2*Q*dQ^T"}),
    ("qa_thread_steps:elementwise_derivative", {"function": "sigmoid"}, {"function": "softmax"}),
    ("qa_thread_steps:recursive_fft_operation_count", {"model": "N log N"}, {"model": "N^2"}),
    ("qa_thread_steps:rankings_in_table", {"table": TABLE, "users": [0, 1, 2], "items": [2, 1, 0]},
     {"table": TABLE, "users": [0, 1, 2], "items": [0, 1, 2]}),
    ("qa_thread_steps:random_sign_vectors_orthogonality", {}, {"dims": 20}),
    ("qa_thread_steps:projection_matrix_shape", {"r_shape": [5000, 500]}, {"r_shape": [100, 500]}),
    ("derivation_steps:decoder_cross_attention_reach", {}, {"use_memory": False}),
    ("qa_thread_steps:nuclear_norm_completion", {"rank": 2}, {"rank": 15}),
    ("derivation_steps:activation_nonlinearity_xor", {"activation": "relu", "steps": 1500},
     {"activation": "identity", "steps": 1500}),
]

#: checks with no opposite param: they must hold on the bundled example and say what they measured
HOLDING: list[tuple[str, dict[str, Any], str]] = [
    ("derivation_steps:svm_primal_maximises_margin", {}, "random separating directions"),
    ("derivation_steps:pca_reconstruction_error_by_k", {}, "mean squared reconstruction error"),
    ("qa_thread_steps:feature_vector_parameters", {"races": 3, "participants": 5, "dims": 4},
     "8 feature vectors, 32 parameters"),
    ("qa_thread_steps:nuclear_norm_below_rank", {"trials": 50}, "on 0 matrices"),
    ("qa_thread_steps:projection_distances", {"method": "random", "dims": 1000}, "the JL bound allows"),
    ("qa_thread_steps:projection_distances", {"method": "svd", "dims": 1000}, "with the SVD"),
    ("qa_thread_steps:projected_similarity", {"draws": 60}, "standard errors of the original"),
]


@pytest.mark.parametrize(("target", "holding", "failing"), FLIPS)
def test_the_opposite_statement_flips_the_verdict(runner: SandboxRunner, target: str, holding: dict[str, Any],
                                                  failing: dict[str, Any]) -> None:
    good, bad = run_check(runner, target, holding), run_check(runner, target, failing)
    assert good.holds is True and bad.holds is False
    assert good.template == bad.template
    assert good.sentence() != bad.sentence()


@pytest.mark.parametrize(("target", "params", "said"), HOLDING)
def test_checks_without_an_opposite_hold_on_the_bundled_example(runner: SandboxRunner, target: str,
                                                                params: dict[str, Any], said: str) -> None:
    observation = run_check(runner, target, params)
    assert observation.holds is True
    assert said in observation.sentence()
