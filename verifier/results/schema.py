"""JSON Schema of the JSON report (`reports/schema.json`), generated from the result models, so a reader of
`verifier audit --format json` or `reports/latest.json` can validate it and see every evidence variant.

Like `claims/schema.json` (registry/schema.py) it is committed and a test keeps it equal to the models;
`verifier schema --report` writes it, `--check` says whether it is current."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import JsonValue

from verifier.results.models import REPORT_VERSION, AuditRun

REPORT_SCHEMA = Path("reports") / "schema.json"


def report_schema() -> dict[str, JsonValue]:
    schema: dict[str, JsonValue] = AuditRun.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"verifier JSON report, version {REPORT_VERSION}"
    schema["description"] = ("One audit: when and how it ran, and each claim's verdict with its checks; each "
                             "check's evidence is one variant of a union tagged by `kind`.")
    return schema


def report_schema_text() -> str:
    return json.dumps(report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
