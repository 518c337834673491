"""The claim models: what a source document asserts, exactly as the source says it (never what we found)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeAlias, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, TypeAdapter, field_validator
from pydantic_core import PydanticCustomError

from verifier.execution.patterns import validate_pattern
from verifier.limits import MAX_SEED, MAX_SEEDS, MAX_TIMEOUT_S
from verifier.mathcheck.spec import CheckSpec
from verifier.registry.json_values import json_problem
from verifier.verdicts import Status

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TARGET = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$"



def _json_only(value: Any) -> Any:
    """Params travel to the sandbox as JSON and into the result's input hash: a date, `!!binary`, a set,
    a non-string key or NaN would pass here and then fail (or hang the worker) far from the file."""
    problem = json_problem(value) if isinstance(value, dict) else None
    if problem is not None:
        path, message = problem
        raise PydanticCustomError("json_value", "{message}", {"message": message, "path": list(path)})
    return value


#: Keyword arguments for a check, limited to JSON values (shared by every claim kind that has params).
JsonParams = Annotated[dict[str, Any], BeforeValidator(_json_only)]

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(Strict):
    """A cited work, only with the details the source gives."""

    title: str | None = Field(None, description="Title as the source writes it (may be paraphrased).")
    name: str | None = Field(
        None, description="Name the source gives a model, method or dataset instead of a title (e.g. WaveNet)."
    )
    authors: list[str] = Field(default_factory=list, description="Authors as the source names them.")
    year: int | None = Field(None, ge=1000, le=2100, description="Year the source gives.")
    venue: str | None = Field(None, description="Journal, conference, site or publisher named.")
    url: str | None = Field(None, description="Link or link domain shown by the source (e.g. arxiv.org).")
    arxiv_id: str | None = Field(None, description="arXiv identifier, only if the source shows it.")
    doi: str | None = Field(None, description="DOI, only if the source shows it.")


class Compare(Strict):
    """How claimed and observed output are compared. Default: each number at its printed precision."""

    rtol: float = Field(1e-3, ge=0, description="Relative tolerance of the `approximate` tier.")
    atol: float = Field(0.0, ge=0, description="Absolute tolerance of the `approximate` tier.")
    text: Literal["normalised", "ignore"] = Field(
        "normalised", description="Compare the words around the numbers, or only the numbers."
    )
    ignore: list[str] = Field(
        default_factory=list, description="Regular expressions (RE2 syntax) masked in both outputs before comparing."
    )

    @field_validator("ignore")
    @classmethod
    def _usable_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            problem = validate_pattern(pattern)
            if problem is not None:
                raise ValueError(f"{pattern!r}: {problem}")
        return patterns


class Review(Strict):
    """A person's verdict on what nothing can compute; shown as manual."""

    verdict: Status = Field(description="The reviewer's verdict.")
    note: str = Field(min_length=1, description="Why: what the reviewer read or saw.")
    evidence: list[str] = Field(default_factory=list, description="Links or citations backing the note.")
    reviewer: str = Field(min_length=1, description="Who reviewed.")
    date: dt.date = Field(description="When (YYYY-MM-DD).")


class ClaimBase(Strict):
    id: str = Field(pattern=KEBAB, description="Unique kebab-case id that says what the claim is about.")
    source: str = Field(pattern=KEBAB, description="Slug of the source document (claims/sources.yaml).")
    quote: str = Field(min_length=1, description="Exact text of the source (whitespace-insensitive).")
    statement: str = Field(min_length=1, description="The assertion in plain words.")
    tags: list[str] = Field(default_factory=list, description="Free labels for filtering.")


class CitationClaim(ClaimBase):
    kind: Literal["citation"] = "citation"
    reference: Reference = Field(description="The reference as the source gives it.")
    described_as: str | None = Field(None, description="The source's summary of what the work contains.")


