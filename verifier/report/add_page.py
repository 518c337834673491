"""Add a claim: a form that builds the YAML entry, checks the quote live, and appends it like `verifier add`."""

from __future__ import annotations

from typing import Any

import streamlit as st

from verifier.errors import InvalidInputError
from verifier.inputs import claim_data
from verifier.project import Project
from verifier.registry.models import KINDS
from verifier.registry.writer import build_claim, to_yaml_node
from verifier.registry.writer import render as render_yaml
from verifier.report import state
from verifier.report.widgets import registry_or_error


def _quote_check(registry: Any, source: str, quote: str) -> None:
    if not quote.strip():
        return
    doc = registry.sources[source]
    anchors = doc.text.find_all(quote)
    if anchors:
        st.success(f"Quote found at line {anchors[0].start_line}" + (f" (and {len(anchors) - 1} more places)"
                                                                      if len(anchors) > 1 else ""))
    else:
        line, excerpt, score = doc.text.nearest(quote)
        st.warning(f"Quote not found in {doc.path.name}; nearest passage (line {line}, {score:.0%} alike): {excerpt}")


def _kind_fields(kind: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if kind == "citation":
        fields["title"] = st.text_input("Title, as the source gives it") or None
        fields["name"] = st.text_input("Or the name it gives a model, method or dataset (e.g. WaveNet)") or None
        fields["authors"] = st.text_input("Authors (separated by ';')") or None
        year = st.text_input("Year")
        fields["year"] = int(year) if year.strip().isdigit() else None
        fields["url"] = st.text_input("Link or link domain") or None
        fields["arxiv_id"] = st.text_input("arXiv id (only if the source shows it)") or None
        fields["described_as"] = st.text_area("What the source says the work contains") or None
    elif kind == "math":
        fields["check"] = st.text_input("Check (module:function in reproductions/)") or None
    elif kind == "fact":
        fields["about"] = st.text_input("About (id of a citation claim)") or None
    elif kind == "api":
        fields["package"] = st.text_input("Package on PyPI (e.g. scipy)") or None
        fields["name"] = st.text_input("Full dotted name (e.g. scipy.misc.derivative)") or None
        fields["argument"] = st.text_input("A keyword argument the source passes (optional)") or None
        fields["does"] = st.text_area("What the source says it does (optional)") or None
        fields["check"] = st.text_input("Behaviour check (module:function in reproductions/, optional)") or None
    return fields


def render() -> None:
    st.title("Add a claim")
    registry = registry_or_error()
    if registry is None:
        return
    source = st.selectbox("Source", sorted(registry.sources))
    kind = st.selectbox("Kind", KINDS)
    claim_id = st.text_input("Id (kebab-case, says what the claim is about)")
    quote = st.text_area("Quote (exact text of the source)")
    if source:
        _quote_check(registry, source, quote)
    statement = st.text_area("Statement (the assertion in plain words)")
    fields = {"id": claim_id or None, "source": source, "kind": kind, "quote": quote or None,
              "statement": statement or None, **_kind_fields(kind or "")}
    data = claim_data(fields)
    if kind == "code":
        data["code"] = st.text_area("Code, verbatim") or None
        data["printed"] = st.text_area("Printed output, verbatim") or None
        data["reproduction"] = st.text_input("Reproduction (module:function)") or None
        data = {k: v for k, v in data.items() if v is not None}
    try:
        preview = render_yaml([to_yaml_node(build_claim(data))])
    except InvalidInputError as exc:
        st.caption("Not valid yet: " + "; ".join(f"{p.field}: {p.message}" for p in exc.problems))
        preview = None
    if preview:
        st.code(preview, language="yaml")
    if st.button("Append to the registry", disabled=preview is None, type="primary"):
        try:
            record = Project.open(registry.root).add(data)
        except InvalidInputError as exc:
            st.error(str(exc))
        else:
            state.clear()
            st.success(f"Added {record.ref}")
