"""JSON Schema of a claims file, so editors validate YAML as it is typed (claims/schema.json)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from verifier.registry.models import Claim

SCHEMA_FILE = "schema.json"
EDITOR_HEADER = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"


def claims_schema() -> dict[str, Any]:
    schema = TypeAdapter(list[Claim]).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "verifier claims file"
    schema["description"] = "The claims of one source document, in the order they appear."
    return schema


def schema_text() -> str:
    return json.dumps(claims_schema(), indent=2, sort_keys=True) + "\n"
