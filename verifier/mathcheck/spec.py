"""The declarative check of a math claim, as data: `identity`, `against`, `value` or `exists`.

A claim's `check:` is either `module:function` (Python in reproductions/) or one of these mappings (or a
list of them, all of which must hold). The stated side is written as the source states it; the reference
side says where it comes from. Every expression is parsed and validated here, in the host, so a typo is
a validation error with file and line (exit 3) before anything runs; nothing is evaluated here."""

from __future__ import annotations

import math
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from verifier.mathcheck import grammar

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
MAX_CANDIDATES = 2_000_000


MAX_ELEMENTS = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Var(_Strict):
    """A random input: drawn afresh at every trial from its domain, with its shape."""

    domain: Literal["real", "integer", "complex", "binary", "sign", "simplex", "onehot", "spd"] = Field(
        "real", description="real/integer/complex: uniform in [low, high]; binary 0/1; sign +-1; simplex: "
                            "positive, last axis sums to 1; onehot: one 1 per last axis; spd: symmetric "
                            "positive definite (square shape).")
    shape: list[int] = Field(default_factory=list, description="Shape; [] for a scalar.")
    low: float = Field(-1.0, description="Smallest value (real, integer, complex parts).")
    high: float = Field(1.0, description="Largest value.")

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if any(n < 1 or n > 4096 for n in self.shape) or len(self.shape) > 4:
            raise ValueError("shape: at most 4 axes of 1..4096 each")
        if math.prod(self.shape) > MAX_ELEMENTS:
            raise ValueError(f"shape: at most {MAX_ELEMENTS} elements")
        if self.domain == "spd" and (len(self.shape) != 2 or self.shape[0] != self.shape[1]):
            raise ValueError("an spd variable needs a square shape [n, n]")
        return self


def _check_lets(lets: dict[str, str], names: set[str], library: bool = False) -> set[str]:
    """Each `let` may use the inputs and the lets above it; returns every name visible after them."""
    known = set(names)
    for name, text in lets.items():
        _name_ok(name)
        _expr(text, known, ("let", name), library)
        known.add(name)
    return known


def _name_ok(name: str) -> None:
    if not name.isidentifier() or name in grammar.FUNCTIONS or name in grammar.CONSTANTS or name == "out":
        raise ValueError(f"{name!r} cannot name a value (not an identifier, or a function/constant name)")


def _expr(text: str, names: set[str], where: tuple[str | int, ...], library: bool = False) -> None:
    """Parse one expression; a problem is reported at its own field (so the loader finds its YAML line)."""
    try:
        grammar.parse(text, names, library)
    except grammar.ExpressionError as exc:
        error = PydanticCustomError("expression", "{message}", {"message": str(exc)})
        raise ValidationError.from_exception_data(
            "expression", [InitErrorDetails(type=error, loc=where, input=text)]) from None


class _Random(_Strict):
    vars: dict[str, Var] = Field(default_factory=dict, description="Random inputs, by name.")
    let: dict[str, str] = Field(default_factory=dict,
                                description="Named expressions (in order; each may use those above it).")
    trials: int = Field(100, ge=1, le=10000, description="Independent draws of the inputs.")
    rtol: float = Field(1e-7, ge=0, description="Relative tolerance of the comparison.")
    atol: float = Field(1e-9, ge=0, description="Absolute tolerance of the comparison.")
    seed: int = Field(0, ge=0, description="Seed of the draws (the check is reproducible).")

    def _known(self, extra: set[str] | None = None, library: bool = False) -> set[str]:
        for name in self.vars:
            _name_ok(name)
        return _check_lets(self.let, set(self.vars) | (extra or set()), library)


class Identity(_Random):
    """Two expressions agree on random inputs drawn from their declared domains."""

    stated: str = Field(description="The formula as the source states it.")
    reference: str = Field(description="An independent expression of the same quantity (autograd via "
                                       "grad(...)/jacobian(...), a definition, a closed form).")

    @model_validator(mode="after")
    def _parse(self) -> Self:
        known = self._known()
        _expr(self.stated, known, ("stated",))
        _expr(self.reference, known, ("reference",))
        return self


class Module(_Strict):
    """A torch module built with `args` (random weights, seeded per trial), run on `input`."""

    name: str = Field(description="One of: " + ", ".join(sorted(grammar.MODULES)))
    args: dict[str, int | float | bool] = Field(default_factory=dict, description="Constructor arguments.")
    input: str = Field("x", description="Expression of the module's input (e.g. x[None] for a batch of one).")
    output: str = Field("out", description="Expression over `out`, the module's output (e.g. out[0][0]).")


class Recurrence(_Strict):
    """Unroll the stated update over the first axis of `sequence`."""

    sequence: str = Field(description="Name of the input variable whose first axis is time.")
    step: str = Field("x_t", pattern=NAME, description="Name of the current element inside the update.")
    state: dict[str, str] = Field(description="Initial value of each state variable (expressions).")
    output: str = Field(description="The state whose value after every step is compared.")


