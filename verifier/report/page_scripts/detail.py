"""Streamlit page script."""

from verifier.report.detail_page import render

render()
