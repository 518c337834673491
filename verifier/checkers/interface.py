"""The Checker seam: one checker per claim kind, each returning one or more CheckResults."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from verifier.registry.records import ClaimRecord, Registry
from verifier.results.models import CheckResult, ClaimResult


@dataclass(frozen=True)
class CheckContext:
    """What a check may read besides its own claim: the registry and the results decided before it
    (facts run after the citations they are `about`)."""

    registry: Registry
    results: Mapping[str, ClaimResult] = field(default_factory=dict)


class Checker(Protocol):
    """Checks one kind of claim. `fingerprint` names every input besides the claim itself (reproduction
    source, library versions, index, device) so an unchanged result can be reused."""

    name: str
    version: str

    def fingerprint(self, record: ClaimRecord, context: CheckContext) -> Mapping[str, str]: ...

    def check(self, record: ClaimRecord, context: CheckContext) -> list[CheckResult]: ...


class Preparing(Protocol):
    """Optional: a checker that can do work for many claims at once (batched look-ups) before they run."""

    def prepare(self, records: Sequence[ClaimRecord]) -> None: ...
