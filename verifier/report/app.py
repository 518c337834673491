"""The Streamlit report's entry point, installed with the package so `verifier report --registry DIR` works from
any folder: `streamlit run <this file> -- --registry DIR` (the root `app.py` of a checkout only runs this)."""

import streamlit as st

from verifier.report.navigation import pages

st.set_page_config(page_title="verifier report", layout="wide")
st.navigation(pages()).run()
