"""The restricted expression language of declarative math checks: parse and validate, never evaluate.

Expressions come from claim YAML, so they are untrusted. The host only parses them with `ast.parse`
(parsing builds a tree; nothing runs) and walks the tree against an allow-list of node types, names and
functions. Evaluation happens in the sandbox (`verifier.mathcheck.evaluator`), by walking the same tree,
never by `eval`/`compile`. Python's own expression syntax is used because users already write formulas
that way (`x**2`, `A @ B`, `Q.T`), and `ast` gives exact error positions for free."""

from __future__ import annotations

import ast
from collections.abc import Iterable

#: element-wise and linear-algebra functions usable anywhere (the evaluator implements each on torch tensors)
FUNCTIONS: frozenset[str] = frozenset({
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "atan2", "sinh", "cosh", "tanh", "exp", "log", "log2",
    "log10", "log1p", "sqrt", "abs", "sign", "floor", "ceil", "round", "real", "imag", "conj", "angle",
    "sigmoid", "relu", "softmax", "maximum", "minimum", "clamp", "where",
    "sum", "mean", "prod", "max", "min", "norm", "dot", "outer", "matmul", "transpose", "trace", "det", "inv",
    "diag", "eye", "zeros", "ones", "cat", "stack", "eigvalsh", "eigh", "svd", "fft", "ifft", "onehot",
    "arange", "len", "isfinite", "all", "any", "grad", "jacobian", "tril", "triu", "float",
})

#: library functions a reference side (`against`) may name, each a fixed dotted path (nothing else resolves)
LIBRARY: frozenset[str] = frozenset({
    "torch.softmax", "torch.log_softmax", "torch.sigmoid", "torch.relu", "torch.tanh", "torch.exp", "torch.log",
    "torch.sqrt", "torch.abs", "torch.log1p", "torch.maximum", "torch.polar", "torch.complex",
    "torch.nn.functional.softmax", "torch.nn.functional.log_softmax", "torch.nn.functional.sigmoid",
    "torch.nn.functional.relu", "torch.nn.functional.linear", "torch.nn.functional.mse_loss",
    "torch.nn.functional.l1_loss", "torch.nn.functional.binary_cross_entropy", "torch.nn.functional.cross_entropy",
    "torch.nn.functional.nll_loss", "torch.nn.functional.kl_div", "torch.nn.functional.scaled_dot_product_attention",
    "torch.linalg.norm", "torch.linalg.svd", "torch.linalg.eigh", "torch.linalg.eigvalsh", "torch.linalg.inv",
    "torch.linalg.det", "torch.fft.fft", "torch.fft.ifft", "torch.special.expit", "torch.special.logit",
    "scipy.special.expit", "scipy.special.softmax", "scipy.special.logsumexp", "numpy.fft.fft", "numpy.fft.ifft",
})

#: torch modules an `against` check may build and bind weights from
MODULES: frozenset[str] = frozenset({
    "torch.nn.RNN", "torch.nn.GRU", "torch.nn.LSTM", "torch.nn.RNNCell", "torch.nn.GRUCell", "torch.nn.LSTMCell",
    "torch.nn.Linear", "torch.nn.MultiheadAttention",
})

CONSTANTS: frozenset[str] = frozenset({"pi", "e", "inf", "True", "False"})
#: the only attributes of values: transpose and conjugate transpose
ATTRIBUTES: frozenset[str] = frozenset({"T", "H"})

_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Name, ast.Constant,
    ast.Attribute, ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.keyword, ast.IfExp, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
    ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)
MAX_LENGTH = 2000


class ExpressionError(ValueError):
    """A malformed or disallowed expression; the message names the offending part."""


def dotted(node: ast.AST) -> str | None:
    """`torch.nn.functional.softmax` for an Attribute chain over a Name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _aliases(name: str) -> str:
    """`np.` and `F.` are the usual spellings of numpy and torch.nn.functional."""
    if name.startswith("np."):
        return "numpy." + name[3:]
    if name.startswith("F."):
        return "torch.nn.functional." + name[2:]
    return name


def library_name(node: ast.AST) -> str | None:
    name = dotted(node)
    return _aliases(name) if name is not None else None


def parse(text: str, names: Iterable[str], library: bool = False) -> ast.Expression:
    """Parse `text` and check it uses only allowed syntax, the given variable `names`, the math FUNCTIONS
    and (when `library`) the LIBRARY functions. Raises ExpressionError saying what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression must be a non-empty string")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {text.strip()!r}: {exc.msg} at column {exc.offset}") from None
    known = set(names)
    _check(tree, known, library, text.strip())
    return tree


def _check(tree: ast.AST, known: set[str], library: bool, text: str) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed in {text!r}")
        if isinstance(node, ast.Constant) and not (node.value is None
                                                   or isinstance(node.value, int | float | complex | str | bool)):
            raise ExpressionError(f"constant {node.value!r} is not allowed in {text!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 40:
            raise ExpressionError(f"string constant too long in {text!r}")
    _names(tree.body if isinstance(tree, ast.Expression) else tree, known, library, text)


def _names(node: ast.AST, known: set[str], library: bool, text: str) -> None:
    """Every Name must be a variable, a constant, or (as a callee) an allowed function; every Attribute
    is `.T`/`.H` or (as a callee, with `library`) a LIBRARY path."""
    if isinstance(node, ast.Call):
        _callee(node, library, text)
        _arguments(node, known, library, text)
        return
    if isinstance(node, ast.Attribute):
        if node.attr not in ATTRIBUTES:
            raise ExpressionError(f"attribute .{node.attr} is not allowed in {text!r} (only .T and .H)")
        _names(node.value, known, library, text)
        return
    if isinstance(node, ast.Name):
        if node.id not in known and node.id not in CONSTANTS:
            raise ExpressionError(f"unknown name {node.id!r} in {text!r}; declare it under `vars` or `let`")
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        raise ExpressionError(f"a string is only allowed as a keyword argument, in {text!r}")
    for child in ast.iter_child_nodes(node):
        _names(child, known, library, text)


def _arguments(node: ast.Call, known: set[str], library: bool, text: str) -> None:
    for arg in node.args:
        _names(arg, known, library, text)
    for keyword in node.keywords:
        if keyword.arg is None:
            raise ExpressionError(f"**kwargs is not allowed in {text!r}")
        if not (isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)):
            _names(keyword.value, known, library, text)


def _callee(node: ast.Call, library: bool, text: str) -> None:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id not in FUNCTIONS:
            raise ExpressionError(f"unknown function {func.id!r} in {text!r} (allowed: math functions "
                                  f"such as sin, exp, softmax, grad; see the README)")
        if func.id in ("grad", "jacobian") and (len(node.args) != 2 or not isinstance(node.args[1], ast.Name)):
            raise ExpressionError(f"{func.id}(expression, variable) takes an expression and a name, in {text!r}")
        return
    name = library_name(func)
    if name is None or name not in LIBRARY:
        raise ExpressionError(f"function {ast.unparse(func)!r} is not allowed in {text!r}")
    if not library:
        raise ExpressionError(f"library function {name!r} is only allowed on the reference side "
                              f"(`against`), in {text!r}")


def free_names(text: str) -> set[str]:
    """Names an expression reads (after parsing succeeded), excluding called functions and constants."""
    tree = ast.parse(text.strip(), mode="eval")
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    inside_calls: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not isinstance(node.func, ast.Name):
            inside_calls.update(id(n) for n in ast.walk(node.func))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called
            and id(n) not in inside_calls and n.id not in CONSTANTS}
