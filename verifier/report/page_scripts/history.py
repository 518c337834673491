"""Streamlit page script."""

from verifier.report.history_page import render

render()
