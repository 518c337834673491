"""A loaded registry: each claim with where it is written and where its quote stands in the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from verifier.registry.anchor import Anchor, SourceText
from verifier.registry.models import AnyClaim as AnyClaim  # noqa: PLC0414 (re-exported: loader, writer use it here)
from verifier.registry.models import Source


@dataclass(frozen=True)
class SourceDoc:
    """A source entry with its text, ready for anchoring."""

    source: Source
    path: Path
    text: SourceText


@dataclass(frozen=True)
class ClaimRecord:
    """A claim plus its location: `claims/x.yaml:12::claim-id` is its identity everywhere."""

    claim: AnyClaim
    file: str
    line: int
    anchors: tuple[Anchor, ...]

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.line}::{self.claim.id}"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Registry:
    """Everything `verifier` reads from a registry folder."""

    root: Path
    sources: dict[str, SourceDoc]
    records: list[ClaimRecord] = field(default_factory=list)
    sources_ok: bool = True

    @property
    def project_root(self) -> Path:
        return self.root.parent

    @property
    def reproductions(self) -> Path:
        return self.project_root / "reproductions"

    def by_id(self, claim_id: str) -> ClaimRecord | None:
        return next((r for r in self.records if r.claim.id == claim_id), None)
