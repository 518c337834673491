"""The stand-in for a claim kind that has no checker in this run: `unverifiable`, with the reason."""

from __future__ import annotations

from collections.abc import Mapping

from verifier.checkers.interface import CheckContext
from verifier.registry.records import ClaimRecord
from verifier.results.models import CheckResult
from verifier.verdicts import Status


class UncheckedChecker:
    name = "unchecked"
    version = "1"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def fingerprint(self, record: ClaimRecord, context: CheckContext) -> Mapping[str, str]:
        return {"reason": self.reason}

    def check(self, record: ClaimRecord, context: CheckContext) -> list[CheckResult]:
        return [CheckResult(name="none", status=Status.UNVERIFIABLE, summary=self.reason)]
