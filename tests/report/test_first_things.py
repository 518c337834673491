"""The report leads with what a reader needs (streamlit AppTest on a real audit, tests/report/conftest.py):
findings first in the claims table and on the overview, and what would decide each open claim."""

from __future__ import annotations

from pathlib import Path

from tests.report.test_app import started, text
from verifier.report.ordering import rank
from verifier.verdicts import FINDINGS, Status


def test_claims_table_findings_first_with_steps(app_env: Path) -> None:
    table = started("claims").dataframe[0].value
    verdicts = list(table["verdict"])
    assert [Status(v) in FINDINGS for v in verdicts[:2]] == [True, True]  # wrong-output, gan-paper
    assert [rank(v) for v in verdicts] == sorted(rank(v) for v in verdicts)
    steps = dict(zip(table["claim"], table["what would decide"], strict=True))
    assert steps["other-sentence"].startswith("add a review")
    assert steps["transformer-paper"].startswith("audit online (without --offline)")
    assert steps["wrong-output"] == "" and steps["two-thirds-output"] == ""
    assert list(table.columns[:5]) == ["", "verdict", "claim", "summary", "what would decide"]


def test_overview_lists_findings_then_steps(app_env: Path) -> None:
    at = started()
    found, steps = (frame.value for frame in at.dataframe[:2])
    assert list(found["claim"]) == ["wrong-output", "gan-paper"]
    assert dict(zip(steps["step"], steps["claims"], strict=True)) == {
        "add a review": 1, "audit online (without --offline)": 1}
    assert [s.value for s in at.subheader][:2] == ["Findings (2)", "What would decide the open claims"]


def test_detail_page_says_what_would_decide(app_env: Path) -> None:
    at = started("detail")
    at.selectbox[0].select("other-sentence").run()
    assert any(i.value.startswith("**What would decide it:** add a review") for i in at.info), text(at)
    at.selectbox[0].select("wrong-output").run()
    assert not any("What would decide" in str(i.value) for i in at.info)


def test_search_finds_claims_by_their_next_step(app_env: Path) -> None:
    at = started("claims")
    at.text_input[0].input("audit online").run()
    assert list(at.dataframe[0].value["claim"]) == ["transformer-paper"]
