"""Check `module:function` targets against reproductions/ by reading the source, never importing it.

Importing a reproduction would run torch code in the CLI process; parsing it is instant and safe."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path


def module_path(reproductions: Path, target: str) -> Path:
    module = target.split(":", 1)[0]
    return reproductions.joinpath(*module.split(".")).with_suffix(".py")


@lru_cache(maxsize=512)
def _functions(path: Path, mtime_ns: int) -> frozenset[str] | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    return frozenset(
        node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def target_problem(reproductions: Path, target: str) -> str | None:
    """None when the target names a top-level function of a module in reproductions/."""
    if target.startswith("TODO:"):  # the placeholder `verifier extract` gives math drafts
        return (f"{target!r} is a drafted placeholder: name a check (`module:function` in "
                f"{reproductions.name}/) or delete the claim")
    path = module_path(reproductions, target)
    function = target.split(":", 1)[1]
    if not path.is_file():
        return f"{target!r}: no module {path.name} in {reproductions.name}/"
    names = _functions(path, path.stat().st_mtime_ns)
    if names is None:
        return f"{target!r}: {path.name} cannot be parsed"
    if function not in names:
        return f"{target!r}: {path.name} has no top-level function {function!r}"
    return None
