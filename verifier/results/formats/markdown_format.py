"""Markdown: a summary and one table per source, for pull requests and notes."""

from __future__ import annotations

from verifier.results.formats.table_format import verdict_counts
from verifier.results.grouping import group_by_source
from verifier.results.models import AuditRun


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownFormat:
    def render(self, run: AuditRun) -> str:
        mode = "offline" if run.audit.offline else "online"
        lines = [
            "# verifier audit",
            "",
            f"{len(run.results)} claims, {mode}, {run.audit.started} to {run.audit.finished}.",
            "",
            "| verdict | claims |",
            "| --- | ---: |",
            *(f"| {status.value} | {count} |" for status, count in verdict_counts(run.results)),
        ]
        for source, results in group_by_source(run.results).items():
            lines += ["", f"## {source}", "", "| claim | kind | verdict | summary | where |",
                      "| --- | --- | --- | --- | --- |"]
            lines += [
                f"| `{r.claim_id}` | {r.kind} | **{r.status.value}** | {_cell(r.summary)} | {r.location} |"
                for r in results
            ]
        return "\n".join(lines) + "\n"
