"""The report's view models, computed from a real audit (no Streamlit)."""

from __future__ import annotations

from pathlib import Path

from verifier.execution.compare import compare
from verifier.registry import load_registry
from verifier.report.data import read_run
from verifier.report.views import (
    changes,
    claim_rows,
    context_html,
    counts,
    filter_rows,
    highlighted_output,
    per_source,
    shares,
    source_html,
)
from verifier.results.store import AuditSummary


def test_counts_shares_and_rows(audited: Path) -> None:
    run = read_run(audited / "reports" / "latest.json").run
    assert run is not None
    total = dict(counts(run))
    assert sum(total.values()) == len(run.results) == 7
    assert total["refuted"] == 1 and total["confirmed"] >= 3
    assert sum(shares(run).values()) == 7 and shares(run)["reviewed by hand"] == 1
    assert {row["source"] for row in per_source(run)} == {"demo", "other"}
    rows = claim_rows(run)
    gan = next(r for r in rows if r["claim"] == "gan-paper")
    assert gan["link"] == "https://arxiv.org/abs/1406.2661" and gan["tags"] == "gans"
    assert [r["claim"] for r in filter_rows(rows, [], [], ["refuted"], [], "")] == ["wrong-output"]
    assert [r["claim"] for r in filter_rows(rows, [], ["citation"], [], ["gans"], "")] == ["gan-paper"]
    assert [r["claim"] for r in filter_rows(rows, ["other"], [], [], [], "sentence")] == ["other-sentence"]


def test_context_and_source_html(audited: Path) -> None:
    registry = load_registry(audited / "claims")
    run = read_run(audited / "reports" / "latest.json").run
    record = registry.by_id("transformer-relies-on-attention")
    assert record is not None
    html = context_html(registry, record)
    assert "lines 5-6" in html and "<mark" in html and "    4 │" in html
    page = source_html(registry, "demo", run)
    assert page.count("<mark") >= 4 and "two-thirds-output: confirmed, wrong-output: refuted" in page


def test_differing_numbers_are_marked() -> None:
    numbers = compare("x 0.6700 1", ["x 0.6667 1"]).numbers
    assert [n.verdict for n in numbers] == ["refuted", "confirmed"]
    assert '<mark style="background:#ffcdd2">0.6700</mark>' in highlighted_output("x 0.6700 1", numbers, "claimed")
    assert "<mark" in highlighted_output("x 0.6667 1", numbers, "observed")
    assert "1</mark>" not in highlighted_output("x 0.6667 1", numbers, "observed")


def test_changes_between_audits() -> None:
    history = [AuditSummary(1, "t1", "t1", {"a": "confirmed", "b": "refuted"}),
               AuditSummary(2, "t2", "t2", {"a": "refuted", "b": "refuted", "c": "confirmed"})]
    found = changes(history)
    assert [(c.claim, c.before, c.after, c.when) for c in found] == [("a", "confirmed", "refuted", "t2")]
