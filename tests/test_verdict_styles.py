"""Verdict styles live in one table keyed by Status; the terminal table and the report read it."""

from __future__ import annotations

from rich.text import Text

from verifier.report.views import COLOURS, MARKERS
from verifier.results.formats.table_format import TableFormat
from verifier.results.models import AuditInfo, AuditRun, ClaimResult
from verifier.verdict_styles import STYLES
from verifier.verdicts import Status


def test_every_status_has_one_style_and_the_report_uses_it() -> None:
    assert set(STYLES) == set(Status)
    assert {s.value: style.colour for s, style in STYLES.items()} == COLOURS
    assert {s.value: style.marker for s, style in STYLES.items()} == MARKERS
    assert all(style.colour.startswith("#") and len(style.colour) == 7 for style in STYLES.values())


def test_the_terminal_table_colours_each_verdict_from_the_table() -> None:
    results = [ClaimResult(claim_id=f"claim-{s.value}", source="s", kind="fact", status=s, summary="x",
                           location="claims/s.yaml:1") for s in Status]
    run = AuditRun(audit=AuditInfo(started="t0", finished="t1", registry="claims", offline=True), results=results)
    rendered = TableFormat().renderable(run)
    totals = rendered.renderables[-1]  # type: ignore[attr-defined]
    assert isinstance(totals, Text)
    styles = {totals.plain[span.start:span.end].split()[0]: span.style for span in totals.spans}
    assert styles == {s.value: STYLES[s].rich for s in Status}
