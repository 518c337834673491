"""View models of the report pages: plain data computed from an audit and the registry, no Streamlit."""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from typing import Any

from verifier.registry.records import ClaimRecord, Registry
from verifier.results.evidence import AboutEvidence, NumberCheck, ReferenceEvidence
from verifier.results.margin import near_threshold
from verifier.results.models import AuditRun, ClaimResult
from verifier.results.store import AuditSummary
from verifier.verdict_styles import NEUTRAL, STYLES
from verifier.verdicts import FINDINGS, PRECEDENCE, Status

COLOURS: dict[str, str] = {status.value: style.colour for status, style in STYLES.items()}  # verdict_styles.py
ORDER = [s.value for s in PRECEDENCE]


def counts(run: AuditRun) -> list[tuple[str, int]]:
    found = run.counts()
    return [(s.value, found[s]) for s in PRECEDENCE if found.get(s)]


def per_source(run: AuditRun) -> list[dict[str, Any]]:
    """Rows (source, verdict, claims) for the stacked bar chart."""
    table: dict[tuple[str, str], int] = {}
    for result in run.results:
        key = (result.source, result.status.value)
        table[key] = table.get(key, 0) + 1
    return [{"source": s, "verdict": v, "claims": n, "order": ORDER.index(v)} for (s, v), n in sorted(table.items())]


def how_checked(result: ClaimResult) -> str:
    if result.status in (Status.UNVERIFIABLE, Status.SKIPPED):
        return "not checked"
    if any(c.manual for c in result.checks) and not any(
            not c.manual and c.status not in (Status.UNVERIFIABLE, Status.SKIPPED) for c in result.checks):
        return "reviewed by hand"
    return "checked automatically"


def shares(run: AuditRun) -> dict[str, int]:
    found = {"checked automatically": 0, "reviewed by hand": 0, "not checked": 0}
    for result in run.results:
        found[how_checked(result)] += 1
    return found


def arxiv_link(result: ClaimResult) -> str | None:
    for check in result.checks:
        evidence = check.evidence
        if isinstance(evidence, ReferenceEvidence | AboutEvidence) and evidence.record and evidence.record.link:
            return evidence.record.link
    return None


MARKERS: dict[str, str] = {status.value: style.marker for status, style in STYLES.items()}


def _near(result: ClaimResult) -> str:
    """"arxiv 0.03" for each check whose verdict sat near its decision threshold (see results/margin.py)."""
    return ", ".join(f"{name} {margin:+.2f}" for name, margin in near_threshold(result))


def claim_rows(run: AuditRun) -> list[dict[str, Any]]:
    """One row per claim for the table (the results carry statement and tags: no registry needed)."""
    return [{
        "claim": r.claim_id, "source": r.source, "kind": r.kind, "": MARKERS.get(r.status.value, ""),
        "verdict": r.status.value, "near threshold": _near(r), "manual": how_checked(r) == "reviewed by hand",
        "summary": r.summary,
        "statement": r.statement, "tags": ", ".join(r.tags), "link": arxiv_link(r), "where": r.location,
    } for r in run.results]


def filter_rows(rows: list[dict[str, Any]], sources: list[str], kinds: list[str], verdicts: list[str],
                tags: list[str], text: str) -> list[dict[str, Any]]:
    needle = text.strip().lower()

    def keep(row: dict[str, Any]) -> bool:
        if sources and row["source"] not in sources:
            return False
        if kinds and row["kind"] not in kinds:
            return False
        if verdicts and row["verdict"] not in verdicts:
            return False
        if tags and not set(tags) & {t.strip() for t in row["tags"].split(",") if t.strip()}:
            return False
        fields = ("claim", "summary", "statement", "tags", "what would decide")  # the last: the claims table only
        haystack = " ".join(str(row.get(k, "")) for k in fields).lower()
        return not needle or needle in haystack

    return [row for row in rows if keep(row)]


