"""What the extractor proposes: a candidate claim with its exact quote, where it stands, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    """A draft claim: `kind`, exact `quote` (a substring of the document), the fields it could fill, and
    the reason and confidence a reviewer sees."""

    kind: str
    quote: str
    start: int
    statement: str
    reason: str
    confidence: float
    fields: dict[str, Any] = field(default_factory=dict)
    places: list[int] = field(default_factory=list)  # 1-based lines of every occurrence (merged repeats)

    @property
    def end(self) -> int:
        return self.start + len(self.quote)
