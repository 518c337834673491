"""The evidence a check leaves, as one typed union: defined here once, produced by the checkers, written to
the JSON report and the store, and read back by the report through these models (never by string keys).

Why a discriminated union: each kind of check measures different things (a reference's records and
scores, a snippet's runs and the number-by-number comparison, a computation's observation, an api probe,
a person's review, a checker's traceback), and a reader needs to know which it holds before it can show
it. The `kind` field says so in the JSON; `reports/schema.json` publishes the shapes.

Reports written before the union (report version 1) carry the same fields without `kind`: `upgrade`
recognises each variant by its keys, and evidence that fits none of them is kept, untouched, as `legacy`
(shown as JSON), so an old report or store never fails to load."""

from __future__ import annotations

import datetime as dt
import string
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter, ValidationError, field_validator

from verifier.verdicts import Status

JsonMap = dict[str, JsonValue]

#: how a sandboxed run ended (execution/interface.py: RunResult.status)
RunStatus = Literal["ok", "exception", "timeout", "killed", "skipped", "sandbox_error", "lost", "invalid"]
#: a printed number against the observed ones (execution/compare.py); `missing`: no observed partner
NumberVerdict = Literal["confirmed", "approximate", "refuted", "missing"]

#: numpy booleans after the sandbox's JSON encoding (`default=repr`), numpy 1 and 2
_NUMPY_BOOLS = {"np.True_": True, "np.False_": False, "True": True, "False": False}


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- runs (code, reproductions, computations) ---------------------------------------------------------------


class RunException(Part):
    type: str
    message: str
    traceback: str | None = None


class RunRecord(Part):
    """One sandboxed run, as measured: output (shortened), exception, limits hit, device, environment."""

    seed: int | None = None
    status: RunStatus
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    exception: RunException | None = None
    reason: str = ""
    duration_s: float = 0.0
    device: JsonMap = Field(default_factory=dict)
    environment: JsonMap = Field(default_factory=dict)
    value: JsonValue = Field(None, description="What a reproduction or check returned (JSON).")


class NumberCheck(Part):
    """One claimed number against the observed value(s)."""

    claimed: str
    observed: list[str]
    low: float | None
    high: float | None
    delta: float | None
    half_unit: float
    verdict: NumberVerdict


class RunMatch(Part):
    """How one run's output compares with the whole claimed log."""

    run: str
    status: Status
    agreeing: int
    numbers: int
    worst_deviation: float | None


class Comparison(Part):
    """A claimed output against the observed one(s) (execution/compare.py has the rules)."""

    status: Status
    numbers: list[NumberCheck] = Field(default_factory=list)
    missing_words: list[str] = Field(default_factory=list)
    extra_observed_tokens: int = 0
    summary: str = ""
    run: str | None = None
    runs: list[RunMatch] = Field(default_factory=list)


class RunEvidence(Part):
    """Code run in the sandbox (as written, a reproduction, a probe), compared with the claimed output."""

    kind: Literal["run"] = "run"
    runs: list[RunRecord] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Required packages absent here (nothing ran).")
    comparison: Comparison | None = None
    claimed: str | None = Field(None, description="The output the source printed.")


# -- observations (math checks, api behaviour checks) -------------------------------------------------------


class Observation(Part):
    """What a check computed: `holds`, the numbers it came from, and a sentence template over them.

    A check `f(device, **params)` returns `{"holds": bool, "measured": {...}, "template": "..."}`; the host
    fills the template (mathcheck/observation.py), so the sentence can only say what was measured."""

    holds: bool = Field(description="Whether the statement held, as computed (a real bool; numpy bool accepted).")
    measured: JsonMap = Field(default_factory=dict, description="The numbers the verdict comes from.")
    template: str | None = Field(None, description="A str.format sentence over the keys of `measured`.")
    explanation: str | None = Field(None, description="Older form: a sentence written by the check.")

    @field_validator("holds", mode="before")
    @classmethod
    def _real_bool(cls, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in _NUMPY_BOOLS:
            return _NUMPY_BOOLS[value]
        raise ValueError(f"holds must be a bool, got {value!r}")

    def sentence(self) -> str:
        """The template filled from `measured` (KeyError/ValueError if it names what was not measured)."""
        if self.template is not None:
            fields = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
            missing = sorted(f.split(".")[0].split("[")[0] for f in fields)
            absent = [name for name in missing if name not in self.measured]
            if absent:
                raise KeyError(f"template names {', '.join(absent)}, which the check did not measure")
            return self.template.format(**self.measured)
        return self.explanation or ""

    def margin(self) -> float | None:
        """A `margin` number the check measured (results/margin.py), else None."""
        value = self.measured.get("margin")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)