def context_html(registry: Registry, record: ClaimRecord, around: int = 3) -> str:
    """The quote in its source with line numbers, the quoted lines highlighted."""
    doc = registry.sources[record.claim.source]
    if not record.anchors:
        return "<em>quote not anchored</em>"
    anchor = record.anchors[0]
    first = max(1, anchor.start_line - around)
    last = min(len(doc.text.lines), anchor.end_line + around)
    lines = []
    for number in range(first, last + 1):
        text = html.escape(doc.text.lines[number - 1])
        if anchor.start_line <= number <= anchor.end_line:
            text = f'<mark style="background:#fff59d">{text}</mark>'
        lines.append(f'<span style="color:#888">{number:5d} │</span> {text}')
    more = f" (and {len(record.anchors) - 1} more places)" if len(record.anchors) > 1 else ""
    return (f"<div><b>{html.escape(doc.path.name)}</b>, lines {anchor.start_line}-{anchor.end_line}{more}</div>"
            f'<pre style="white-space:pre-wrap">{"<br>".join(lines)}</pre>')


def highlighted_output(text: str, numbers: list[NumberCheck], side: str) -> str:
    """Output text with the numbers that differ marked (red: refuted or missing, amber: approximate)."""
    marks: dict[str, str] = {}
    for number in numbers:
        colour = {"refuted": "#ffcdd2", "missing": "#ffcdd2", "approximate": "#fff9c4"}.get(number.verdict)
        if not colour:
            continue
        token = number.claimed if side == "claimed" else (number.observed[0] if number.observed else None)
        if token:
            marks.setdefault(token, colour)
    escaped = html.escape(text)
    for token, colour in marks.items():
        escaped = escaped.replace(html.escape(token), f'<mark style="background:{colour}">{html.escape(token)}</mark>')
    return f'<pre style="white-space:pre-wrap">{escaped}</pre>'


def source_html(registry: Registry, slug: str, run: AuditRun | None) -> str:
    """A whole source with every claimed passage highlighted in its verdict's colour."""
    doc = registry.sources[slug]
    verdicts = {r.claim_id: r.status.value for r in run.results} if run else {}
    spans: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for record in registry.records:
        if record.claim.source != slug:
            continue
        verdict = verdicts.get(record.claim.id, "not audited")
        for anchor in record.anchors:
            spans.setdefault((anchor.start, anchor.end), []).append((record.claim.id, verdict))
    text = doc.text.text
    parts: list[str] = []
    position = 0
    for (start, end), claims in sorted(spans.items()):
        if start < position:  # overlapping quotes: the first one wins
            continue
        worst = min((v for _, v in claims), key=lambda v: ORDER.index(v) if v in ORDER else len(ORDER))
        colour = COLOURS.get(worst, NEUTRAL)
        labels = ", ".join(f"{claim_id}: {verdict}" for claim_id, verdict in claims)
        parts.append(html.escape(text[position:start]))
        parts.append(f'<mark title="{html.escape(labels)}" style="background:{colour}33;'
                     f'border-bottom:3px solid {colour}">{html.escape(text[start:end])}</mark>'
                     f'<sup style="color:{colour}">[{html.escape(labels)}]</sup>')
        position = end
    parts.append(html.escape(text[position:]))
    return f'<div style="white-space:pre-wrap;font-family:serif;line-height:1.5">{"".join(parts)}</div>'


@dataclass(frozen=True)
class Change:
    claim: str
    before: str
    after: str
    when: str


def changes(history: list[AuditSummary]) -> list[Change]:
    """Claims whose verdict changed from one audit to the next (a claim new to an audit is not a change)."""
    found: list[Change] = []
    for older, newer in itertools.pairwise(history):
        for claim, status in sorted(newer.statuses.items()):
            previous = older.statuses.get(claim)
            if previous is not None and previous != status:
                found.append(Change(claim, previous, status, newer.started))
    return found


def findings(run: AuditRun) -> int:
    return sum(1 for r in run.results if r.status in FINDINGS)


def series(numbers: list[NumberCheck]) -> list[dict[str, float | str]]:
    """Claimed vs observed values, in order, for the plot of a numeric reproduction (training logs)."""
    rows: list[dict[str, float | str]] = []
    for index, number in enumerate(numbers):
        try:
            claimed = float(number.claimed.replace(",", ""))
        except ValueError:
            continue
        rows.append({"position": index, "value": claimed, "series": "claimed"})
        if number.low is not None:
            rows.append({"position": index, "value": number.low, "series": "observed"})
    return rows
