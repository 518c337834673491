"""Result models: what each check found, with evidence, and what one audit found overall."""

from __future__ import annotations

import gc

from pydantic import BaseModel, ConfigDict, Field, field_validator

from verifier.results.evidence import Evidence, JsonMap, upgrade
from verifier.verdicts import Status

#: the shape of the JSON report: 1 had evidence as free mappings; 2 tags each with its `kind` (evidence.py)
REPORT_VERSION = 2


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CheckResult(Frozen):
    """One check of one claim (a claim may have several: as written, reproduction, ...)."""

    name: str = Field(description="Which check: arxiv, as_written, reproduction, review, ...")
    status: Status
    summary: str = Field(description="One line a person can read.")
    duration_s: float = 0.0
    manual: bool = Field(False, description="True when a person, not a computation, gave the verdict.")
    evidence: Evidence | None = Field(None, description="What the check measured; `kind` says which variant.")
    margin: float | None = Field(
        None, description="How far the measurement lies from the threshold that decided the verdict, as a "
                          "fraction of that threshold (0: on it; optional, see verifier/results/margin.py).")

    @field_validator("evidence", mode="before")
    @classmethod
    def _version_1(cls, value: object) -> object:
        return upgrade(value)


class ClaimResult(Frozen):
    claim_id: str
    source: str
    kind: str
    status: Status
    summary: str
    location: str = Field(description="claims/x.yaml:12")
    statement: str = Field("", description="The claim's statement (copied for readers of the report).")
    tags: list[str] = Field(default_factory=list, description="The claim's tags (for filtering).")
    checks: list[CheckResult] = Field(default_factory=list)
    input_hash: str = Field("", description="Hash of everything the result depends on (for reuse).")
    reused: bool = Field(False, description="Taken from the store: inputs unchanged since it was computed.")


class AuditInfo(Frozen):
    started: str
    finished: str
    registry: str
    offline: bool
    device: str = "auto"
    environment: JsonMap = Field(default_factory=dict)
    complete: bool = True
    selection: JsonMap = Field(default_factory=dict)


class AuditRun(Frozen):
    version: int = Field(REPORT_VERSION, description="The shape of this report (absent in version 1, whose "
                                                     "evidence is upgraded when read: results/evidence.py).")
    audit: AuditInfo
    results: list[ClaimResult]

    @classmethod
    def from_json(cls, data: str | bytes) -> AuditRun:
        """Parse a JSON report (ValidationError if it is not one). The cyclic garbage collector is paused
        meanwhile: a 10,000-claim report makes millions of objects, none of them garbage, and the collector's
        passes over them took over half the time (benchmarks/report_parse.py)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls.model_validate_json(data)
        finally:
            if enabled:
                gc.enable()

    def counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts
