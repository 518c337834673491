"""Sandbox side of declarative checks: evaluate the validated expressions by walking their syntax tree.

Runs only inside the sandbox (reached through `reproductions/declarative.py`). It re-parses and
re-validates every expression with the same grammar as the host, then interprets the tree node by node
over torch float64 tensors: there is no `eval`, `exec` or `compile`, and a name resolves only to a declared
value or an allow-listed function. It returns measurements only; the host writes the sentence."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

import torch

from verifier.mathcheck import grammar
from verifier.mathcheck.precision import printed_number
from verifier.mathcheck.spec import Against, CheckSpec, Exists, Identity, Range, Value, Var

F64 = torch.float64
#: errors the stated side may raise when the formula as written cannot be computed (a finding, not a bug)
FORMULA_ERRORS = (RuntimeError, ValueError, IndexError, ZeroDivisionError, TypeError, OverflowError)


def _t(value: Any) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value if value.is_floating_point() or value.is_complex() else value.to(F64)
    if isinstance(value, complex):
        return torch.tensor(value, dtype=torch.complex128)
    return torch.tensor(value, dtype=F64)


def _reduce(fn: Callable[..., Any]) -> Callable[..., Any]:
    def reduce(x: Any, dim: int | None = None, **kwargs: Any) -> Any:
        x = _t(x)
        return fn(x, **kwargs) if dim is None else fn(x, dim=int(dim), **kwargs)
    return reduce


def _extreme(kind: str) -> Callable[..., Any]:
    def extreme(x: Any, dim: int | None = None) -> Any:
        x = _t(x)
        if dim is None:
            return x.max() if kind == "max" else x.min()
        return x.amax(dim=int(dim)) if kind == "max" else x.amin(dim=int(dim))
    return extreme


MAX_BUILT = 1_000_000  # elements a zeros/ones/eye/arange may build: an expression cannot allocate at will


def _shape(args: tuple[Any, ...]) -> list[int]:
    if len(args) == 1 and isinstance(args[0], list | tuple):
        args = tuple(args[0])
    shape = [int(a) for a in args]
    if math.prod(shape) > MAX_BUILT or any(n < 0 for n in shape):
        raise ValueError(f"shape {shape} is negative or over {MAX_BUILT} elements")
    return shape


def _count(n: Any) -> int:
    size = int(n)
    if not 0 <= size <= 10_000:
        raise ValueError(f"size {size} outside 0..10000")
    return size


def _arange(*args: Any) -> torch.Tensor:
    bounds = [int(v) for v in args]
    if len(range(*bounds)) > MAX_BUILT:
        raise ValueError(f"arange of more than {MAX_BUILT} values")
    return torch.arange(*bounds, dtype=F64)


FUNCS: dict[str, Callable[..., Any]] = {
    "sin": lambda x: torch.sin(_t(x)), "cos": lambda x: torch.cos(_t(x)), "tan": lambda x: torch.tan(_t(x)),
    "arcsin": lambda x: torch.asin(_t(x)), "arccos": lambda x: torch.acos(_t(x)),
    "arctan": lambda x: torch.atan(_t(x)), "atan2": lambda y, x: torch.atan2(_t(y), _t(x)),
    "sinh": lambda x: torch.sinh(_t(x)), "cosh": lambda x: torch.cosh(_t(x)), "tanh": lambda x: torch.tanh(_t(x)),
    "exp": lambda x: torch.exp(_t(x)), "log": lambda x: torch.log(_t(x)), "log2": lambda x: torch.log2(_t(x)),
    "log10": lambda x: torch.log10(_t(x)), "log1p": lambda x: torch.log1p(_t(x)),
    "sqrt": lambda x: torch.sqrt(_t(x)), "abs": lambda x: torch.abs(_t(x)), "sign": lambda x: torch.sign(_t(x)),
    "floor": lambda x: torch.floor(_t(x)), "ceil": lambda x: torch.ceil(_t(x)), "round": lambda x: torch.round(_t(x)),
    "real": lambda x: torch.real(_t(x)), "imag": lambda x: torch.imag(_t(x)), "conj": lambda x: torch.conj(_t(x)),
    "angle": lambda x: torch.angle(_t(x)),
    "sigmoid": lambda x: torch.sigmoid(_t(x)), "relu": lambda x: torch.relu(_t(x)),
    "softmax": lambda x, dim=-1: torch.softmax(_t(x), dim=int(dim)),
    "maximum": lambda a, b: torch.maximum(_t(a), _t(b)), "minimum": lambda a, b: torch.minimum(_t(a), _t(b)),
    "clamp": lambda x, low=None, high=None: torch.clamp(_t(x), low, high),
    "where": lambda c, a, b: torch.where(torch.as_tensor(c, dtype=torch.bool), _t(a), _t(b)),
    "sum": _reduce(torch.sum), "mean": _reduce(torch.mean), "prod": _reduce(torch.prod),
    "max": _extreme("max"), "min": _extreme("min"),
    "norm": lambda x, dim=None: torch.linalg.vector_norm(_t(x), dim=None if dim is None else int(dim)),
    "dot": lambda a, b: (_t(a) * _t(b)).sum(-1), "outer": lambda a, b: torch.outer(_t(a), _t(b)),
    "matmul": lambda a, b: _t(a) @ _t(b), "transpose": lambda x: _t(x).mT, "trace": lambda x: torch.trace(_t(x)),
    "det": lambda x: torch.linalg.det(_t(x)), "inv": lambda x: torch.linalg.inv(_t(x)),
    "diag": lambda x: torch.diag(_t(x)), "eye": lambda n: torch.eye(_count(n), dtype=F64),
    "zeros": lambda *s: torch.zeros(_shape(s), dtype=F64), "ones": lambda *s: torch.ones(_shape(s), dtype=F64),
    "cat": lambda xs, dim=0: torch.cat([_t(x) for x in xs], dim=int(dim)),
    "stack": lambda xs, dim=0: torch.stack([_t(x) for x in xs], dim=int(dim)),
    "eigvalsh": lambda x: torch.linalg.eigvalsh(_t(x)), "eigh": lambda x: tuple(torch.linalg.eigh(_t(x))),
    "svd": lambda x: tuple(torch.linalg.svd(_t(x), full_matrices=False)),
    "fft": lambda x: torch.fft.fft(_t(x)), "ifft": lambda x: torch.fft.ifft(_t(x)),
    "onehot": lambda i, n: torch.nn.functional.one_hot(_t(i).long(), _count(n)).to(F64),
    "arange": _arange, "len": lambda x: _t(x).shape[0],
    "isfinite": lambda x: torch.isfinite(_t(x)), "all": lambda x: torch.all(torch.as_tensor(x)),
    "any": lambda x: torch.any(torch.as_tensor(x)), "tril": lambda x: torch.tril(_t(x)),
    "triu": lambda x: torch.triu(_t(x)), "float": lambda x: torch.as_tensor(x).to(F64),
}


def _numpy_wrapped(fn: Callable[..., Any]) -> Callable[..., Any]:
    """numpy/scipy functions take arrays: convert in and out (no autograd through them)."""
    def call(*args: Any, **kwargs: Any) -> Any:
        converted = [a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else a for a in args]
        return torch.as_tensor(fn(*converted, **kwargs))
    return call


def _library(name: str) -> Callable[..., Any]:
    """Resolve an allow-listed dotted name by walking attributes from its root module."""
    if name not in grammar.LIBRARY and name not in grammar.MODULES:
        raise ValueError(f"{name} is not allowed")
    root, *path = name.split(".")
    obj: Any
    if root == "torch":
        obj = torch
    elif root == "numpy":
        import numpy

        obj = numpy
    else:
        import scipy
        import scipy.special

        obj = scipy
    for part in path:
        obj = getattr(obj, part)
    return obj if root == "torch" else _numpy_wrapped(obj)


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.MatMult: lambda a, b: _t(a) @ _t(b),
}


class Interpreter:
    """Evaluates parsed expressions over an environment of values and lazily evaluated `let`s."""

    def __init__(self, env: Mapping[str, Any], lets: Mapping[str, ast.Expression], eq_atol: float = 1e-9,
                 library: bool = False) -> None:
        self.env = dict(env)
        self.lets = lets
        self.eq_atol = eq_atol
        self.library = library
        self._cache: dict[str, Any] = {}
        self._busy: set[str] = set()

    def child(self, overrides: Mapping[str, Any]) -> Interpreter:
        return Interpreter({**self.env, **overrides}, self.lets, self.eq_atol, self.library)

    def lookup(self, name: str) -> Any:
        if name in self.env:
            return self.env[name]
        if name in self._cache:
            return self._cache[name]
        if name in self.lets:
            if name in self._busy:
                raise ValueError(f"let {name} refers to itself")
            self._busy.add(name)
            self._cache[name] = self.run(self.lets[name])
            self._busy.discard(name)
            return self._cache[name]
        constants = {"pi": math.pi, "e": math.e, "inf": math.inf, "True": True, "False": False}
        if name in constants:
            return constants[name]
        raise ValueError(f"unknown name {name}")

    def run(self, tree: ast.Expression) -> Any:
        return self.ev(tree.body)

    def ev(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            # integers as floats: 2**10**10 overflows at once instead of building a huge integer
            value = node.value
            return float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self.ev(node.left), self.ev(node.right))
        if isinstance(node, ast.UnaryOp | ast.BoolOp):
            return self._logic(node)
        return self._structure(node)

    def _logic(self, node: ast.UnaryOp | ast.BoolOp) -> Any:
        if isinstance(node, ast.UnaryOp):
            value = self.ev(node.operand)
            if isinstance(node.op, ast.USub):
                return -value
            if isinstance(node.op, ast.UAdd):
                return value
            return torch.logical_not(torch.as_tensor(value))
        values = [torch.as_tensor(self.ev(v), dtype=torch.bool) for v in node.values]
        combine = torch.logical_and if isinstance(node.op, ast.And) else torch.logical_or
        result = values[0]
        for value in values[1:]:
            result = combine(result, value)
        return result

    def _structure(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            return torch.where(torch.as_tensor(self.ev(node.test), dtype=torch.bool), _t(self.ev(node.body)),
                               _t(self.ev(node.orelse)))
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute):
            value = _t(self.ev(node.value))
            if value.ndim < 2:
                return value.conj() if node.attr == "H" else value
            return value.mH if node.attr == "H" else value.mT
        if isinstance(node, ast.Subscript):
            return self.ev(node.value)[self._index(node.slice)]
        if isinstance(node, ast.Tuple | ast.List):
            return [self.ev(e) for e in node.elts]
        raise ValueError(f"{type(node).__name__} is not allowed")

    def _index(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Slice):
            parts = [None if p is None else int(self.ev(p)) for p in (node.lower, node.upper, node.step)]
            return slice(*parts)
        if isinstance(node, ast.Tuple):
            return tuple(self._index(e) for e in node.elts)
        value = self.ev(node)
        if value is None:
            return None
        if isinstance(value, torch.Tensor) and value.ndim == 0:
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def _compare(self, node: ast.Compare) -> Any:
        left = self.ev(node.left)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.ev(right_node)
            a, b = _t(left), _t(right)
            if isinstance(op, ast.Eq | ast.NotEq):
                close = torch.abs(a - b) <= self.eq_atol
                outcome = close if isinstance(op, ast.Eq) else torch.logical_not(close)
            else:
                fn = {ast.Lt: torch.lt, ast.LtE: torch.le, ast.Gt: torch.gt, ast.GtE: torch.ge}[type(op)]
                outcome = fn(a, b)
            result = torch.logical_and(torch.as_tensor(result), outcome)
            left = right
        return result

    def _call(self, node: ast.Call) -> Any:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("grad", "jacobian"):
            return self._derivative(func.id, node)
        if isinstance(func, ast.Name):
            fn = FUNCS[func.id]
        else:
            name = grammar.library_name(func)
            if name is None or not self.library:
                raise ValueError(f"{ast.unparse(func)} is not allowed here")
            fn = _library(name)
        args = [self.ev(a) for a in node.args]
        kwargs = {k.arg: self.ev(k.value) for k in node.keywords if k.arg is not None}
        if not isinstance(func, ast.Name):
            args = [_t(a) if isinstance(a, int | float | complex) and not isinstance(a, bool) else a for a in args]
            # numbers are floats in expressions; library keywords such as dim= want integers
            kwargs = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in kwargs.items()}
        return fn(*args, **kwargs)

    def _derivative(self, kind: str, node: ast.Call) -> Any:
        if len(node.args) != 2 or not isinstance(node.args[1], ast.Name):
            raise ValueError(f"{kind}(expression, variable) takes an expression and a variable name")
        name = node.args[1].id
        current = _t(self.lookup(name))
        # inside another derivative the value is already on the tape: keep it there (nested grad/jacobian)
        point = current if current.requires_grad else current.detach().clone().requires_grad_(True)
        expression = node.args[0]
        if kind == "jacobian":
            return torch.autograd.functional.jacobian(  # type: ignore[no-untyped-call]
                lambda v: _t(self.child({name: v}).ev(expression)), point, create_graph=True)
        value = _t(self.child({name: point}).ev(expression))
        if not value.requires_grad:
            return torch.zeros_like(point)
        (gradient,) = torch.autograd.grad(value.sum(), point, create_graph=True)
        return gradient


# ---------------------------------------------------------------------------------------------- draws


def draw(var: Var, generator: torch.Generator) -> torch.Tensor:
    shape = list(var.shape)
    if var.domain == "integer":
        return torch.randint(math.ceil(var.low), math.floor(var.high) + 1, shape,
                             generator=generator).to(F64)
    if var.domain == "binary":
        return torch.randint(0, 2, shape, generator=generator).to(F64)
    if var.domain == "sign":
        return torch.randint(0, 2, shape, generator=generator).to(F64) * 2 - 1
    if var.domain == "simplex":
        return torch.softmax(torch.randn(shape or [1], generator=generator, dtype=F64) * 2, dim=-1).reshape(shape)
    if var.domain == "onehot":
        size = shape[-1] if shape else 1
        index = torch.randint(0, size, shape[:-1] if shape else [], generator=generator)
        return torch.nn.functional.one_hot(index, size).to(F64).reshape(shape)
    if var.domain == "spd":
        a = torch.randn(shape, generator=generator, dtype=F64)
        return a @ a.T + shape[0] * torch.eye(shape[0], dtype=F64)
    uniform = var.low + (var.high - var.low) * torch.rand(shape, generator=generator, dtype=F64)
    if var.domain == "complex":
        imaginary = var.low + (var.high - var.low) * torch.rand(shape, generator=generator, dtype=F64)
        return torch.complex(uniform, imaginary)
    return uniform


def _show(value: Any) -> Any:
    """A JSON-able summary of a value: numbers as numbers, small arrays as lists, large ones by shape."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, complex):
        return f"{value.real:.6g}{value.imag:+.6g}j"
    if not isinstance(value, torch.Tensor):
        return repr(value)[:80]
    value = value.detach()
    if value.is_complex():
        if value.numel() == 1:
            return _show(complex(value.item()))
        return f"complex array of shape {tuple(value.shape)}"
    if value.numel() == 1:
        return float(value.item())
    if value.numel() <= 6:
        return [round(float(v), 6) for v in value.flatten()]
    return f"array of shape {tuple(value.shape)}"


# ---------------------------------------------------------------------------------------------- primitives


def _parse_lets(lets: Mapping[str, str]) -> dict[str, ast.Expression]:
    return {name: ast.parse(text.strip(), mode="eval") for name, text in lets.items()}


def _compare_values(stated: Any, reference: Any, rtol: float, atol: float) -> dict[str, Any]:
    """How far the stated value is from the reference: shapes, disagreeing entries, largest difference."""
    s, r = _t(stated).detach(), _t(reference).detach()
    if torch.bool in (s.dtype, r.dtype):
        s, r = s.to(F64), r.to(F64)
    if tuple(s.shape) != tuple(r.shape) and not (s.numel() == 1 and r.numel() == 1):
        return {"shape_mismatch": [list(s.shape), list(r.shape)], "agree": False, "max_abs_diff": math.inf}
    s = s.reshape(r.shape)
    difference = torch.abs(s - r)
    same_nan = torch.isnan(s) & torch.isnan(r)
    same_inf = torch.isinf(s) & torch.isinf(r) & (s == r)
    bad = ~(same_nan | same_inf) & ~(difference <= atol + rtol * torch.abs(r))
    finite = difference[torch.isfinite(difference)]
    worst = float(finite.max()) if finite.numel() else 0.0
    if bool(bad.any()) and not torch.isfinite(difference[bad]).all():
        worst = math.inf
    scale = float(torch.abs(r).max()) if r.numel() and torch.isfinite(r).all() else math.nan
    return {"agree": not bool(bad.any()), "max_abs_diff": worst, "bad_entries": int(bad.sum()),
            "reference_scale": scale}


def _identity_like(spec: Identity | Against) -> dict[str, Any]:
    lets = _parse_lets(spec.let)
    generator = torch.Generator().manual_seed(spec.seed)
    disagreeing, worst, worst_at, draws = 0, -1.0, None, 0
    shape_mismatch = None
    stated_error = None
    for trial in range(spec.trials):
        env = {name: draw(var, generator) for name, var in spec.vars.items()}
        reference, module_env = _reference(spec, env, lets, trial)
        interpreter = Interpreter({**env, **module_env}, lets)
        try:
            stated = _stated(spec, interpreter, env)
        except FORMULA_ERRORS as exc:
            stated_error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            disagreeing += 1
            draws += 1
            break
        draws += 1
        outcome = _compare_values(stated, reference, spec.rtol, spec.atol)
        if "shape_mismatch" in outcome:
            shape_mismatch = outcome["shape_mismatch"]
            disagreeing += 1
            break
        if not outcome["agree"]:
            disagreeing += 1
        if outcome["max_abs_diff"] > worst:
            worst = outcome["max_abs_diff"]
            worst_at = {"inputs": {k: _show(v) for k, v in env.items()}, "stated": _show(stated),
                        "reference": _show(reference), "reference_scale": outcome["reference_scale"]}
    measured: dict[str, Any] = {"draws": draws, "disagreeing_draws": disagreeing, "max_abs_diff": worst,
                                "rtol": spec.rtol, "atol": spec.atol, "worst": worst_at}
    if shape_mismatch is not None:
        measured["shape_mismatch"] = shape_mismatch
    if stated_error is not None:
        measured["stated_error"] = stated_error
    if isinstance(spec, Against):
        measured["reference_kind"] = "module" if spec.module else "function"
        measured["reference_name"] = spec.module.name if spec.module else _called(spec.reference or "")
        if spec.recurrence is not None:
            measured["steps"] = spec.vars[spec.recurrence.sequence].shape[0] if spec.vars[
                spec.recurrence.sequence].shape else 1
    return {"holds": disagreeing == 0 and draws > 0, "measured": measured}


def _called(text: str) -> str:
    tree = ast.parse(text.strip(), mode="eval")
    names = [grammar.library_name(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)
             and not isinstance(n.func, ast.Name)]
    return ", ".join(sorted({n for n in names if n})) or "expression"


def _reference(spec: Identity | Against, env: dict[str, Any], lets: dict[str, ast.Expression],
               trial: int) -> tuple[Any, dict[str, Any]]:
    if isinstance(spec, Identity):
        return Interpreter(env, lets).run(ast.parse(spec.reference.strip(), mode="eval")), {}
    if spec.reference is not None:
        interpreter = Interpreter(env, lets, library=True)
        return interpreter.run(ast.parse(spec.reference.strip(), mode="eval")), {}
    assert spec.module is not None
    torch.manual_seed(spec.seed * 100_003 + trial)
    module = _library(spec.module.name)(**spec.module.args).to(F64)
    parameters = {name.replace(".", "_"): p.detach() for name, p in module.named_parameters()}
    bound = {name: Interpreter(parameters, {}).run(ast.parse(text.strip(), mode="eval"))
             for name, text in spec.bind.items()}
    given = Interpreter(env, lets).run(ast.parse(spec.module.input.strip(), mode="eval"))
    inputs = [_t(v) for v in given] if isinstance(given, list) else [_t(given)]
    with torch.no_grad():
        out = module(*inputs)
    reference = Interpreter({"out": list(out) if isinstance(out, tuple) else out}, {}).run(
        ast.parse(spec.module.output.strip(), mode="eval"))
    return _t(reference).detach(), bound


def _stated(spec: Identity | Against, interpreter: Interpreter, env: dict[str, Any]) -> Any:
    if spec.stated is not None:
        return interpreter.run(ast.parse(spec.stated.strip(), mode="eval"))
    assert isinstance(spec, Against) and spec.recurrence is not None and spec.update is not None
    recurrence = spec.recurrence
    state = {name: _t(interpreter.run(ast.parse(text.strip(), mode="eval")))
             for name, text in recurrence.state.items()}
    updates = {name: ast.parse(text.strip(), mode="eval") for name, text in spec.update.items()}
    outputs = []
    for element in _t(env[recurrence.sequence]):
        step = interpreter.child({**state, recurrence.step: element})
        for name, tree in updates.items():
            value = _t(step.run(tree))
            step = step.child({name: value})
            state[name] = value
        outputs.append(state[recurrence.output])
    return torch.stack(outputs)


def _value(spec: Value) -> dict[str, Any]:
    generator = torch.Generator().manual_seed(0)
    env = {name: draw(var, generator) for name, var in spec.vars.items()}
    computed = _t(Interpreter(env, _parse_lets(spec.let)).run(ast.parse(spec.expression.strip(), mode="eval")))
    stated, half_unit = printed_number(spec.stated)
    tolerance = spec.tolerance if spec.tolerance is not None else half_unit
    if computed.numel() != 1:
        return {"holds": False, "measured": {"stated": stated, "computed_shape": list(computed.shape),
                                             "tolerance": tolerance}}
    number = float(computed.detach().real.item())
    difference = abs(number - stated)
    return {"holds": difference <= tolerance,
            "measured": {"stated": stated, "printed": str(spec.stated), "computed": number,
                         "difference": difference, "tolerance": tolerance}}


def _exists(spec: Exists) -> dict[str, Any]:
    axes = [torch.arange(v.start, v.stop + 1, v.step, dtype=F64) if isinstance(v, Range)
            else torch.tensor(v, dtype=F64) for v in spec.search.values()]
    grids = torch.meshgrid(*axes, indexing="ij")
    env = {name: grid.flatten() for name, grid in zip(spec.search, grids, strict=True)}
    count = grids[0].numel()
    interpreter = Interpreter(env, _parse_lets(spec.let), eq_atol=spec.atol)
    met = []
    with torch.no_grad():
        for text in spec.conditions:
            outcome = torch.as_tensor(interpreter.run(ast.parse(text.strip(), mode="eval")), dtype=torch.bool)
            met.append(outcome.expand(count) if outcome.ndim == 0 else outcome.reshape(count))
    satisfied = torch.stack(met).sum(dim=0)
    everything = satisfied == len(met)
    matches = int(everything.sum())
    total = sum(env.values(), torch.zeros(count, dtype=F64))

    def example(mask: torch.Tensor) -> dict[str, float]:
        candidates = torch.nonzero(mask).flatten()
        best = candidates[torch.argmin(total[candidates])]
        return {name: float(values[best]) for name, values in env.items()}

    best_count = int(satisfied.max())
    measured: dict[str, Any] = {
        "candidates": count, "matches": matches, "conditions": len(met),
        "per_condition": {text: int(m.sum()) for text, m in zip(spec.conditions, met, strict=True)},
        "example": example(everything) if matches else None,
        "most_conditions_met": best_count,
        "closest": None if matches else example(satisfied == best_count),
    }
    return {"holds": matches > 0, "measured": measured}


def run_one(check: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one primitive again (the sandbox trusts nothing) and evaluate it."""
    spec = CheckSpec.model_validate(check)
    body = spec.body()
    if isinstance(body, Identity | Against):
        result = _identity_like(body)
    elif isinstance(body, Value):
        result = _value(body)
    else:
        result = _exists(body)
    return {"primitive": spec.primitive, **result}


def run_checks(checks: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Every primitive of a claim; the claim holds when all do. Measurements only: no sentences."""
    torch.set_default_dtype(F64)
    parts = [run_one(check) for check in checks]
    return {"holds": all(p["holds"] for p in parts), "measured": {"parts": parts}}
