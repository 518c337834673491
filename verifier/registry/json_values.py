"""Is a value made only of JSON types? Used for a math claim's `params`, which cross into the sandbox as JSON.

YAML can say much more than JSON (`2024-01-01` is a date, `!!binary`, `!!set`, `!!omap`, `.nan`, keys that are
numbers or lists), and PyYAML's safe loader builds Python objects for all of it; `json.dumps` then fails inside
the worker, or NaN silently becomes `null` in the report. Checking at validation keeps the error in the file,
at the line of the offending value."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

Path = tuple[str | int, ...]

_NAMES: tuple[tuple[type, str], ...] = (
    (dt.datetime, "a timestamp"), (dt.date, "a date"), (bytes, "binary data (!!binary)"),
    (set, "a set (!!set)"), (frozenset, "a set"), (tuple, "a pair (!!omap or !!pairs)"),
)


def _describe(value: Any) -> str:
    return next((name for kind, name in _NAMES if isinstance(value, kind)), f"a {type(value).__name__}")


def _show(value: Any) -> str:
    text = str(value) if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def json_problem(value: Any) -> tuple[Path, str] | None:
    """The first non-JSON part of `value` as (where, why), or None. Iterative: depth cannot exhaust the stack."""
    pending: list[tuple[Path, Any]] = [((), value)]
    while pending:
        where, item = pending.pop()
        if item is None or isinstance(item, (bool, int, str)):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return where, f"{item} is not a JSON number (NaN and infinity have no JSON form)"
            continue
        if isinstance(item, list):
            pending.extend(reversed([((*where, i), v) for i, v in enumerate(item)]))
            continue
        if isinstance(item, dict):
            children: list[tuple[Path, Any]] = []
            for key, child in item.items():
                if not isinstance(key, str):
                    return where, f"key {_show(key)} is {_describe(key)}; JSON keys must be strings (quote it)"
                children.append(((*where, key), child))
            pending.extend(reversed(children))
            continue
        return where, (f"{_show(item)} is {_describe(item)}, not a JSON value; use a string, a number, true/false, "
                       "null, a list or a mapping (quote a date to keep it as text)")
    return None
