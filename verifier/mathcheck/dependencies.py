"""Which source files a check really depends on, for the result fingerprint.

A Python check's result must be redone when its module or a module it imports from reproductions/
changes, and only then (hashing every `_*.py` re-ran every check when one helper changed and missed
helpers without an underscore). Imports are read from the syntax tree, never by importing."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

PACKAGE = "reproductions"
#: the sandbox-side code of declarative checks: a change here redoes every declarative result
MATHCHECK = Path(__file__).resolve().parent
#: project root the sandbox gets for declarative checks: its reproductions/declarative.py is the entry point
SANDBOX_ROOT = MATHCHECK / "sandbox_root"
DECLARATIVE_FILES = ("evaluator.py", "grammar.py", "spec.py", "precision.py",
                     "sandbox_root/reproductions/declarative.py")


def _imported(path: Path, reproductions: Path) -> set[Path]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # from . import x / from ._x import y
                names.update(module or a.name for a in node.names)
            elif module == PACKAGE:
                names.update(a.name for a in node.names)
            elif module.startswith(PACKAGE + "."):
                names.add(module[len(PACKAGE) + 1:])
        elif isinstance(node, ast.Import):
            names.update(a.name[len(PACKAGE) + 1:] for a in node.names if a.name.startswith(PACKAGE + "."))
    found = set()
    for name in names:
        candidate = reproductions.joinpath(*name.strip(".").split(".")).with_suffix(".py")
        if candidate.is_file():
            found.add(candidate)
    return found


def module_files(reproductions: Path, module: str) -> list[Path]:
    """The module's file and every reproductions/ module it imports, transitively, sorted."""
    start = reproductions.joinpath(*module.split(".")).with_suffix(".py")
    seen: set[Path] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo.extend(_imported(path, reproductions) - seen)
    return sorted(seen)


def digest(paths: list[Path]) -> str:
    hasher = hashlib.sha256()
    for path in paths:
        hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def declarative_digest() -> str:
    return digest([MATHCHECK / name for name in DECLARATIVE_FILES])
