"""The JSON report (also `reports/latest.json`): the result models as JSON, version REPORT_VERSION; its JSON
Schema is `reports/schema.json` (results/schema.py)."""

from __future__ import annotations

from verifier.results.models import AuditRun


class JsonFormat:
    def render(self, run: AuditRun) -> str:
        return run.model_dump_json(indent=2) + "\n"
