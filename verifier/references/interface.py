"""The ReferenceIndex seam: anything that can look papers up by arXiv id, DOI, title or name.

Indexes raise ServiceError when they cannot answer; "not there" is an empty answer, never an exception,
so the resolver can tell absence from failure.

Each index describes itself by what it can be asked (`Capability`) and what it covers (`Coverage`: the
fields, venues, kinds of work and years it holds, and whether it is complete for them), so the resolver
decides what an index's silence means from that description, never from the index's name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from verifier.references.records import PaperRecord


class Capability(StrEnum):
    """A kind of question an index can answer."""

    ARXIV_ID = "arxiv_id"  # look-up by arXiv id
    DOI = "doi"  # look-up by DOI (a DOI-registration-aware index: Crossref, DBLP, Semantic Scholar, ...)
    TITLE = "title"  # bibliographic search by title (and authors)
    NAME = "name"  # titles carrying a model's or method's name, oldest first
    CORPUS = "corpus"  # abstracts and document frequencies for the summary check


@dataclass(frozen=True)
class Coverage:
    """What an index can speak for. Absence from a `complete` index, for a reference inside its scope,
    is evidence; absence from an incomplete one never is.

    `fields` are arXiv-style subject areas (`cs`, `stat`, `math`, ...; empty means any field), `venues`
    canonical venue keys (see `verifier/references/venues.py`; empty means any venue), `kinds` the kinds of
    work held (`preprint`, `journal`, `proceedings`, `book`, `other`), `first`/`last` the dates (YYYY or
    YYYY-MM-DD) of the records it holds. `online` says whether answering needs the network. `skipped` says
    why an enabled index is not asked at all in this run (e.g. no API key in the environment), so the
    verdict can name it; such an index has no capabilities."""

    name: str
    description: str
    complete: bool
    first: str | None = None
    last: str | None = None
    records: int | None = None
    capabilities: frozenset[Capability] = frozenset({Capability.ARXIV_ID, Capability.TITLE, Capability.NAME})
    fields: frozenset[str] = frozenset()
    venues: frozenset[str] = frozenset()
    kinds: frozenset[str] = field(default_factory=lambda: frozenset({"preprint"}))
    online: bool = False
    skipped: str | None = None

    def covers(self, arxiv_id: str | None) -> bool:
        """Whether an arXiv id's month lies in the index's date range (new-style ids only)."""
        if not self.complete or Capability.ARXIV_ID not in self.capabilities:
            return False
        if arxiv_id is None or self.last is None or "." not in arxiv_id or "/" in arxiv_id:
            return self.last is None
        month = f"20{arxiv_id[:2]}-{arxiv_id[2:4]}"
        return (self.first or "0000")[:7] <= month <= self.last[:7]

    def covers_year(self, year: int | None) -> bool:
        """Whether a year lies in the index's date range (an unknown year or open range counts as inside)."""
        if year is None:
            return True
        low = int(self.first[:4]) if self.first and self.first[:4].isdigit() else None
        high = int(self.last[:4]) if self.last and self.last[:4].isdigit() else None
        return (low is None or year >= low) and (high is None or year <= high)


class ReferenceIndex(Protocol):
    """`lookup_ids` and `lookup_dois` answer only for the keys they can speak for (a record, or None for
    "absent"); a key left out of the answer means "cannot say". `search` and `search_name` return None when
    the index cannot answer the query at all (a cache miss offline, an index without that capability)."""

    name: str

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]: ...

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]: ...

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        """Candidates for a cited title (and authors). `year`, the cited year, may order the candidates;
        an index that cannot use it ignores it, and none may drop a paper for it (a cited year is often off by one)."""
        ...

    def search_name(self, name: str) -> list[PaperRecord] | None:
        """Papers whose titles contain the name (`WaveNet`, `VQ-VAE`) as a phrase, oldest first."""
        ...

    def coverage(self) -> Coverage: ...
