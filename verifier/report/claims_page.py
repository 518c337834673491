"""Claims: a filterable table of every verdict, findings first, with what would decide each open claim; one
click opens a claim's detail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from verifier.report import state
from verifier.report.navigation import PAGE_DIR
from verifier.report.ordering import COLUMNS, DECIDE, table_rows
from verifier.report.views import ORDER, filter_rows
from verifier.report.widgets import no_run

DETAIL = str(PAGE_DIR / "detail.py")  # absolute: the report runs from any folder
#: Taller rows let the data grid wrap long text (it wraps only above 4rem): three lines of a summary show.
ROW_HEIGHT = 72
HEADER_HEIGHT = 38
MAX_HEIGHT = 900  # about twelve rows; the table scrolls beyond


def render() -> None:
    st.title("Claims")
    loaded = state.run()
    if loaded.run is None:
        no_run(loaded.message or "No audit yet.")
        return
    rows = table_rows(loaded.run)
    left, middle, right, last = st.columns(4)
    sources = left.multiselect("Source", sorted({r["source"] for r in rows}))
    kinds = middle.multiselect("Kind", sorted({r["kind"] for r in rows}))
    verdicts = right.multiselect("Verdict", [v for v in ORDER if any(r["verdict"] == v for r in rows)])
    tags = last.multiselect("Tag", sorted({t.strip() for r in rows for t in r["tags"].split(",") if t.strip()}))
    text = st.text_input("Search", placeholder="words in the id, summary, statement, tags or what would decide it")
    shown = filter_rows(rows, sources, kinds, verdicts, tags, text)
    st.caption(f"{len(shown)} of {len(rows)} claims")
    event = st.dataframe(
        pd.DataFrame(shown, columns=COLUMNS), hide_index=True, width="stretch", row_height=ROW_HEIGHT,
        height=min(MAX_HEIGHT, HEADER_HEIGHT + ROW_HEIGHT * max(1, len(shown)) + 2),
        on_select="rerun", selection_mode="single-row", key="claims_table",
        column_config={"link": st.column_config.LinkColumn("record", display_text=r"https?://(?:arxiv\.org/abs/)?(.*)"),
                       "summary": st.column_config.TextColumn(width=440),
                       DECIDE: st.column_config.TextColumn(width=320, help="for a claim the audit left open: "
                                                           "the step that would decide it")})
    selected = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if selected:
        st.session_state["claim_id"] = shown[selected[0]]["claim"]
        st.switch_page(DETAIL)
    choice = st.selectbox("Open a claim", [r["claim"] for r in shown], index=None, placeholder="claim id")
    if st.button("Open", disabled=choice is None):
        st.session_state["claim_id"] = choice
        st.switch_page(DETAIL)