class Against(_Random):
    """The stated expression against a library function (reference) or a torch module with bound weights."""

    stated: str | None = Field(None, description="The formula as the source states it.")
    update: dict[str, str] | None = Field(
        None, description="With `recurrence`: the stated new value of each state, in order (later ones see "
                          "the new values of earlier ones).")
    reference: str | None = Field(None, description="An expression calling allow-listed library functions, "
                                                    "e.g. torch.softmax(z, dim=-1).")
    module: Module | None = Field(None, description="A torch module whose output is the reference.")
    bind: dict[str, str] = Field(default_factory=dict, description="Names of the stated side bound to the "
                                 "module's parameters (its parameter names with '.' as '_', e.g. weight_hh_l0).")
    recurrence: Recurrence | None = Field(None, description="Unroll the stated update over time steps.")

    @model_validator(mode="after")
    def _parse(self) -> Self:
        if (self.stated is None) == (self.update is None):
            raise ValueError("give either `stated` or `update` (with `recurrence`)")
        if (self.update is None) != (self.recurrence is None):
            raise ValueError("`update` and `recurrence` go together")
        if (self.reference is None) == (self.module is None):
            raise ValueError("give either `reference` (a library expression) or `module`")
        if self.bind and self.module is None:
            raise ValueError("`bind` needs a `module`")
        known = self._known(self._module_names() | self._recurrence_names())
        if self.stated is not None:
            _expr(self.stated, known, ("stated",))
        for name, text in (self.update or {}).items():
            if self.recurrence is not None and name not in self.recurrence.state:
                raise ValueError(f"update {name!r} is not a state of the recurrence")
            _expr(text, known, ("update", name))
        if self.reference is not None:
            _expr(self.reference, known, ("reference",), library=True)
        if self.module is not None:
            _expr(self.module.input, known, ("module", "input"))
            _expr(self.module.output, {"out"}, ("module", "output"))
        return self

    def _module_names(self) -> set[str]:
        if self.module is None:
            return set()
        if self.module.name not in grammar.MODULES:
            raise ValueError(f"module {self.module.name!r} is not allowed (one of {sorted(grammar.MODULES)})")
        for name, text in self.bind.items():
            _name_ok(name)
            _expr(text, set(_PARAM_NAMES), ("bind", name))
        return set(self.bind)

    def _recurrence_names(self) -> set[str]:
        if self.recurrence is None:
            return set()
        if self.recurrence.sequence not in self.vars:
            raise ValueError(f"recurrence sequence {self.recurrence.sequence!r} is not a declared var")
        for name, text in self.recurrence.state.items():
            _name_ok(name)
            _expr(text, set(self.vars) | set(self.bind), ("recurrence", "state", name))
        if self.recurrence.output not in self.recurrence.state:
            raise ValueError(f"recurrence output {self.recurrence.output!r} is not a state")
        return set(self.recurrence.state) | {self.recurrence.step}


#: parameter names of the allowed modules (single layer), so `bind` is validated without building one
_PARAM_NAMES = frozenset({
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih", "weight_hh", "bias_ih", "bias_hh",
    "weight", "bias", "in_proj_weight", "in_proj_bias", "out_proj_weight", "out_proj_bias",
})


class Value(_Strict):
    """A number the source states against a computed expression, at the printed precision."""

    stated: int | float | str = Field(description="The number as printed (a string keeps its digits: \"0.50\", "
                                            "\"50%\").")
    expression: str = Field(description="What the number should be, computed.")
    let: dict[str, str] = Field(default_factory=dict, description="Named expressions (constants, grad(...)).")
    vars: dict[str, Var] = Field(default_factory=dict, description="Variables differentiated by grad(...): "
                                 "give each its point with `let`, or leave it random (drawn once).")
    tolerance: float | None = Field(None, ge=0, description="Instead of half a unit of the last printed digit.")

    @model_validator(mode="after")
    def _parse(self) -> Self:
        known = _check_lets(self.let, set(self.vars))
        _expr(self.expression, known, ("expression",))
        from verifier.mathcheck.precision import printed_number

        try:
            printed_number(self.stated)
        except ValueError as exc:
            raise ValueError(f"stated: {exc}") from None
        return self


class Range(_Strict):
    start: int = Field(alias="from", description="First value.")
    stop: int = Field(alias="to", description="Last value (included).")
    step: int = Field(1, ge=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    def count(self) -> int:
        return max(0, (self.stop - self.start) // self.step + 1)


class Exists(_Strict):
    """A finite search: some assignment of the searched values satisfies every stated condition."""

    search: dict[str, Range | list[float]] = Field(description="Each searched name: a range or a list of values.")
    let: dict[str, str] = Field(default_factory=dict, description="Named expressions of the searched values.")
    conditions: list[str] = Field(min_length=1, description="Comparisons as the source states them (== is "
                                                            "equality within atol).")
    atol: float = Field(1e-9, ge=0, description="Tolerance of ==.")

    @model_validator(mode="after")
    def _parse(self) -> Self:
        total = 1
        for name, values in self.search.items():
            _name_ok(name)
            total *= values.count() if isinstance(values, Range) else len(values)
        if total > MAX_CANDIDATES or total == 0:
            raise ValueError(f"the search has {total} candidates; it must have 1..{MAX_CANDIDATES}")
        known = _check_lets(self.let, set(self.search))
        for index, text in enumerate(self.conditions):
            _expr(text, known, ("conditions", index))
        return self


class CheckSpec(_Strict):
    """Exactly one primitive."""

    identity: Identity | None = Field(None, description="Two expressions agree on random inputs.")
    against: Against | None = Field(None, description="An expression against a library function or module.")
    value: Value | None = Field(None, description="A stated number against a computed one.")
    exists: Exists | None = Field(None, description="A finite search for values meeting stated conditions.")

    @model_validator(mode="after")
    def _one(self) -> Self:
        given = [name for name in ("identity", "against", "value", "exists") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("a check mapping has exactly one of identity, against, value, exists "
                             f"(found {', '.join(given) or 'none'})")
        return self

    @property
    def primitive(self) -> str:
        return next(name for name in ("identity", "against", "value", "exists") if getattr(self, name) is not None)

    def body(self) -> Identity | Against | Value | Exists:
        body = getattr(self, self.primitive)
        assert body is not None
        return body  # type: ignore[no-any-return]

    def to_params(self) -> dict[str, Any]:
        """JSON-able form sent to the sandbox."""
        return {self.primitive: self.body().model_dump(mode="json", by_alias=True, exclude_none=True)}
