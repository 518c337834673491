"""How each verdict looks, in one table: the report's colour and marker, the terminal's Rich style.

Kept beside `verdicts.py` and keyed by `Status` so that a new status cannot be added without a look (a test
checks every status has a style), and the terminal table, the Streamlit report and its charts agree."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.verdicts import Status


@dataclass(frozen=True)
class VerdictStyle:
    colour: str  # HTML colour of badges, highlighted quotes and charts
    marker: str  # the emoji in the report's claims table
    rich: str  # Rich style of the terminal table


STYLES: dict[Status, VerdictStyle] = {
    Status.CONFIRMED: VerdictStyle("#2e7d32", "🟢", "green"),
    Status.APPROXIMATE: VerdictStyle("#f9a825", "🟡", "yellow"),
    Status.REFUTED: VerdictStyle("#c62828", "🔴", "bold red"),
    Status.NOT_FOUND: VerdictStyle("#b71c1c", "🔴", "bold red"),
    Status.MISMATCH: VerdictStyle("#ef6c00", "🟠", "red"),
    Status.MISATTRIBUTED: VerdictStyle("#ad1457", "🔴", "bold red"),
    Status.DOES_NOT_RUN: VerdictStyle("#d84315", "🟠", "red"),
    Status.UNVERIFIABLE: VerdictStyle("#9e9e9e", "⚪", "dim"),
    Status.SKIPPED: VerdictStyle("#bdbdbd", "⚪", "dim"),
    Status.UNREACHABLE: VerdictStyle("#6a1b9a", "🟣", "magenta"),
    Status.ERROR: VerdictStyle("#4a148c", "🟣", "bold magenta"),
}

#: the colour of anything that is not a verdict (a claim not audited yet)
NEUTRAL = "#90a4ae"
