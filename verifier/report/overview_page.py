"""Overview: counts per verdict, verdicts per source, how claims were checked, when and where."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from verifier.report import state
from verifier.report.views import COLOURS, ORDER, counts, findings, per_source, shares
from verifier.report.widgets import no_run


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
