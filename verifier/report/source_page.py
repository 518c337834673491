"""Source reader: a whole document with every claimed passage highlighted in its verdict's colour."""

from __future__ import annotations

import streamlit as st

from verifier.report import state
from verifier.report.views import COLOURS, source_html
from verifier.report.widgets import registry_or_error


def render() -> None:
    st.title("Source reader")
    registry = registry_or_error()
    if registry is None:
        return
    slugs = sorted(registry.sources)
    slug = st.selectbox("Source", slugs, format_func=lambda s: f"{s}: {registry.sources[s].source.title}")
    if slug is None:
        return
    run = state.run().run
    if run is None:
        st.info("No audit yet: passages are marked but carry no verdict. Run `verifier audit`.")
    legend = " ".join(f'<span style="border-bottom:3px solid {c};margin-right:8px">{v}</span>'
                      for v, c in COLOURS.items())
    st.markdown(legend, unsafe_allow_html=True)
    st.markdown(source_html(registry, slug, run), unsafe_allow_html=True)