class ObservationEvidence(Part):
    """A computation in the sandbox (a math check, an api behaviour check) and what it observed."""

    kind: Literal["observation"] = "observation"
    runs: list[RunRecord] = Field(default_factory=list)
    observation: Observation
    check: list[JsonMap] | None = Field(None, description="The declarative check as run (math claims).")


# -- references -------------------------------------------------------------------------------------------


class IndexFailure(Part):
    index: str
    reason: str


class IndexAsked(Part):
    """One index asked for one reference: what it covers and whether it answered."""

    index: str
    description: str
    complete: bool
    online: bool
    first: str | None = None
    last: str | None = None
    covers_reference: bool
    answered: bool = False
    failed: str | None = None


class PaperView(Part):
    """A record an index returned (the abstract only for the matched record)."""

    arxiv_id: str | None = None
    title: str
    authors: list[str] = Field(default_factory=list)
    published: str | None = None
    venue: str | None = None
    link: str | None = None
    origin: str
    doi: str | None = None
    withdrawn: bool = False
    abstract: str | None = None


class TitleScore(Part):
    """How a record agrees with the cited reference (references/matching.py)."""

    title: float | None
    authors: float | None
    year: bool | None
    total: float
    differences: list[str] = Field(default_factory=list)
    extends: bool = False
    exact_title: bool | None = None


class Candidate(PaperView):
    score: TitleScore


class OtherPaper(Part):
    title: str
    arxiv_id: str | None = None
    similarity: float
    found_by: str


SummaryVerdict = Literal["fits the cited paper", "fits another paper better", "does not fit the cited paper",
                         "no abstract to compare"]


class SummaryCheck(Part):
    """The source's summary against the abstracts of the cited paper and of others (TF-IDF)."""

    cited_similarity: float
    method: str
    others: list[OtherPaper] = Field(default_factory=list)
    seconds: float = 0.0
    rule: str = ""
    verdict: SummaryVerdict


class CuratedName(Part):
    """The name-table row a named work was resolved through (data/names.yaml)."""

    name: str
    arxiv_id: str
    title: str
    source: str
    table: str


class ReferenceEvidence(Part):
    """Which indexes were asked, what they covered and returned, the matched record and the summary check."""

    kind: Literal["reference"] = "reference"
    consulted: list[str] = Field(default_factory=list)
    failed: list[IndexFailure] = Field(default_factory=list)
    coverage: list[str] = Field(default_factory=list)
    indexes: list[IndexAsked] = Field(default_factory=list)
    record: PaperView | None = None
    candidates: list[Candidate] = Field(default_factory=list)
    differences: list[str] = Field(default_factory=list)
    summary_check: SummaryCheck | None = None
    notes: list[str] = Field(default_factory=list)
    curated: CuratedName | None = None


# -- facts ------------------------------------------------------------------------------------------------


class SentenceMatch(Part):
    sentence: str
    score: float
    shared: list[str]


class AbstractSupport(Part):
    """Abstract sentences that share the statement's content words (checkers/abstract_support.py)."""

    method: str
    threshold: float
    sentences: list[SentenceMatch] = Field(default_factory=list)
    abstract_sentences: int


class AboutEvidence(Part):
    """A fact's citation: its verdict and record, and the abstract sentences closest to the statement."""

    kind: Literal["about"] = "about"
    about: str = Field(description="The citation claim the fact is about.")
    about_status: Status
    about_summary: str
    record: PaperView | None = None
    abstract_support: AbstractSupport | None = None


