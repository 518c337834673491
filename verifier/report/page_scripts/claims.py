"""Streamlit page script."""

from verifier.report.claims_page import render

render()
