"""Streamlit page script."""

from verifier.report.overview_page import render

render()
