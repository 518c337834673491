"""Claim detail: the quote in context, the statement, and every check with its evidence."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from verifier.registry.models import ApiClaim, CitationClaim, CodeClaim
from verifier.registry.records import ClaimRecord
from verifier.report import state
from verifier.report.api_view import api_rows
from verifier.report.decide import Audit, decide
from verifier.report.views import context_html, highlighted_output, how_checked, series
from verifier.report.widgets import badge, no_run
from verifier.results.evidence import (
    AboutEvidence,
    ApiEvidence,
    Comparison,
    ErrorEvidence,
    Evidence,
    LegacyEvidence,
    ObservationEvidence,
    PaperView,
    ReferenceEvidence,
    ReviewEvidence,
    RunEvidence,
    RunRecord,
)
from verifier.results.margin import NEAR, margin_of
from verifier.results.models import CheckResult, ClaimResult


def render() -> None:
    st.title("Claim detail")
    loaded = state.run()
    registry = state.registry().registry
    if loaded.run is None:
        no_run(loaded.message or "No audit yet.")
        return
    results = {r.claim_id: r for r in loaded.run.results}
    ids = list(results)
    wanted = st.query_params.get("claim") or st.session_state.get("claim_id")
    index = ids.index(wanted) if wanted in ids else 0
    claim_id = st.selectbox("Claim", ids, index=index, key="detail_claim")
    if claim_id is None:
        return
    st.session_state["claim_id"] = claim_id
    result = results[claim_id]
    record = registry.by_id(claim_id) if registry else None
    st.markdown(f"### `{claim_id}` {badge(result.status.value, how_checked(result) == 'reviewed by hand')}",
                unsafe_allow_html=True)
    st.caption(f"{result.kind} claim of {result.source}, {result.location}")
    st.markdown(f"**{html.escape(result.summary)}**")
    step = decide(result, Audit.of(loaded.run))
    if step:
        st.info(f"**What would decide it:** {html.escape(step)}")
    if record is not None and registry is not None:
        st.markdown(f"**Statement:** {html.escape(record.claim.statement)}")
        st.markdown(context_html(registry, record), unsafe_allow_html=True)
        _claim_body(record)
    for check in result.checks:
        _check(check, result)


def _claim_body(record: ClaimRecord) -> None:
    claim = record.claim
    if isinstance(claim, CodeClaim):
        st.markdown("**The snippet, as the source gives it**")
        st.code(claim.code, language=claim.language)
    if isinstance(claim, CitationClaim):
        st.markdown("**As cited**")
        st.json(claim.reference.model_dump(exclude_defaults=True))
        if claim.described_as:
            st.markdown(f"**Described as:** {html.escape(claim.described_as)}")
    if isinstance(claim, ApiClaim):
        st.markdown("**As the source names it**")
        st.json(claim.model_dump(include={"package", "name", "argument", "version", "does", "check"},
                                 exclude_none=True))


def _near_threshold(check: CheckResult) -> None:
    margin = margin_of(check)
    if margin is not None and abs(margin) < NEAR:
        st.warning(f"Near its decision threshold (margin {margin:+.2f} of the threshold): a small change in "
                   "the measurement or the tolerance would flip this verdict.")


def _check(check: CheckResult, result: ClaimResult) -> None:
    with st.container(border=True):
        st.markdown(f"#### {check.name} {badge(check.status.value, check.manual)}", unsafe_allow_html=True)
        st.write(check.summary)
        _near_threshold(check)
        _evidence(check.evidence)
        st.caption(f"{check.duration_s:.3f} s")


def _evidence(evidence: Evidence | None) -> None:
    """Each variant of the evidence union shown its own way (results/evidence.py)."""
    if isinstance(evidence, ReferenceEvidence):
        _reference(evidence)
    elif isinstance(evidence, ApiEvidence):
        st.dataframe(pd.DataFrame(api_rows(evidence), columns=["", "measured"]), hide_index=True, width="stretch")
    elif isinstance(evidence, RunEvidence):
        _runs(evidence.runs, evidence.comparison, evidence.claimed)
        if evidence.missing:
            st.markdown(f"**Not installed here:** {html.escape(', '.join(evidence.missing))}")
    elif isinstance(evidence, ObservationEvidence):
        _runs(evidence.runs, None, None)
        st.markdown("**Observation**")
        st.json(evidence.observation.model_dump(exclude_none=True))
    else:
        _judgement(evidence)


def _judgement(evidence: Evidence | None) -> None:
    """The evidence of a review, of a fact's citation, of a checker that failed, or of an older report."""
    if isinstance(evidence, ReviewEvidence):
        st.markdown(f"**Reviewer's note:** {html.escape(evidence.note)}")
        for link in evidence.evidence:
            st.markdown(f"- {html.escape(link)}")
    elif isinstance(evidence, AboutEvidence):
        _about(evidence)
    elif isinstance(evidence, ErrorEvidence):
        st.code(evidence.traceback)
    elif isinstance(evidence, LegacyEvidence):
        st.markdown("**Evidence** (from an older report)")
        st.json(evidence.data)


