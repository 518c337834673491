"""The contract of a Python math check: what it returns, read strictly by the host.

A check `f(device, **params)` returns `{"holds": bool, "measured": {...}, "template": "..."}`: `holds` is
what it computed, `measured` the numbers it computed it from, and `template` a `str.format` sentence over
`measured`'s keys, which the host fills (so the sentence can only say what was measured). A check that
raises is a bug of ours (`error`, with the traceback); a statement that fails is `holds: false`.

The host reads the return value as `verifier.results.evidence.Observation`; this module is imported by the
checks inside the sandbox, so it stays light (no pydantic models to build in every run)."""

from __future__ import annotations

from typing import Any


def observe(holds: Any, template: str, **measured: Any) -> dict[str, Any]:
    """Build a check's return value (the helper the `verifier new-check` template uses): converts numpy
    and torch scalars to plain Python numbers so they cross the sandbox boundary intact."""
    return {"holds": bool(holds), "template": template, "measured": {k: _plain(v) for k, v in measured.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return _plain(item())
        except (ValueError, RuntimeError):  # an array of more than one element
            tolist = getattr(value, "tolist", None)
            return _plain(tolist()) if callable(tolist) else repr(value)
    return repr(value)
