"""What a person hands the tool directly (files named on the command line, the flat fields of `add` and of the
report's form), read with the registry's bounded readers and turned into the mapping a claims file holds.

Kept out of `cli.py` because the Streamlit form builds claims from the same fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from verifier.errors import InvalidInputError, Problem

#: The fields `add` asks for, beyond the common ones, when run in a terminal (a citation may give a name).
REQUIRED = {"citation": ("title",), "code": ("code_file",), "math": ("check",), "fact": ()}
COMMON = ("source", "kind", "id", "quote", "statement")


def read_input(path: Path, what: str) -> str:
    """A user-named file: a regular UTF-8 file of bounded size (`/dev/zero` or a FIFO would never end)."""
    from verifier.registry.files import MAX_SOURCE_BYTES, Unreadable, read_text

    try:
        return read_text(path, path.resolve().parent, MAX_SOURCE_BYTES)
    except Unreadable as exc:
        raise InvalidInputError([Problem(str(path), exc.line, None, f"cannot read {what}: {exc}")]) from None


def read_claim_yaml(path: Path) -> dict[str, Any]:
    """The `--yaml` file, through the same bounded reader as the registry (alias bombs, deep nesting,
    control characters and bad UTF-8 are refused with their line); it must hold one claim mapping."""
    from verifier.registry.files import MAX_YAML_BYTES, Unreadable, read_text
    from verifier.registry.yaml_io import parse_yaml

    shown = str(path)
    try:
        text = read_text(path, path.resolve().parent, MAX_YAML_BYTES)
    except Unreadable as exc:
        raise InvalidInputError([Problem(shown, exc.line, None, f"cannot read: {exc}")]) from None
    data, _, problems = parse_yaml(text, shown)
    if problems:
        raise InvalidInputError(problems)
    if not isinstance(data, dict):
        raise InvalidInputError([Problem(shown, 1, None, "expected one claim mapping")])
    return data


def require_files(files: list[Path]) -> None:
    """Every named metadata file exists, or one error names each missing one (before any work starts)."""
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise InvalidInputError([Problem(m, None, None, "no such file") for m in missing])


def missing_fields(fields: dict[str, Any]) -> list[str]:
    return [name for name in COMMON if fields.get(name) is None]


def claim_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Turn flat command-line fields into the nested claim mapping."""
    data = {k: fields.get(k) for k in ("id", "source", "kind", "quote", "statement")}
    kind = fields.get("kind")
    if kind == "citation":
        authors = fields.get("authors")
        data["reference"] = {
            "title": fields.get("title"), "name": fields.get("name"), "year": fields.get("year"),
            "url": fields.get("url"),
            "arxiv_id": fields.get("arxiv_id"),
            "authors": [a.strip() for a in authors.split(";") if a.strip()] if authors else [],
        }
        data["described_as"] = fields.get("described_as")
    elif kind == "code":
        for key, name in (("code", "code_file"), ("printed", "printed_file")):
            path = fields.get(name)
            if path is not None:
                data[key] = read_input(Path(path), f"--{name.replace('_', '-')}")
        data["reproduction"] = fields.get("reproduction")
    elif kind == "math":
        data["check"] = fields.get("check")
    elif kind == "fact":
        data["about"] = fields.get("about")
    elif kind == "api":
        for key in ("package", "name", "argument", "version", "does", "check"):
            data[key] = fields.get(key)
    return {k: v for k, v in data.items() if v is not None}
