"""YAML reading that keeps line numbers, so every problem can name its file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from verifier.errors import Problem


def round_trip_yaml() -> YAML:
    """The YAML instance used for reading and for writing back without losing comments."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_yaml(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """Parse one file; a syntax error or a duplicate key becomes a Problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, None, None, f"cannot read: {exc}")]
    try:
        return round_trip_yaml().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "duplicate key" in what:
            what = f"duplicate key: {exc.problem}".replace("found duplicate key", "").strip()
        return None, [Problem(shown, line, None, f"invalid YAML: {what}")]
    except YAMLError as exc:
        return None, [Problem(shown, None, None, f"invalid YAML: {exc}")]
    except Exception as exc:  # ruamel raises plain errors on some malformed input (fuzzed)
        return None, [Problem(shown, None, None, f"invalid YAML: {type(exc).__name__}: {exc}")]


def plain(node: Any) -> Any:
    """Turn ruamel's commented containers and scalar subclasses into plain Python values."""
    if isinstance(node, dict):
        return {str(key): plain(val) for key, val in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def line_of(node: Any, default: int | None = None) -> int | None:
    """1-based line where a mapping or sequence starts."""
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return int(lc.line) + 1
    return default


def locate(node: Any, loc: Sequence[int | str], default: int | None) -> tuple[int | None, str]:
    """Follow a pydantic error location through the YAML tree: (line, dotted field name)."""
    line = line_of(node, default)
    names: list[str] = []
    current = node
    for part in loc:
        if isinstance(current, CommentedMap) and part in current:
            line = current.lc.key(part)[0] + 1
            names.append(str(part))
            current = current[part]
        elif isinstance(current, CommentedSeq) and isinstance(part, int) and 0 <= part < len(current):
            line = current.lc.item(part)[0] + 1
            names.append(f"[{part}]")
            current = current[part]
        else:
            names.append(str(part))  # a missing or extra field: the line of the mapping that lacks it
            current = None
    return line, ".".join(names).replace(".[", "[")
