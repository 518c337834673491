"""The JSON report (also `reports/latest.json`): the audit header and every claim result, as the README's
"Results and the store" describes them."""

from __future__ import annotations

from verifier.results.models import AuditRun


class JsonFormat:
    def render(self, run: AuditRun) -> str:
        return run.model_dump_json(indent=2) + "\n"
