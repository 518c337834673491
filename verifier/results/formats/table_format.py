"""The terminal table: claims grouped by source, counts per verdict, colour when shown on a terminal."""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.results.grouping import group_by_source
from verifier.results.margin import near_threshold
from verifier.results.models import AuditRun, ClaimResult
from verifier.verdict_styles import STYLES
from verifier.verdicts import PRECEDENCE, Status


def verdict_counts(results: list[ClaimResult]) -> list[tuple[Status, int]]:
    counts = {status: 0 for status in PRECEDENCE}
    for result in results:
        counts[result.status] += 1
    return [(status, count) for status, count in counts.items() if count]


class TableFormat:
    def renderable(self, run: AuditRun) -> RenderableType:
        parts: list[RenderableType] = []
        for source, results in group_by_source(run.results).items():
            table = Table(title=Text(source), title_justify="left", expand=False, show_lines=False)
            table.add_column("claim", overflow="fold")
            table.add_column("kind")
            table.add_column("verdict")
            table.add_column("summary", overflow="fold", max_width=70)
            for r in results:
                manual = " (manual)" if any(c.manual for c in r.checks) else ""
                verdict = Text(r.status.value + manual, style=STYLES[r.status].rich)
                if near_threshold(r):
                    verdict.append(" near threshold", style="italic")
                # Text, not str: a summary quotes claims and outputs, and `[/bold]` there is not markup
                table.add_row(Text(r.claim_id), Text(r.kind), verdict, Text(r.summary))
            parts.append(table)
        totals = Text("Total: ")
        for status, count in verdict_counts(run.results):
            totals.append(f"{status.value} {count}  ", style=STYLES[status].rich)
        mode = "offline" if run.audit.offline else "online"
        parts.append(Text(f"{len(run.results)} claims audited ({mode}, device {run.audit.device})."))
        near = sum(1 for r in run.results if near_threshold(r))
        if near:
            parts.append(Text(f"{near} verdict(s) near their decision threshold: a small change would flip "
                              "them (`verifier show ID` has the numbers)."))
        parts.append(totals)
        return Group(*parts)

    def render(self, run: AuditRun) -> str:
        buffer = StringIO()
        Console(file=buffer, width=140, color_system=None, force_terminal=False).print(self.renderable(run))
        return buffer.getvalue()
