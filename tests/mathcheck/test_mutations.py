"""Mutation testing of declarative checks: mutants are generated from the stated side, and on real
bundled claims (run in the sandbox) they turn confirmed into refuted; corrected refuted claims confirm.
`benchmarks/mutations.py` runs the same over every declarative claim (too slow for the suite)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from verifier.mathcheck.mutation_score import load_corrections, rate, score_registry, totals
from verifier.mathcheck.mutations import apply_patch, mutants

pytestmark = pytest.mark.timeout(900)


def test_mutants_cover_every_operator() -> None:
    checks = [{"identity": {"vars": {"A": {"shape": [3, 3]}, "x": {"shape": [3]}},
                            "stated": "A @ x - x**2 / 2", "reference": "A @ x"}}]
    found = {(m.operator, m.mutated) for m in mutants(checks)}
    operators = {operator for operator, _ in found}
    assert operators == {"sign", "swapped operands", "transpose", "exponent", "factor 2"}
    assert ("transpose", "A.T @ x - x ** 2 / 2") in found
    assert ("exponent", "A @ x - x ** 3 / 2") in found
    assert ("swapped operands", "A @ x - 2 / x ** 2") in found
    assert ("sign", "A @ x + x ** 2 / 2") in found
    assert all(m.checks[0]["identity"]["reference"] == "A @ x" for m in mutants(checks))  # reference untouched
    number = mutants([{"value": {"stated": "0.25", "expression": "1/4"}}])
    assert {(m.operator, m.mutated) for m in number} == {("sign", "-0.25"), ("factor 2", "0.5")}


def test_patches_make_a_refuted_claim_correct_without_touching_the_original() -> None:
    checks = [{"identity": {"stated": "x", "reference": "2*x"}}]
    patched = apply_patch(checks, {"0.identity.stated": "2*x"})
    assert patched[0]["identity"]["stated"] == "2*x" and checks[0]["identity"]["stated"] == "x"


SAMPLE = {"complex-multiplication-formula", "matrix-completion-gradients", "class-imbalance-metrics-first-classifier",
          "kullback-leibler-loss-formula", "simplest-rnn-equations", "svm-margin-is-one-over-norm-w"}


def test_bundled_declarative_checks_are_killed_by_their_mutants() -> None:
    corrections = load_corrections(ROOT / "benchmarks" / "mutation_corrections.yaml")
    scores = score_registry(ROOT / "claims", corrections, jobs=2, only=SAMPLE)
    assert {s.claim_id for s in scores} == SAMPLE
    counts = totals(scores)
    assert counts["flipped"] >= 30
    assert rate(counts) >= 0.95, [(s.claim_id, m.mutated) for s in scores for m, eq in s.survived if not eq]
    assert counts["corrections_tried"] == 2 and counts["corrected"] == 2  # matrix completion and KL, made correct
    assert counts["failed"] == 0
