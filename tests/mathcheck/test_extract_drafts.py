"""`verifier extract` drafts a declarative check where the source writes a formula with both sides."""

from __future__ import annotations

import yaml

from verifier.extraction.draft import extract, render_draft
from verifier.extraction.math_checks import draft_check


def test_equations_with_two_formula_sides_become_identity_drafts() -> None:
    drafted = draft_check("so x^2 - 1 = (x - 1)(x + 1) for all x")
    assert drafted == {"identity": {"vars": {"x": {"low": -2.0, "high": 2.0}}, "stated": "(x - 1)*(x + 1)",
                                    "reference": "x**2 - 1"}}
    identity = draft_check("the identity (a+b)^2 = a^2 + 2*a*b + b^2 holds")
    assert identity is not None and identity["identity"]["reference"] == "(a+b)**2"


def test_no_draft_without_a_formula_on_both_sides() -> None:
    for sentence in ("the result is y = 3", "accuracy = 50%", "Sensitivity = TPR = Recall",
                     "f'(x) = 2x + 2 at x = 1", "r = sqrt(a.a + b.b)", "__import__('os') = x + 1"):
        assert draft_check(sentence) is None, sentence


def test_the_draft_file_carries_the_check_and_keeps_todo_elsewhere() -> None:
    text = "Note that x^2 - 1 = (x - 1)(x + 1) for all x.\nThe derivative of the loss is its gradient.\n"
    claims = yaml.safe_load(render_draft(extract(text), "demo"))
    checks = [c["check"] for c in claims if c["kind"] == "math"]
    assert {"identity": {"vars": {"x": {"low": -2.0, "high": 2.0}}, "stated": "(x - 1)*(x + 1)",
                         "reference": "x**2 - 1"}} in checks
    assert "TODO:write_a_check" in checks
