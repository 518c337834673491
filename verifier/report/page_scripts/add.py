"""Streamlit page script."""

from verifier.report.add_page import render

render()
