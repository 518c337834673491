"""`compare.ignore` patterns: untrusted regular expressions from a claim, run with RE2.

RE2 matches in time linear in the text (no backtracking), so no pattern can hang the CLI (`^(a+)+$` is
as fast as any other); patterns RE2 cannot express (backreferences, lookaround) are refused at validation
with RE2's own message, as are over-long ones. Nothing of a pattern is ever compiled by Python's `re`."""

from __future__ import annotations

import functools
from typing import Any

import re2  # type: ignore[import-untyped]

MAX_PATTERN = 500


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    return options


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    return re2.compile(pattern, _options())


def validate_pattern(text: str) -> str | None:
    """None when `text` is a usable pattern, else why not (for a validation error at file:line)."""
    if len(text) > MAX_PATTERN:
        return f"pattern longer than {MAX_PATTERN} characters"
    try:
        _compiled(text)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        return f"not a usable regular expression (RE2 syntax: no backreferences or lookaround): {detail}"
    return None


def mask(text: str, patterns: tuple[str, ...] | list[str]) -> str:
    """Replace every match of every pattern by a space. ValueError names a pattern that is not valid."""
    for pattern in patterns:
        problem = validate_pattern(pattern)
        if problem is not None:
            raise ValueError(f"compare.ignore {pattern!r}: {problem}")
        text = str(_compiled(pattern).sub(" ", text))
    return text
