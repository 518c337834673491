"""Cached loading for the pages: keyed on file modification times, shared by every page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from verifier.report.data import (
    History,
    Loaded,
    LoadedRegistry,
    Location,
    locate,
    mtime,
    read_history,
    read_registry,
    read_run,
    registry_mtime,
)


@st.cache_data(show_spinner=False)
def _run(path: str, stamp: float) -> Loaded:
    return read_run(Path(path))


@st.cache_resource(show_spinner=False)
def _registry(path: str, stamp: float) -> LoadedRegistry:
    return read_registry(Path(path))


def location() -> Location:
    return locate()


def run() -> Loaded:
    where = location()
    return _run(str(where.report), mtime(where.report))


def registry() -> LoadedRegistry:
    where = location()
    return _registry(str(where.registry), registry_mtime(where.registry))


def history() -> History:
    return read_history(location().home)


def clear() -> None:
    _run.clear()
    _registry.clear()
