"""The checkers of one audit, keyed by the `kind` literal of the claim model each one checks.

`register(CitationClaim, CitationChecker(...))` is type-checked: a checker of citations cannot be registered
for code claims. The key is read from the model's own `kind` literal (the discriminator of the claim union),
so `checker_for(claim)` hands every claim to the checker of its model; that is the one place where the
pairing is asserted to mypy (a `cast`), and `register` is what makes it true.

The registry also orders the audit: `phases()` sorts the kinds topologically by what their checkers
declare in `after`, so no caller hard-codes which kind runs last."""

from __future__ import annotations

import graphlib
from collections.abc import Iterable
from typing import Any, cast

from verifier.checkers.interface import Checker, ClaimT
from verifier.registry.models import KINDS, kind_of


class CheckerRegistry:
    """Checker by claim kind; at most one per kind."""

    def __init__(self) -> None:
        self._by_kind: dict[str, Checker[Any]] = {}

    def register(self, model: type[ClaimT], checker: Checker[ClaimT]) -> CheckerRegistry:
        """Check claims of `model` with `checker`. ValueError for a second checker of a kind, an `after` that
        names no claim kind, or an `after` that closes a cycle (no order could satisfy it)."""
        kind = kind_of(model)
        if kind in self._by_kind:
            raise ValueError(f"a checker for {kind} claims is registered already ({self._by_kind[kind].name})")
        unknown = sorted(checker.after - set(KINDS))
        if unknown:
            raise ValueError(f"checker {checker.name} runs after unknown claim kinds: {', '.join(unknown)}")
        self._by_kind[kind] = checker
        try:
            self.phases()
        except graphlib.CycleError as exc:
            del self._by_kind[kind]
            raise ValueError(f"checker {checker.name} closes a cycle of `after`: {' -> '.join(exc.args[1])}") from None
        return self

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._by_kind)

    @property
    def checkers(self) -> list[Checker[Any]]:
        return list(self._by_kind.values())

    def checker_for(self, claim: ClaimT) -> Checker[ClaimT]:
        """The checker registered for the claim's model; KeyError naming the kind when there is none."""
        try:
            checker = self._by_kind[claim.kind]
        except KeyError:
            raise KeyError(f"no checker is registered for {claim.kind} claims") from None
        return cast(Checker[ClaimT], checker)  # register() keyed it by this model's own kind literal

    def phases(self, kinds: Iterable[str] | None = None) -> list[frozenset[str]]:
        """The registered kinds (or those of `kinds`) in groups that can run together, each group after every
        kind its checkers read (`after`). Without any `after`, one phase holds them all."""
        wanted = self.kinds if kinds is None else frozenset(kinds)
        sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter(
            {kind: checker.after for kind, checker in self._by_kind.items()})
        sorter.prepare()
        phases = []
        while sorter.is_active():
            ready = sorter.get_ready()
            sorter.done(*ready)
            phase = frozenset(ready) & wanted
            if phase:
                phases.append(phase)
        return phases
