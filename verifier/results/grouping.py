"""Results grouped by the source document they come from: every report format shows an audit this way."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.results.models import ClaimResult


def group_by_source(results: Iterable[ClaimResult]) -> dict[str, list[ClaimResult]]:
    """Results by source slug, sources in order of their first result, results in their given order."""
    groups: dict[str, list[ClaimResult]] = {}
    for result in results:
        groups.setdefault(result.source, []).append(result)
    return groups
