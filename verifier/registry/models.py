"""The claim models: what a source document asserts, exactly as the source says it (never what we found)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator
from pydantic_core import PydanticCustomError

from verifier.limits import MAX_SEED, MAX_SEEDS, MAX_TIMEOUT_S
from verifier.registry.json_values import json_problem
from verifier.verdicts import Status

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TARGET = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$"


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
        default_factory=list, description="Regular expressions masked in both outputs before comparing."
    )


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


class MathClaim(ClaimBase):
    kind: Literal["math"] = "math"
    check: str = Field(pattern=TARGET, description="`module:function` in reproductions/ that computes it.")
    params: dict[str, Any] = Field(
        default_factory=dict, description="Keyword arguments for the check: JSON values only (strings, finite "
                                          "numbers, true/false, null, lists, mappings with string keys).")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="Device the check needs.")
    timeout_s: float = Field(120.0, gt=0, le=MAX_TIMEOUT_S, description="Wall-clock limit, seconds.")

    @field_validator("params", mode="before")
    @classmethod
    def _json_only(cls, value: Any) -> Any:
        """Params travel to the sandbox as JSON and into the result's input hash: a date, `!!binary`, a set,
        a non-string key or NaN would pass here and then fail (or hang the worker) far from the file."""
        problem = json_problem(value) if isinstance(value, dict) else None
        if problem is not None:
            path, message = problem
            raise PydanticCustomError("json_value", "{message}", {"message": message, "path": list(path)})
        return value


class FactClaim(ClaimBase):
    kind: Literal["fact"] = "fact"
    about: str | None = Field(
        None, pattern=KEBAB, description="Id of the citation claim whose record is the evidence."
    )
    review: Review | None = Field(None, description="A person's verdict, for what nothing can compute.")


Claim = Annotated[CitationClaim | CodeClaim | MathClaim | FactClaim, Field(discriminator="kind")]
CLAIM_ADAPTER: TypeAdapter[Claim] = TypeAdapter(Claim)
KINDS: tuple[str, ...] = ("citation", "code", "math", "fact")


class Source(Strict):
    """One document under audit (an entry of claims/sources.yaml)."""

    slug: str = Field(pattern=KEBAB, description="Short name; claims/<slug>.yaml holds its claims.")
    file: str = Field(description="File name under claims/sources/.")
    title: str = Field(min_length=1)
    kind: Literal["chat", "qa", "slides", "other"]
    language: str = Field(min_length=2, description="Main language (ISO 639-1), e.g. en, es.")
    origin: str = Field(min_length=1, description="Where the document came from, in a line.")