def _about(evidence: AboutEvidence) -> None:
    st.markdown(f"Evidence from `{evidence.about}` ({evidence.about_status.value}): "
                f"{html.escape(evidence.about_summary)}")
    if evidence.record:
        _record(evidence.record)
    for found in evidence.abstract_support.sentences if evidence.abstract_support else []:
        st.markdown(f"- abstract ({found.score}; shares {', '.join(found.shared)}): {html.escape(found.sentence)}")


def _record(record: PaperView) -> None:
    st.markdown(f"**Matched record** ({record.origin}): [{html.escape(record.title)}]"
                f"({record.link or ''})  \n{', '.join(record.authors[:8])} · "
                f"{record.published or ''} {record.venue or ''}")
    if record.abstract:
        with st.expander("Abstract"):
            st.write(record.abstract)


def _reference(evidence: ReferenceEvidence) -> None:
    st.caption(f"consulted: {', '.join(evidence.consulted) or 'none'}; failed: "
               f"{', '.join(f'{f.index} ({f.reason})' for f in evidence.failed) or 'none'}")
    if evidence.record:
        _record(evidence.record)
    if evidence.candidates:
        st.markdown("**Candidates**")
        st.dataframe(pd.DataFrame([{
            "title": c.title, "arXiv": c.arxiv_id, "venue": c.venue, "total": c.score.total,
            "title score": c.score.title, "authors": c.score.authors, "year ok": c.score.year,
        } for c in evidence.candidates]), hide_index=True, width="stretch")
    check = evidence.summary_check
    if check:
        st.markdown(f"**Summary vs abstracts** ({check.method}): cited paper "
                    f"{check.cited_similarity}; verdict: {check.verdict}")
        if check.others:
            st.dataframe(pd.DataFrame([o.model_dump() for o in check.others]), hide_index=True, width="stretch")
    for difference in evidence.differences:
        st.markdown(f"- {html.escape(difference)}")
    for note in evidence.notes:
        st.caption(f"Note: {note}")


def _runs(runs: list[RunRecord], comparison: Comparison | None, claimed: str | None) -> None:
    numbers = comparison.numbers if comparison else []
    if claimed is not None and runs:
        left, right = st.columns(2)
        left.markdown("**Claimed output**")
        left.markdown(highlighted_output(claimed, numbers, "claimed"), unsafe_allow_html=True)
        right.markdown("**Observed output**" + (f" (seed {runs[0].seed})" if runs[0].seed is not None else ""))
        right.markdown(highlighted_output(runs[0].stdout, numbers, "observed"), unsafe_allow_html=True)
    if numbers:
        frame = pd.DataFrame([{"claimed": n.claimed, "observed": ", ".join(n.observed) or "-",
                               "range": f"{n.low}..{n.high}" if n.low != n.high else n.low,
                               "delta": n.delta, "verdict": n.verdict} for n in numbers])
        st.dataframe(frame, hide_index=True, width="stretch")
    points = series(numbers)
    if len(points) >= 6:
        st.altair_chart(alt.Chart(pd.DataFrame(points)).mark_line(point=True).encode(
            x="position:Q", y="value:Q", color="series:N"), width="stretch")
    for run in runs:
        if run.exception:
            st.markdown(f"**{run.exception.type}**: {html.escape(run.exception.message)}")
            st.code(run.exception.traceback or "(no traceback)")
        elif run.status != "ok":
            st.warning(run.reason or run.status)
    if not runs:
        return
    with st.expander("Environment and runs"):
        st.dataframe(pd.DataFrame([{"seed": r.seed, "status": r.status, "seconds": r.duration_s,
                                    "device": r.device.get("name"), "truncated": r.truncated} for r in runs]),
                     hide_index=True)
        st.json(runs[0].environment)
