"""The sentence of a declarative check, written by the checker from what the sandbox measured.

A check's author never writes a conclusion: each sentence below is filled from measured numbers, and
which wording is used depends on the measurement itself (agree or not, found or not)."""

from __future__ import annotations

import math
from typing import Any


def _num(value: Any) -> str:
    if isinstance(value, float):
        if math.isinf(value) or math.isnan(value):
            return str(value)
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(_num(v) for v in value) + "]"
    return str(value)


def _inputs(inputs: dict[str, Any]) -> str:
    return ", ".join(f"{name} = {_num(value)}" for name, value in inputs.items()) or "no inputs"


def _compared(part: dict[str, Any]) -> str:
    measured = part["measured"]
    if part["primitive"] == "identity":
        return "stated vs reference"
    name = measured.get("reference_name", "the library")
    if measured.get("reference_kind") == "module":
        steps = measured.get("steps")
        return f"stated vs {name} with its weights bound" + (f", unrolled over {steps} steps" if steps else "")
    return f"stated vs {name}"


def _identity(part: dict[str, Any]) -> str:
    m = part["measured"]
    head = _compared(part)
    if "stated_error" in m:
        return f"{head}: the stated side cannot be computed as written ({m['stated_error']})"
    if "shape_mismatch" in m:
        stated, reference = m["shape_mismatch"]
        return f"{head}: the stated side has shape {tuple(stated)}, the reference {tuple(reference)}"
    worst = m.get("worst") or {}
    where = f" at {_inputs(worst.get('inputs', {}))}" if worst else ""
    values = (f" (stated {_num(worst.get('stated'))}, reference {_num(worst.get('reference'))})"
              if worst and not isinstance(worst.get("stated"), str) else "")
    tolerance = f"rtol {m['rtol']:g}, atol {m['atol']:g}"
    if part["holds"]:
        return f"{head}: max |diff| {_num(m['max_abs_diff'])} over {m['draws']} draws (within {tolerance})"
    return (f"{head}: max |diff| {_num(m['max_abs_diff'])}{where}{values}; {m['disagreeing_draws']} of "
            f"{m['draws']} draws outside {tolerance}")


def _value(part: dict[str, Any]) -> str:
    m = part["measured"]
    if "computed_shape" in m:
        return f"stated {_num(m['stated'])}, computed a value of shape {tuple(m['computed_shape'])}, not a number"
    relation = "within" if part["holds"] else "outside"
    return (f"stated {m.get('printed', _num(m['stated']))}, computed {_num(m['computed'])}: difference "
            f"{_num(m['difference'])}, {relation} the printed precision +-{_num(m['tolerance'])}")


def _exists(part: dict[str, Any]) -> str:
    m = part["measured"]
    per = "; ".join(f"{text}: {count}" for text, count in m["per_condition"].items())
    if part["holds"]:
        return (f"{m['matches']} of {m['candidates']} candidates meet all {m['conditions']} conditions, the "
                f"smallest {_inputs(m['example'])}")
    return (f"none of {m['candidates']} candidates meets all {m['conditions']} conditions; at most "
            f"{m['most_conditions_met']} hold together (e.g. {_inputs(m['closest'] or {})}); candidates meeting "
            f"each: {per}")


WRITERS = {"identity": _identity, "against": _identity, "value": _value, "exists": _exists}


def explain(measured: dict[str, Any]) -> str:
    """One sentence per primitive, joined; the wording follows what was measured, never the author."""
    parts = measured.get("parts", [])
    sentences = [WRITERS[part["primitive"]](part) for part in parts]
    return "; ".join(sentences)
