"""Streamlit page script."""

from verifier.report.source_page import render

render()
