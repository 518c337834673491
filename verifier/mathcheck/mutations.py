"""Automatic mutations of the stated side of a declarative check, to test that the check can fail.

A check that still confirms a claim after its stated formula lost a sign, gained a factor 2, had two
operands swapped, a matrix transposed or an exponent changed is not testing the formula. Each mutant
changes one place of one stated expression (or one stated number); they are run like the real check.
Only syntax trees are built and unparsed here; nothing is evaluated."""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from verifier.execution.runner import CodeRequest, SandboxRunner
from verifier.mathcheck.explain import explain
from verifier.mathcheck.precision import printed_number
from verifier.results.evidence import Observation, RunEvidence

NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.Pow, ast.MatMult)


@dataclass(frozen=True)
class Mutant:
    """One changed check: which primitive, which stated field, what kind of change, the new text."""

    part: int
    field: str
    operator: str
    original: str
    mutated: str
    checks: list[dict[str, Any]]


def _nodes(tree: ast.AST) -> list[ast.AST]:
    return list(ast.walk(tree))


def _variants(text: str, matrices: set[str]) -> Iterator[tuple[str, str]]:
    """(operator, mutated text) for every single change of the expression."""
    tree = ast.parse(text.strip(), mode="eval")
    count = len(_nodes(tree))
    for index in range(count):
        for operator, change in _CHANGES:
            mutated = copy.deepcopy(tree)
            node = _nodes(mutated)[index]
            if change(node, matrices):
                yield operator, ast.unparse(ast.fix_missing_locations(mutated))
    yield "sign", ast.unparse(ast.UnaryOp(op=ast.USub(), operand=tree.body))
    yield "factor 2", ast.unparse(ast.BinOp(left=ast.Constant(2), op=ast.Mult(), right=tree.body))


def _flip_sign(node: ast.AST, matrices: set[str]) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        return True
    return False


def _swap(node: ast.AST, matrices: set[str]) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, NON_COMMUTATIVE):
        node.left, node.right = node.right, node.left
        return True
    return False


def _transpose(node: ast.AST, matrices: set[str]) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if isinstance(operand, ast.Name) and operand.id in matrices:
                setattr(node, side, ast.Attribute(value=operand, attr="T", ctx=ast.Load()))
                return True
            if isinstance(operand, ast.Attribute) and operand.attr == "T":
                setattr(node, side, operand.value)
                return True
    return False


def _exponent(node: ast.AST, matrices: set[str]) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) \
            and isinstance(node.right.value, int | float) and not isinstance(node.right.value, bool):
        node.right = ast.Constant(node.right.value + 1)
        return True
    return False


def _double_constant(node: ast.AST, matrices: set[str]) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool) \
            and node.value not in (0, 1):
        node.value = node.value * 2
        return True
    return False


_CHANGES = (("sign", _flip_sign), ("swapped operands", _swap), ("transpose", _transpose),
            ("exponent", _exponent), ("factor 2", _double_constant))


def _matrices(body: dict[str, Any]) -> set[str]:
    """Names known to hold matrices: 2-D vars and bound module weights (transposing a vector is no change)."""
    names = {name for name, var in body.get("vars", {}).items() if len(var.get("shape", [])) >= 2}
    return names | set(body.get("bind", {}))


def _number_variants(stated: Any) -> Iterator[tuple[str, Any]]:
    value, _ = printed_number(stated)
    if value != 0:
        yield "sign", -value
        yield "factor 2", value * 2
    else:
        yield "shift", 1


def _condition_variants(text: str) -> Iterator[tuple[str, str]]:
    """For an `exists` condition: change the stated number it compares with, or its formula."""
    tree = ast.parse(text.strip(), mode="eval")
    body = tree.body
    last = body.comparators[-1] if isinstance(body, ast.Compare) else None
    if isinstance(body, ast.Compare) and isinstance(last, ast.Constant) and isinstance(last.value, int | float):
        value = last.value
        replacements = [("sign", -value), ("factor 2", value * 2)] if value else [("shift", 0.5)]
        for operator, new in replacements:
            mutated = copy.deepcopy(tree)
            assert isinstance(mutated.body, ast.Compare)
            mutated.body.comparators[-1] = ast.Constant(new)
            yield operator, ast.unparse(mutated)
        for operator, mutated_left in _variants(ast.unparse(body.left), set()):
            if operator in ("swapped operands", "sign") and not mutated_left.startswith("-"):
                yield operator, ast.unparse(ast.Compare(left=ast.parse(mutated_left, mode="eval").body,
                                                        ops=body.ops, comparators=body.comparators))


