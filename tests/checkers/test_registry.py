"""The checker registry: one checker per claim kind (read from the claim model), phases from `after`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from verifier.audit import run_audit
from verifier.checkers.citation import CitationChecker
from verifier.checkers.fact import FactChecker
from verifier.checkers.interface import CheckContext, Checker
from verifier.checkers.registry import CheckerRegistry
from verifier.config import AuditConfig
from verifier.references.resolver import Resolver
from verifier.registry import load_registry
from verifier.registry.models import KINDS, CitationClaim, CodeClaim, FactClaim
from verifier.results.models import CheckResult
from verifier.verdicts import Status


class Echo(Checker[CodeClaim]):
    """A checker of code claims that runs nothing: it says which phase it ran in (the results it could read)."""

    name = "echo"
    version = "1"

    def __init__(self, after: frozenset[str] = frozenset()) -> None:
        self.after = after  # type: ignore[misc]  # per instance here, to build orders the real checkers do not have

    def fingerprint(self, claim: CodeClaim, context: CheckContext) -> Mapping[str, str]:
        return {}

    def check(self, claim: CodeClaim, context: CheckContext) -> list[CheckResult]:
        return [CheckResult(name="echo", status=Status.UNVERIFIABLE, summary=f"saw {len(context.results)} results")]


def test_kinds_come_from_the_claim_union() -> None:
    assert KINDS == ("citation", "code", "math", "fact", "api")


def test_the_fact_checker_runs_after_citations_and_the_rest_together() -> None:
    registry = CheckerRegistry().register(FactClaim, FactChecker()).register(CodeClaim, Echo())
    registry.register(CitationClaim, CitationChecker(Resolver([]), {}))
    assert registry.phases() == [frozenset({"citation", "code"}), frozenset({"fact"})]
    assert registry.phases({"fact"}) == [frozenset({"fact"})]
    assert registry.phases({"code", "fact"}) == [frozenset({"code"}), frozenset({"fact"})]


def test_one_checker_per_kind_and_after_names_real_kinds_without_cycles() -> None:
    registry = CheckerRegistry().register(CodeClaim, Echo())
    with pytest.raises(ValueError, match="registered already"):
        registry.register(CodeClaim, Echo())
    with pytest.raises(ValueError, match="unknown claim kinds: citations"):
        CheckerRegistry().register(CodeClaim, Echo(after=frozenset({"citations"})))
    looped = CheckerRegistry().register(FactClaim, FactChecker())  # fact after citation
    looped.register(CodeClaim, Echo(after=frozenset({"fact"})))
    with pytest.raises(ValueError, match="cycle"):
        looped.register(CitationClaim, _CitationAfterCode(Resolver([]), {}))
    assert looped.kinds == {"fact", "code"}  # the refused checker is not kept


class _CitationAfterCode(CitationChecker):
    after = frozenset({"code"})


def test_the_audit_runs_facts_after_the_citation_they_are_about(project: Path) -> None:
    registry = load_registry(project / "claims")
    chosen = [r for r in registry.records if r.claim.kind in ("fact", "citation")]
    chosen.sort(key=lambda r: r.claim.kind != "fact")  # facts first in the selection: the phases reorder them
    checkers = CheckerRegistry().register(FactClaim, FactChecker())
    checkers.register(CitationClaim, CitationChecker(Resolver([]), {}))
    run = run_audit(registry, chosen, checkers, AuditConfig())
    about = [c for r in run.results if r.kind == "fact" for c in r.checks if c.name == "about"]
    assert about and all("not audited" not in c.summary for c in about)
    assert [r.claim_id for r in run.results] == [r.claim.id for r in chosen]


def test_a_kind_without_a_checker_stops_the_audit_before_anything_runs(project: Path) -> None:
    registry = load_registry(project / "claims")
    checkers = CheckerRegistry().register(CodeClaim, Echo())
    chosen = [r for r in registry.records if r.claim.kind in ("code", "math")]
    with pytest.raises(KeyError, match="math"):
        run_audit(registry, chosen, checkers, AuditConfig())