class CodeClaim(ClaimBase):
    kind: Literal["code"] = "code"
    code: str = Field(min_length=1, description="The snippet, verbatim (only lost indentation restored).")
    language: str = Field("python", description="Language of the snippet.")
    printed: str | None = Field(None, description="The output the source says the code printed, verbatim.")
    reproduction: str | None = Field(
        None, pattern=TARGET, description="`module:function` in reproductions/: a faithful port."
    )
    compare: Compare = Field(default_factory=Compare, description="Comparison settings.")
    seeds: list[Annotated[int, Field(ge=0, le=MAX_SEED)]] = Field(
        default_factory=list, max_length=MAX_SEEDS,
        description=f"Seeds for code that draws random numbers (at most {MAX_SEEDS}, each 0..2^32-1).")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Device the code needs.")
    timeout_s: float = Field(60.0, gt=0, le=MAX_TIMEOUT_S, description="Wall-clock limit per run, seconds.")
    requires: list[str] = Field(
        default_factory=list, description="Python packages the snippet imports (e.g. tensorflow)."
    )


def _check_form(value: Any) -> str:
    """Which form a math claim's `check` takes, so a validation error names only that form's fields."""
    if isinstance(value, list):
        return "all"
    return "declarative" if isinstance(value, dict | CheckSpec) else "target"


#: union tags pydantic puts in error locations; the loader leaves them out when it finds the YAML line
CHECK_TAGS = frozenset({"target", "declarative", "all"})
MathCheck = Annotated[
    Annotated[str, Tag("target"), Field(pattern=TARGET)]
    | Annotated[CheckSpec, Tag("declarative")]
    | Annotated[list[CheckSpec], Tag("all"), Field(min_length=1)],
    Discriminator(_check_form),
]


class MathClaim(ClaimBase):
    kind: Literal["math"] = "math"
    check: MathCheck = Field(
        description="`module:function` in reproductions/ that computes it, or a declarative check "
                    "(identity, against, value, exists), or a list of them that must all hold.")
    params: JsonParams = Field(
        default_factory=dict, description="Keyword arguments for the check: JSON values only (strings, finite "
                                          "numbers, true/false, null, lists, mappings with string keys).")
    reads: list[Annotated[str, Field(pattern=KEBAB)]] = Field(
        default_factory=list, description="Ids of claims a Python check reads; it receives them as the param "
                                          "`claims` (from the loader) and is redone when they change.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Device the check needs.")
    timeout_s: float = Field(120.0, gt=0, le=MAX_TIMEOUT_S, description="Wall-clock limit, seconds.")



class FactClaim(ClaimBase):
    kind: Literal["fact"] = "fact"
    about: str | None = Field(
        None, pattern=KEBAB, description="Id of the citation claim whose record is the evidence."
    )
    review: Review | None = Field(None, description="A person's verdict, for what nothing can compute.")


# The api claim lives in its own module, which needs ClaimBase above (so import models first); re-exported.
from verifier.registry.api_claim import ApiClaim as ApiClaim  # noqa: E402, PLC0414

#: The one list of claim kinds: every other list (KINDS, the checkers' registry, the report's form) derives from it.
AnyClaim: TypeAlias = CitationClaim | CodeClaim | MathClaim | FactClaim | ApiClaim
Claim = Annotated[AnyClaim, Field(discriminator="kind")]
CLAIM_ADAPTER: TypeAdapter[Claim] = TypeAdapter(Claim)
CLAIM_MODELS: tuple[type[AnyClaim], ...] = get_args(AnyClaim)


def kind_of(model: type[ClaimBase]) -> str:
    """A claim model's `kind`: the one value of its `Literal` field, the union's discriminator."""
    (kind,) = get_args(model.model_fields["kind"].annotation)
    return str(kind)


KINDS: tuple[str, ...] = tuple(kind_of(model) for model in CLAIM_MODELS)


class Source(Strict):
    """One document under audit (an entry of claims/sources.yaml)."""

    slug: str = Field(pattern=KEBAB, description="Short name; claims/<slug>.yaml holds its claims.")
    file: str = Field(description="File name under claims/sources/.")
    title: str = Field(min_length=1)
    kind: Literal["chat", "qa", "slides", "other"]
    language: str = Field(min_length=2, description="Main language (ISO 639-1), e.g. en, es.")
    origin: str = Field(min_length=1, description="Where the document came from, in a line.")
