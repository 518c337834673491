"""The ReferenceIndex seam: anything that can look papers up by arXiv id or by title.

Indexes raise ServiceError when they cannot answer; "not there" is an empty answer, never an exception,
so the resolver can tell absence from failure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from verifier.references.records import PaperRecord


@dataclass(frozen=True)
class Coverage:
    """What an index can speak for: absence from a `complete` index (within its dates) is evidence."""

    name: str
    description: str
    complete: bool
    first: str | None = None
    last: str | None = None
    records: int | None = None

    def covers(self, arxiv_id: str | None) -> bool:
        """Whether an arXiv id's month lies in the index's date range (new-style ids only)."""
        if not self.complete:
            return False
        if arxiv_id is None or self.last is None or "." not in arxiv_id or "/" in arxiv_id:
            return self.last is None
        month = f"20{arxiv_id[:2]}-{arxiv_id[2:4]}"
        return (self.first or "0000")[:7] <= month <= self.last[:7]


class ReferenceIndex(Protocol):
    """`lookup_ids` answers only for the ids it can speak for (a record, or None for "absent");
    `search` and `search_name` return None when the index cannot answer the query at all (a cache miss
    offline)."""

    name: str

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]: ...

    def search(self, title: str, authors: Sequence[str] = ()) -> list[PaperRecord] | None: ...

    def search_name(self, name: str) -> list[PaperRecord] | None:
        """Papers whose titles contain the name (`WaveNet`, `VQ-VAE`) as a phrase, oldest first."""
        ...

    def coverage(self) -> Coverage: ...