def mutants(checks: list[dict[str, Any]]) -> list[Mutant]:
    """Every single-place mutant of the stated side of each primitive, duplicates removed."""
    found: list[Mutant] = []
    seen: set[str] = set()
    for part, check in enumerate(checks):
        primitive, body = next(iter(check.items()))
        for field, original, operator, mutated_value in _stated_variants(primitive, body):
            changed = copy.deepcopy(checks)
            target = changed[part][primitive]
            _assign(target, field, mutated_value)
            key = f"{part}:{field}:{mutated_value}"
            if key in seen or mutated_value == original:
                continue
            seen.add(key)
            found.append(Mutant(part, field, operator, str(original), str(mutated_value), changed))
    return found


def _stated_variants(primitive: str, body: dict[str, Any]) -> Iterator[tuple[str, Any, str, Any]]:
    if primitive == "value":
        for operator, new in _number_variants(body["stated"]):
            yield "stated", body["stated"], operator, new
        return
    if primitive == "exists":
        for index, text in enumerate(body["conditions"]):
            for operator, new in _condition_variants(text):
                yield f"conditions.{index}", text, operator, new
        return
    matrices = _matrices(body)
    if "stated" in body:
        fields = [("stated", body["stated"])]
    else:  # a recurrence: the stated update and the per-step formulas it uses (gates, candidates)
        fields = [(f"update.{name}", text) for name, text in body.get("update", {}).items()]
        fields += [(f"let.{name}", text) for name, text in body.get("let", {}).items()]
    for field, text in fields:
        for operator, new in _variants(text, matrices):
            yield field, text, operator, new


def _assign(target: dict[str, Any], field: str, value: Any) -> None:
    parts = field.split(".")
    container: Any = target
    for part in parts[:-1]:
        container = container[part]
    last = parts[-1]
    if isinstance(container, list):
        container[int(last)] = value
    else:
        container[last] = value


def apply_patch(checks: list[dict[str, Any]], patch: dict[str, Any]) -> list[dict[str, Any]]:
    """A copy of `checks` with dotted paths replaced (`0.identity.stated`: "..."): how a refuted claim is
    made correct for the reverse test."""
    changed = copy.deepcopy(checks)
    for path, value in patch.items():
        parts = path.split(".")
        target: Any = changed
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return changed


@dataclass(frozen=True)
class Outcome:
    """What running one mutant gave: holds or not, or why it could not run."""

    mutant: Mutant
    holds: bool | None
    equivalent: bool
    detail: str


def run_checks(runner: SandboxRunner, checks: list[dict[str, Any]], timeout_s: float = 120.0) -> tuple[
        bool | None, str]:
    """Run declarative checks in the sandbox: (holds, summary); holds None when the run itself failed."""
    request = CodeRequest(target="declarative:evaluate", params={"checks": checks}, timeout_s=timeout_s)
    result = runner.check("mutation", request, ours=True)
    runs = result.evidence.runs if isinstance(result.evidence, RunEvidence) else []
    value = runs[0].value if runs else None
    try:
        observation = Observation.model_validate(value)
    except ValidationError:
        return None, result.summary
    return observation.holds, explain(observation.measured)


def equivalence_probe(mutant: Mutant) -> list[dict[str, Any]] | None:
    """An identity check of the mutated stated expression against the original one, with the same inputs,
    for identity and library `against` checks: when they agree, the mutant is no change of the formula."""
    primitive, body = next(iter(mutant.checks[mutant.part].items()))
    if primitive not in ("identity", "against") or mutant.field != "stated" or body.get("module"):
        return None
    probe = {"vars": body.get("vars", {}), "let": body.get("let", {}), "stated": mutant.mutated,
             "reference": mutant.original, "trials": min(int(body.get("trials", 100)), 50)}
    return [{"identity": probe}]
