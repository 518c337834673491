"""The Streamlit report: pure view models (tested without Streamlit) and thin page renderers."""