class ReviewEvidence(Part):
    """A person's verdict (shown as manual)."""

    kind: Literal["review"] = "review"
    note: str
    evidence: list[str] = Field(default_factory=list, description="Links or citations backing the note.")
    reviewer: str
    date: dt.date


# -- library APIs -----------------------------------------------------------------------------------------


class ArgumentProbe(Part):
    name: str
    accepted: bool
    via_kwargs: bool
    known: bool


class ImportFailure(Part):
    module: str
    type: str
    message: str


class RemovalNote(Part):
    """The package's own message that a name was removed (numpy's expired attributes, scipy's shims)."""

    message: str
    removed_in: str | None = None
    deprecated_in: str | None = None


class ApiProbe(Part):
    """What the sandboxed probe measured about a dotted name in the installed package (apicheck/probe.py)."""

    package: str
    name: str
    version: str | None = None
    installed: bool = False
    found: bool = False
    import_error: ImportFailure | None = None
    missing: str | None = None
    parent: str | None = None
    message: str | None = None
    removal: RemovalNote | None = None
    nearest: list[str] = Field(default_factory=list)
    deprecation_warnings: list[str] = Field(default_factory=list)
    object_kind: str | None = None
    signature: str | None = None
    doc: str | None = None
    defined_in: str | None = None
    deprecated_doc: str | None = None
    argument: ArgumentProbe | None = None

    @field_validator("defined_in", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        """`__module__` or `__name__` of whatever object the name is: text, even when a package sets it oddly."""
        return value if value is None or isinstance(value, str) else str(value)


class ReleaseChecked(Part):
    version: str
    has: bool | None
    file: str | None = None


class ReleaseHistory(Part):
    """Whether an older release on the package index had a name the installed one lacks (apicheck/history.py)."""

    status: Literal["removed", "never", "unknown"]
    reason: str
    last_with: str | None = None
    first_without: str | None = None
    checked: list[ReleaseChecked] = Field(default_factory=list)


class LatestRelease(Part):
    """Whether the newest release on the index defines a name the installed packages lack."""

    version: str | None
    has: bool | None
    reason: str


class ApiEvidence(Part):
    kind: Literal["api"] = "api"
    probe: ApiProbe
    history: ReleaseHistory | None = None
    latest: LatestRelease | None = None
    environment: JsonMap = Field(default_factory=dict)


# -- failures of the tool, and old reports ----------------------------------------------------------------


class ErrorEvidence(Part):
    """A checker that raised (a bug of ours): the traceback."""

    kind: Literal["error"] = "error"
    traceback: str


class LegacyEvidence(Part):
    """Evidence of a report written before the union that fits none of its variants, kept as it was."""

    kind: Literal["legacy"] = "legacy"
    data: JsonMap


Evidence = Annotated[
    RunEvidence | ObservationEvidence | ReferenceEvidence | AboutEvidence | ReviewEvidence | ApiEvidence
    | ErrorEvidence | LegacyEvidence,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Evidence] = TypeAdapter(Evidence)

#: how a version-1 evidence mapping (no `kind`) shows which variant it is: the first key present decides
_LEGACY_KEYS: tuple[tuple[str, str], ...] = (
    ("probe", "api"), ("consulted", "reference"), ("about", "about"), ("reviewer", "review"),
    ("observation", "observation"), ("runs", "run"), ("missing", "run"), ("traceback", "error"),
)


def upgrade(value: object) -> object:
    """Evidence as read from JSON: a version-1 mapping (no `kind`) gets its variant's tag, or becomes `legacy`
    when it fits none; an empty mapping is no evidence. Anything else is left for the union to validate."""
    if not isinstance(value, dict) or "kind" in value:
        return value
    if not value:
        return None
    for key, kind in _LEGACY_KEYS:
        if key in value:
            try:
                return _ADAPTER.validate_python({**value, "kind": kind})
            except ValidationError:
                break
    return LegacyEvidence(data=value)
