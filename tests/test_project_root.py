"""`Project`, the composition root, used as a library: every method returns data (the CLI prints it), the
registry and the settings are read when first needed, and `reports/latest.json` has one path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.config import AuditConfig, OutputFormat
from verifier.errors import EmptySelectionError, InvalidInputError, UsageError
from verifier.project import NO_RESULT, Project
from verifier.results.models import ClaimResult
from verifier.verdicts import Status


class Recorder:
    """An `AuditProgress` that keeps what it was told."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.seen: list[str] = []

    def started(self, total: int) -> None:
        self.total = total

    def finished(self, result: ClaimResult) -> None:
        self.seen.append(result.claim_id)


def test_validate_counts_claims_per_kind(project: Path) -> None:
    validation = Project.open(project / "claims").validate()
    assert validation.kinds == {"citation": 1, "code": 1, "math": 1, "fact": 2}
    assert {s for s in validation.registry.sources} == {"demo", "other"}
    assert validation.warnings == []


def test_validate_reads_no_settings_but_audit_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken VERIFIER_* variable concerns the store and the indexes: `validate` never reads it."""
    monkeypatch.setenv("VERIFIER_ARXIV_MIN_INTERVAL", "soon")
    opened = Project.open(project / "claims")
    assert opened.validate().kinds["fact"] == 2
    with pytest.raises(UsageError, match="VERIFIER_ARXIV_MIN_INTERVAL"):
        opened.audit(AuditConfig(kind="fact"))


def test_audit_returns_the_run_reports_progress_and_keeps_latest(project: Path) -> None:
    opened = Project.open(project / "claims")
    progress = Recorder()
    outcome = opened.audit(AuditConfig(kind="fact", fail_on=frozenset({Status.UNVERIFIABLE})), progress)
    ids = [r.claim_id for r in outcome.run.results]
    assert sorted(ids) == ["other-sentence", "transformer-relies-on-attention"]
    assert progress.total == 2 and sorted(progress.seen) == sorted(ids)
    assert outcome.failed == [Status.UNVERIFIABLE]  # other-sentence has no review
    assert opened.latest_path == (project / "reports" / "latest.json").resolve()
    written = json.loads(opened.latest_path.read_text(encoding="utf-8"))
    assert [r["claim_id"] for r in written["results"]] == ids
    assert outcome.latest.path == opened.latest_path and outcome.latest.kept == 0
    assert outcome.run.audit.selection["kind"] == "fact" and outcome.run.audit.device == "auto"


def test_a_filtered_audit_keeps_the_other_claims_and_says_so(project: Path) -> None:
    opened = Project.open(project / "claims")
    opened.audit(AuditConfig(kind="fact"))
    outcome = opened.audit(AuditConfig(only="other-*"))
    assert (outcome.latest.updated, outcome.latest.kept, outcome.latest.unreadable) == (1, 1, None)
    opened.latest_path.write_text("{not json", encoding="utf-8")
    damaged = opened.audit(AuditConfig(only="other-*"))
    assert damaged.latest.unreadable is not None and damaged.latest.kept == 0
    assert [r.claim_id for r in damaged.run.results] == ["other-sentence"]


def test_empty_selection_is_an_error_before_anything_is_written(project: Path) -> None:
    opened = Project.open(project / "claims")
    with pytest.raises(EmptySelectionError) as empty:
        opened.audit(AuditConfig(only="no-such-*"))
    assert str(empty.value) == "no claim matches --only 'no-such-*'"  # no `--kind None` the user never gave
    assert not opened.latest_path.exists()
    assert not (project / ".verifier" / "store.sqlite").exists()


def test_claim_has_its_document_and_latest_result(project: Path) -> None:
    opened = Project.open(project / "claims")
    before = opened.claim("other-sentence")
    assert (before.result, before.why, before.damaged) == (None, NO_RESULT, None)
    assert before.document.source.slug == "other" and before.record.claim.source == "other"
    opened.audit(AuditConfig(kind="fact", format=OutputFormat.JSON))
    after = opened.claim("other-sentence")
    assert after.result is not None and after.result.status is Status.UNVERIFIABLE and after.why == ""
    with pytest.raises(UsageError, match="no claim with id 'nope'"):
        opened.claim("nope")


def test_an_unreadable_latest_report_is_a_reason_not_an_exception(project: Path) -> None:
    opened = Project.open(project / "claims")
    opened.latest_path.parent.mkdir(parents=True)
    opened.latest_path.write_bytes(b"\xff\xfe not a report")
    result, why = opened.latest_result("other-sentence")
    assert result is None and why.startswith("no result shown:")


def test_latest_path_follows_verifier_home(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_HOME", str(tmp_path / "elsewhere" / "home"))
    assert Project.open(project / "claims").latest_path == tmp_path / "elsewhere" / "reports" / "latest.json"


def test_add_appends_and_the_next_read_sees_it(project: Path) -> None:
    opened = Project.open(project / "claims")
    assert opened.registry.by_id("new-fact") is None
    record = opened.add({"id": "new-fact", "source": "other", "kind": "fact", "quote": "worth quoting",
                         "statement": "s"})
    assert record.claim.id == "new-fact"
    assert opened.registry.by_id("new-fact") is not None
    with pytest.raises(InvalidInputError, match="duplicate id 'new-fact'"):
        opened.add({"id": "new-fact", "source": "other", "kind": "fact", "quote": "worth quoting",
                    "statement": "s"})


def test_schema_is_checked_and_written(project: Path) -> None:
    opened = Project.open(project / "claims")
    opened.schema_path.write_text("{}", encoding="utf-8")
    assert not opened.schema_current()
    assert opened.write_schema() == opened.schema_path
    assert opened.schema_current()


def test_a_missing_bibliography_opens_no_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is read before the resolver is built: a typo in the path leaves no cache or home behind."""
    from verifier.config import ReferenceConfig

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VERIFIER_HOME", raising=False)
    with pytest.raises(InvalidInputError, match="no such file"):
        Project.here().resolve_bib(tmp_path / "missing.bib", ReferenceConfig(offline=True))
    assert not (tmp_path / ".verifier").exists()
