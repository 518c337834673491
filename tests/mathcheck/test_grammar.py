"""The host only parses expressions: what the grammar lets through and what it refuses, with the reason."""

from __future__ import annotations

import pytest

from verifier.mathcheck.grammar import ExpressionError, free_names, parse

NAMES = {"x", "y", "Q", "z"}


@pytest.mark.parametrize("text", [
    "2*x + 2", "grad(x**2 + 2*x - 3, x)", "Q @ Q.T", "softmax(z, dim=-1)", "sum((x - y)**2) / len(x)",
    "x[:, None] - x[None, :]", "cos(x) + 1j*sin(x)", "x if x > 0 else -x", "x == 0.5 and y < 1",
    "cat([x, y], dim=0)", "jacobian(Q @ Q.T, Q)", "-x", "not x",
])
def test_formulas_parse(text: str) -> None:
    parse(text, NAMES)


@pytest.mark.parametrize(("text", "reason"), [
    ('__import__("os").system("id")', "is not allowed"),
    ('__import__("os")', "unknown function '__import__'"),
    ("x.__class__", "attribute .__class__ is not allowed"),
    ("(lambda: 1)()", "Lambda is not allowed"),
    ("[a for a in x]", "ListComp is not allowed"),
    ("open('f')", "unknown function 'open'"),
    ("eval('1')", "unknown function 'eval'"),
    ("w + 1", "unknown name 'w'"),
    ("x +", "cannot parse"),
    ("'text' + x", "a string is only allowed as a keyword argument"),
    ("torch.softmax(x, dim=0)", "only allowed on the reference side"),
    ("torch.load('x')", "is not allowed"),
    ("os.system('id')", "is not allowed"),
    ("grad(x**2, 2*x)", "takes an expression and a name"),
    ("x := 1", "cannot parse"),
    ("sum(**x)", "**kwargs is not allowed"),
    ("", "non-empty"),
])
def test_unsafe_or_malformed_expressions_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, NAMES)
    assert reason in str(info.value)


def test_library_functions_only_where_allowed() -> None:
    parse("torch.softmax(z, dim=-1)", NAMES, library=True)
    parse("F.kl_div(torch.log(x), y, reduction='sum')", NAMES, library=True)
    with pytest.raises(ExpressionError, match="not allowed"):
        parse("torch.nn.functional.__dict__(x)", NAMES, library=True)


def test_free_names_skip_functions_and_constants() -> None:
    assert free_names("grad(x**2, x) + pi * softmax(z)") == {"x", "z"}
