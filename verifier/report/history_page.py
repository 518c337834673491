"""History: every audit kept in the store, and the claims whose verdict changed between audits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from verifier.report import state
from verifier.report.views import changes


def render() -> None:
    st.title("History")
    loaded = state.history()
    if loaded.message:
        st.error(loaded.message)
        return
    history = loaded.audits
    if not history:
        st.info("No audits in the store yet. Run `verifier audit`.")
        return
    st.dataframe(pd.DataFrame([{"audit": h.id, "started": h.started, "finished": h.finished,
                                "claims": len(h.statuses)} for h in reversed(history)]), hide_index=True)
    found = changes(history)
    st.subheader("Verdict changes")
    if not found:
        st.write("No claim changed its verdict between audits.")
        return
    st.dataframe(pd.DataFrame([{"claim": c.claim, "from": c.before, "to": c.after, "when": c.when}
                               for c in reversed(found)]), hide_index=True, width="stretch")
