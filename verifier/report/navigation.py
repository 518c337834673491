"""The report's pages, file-based so that tests can switch to them (streamlit AppTest). The page scripts are
package data beside this module, named by absolute path, so the report runs from any working folder. Their
folder is not called `pages/`: Streamlit takes a `pages/` folder beside the main script for its older
file-based navigation, and until `st.navigation` has run once in the server process, a first visitor who opens
`/claims` directly would get that page script alone (no wide layout, the folder's file names as navigation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

PAGE_DIR = Path(__file__).resolve().parent / "page_scripts"
PAGES = [
    ("overview.py", "Overview", ":material/dashboard:"),
    ("claims.py", "Claims", ":material/table_rows:"),
    ("detail.py", "Claim detail", ":material/search:"),
    ("source.py", "Source reader", ":material/article:"),
    ("history.py", "History", ":material/history:"),
    ("add.py", "Add a claim", ":material/add:"),
]


def pages() -> list[Any]:
    return [st.Page(PAGE_DIR / name, title=title, icon=icon, default=index == 0)
            for index, (name, title, icon) in enumerate(PAGES)]
