"""Draft a declarative check for a formula the source writes with both sides: `lhs = rhs` -> identity.

Only a draft for a person to review: the two sides become `reference` and `stated`, each name a random
real input. It is offered only when both sides parse in the check grammar after the usual transcriptions
(`^` for powers, `2x` for `2*x`); anything else keeps `TODO:write_a_check`."""

from __future__ import annotations

import ast
import re
from typing import Any

from verifier.mathcheck import grammar

_SIDE = r"[\w\s+\-*/^().,\[\]]+"
EQUATION = re.compile(rf"(?<![<>=!])({_SIDE})=(?![=])({_SIDE})")
_IMPLICIT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)([A-Za-z(])")


def _transcribe(side: str) -> str:
    text = side.strip().strip(",.")
    text = text.replace("^", "**").replace(")(", ")*(")
    return _IMPLICIT.sub(r"\1*\2", text)


def _formula(words: list[str], from_end: bool) -> str | None:
    """The longest run of words next to the `=` that parses as an expression (prose around it dropped)."""
    for size in range(len(words), 0, -1):
        part = words[-size:] if from_end else words[:size]
        text = _transcribe(" ".join(part))
        names = _names(text) if text else None
        if names is None:
            continue
        try:
            grammar.parse(text, names)
        except grammar.ExpressionError:
            continue
        return text
    return None


def _names(text: str) -> set[str] | None:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called
            and n.id not in grammar.CONSTANTS}


def draft_check(sentence: str) -> dict[str, Any] | None:
    """An `identity` check for the first equation of the sentence whose two sides are formulas over the
    same variables, or None."""
    for match in EQUATION.finditer(sentence):
        before = sentence[:match.start(1)]
        if before and not before[-1].isspace() and before[-1] not in "(,;:":
            continue  # the left side starts inside a word the grammar cannot read (f'(x), e^...)
        left = _formula(match.group(1).split(), from_end=True)
        right = _formula(match.group(2).split(), from_end=False)
        if left is None or right is None:
            continue
        left_names, right_names = _names(left), _names(right)
        if not left_names or not right_names or not (left_names & right_names):
            continue
        names = left_names | right_names
        if any(len(name) > 12 for name in names) or left == right:
            continue
        try:
            grammar.parse(left, names)
            grammar.parse(right, names)
        except grammar.ExpressionError:
            continue
        if not all(any(isinstance(n, ast.BinOp | ast.Call) for n in ast.walk(ast.parse(side, mode="eval")))
                   for side in (left, right)):
            continue
        return {"identity": {"vars": {name: {"low": -2.0, "high": 2.0} for name in sorted(names)},
                             "stated": right, "reference": left}}
    return None
