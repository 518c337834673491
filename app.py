"""The Streamlit report of verifier: `verifier report` (or `streamlit run app.py -- --registry claims`)."""

import streamlit as st

from verifier.report.navigation import pages

st.set_page_config(page_title="verifier report", layout="wide")
st.navigation(pages()).run()
