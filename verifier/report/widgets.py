"""Small display helpers shared by the pages."""

from __future__ import annotations

import html

import streamlit as st

from verifier.registry.records import Registry
from verifier.report.views import COLOURS
from verifier.verdict_styles import NEUTRAL


def badge(verdict: str, manual: bool = False) -> str:
    colour = COLOURS.get(verdict, NEUTRAL)
    label = verdict + (" (manual)" if manual else "")
    return (f'<span style="background:{colour};color:white;padding:2px 8px;border-radius:8px;'
            f'font-size:0.9em">{html.escape(label)}</span>')


def no_run(message: str) -> None:
    """The empty or broken state: what happened and which command to run."""
    st.info(message)
    st.code("verifier audit", language="bash")


def registry_or_error() -> Registry | None:
    """The loaded registry, or None after telling the reader why it cannot be loaded."""
    from verifier.report import state

    loaded = state.registry()
    if loaded.registry is None:
        st.error(f"The registry cannot be loaded:\n\n{loaded.message}")
    return loaded.registry
