"""Append a claim to its source's YAML file without losing comments, validating before anything is written."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from verifier.atomic import write_atomic
from verifier.errors import InvalidInputError, Problem
from verifier.registry.loader import load_registry
from verifier.registry.models import CLAIM_ADAPTER
from verifier.registry.records import AnyClaim, ClaimRecord
from verifier.registry.schema import EDITOR_HEADER
from verifier.registry.yaml_io import round_trip_yaml

FIELD_ORDER = ("id", "source", "kind", "quote", "statement")


def build_claim(data: dict[str, Any]) -> AnyClaim:
    """Validate a new claim's fields; problems name the field, as for files."""
    try:
        return CLAIM_ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems = [
            Problem("<new claim>", None, ".".join(str(p) for p in err["loc"][1:]) or None, err["msg"])
            for err in exc.errors()
        ]
        raise InvalidInputError(problems) from None


def to_yaml_node(claim: AnyClaim) -> CommentedMap:
    """The claim as an ordered YAML mapping, defaults left out, multi-line text as literal blocks."""
    data = claim.model_dump(mode="json", exclude_defaults=True)
    data["kind"] = claim.kind
    ordered = [k for k in FIELD_ORDER if k in data] + [k for k in data if k not in FIELD_ORDER]
    return CommentedMap((key, _node(data[key])) for key in ordered)


def _node(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    if isinstance(value, dict):
        return CommentedMap((k, _node(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_node(v) for v in value)
    return value


def render(node: Any) -> str:
    buffer = StringIO()
    round_trip_yaml().dump(node, buffer)
    return buffer.getvalue()


def append_claim(root: Path, claim: AnyClaim) -> ClaimRecord:
    """Append to `<root>/<source>.yaml`; the registry must load cleanly afterwards or nothing changes."""
    registry = load_registry(root)
    if claim.source not in registry.sources:
        known = ", ".join(sorted(registry.sources))
        raise InvalidInputError([Problem("<new claim>", None, "source", f"unknown source (known: {known})")])
    if registry.by_id(claim.id) is not None:
        first = registry.by_id(claim.id)
        where = first.location if first else "?"
        raise InvalidInputError([Problem("<new claim>", None, "id", f"duplicate id {claim.id!r} ({where})")])
    path = registry.root / f"{claim.source}.yaml"
    old_text = path.read_text(encoding="utf-8") if path.exists() else None
    tree: Any = round_trip_yaml().load(old_text) if old_text is not None else None
    tree = tree if tree is not None else CommentedSeq()
    tree.append(to_yaml_node(claim))
    text = render(tree)
    if old_text is None or not old_text.startswith("# yaml-language-server"):
        text = EDITOR_HEADER + text
    write_atomic(path, text)
    try:
        updated = load_registry(root)
    except InvalidInputError:
        if old_text is None:
            path.unlink()
        else:
            write_atomic(path, old_text)
        raise
    record = updated.by_id(claim.id)
    assert record is not None
    return record
