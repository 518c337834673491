"""The Checker seam: one checker per claim kind, generic in the claim model it checks.

A checker is registered for a claim model (`CheckerRegistry.register(CitationClaim, ...)`), so it receives
claims of that model only and mypy sees their type: no checker tells claim kinds apart at run time. What an
audit needs to schedule it is declared here too: `after` (the claim kinds whose results it reads; the audit
runs those first) and `prepare` (work for many claims at once, such as batched look-ups)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from verifier.registry.models import AnyClaim
from verifier.registry.records import Registry
from verifier.results.models import CheckResult, ClaimResult

#: The claim model a checker checks: one member of the discriminated union `registry.models.AnyClaim`.
ClaimT = TypeVar("ClaimT", bound=AnyClaim)


@dataclass(frozen=True)
class CheckContext:
    """What a check may read besides its own claim: the registry (its reproductions, the claims a check
    reads) and the results decided in earlier phases (facts run after the citations they are `about`)."""

    registry: Registry
    results: Mapping[str, ClaimResult] = field(default_factory=dict)


class Checker(ABC, Generic[ClaimT]):
    """Checks one kind of claim. `fingerprint` names every input besides the claim itself (reproduction
    source, library versions, index, device) so an unchanged result can be reused.

    `after` lists the claim kinds whose results `check` reads from `CheckContext.results`: the audit runs
    their claims in an earlier phase. `prepare` is called once per phase with every claim this checker is
    about to check (not those reused from the store); by default it does nothing."""

    name: ClassVar[str]
    version: ClassVar[str]
    after: ClassVar[frozenset[str]] = frozenset()

    @abstractmethod
    def fingerprint(self, claim: ClaimT, context: CheckContext) -> Mapping[str, str]: ...

    @abstractmethod
    def check(self, claim: ClaimT, context: CheckContext) -> list[CheckResult]: ...

    def prepare(self, claims: Sequence[ClaimT]) -> None:
        """Work for many claims at once before they are checked one by one (e.g. one batched request)."""
