"""The contract of a Python math check: what it returns, read strictly by the host.

A check `f(device, **params)` returns `{"holds": bool, "measured": {...}, "template": "..."}`: `holds` is
what it computed, `measured` the numbers it computed it from, and `template` a `str.format` sentence over
`measured`'s keys, which the host fills (so the sentence can only say what was measured). A check that
raises is a bug of ours (`error`, with the traceback); a statement that fails is `holds: false`."""

from __future__ import annotations

import string
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: how numpy booleans arrive after the sandbox's JSON encoding (`default=repr`), numpy 1 and 2
_NUMPY_BOOLS = {"np.True_": True, "np.False_": False, "True": True, "False": False}


class Observation(BaseModel):
    """What a Python check observed."""

    model_config = ConfigDict(extra="forbid")

    holds: bool = Field(description="Whether the statement held, as computed (a real bool; numpy bool accepted).")
    measured: dict[str, Any] = Field(default_factory=dict, description="The numbers the verdict comes from.")
    template: str | None = Field(None, description="A str.format sentence over the keys of `measured`.")
    explanation: str | None = Field(None, description="Older form: a sentence written by the check.")

    @field_validator("holds", mode="before")
    @classmethod
    def _real_bool(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in _NUMPY_BOOLS:
            return _NUMPY_BOOLS[value]
        raise ValueError(f"holds must be a bool, got {value!r}")

    def sentence(self) -> str:
        """The template filled from `measured` (KeyError/ValueError if it names what was not measured)."""
        if self.template is not None:
            fields = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
            missing = sorted(f.split(".")[0].split("[")[0] for f in fields)
            absent = [name for name in missing if name not in self.measured]
            if absent:
                raise KeyError(f"template names {', '.join(absent)}, which the check did not measure")
            return self.template.format(**self.measured)
        return self.explanation or ""


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
