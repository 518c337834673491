"""The one verdict vocabulary used everywhere, and the rule that turns several checks into one verdict."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    CONFIRMED = "confirmed"
    APPROXIMATE = "approximate"
    REFUTED = "refuted"
    NOT_FOUND = "not_found"
    MISMATCH = "mismatch"
    MISATTRIBUTED = "misattributed"
    DOES_NOT_RUN = "does_not_run"
    UNVERIFIABLE = "unverifiable"
    SKIPPED = "skipped"
    UNREACHABLE = "unreachable"
    ERROR = "error"


#: Statuses that say something is wrong with the source document.
FINDINGS: frozenset[Status] = frozenset(
    {Status.REFUTED, Status.NOT_FOUND, Status.MISMATCH, Status.MISATTRIBUTED, Status.DOES_NOT_RUN}
)

#: The claim verdict is the first status in this order that any of its checks has.
#: Findings come first (one failing check is enough to show a problem); then `error` (a bug in
#: the tool must stay visible); then `unreachable` (we could not look); then the weakest positive
#: (`approximate` before `confirmed`); then what could not be checked at all.
PRECEDENCE: tuple[Status, ...] = (
    Status.REFUTED,
    Status.MISATTRIBUTED,
    Status.NOT_FOUND,
    Status.MISMATCH,
    Status.DOES_NOT_RUN,
    Status.ERROR,
    Status.UNREACHABLE,
    Status.APPROXIMATE,
    Status.CONFIRMED,
    Status.SKIPPED,
    Status.UNVERIFIABLE,
)


def combine(statuses: Iterable[Status]) -> Status:
    """Summarise the statuses of a claim's checks by PRECEDENCE; no checks means `unverifiable`."""
    present = set(statuses)
    for status in PRECEDENCE:
        if status in present:
            return status
    return Status.UNVERIFIABLE


def parse_statuses(text: str) -> frozenset[Status]:
    """Parse `--fail-on refuted,not_found` (or `findings`, a shorthand for every finding)."""
    chosen: set[Status] = set()
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name == "findings":
            chosen |= FINDINGS
            continue
        try:
            chosen.add(Status(name))
        except ValueError:
            known = ", ".join(s.value for s in Status)
            raise ValueError(f"unknown status {name!r}; known: findings, {known}") from None
    return frozenset(chosen)
