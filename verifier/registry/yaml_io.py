"""YAML reading that keeps line numbers, so every problem can name its file, line and field.

Reading uses libyaml through PyYAML (`CSafeLoader`): it composes a 10,000-claim registry in a fraction of
a second, and its node tree keeps the line of every key. ruamel.yaml's round-trip mode is used only to
write (`verifier add`), where keeping the user's comments matters more than speed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from verifier.errors import Problem

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml: same behaviour, slower
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records duplicate keys instead of silently keeping the last one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                self.duplicates.append((key_node.start_mark.line + 1, str(key)))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def round_trip_yaml() -> YAML:
    """The YAML instance used to write back without losing comments or re-wrapping lines."""
    writer = YAML(typ="rt")
    writer.allow_duplicate_keys = False
    writer.preserve_quotes = True
    writer.width = 4096  # never re-wrap what the user wrote
    writer.indent(mapping=2, sequence=2, offset=0)
    return writer


def read_yaml(path: Path, shown: str) -> tuple[Any, Any, list[Problem]]:
    """Parse one file: (plain data, node tree for line look-ups, problems)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [Problem(shown, None, None, f"cannot read: {exc}")]
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, Any, list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, None, [_syntax_problem(exc, shown)]
    except yaml.YAMLError as exc:
        return None, None, [Problem(shown, None, None, f"invalid YAML: {exc}")]
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-45
        return None, None, [Problem(shown, None, None, f"invalid YAML value: {exc}")]
    finally:
        loader.dispose()
    problems = [Problem(shown, line, None, f"invalid YAML: duplicate key {key!r}") for line, key in loader.duplicates]
    return (None, None, problems) if problems else (data, node, [])


def _syntax_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    # For an unclosed string or bracket, where it started is more useful than where the parser gave up.
    unclosed = "end of stream" in str(exc.problem) or "flow" in str(exc.context)
    mark = (exc.context_mark or exc.problem_mark) if unclosed else (exc.problem_mark or exc.context_mark)
    line = mark.line + 1 if mark is not None else None
    what = str(exc.problem or exc.context or "syntax error")
    if exc.context and exc.problem_mark is not None and exc.problem:
        what += f" at line {exc.problem_mark.line + 1} ({exc.context})"
    return Problem(shown, line, None, f"invalid YAML: {what}")


def line_of(node: Any, default: int | None = None) -> int | None:
    """1-based line where a node starts."""
    return node.start_mark.line + 1 if isinstance(node, yaml.Node) else default


def locate(node: Any, loc: Sequence[int | str], default: int | None) -> tuple[int | None, str]:
    """Follow a pydantic error location through the node tree: (line, dotted field name)."""
    line = line_of(node, default)
    names: list[str] = []
    current = node
    for part in loc:
        child = None
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    line, child = key_node.start_mark.line + 1, value_node
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            child = current.value[part]
            line = child.start_mark.line + 1
        names.append(f"[{part}]" if isinstance(part, int) else str(part))
        current = child  # None for a missing or extra field: keep the line of the mapping
    return line, ".".join(names).replace(".[", "[")


def locate_in_item(tree: Any, index: int, loc: Sequence[int | str], default: int | None) -> tuple[int | None, str]:
    """Like `locate` for a field of the index-th list item; the field name leaves out the index."""
    line, field = locate(tree, (index, *loc), default)
    prefix = f"[{index}]"
    field = field[len(prefix):].lstrip(".") if field.startswith(prefix) else field
    return line, field
