"""Fact claims: the reviewer's verdict (shown as manual) and the record of the citation it is about."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from verifier.checkers.abstract_support import supporting_sentences
from verifier.checkers.interface import CheckContext, Checker
from verifier.registry.models import FactClaim
from verifier.results.evidence import AboutEvidence, ReferenceEvidence, ReviewEvidence
from verifier.results.models import CheckResult
from verifier.verdicts import Status

#: A fact about a reference inherits these verdicts of the reference: a statement about what a paper
#: says cannot hold when the paper cannot be found or is another paper.
INHERITED = frozenset({Status.NOT_FOUND, Status.MISATTRIBUTED})


class FactChecker(Checker[FactClaim]):
    name = "fact"
    version = "2"  # 2: abstract sentences that speak to the statement
    after = frozenset({"citation"})  # `about` names a citation claim: its result is this check's evidence

    def fingerprint(self, claim: FactClaim, context: CheckContext) -> Mapping[str, str]:
        if claim.about is None:
            return {}
        about = context.results.get(claim.about)
        digest = hashlib.sha256((about.model_dump_json() if about else "").encode()).hexdigest()
        return {"about_result": digest}

    def check(self, claim: FactClaim, context: CheckContext) -> list[CheckResult]:
        checks: list[CheckResult] = []
        if claim.about is not None:
            checks.append(self._about(claim.about, context, claim.statement))
        if claim.review is not None:
            review = claim.review
            checks.append(
                CheckResult(
                    name="review", status=review.verdict, manual=True,
                    summary=f"{review.verdict.value} by {review.reviewer} on {review.date}: {review.note}",
                    evidence=ReviewEvidence(note=review.note, evidence=review.evidence, reviewer=review.reviewer,
                                            date=review.date),
                )
            )
        if not checks:
            checks.append(CheckResult(name="none", status=Status.UNVERIFIABLE,
                                      summary="no automatic check applies and no review was given"))
        return checks

    def _about(self, about_id: str, context: CheckContext, statement: str = "") -> CheckResult:
        about = context.results.get(about_id)
        if about is None:
            return CheckResult(name="about", status=Status.UNVERIFIABLE,
                               summary=f"{about_id} was not audited in this run")
        record = None
        for check in about.checks:
            if isinstance(check.evidence, ReferenceEvidence | AboutEvidence) and check.evidence.record:
                record = check.evidence.record
        evidence = AboutEvidence(about=about_id, about_status=about.status, about_summary=about.summary,
                                 record=record)
        if about.status in INHERITED:
            return CheckResult(name="about", status=about.status, evidence=evidence,
                               summary=f"the reference it is about is {about.status.value}: {about.summary}")
        summary = f"evidence attached: {about_id} is {about.status.value}; what it says needs a reader"
        abstract = record.abstract if record else None
        if abstract and statement:
            support = supporting_sentences(statement, abstract)
            evidence = evidence.model_copy(update={"abstract_support": support})
            best = support.sentences[0] if support.sentences else None
            summary += (f"; closest abstract sentence ({best.score}): {best.sentence[:160]}" if best
                        else "; no abstract sentence shares its content words")
        return CheckResult(name="about", status=Status.UNVERIFIABLE, evidence=evidence, summary=summary)
