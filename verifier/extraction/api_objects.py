"""Which library object each variable of a document's code holds, so that `model.add(...)` is read as a call
of `keras.Sequential.add` and `loss.backward()` as one of `torch.Tensor.backward`.

AI answers get methods wrong as often as functions (a `fit` that takes no such argument, a tensor method that
does not exist), and most method calls go through a variable, not through an import alias. The types are
learned from the code's own assignments, line by line in reading order, with three rules that need no
knowledge of any particular library beyond the array type it computes with:

- `x = alias.Capitalised(...)` (the whole right-hand side one call) and `with alias.Capitalised(...) as x:`
  make `x` an instance of that class;
- `x = alias.lowercase(...)` (a library function, possibly indexed or inside arithmetic; not when an
  attribute follows, `f(...).attr` gives something else), `x = alias.Capitalised(...) * 2` and `x = obj(...)` where
  `obj` holds an instance of a library class (calling a layer, a module, a loss) make `x` that library's
  array type (`torch.Tensor`, `numpy.ndarray`, ...); a library without one gives no type;
- any other assignment forgets what the variable held (reassigned to something unknown).

Only the first attribute after a typed variable is named (`z.numpy()[0]` -> `Tensor.numpy`): what that
attribute returns is not known without running the code."""

from __future__ import annotations

import re

#: The array type a library's functions return and its layers compute (a general fact of each library).
ARRAY_TYPES = {"torch": "torch.Tensor", "numpy": "numpy.ndarray", "tensorflow": "tensorflow.Tensor",
               "jax": "jax.Array", "cupy": "cupy.ndarray"}

ASSIGN = re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)\s*(.+?)\s*$")
WITH_AS = re.compile(r"^\s*(?:async\s+)?with\s+(.+?)\s+as\s+([A-Za-z_]\w*)\s*:")
ARITHMETIC = frozenset("*+-/@%")
HEAD = re.compile(r"([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\s*(\()?")


def closing(text: str, open_at: int) -> int:
    """Index of the bracket that closes the one at `open_at` (len(text) when it is not closed on the line)."""
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] in "([{":
            depth += 1
        elif text[index] in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return len(text)


class Objects:
    """Variable -> dotted type of the library object it holds, updated by `learn` for each code line."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}

    def attribute(self, root: str, rest: str) -> str | None:
        """`obj.attr...` -> `Type.attr` when `obj` holds a known library object, else None."""
        held = self.types.get(root)
        if held is None or not rest:
            return None
        return f"{held}.{rest.split('.')[1]}"

    def learn(self, code: str, aliases: dict[str, str]) -> None:
        """Update the types from one line of code (comment already removed)."""
        with_as = WITH_AS.match(code)
        if with_as:
            self._bind([with_as.group(2)], self.value(with_as.group(1), aliases))
            return
        assign = ASSIGN.match(code)
        if assign:
            targets = [name.strip() for name in assign.group(1).split(",")]
            self._bind(targets, self.value(assign.group(2), aliases))

    def _bind(self, targets: list[str], held: str | None) -> None:
        for target in targets:
            if target == "_":
                continue
            if held is None:
                self.types.pop(target, None)
            else:
                self.types[target] = held

    def value(self, expression: str, aliases: dict[str, str]) -> str | None:
        """The type of what `expression` computes, by the rules of the module docstring, or None."""
        head = HEAD.match(expression)
        if not head or not head.group(3):
            return None
        root, rest = head.group(1), head.group(2)
        if root in aliases:
            full = aliases[root] + rest
            after = expression[closing(expression, head.end() - 1) + 1:].lstrip()
            constructor = full.rsplit(".", maxsplit=1)[-1][:1].isupper()
            if constructor and not after:
                return full
            if after and (after[0] not in ARITHMETIC and (constructor or after[0] != "[")):
                return None  # `f(...).attr` or `Cls(...)[i]`: what that gives is not known
            return ARRAY_TYPES.get(full.split(".", maxsplit=1)[0])
        held = self.types.get(root)
        if held is not None and not rest and held not in ARRAY_TYPES.values():
            return ARRAY_TYPES.get(held.split(".", maxsplit=1)[0])
        return None
