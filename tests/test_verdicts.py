"""The rule that summarises a claim's checks, and the --fail-on parser."""

from __future__ import annotations

import pytest

from verifier.verdicts import FINDINGS, PRECEDENCE, Status, combine, parse_statuses


def test_precedence_lists_every_status_once() -> None:
    assert sorted(PRECEDENCE) == sorted(Status)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], Status.UNVERIFIABLE),
        ([Status.CONFIRMED], Status.CONFIRMED),
        ([Status.CONFIRMED, Status.APPROXIMATE], Status.APPROXIMATE),
        ([Status.SKIPPED, Status.CONFIRMED], Status.CONFIRMED),
        ([Status.DOES_NOT_RUN, Status.CONFIRMED], Status.DOES_NOT_RUN),
        ([Status.ERROR, Status.CONFIRMED], Status.ERROR),
        ([Status.ERROR, Status.REFUTED], Status.REFUTED),
        ([Status.UNREACHABLE, Status.UNVERIFIABLE], Status.UNREACHABLE),
        ([Status.MISMATCH, Status.MISATTRIBUTED], Status.MISATTRIBUTED),
        ([Status.SKIPPED, Status.UNVERIFIABLE], Status.SKIPPED),
    ],
)
def test_combine(statuses: list[Status], expected: Status) -> None:
    assert combine(statuses) is expected


def test_parse_statuses() -> None:
    assert parse_statuses("refuted, not_found") == {Status.REFUTED, Status.NOT_FOUND}
    assert parse_statuses("findings") == FINDINGS
    assert parse_statuses("") == frozenset()
    with pytest.raises(ValueError, match="unknown status 'wrong'"):
        parse_statuses("wrong")
