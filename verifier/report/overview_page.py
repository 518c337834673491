"""Overview: counts per verdict, then what a reader needs first (the findings, and what would decide the claims
left open), verdicts per source, how claims were checked, when and where."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from verifier.report import state
from verifier.report.decide import next_steps
from verifier.report.ordering import findings_first
from verifier.report.views import COLOURS, ORDER, claim_rows, counts, findings, per_source, shares
from verifier.report.widgets import no_run
from verifier.results.models import AuditRun
from verifier.verdicts import FINDINGS

FINDING_VALUES = {status.value for status in FINDINGS}


def render() -> None:
    st.title("Audit overview")
    loaded = state.run()
    if loaded.run is None:
        no_run(loaded.message or "No audit yet.")
        return
    run = loaded.run
    audit = run.audit
    mode = "offline" if audit.offline else "online"
    st.caption(f"Audit of `{audit.registry}` from {audit.started} to {audit.finished}, {mode}, device "
               f"{audit.device}; {len(run.results)} claims, {findings(run)} findings.")
    if audit.selection.get("kept"):
        st.caption(f"This audit re-checked {audit.selection.get('updated')} claim(s) (only "
                   f"{audit.selection.get('only') or audit.selection.get('kind')}); the other "
                   f"{audit.selection['kept']} keep their results from earlier audits (since "
                   f"{audit.selection.get('kept_from')}).")
    verdicts = counts(run)
    columns = st.columns(max(1, len(verdicts)))
    for column, (verdict, number) in zip(columns, verdicts, strict=False):
        column.metric(verdict, number)
    _first_things(run)
    rows = per_source(run)
    if rows:
        frame = pd.DataFrame(rows)
        present = [v for v in ORDER if v in set(frame["verdict"])]
        chart = alt.Chart(frame).mark_bar().encode(
            x=alt.X("claims:Q", title="claims"), y=alt.Y("source:N", title=None),
            color=alt.Color("verdict:N", scale=alt.Scale(domain=present, range=[COLOURS[v] for v in present])),
            order=alt.Order("order:Q"), tooltip=["source", "verdict", "claims"])
        st.subheader("Verdicts per source")
        st.altair_chart(chart, width="stretch")
    st.subheader("How the claims were checked")
    share = shares(run)
    for column, (label, number) in zip(st.columns(3), share.items(), strict=True):
        column.metric(label, f"{number} ({number / max(1, len(run.results)):.0%})")
    with st.expander("Environment"):
        st.json(audit.environment)


def _first_things(run: AuditRun) -> None:
    """The findings, worst first, and the steps that would decide the open claims, each with how many it decides."""
    found = findings_first([row for row in claim_rows(run) if row["verdict"] in FINDING_VALUES])
    st.subheader(f"Findings ({len(found)})")
    if found:
        st.dataframe(pd.DataFrame(found, columns=["", "verdict", "claim", "summary", "source"]), hide_index=True,
                     width="stretch", height=min(400, 38 + 35 * len(found)),
                     column_config={"summary": st.column_config.TextColumn(width="large")})
    else:
        st.caption("No claim is refuted, misattributed, not found, a mismatch or code that does not run.")
    steps = next_steps(run)
    if steps:
        st.subheader("What would decide the open claims")
        st.dataframe(pd.DataFrame(steps, columns=["step", "claims"]), hide_index=True, width="stretch")
