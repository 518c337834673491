"""The report's pages, file-based so that tests can switch to them (streamlit AppTest)."""

from __future__ import annotations

from typing import Any

import streamlit as st

PAGES = [
    ("verifier/report/pages/overview.py", "Overview", ":material/dashboard:"),
    ("verifier/report/pages/claims.py", "Claims", ":material/table_rows:"),
    ("verifier/report/pages/detail.py", "Claim detail", ":material/search:"),
    ("verifier/report/pages/source.py", "Source reader", ":material/article:"),
    ("verifier/report/pages/history.py", "History", ":material/history:"),
    ("verifier/report/pages/add.py", "Add a claim", ":material/add:"),
]


def pages() -> list[Any]:
    return [st.Page(path, title=title, icon=icon, default=index == 0)
            for index, (path, title, icon) in enumerate(PAGES)]
