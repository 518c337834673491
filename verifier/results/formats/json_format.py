"""The JSON report of ARCHITECTURE.md (also `reports/latest.json`)."""

from __future__ import annotations

from verifier.results.models import AuditRun


class JsonFormat:
    def render(self, run: AuditRun) -> str:
        return run.model_dump_json(indent=2) + "\n"
