"""The live indexes of one run: which are enabled, where they live, their keys, each behind the cache.

One table (`SPECS`) names every live index with its environment variables, so the CLI's `--index`, the
README and `indexes.py` agree. Online, each enabled index is an HTTP client behind `CachedIndex`; offline,
each is its earlier answers in the cache (never the network). OpenAlex without `OPENALEX_API_KEY` is a
`SkippedIndex`: it answers nothing and its coverage says why, so the verdict can name it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verifier.errors import UsageError
from verifier.references.arxiv_api import ArxivIndex
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.crossref import DEFAULT_URL as CROSSREF_URL
from verifier.references.crossref import CrossrefIndex
from verifier.references.dblp import DEFAULT_URL as DBLP_URL
from verifier.references.dblp import DblpIndex
from verifier.references.http import HttpPolicy
from verifier.references.interface import Coverage, ReferenceIndex
from verifier.references.limiter import RateLimiter
from verifier.references.openalex import DEFAULT_URL as OPENALEX_URL
from verifier.references.openalex import OpenAlexIndex
from verifier.references.openreview import DEFAULT_URL as OPENREVIEW_URL
from verifier.references.openreview import OpenReviewIndex
from verifier.references.records import PaperRecord
from verifier.references.semantic_scholar import DEFAULT_URL as S2_URL
from verifier.references.semantic_scholar import SemanticScholarIndex

ARXIV = "arxiv"


@dataclass(frozen=True)
class Spec:
    """One live index: its name on the command line, the variable of its URL, of its key (if it takes one).
    `loose_search`: its bibliographic search ranks loosely (any word of the title), so it is asked last."""

    name: str
    url_variable: str
    default_url: str
    key_variable: str | None = None
    key_required: bool = False
    loose_search: bool = False

    @property
    def url(self) -> str:
        return os.environ.get(self.url_variable) or self.default_url


SPECS = (
    Spec(ARXIV, "VERIFIER_ARXIV_URL", "https://export.arxiv.org/api/query"),
    Spec("crossref", "VERIFIER_CROSSREF_URL", CROSSREF_URL, loose_search=True),
    Spec("dblp", "VERIFIER_DBLP_URL", DBLP_URL),
    Spec("semantic-scholar", "VERIFIER_SEMANTIC_SCHOLAR_URL", S2_URL, "SEMANTIC_SCHOLAR_API_KEY"),
    Spec("openreview", "VERIFIER_OPENREVIEW_URL", OPENREVIEW_URL),
    Spec("openalex", "VERIFIER_OPENALEX_URL", OPENALEX_URL, "OPENALEX_API_KEY", key_required=True),
)
NAMES = tuple(spec.name for spec in SPECS)


def parse_selection(text: str | None) -> tuple[str, ...]:
    """`--index` / VERIFIER_INDEXES: a comma-separated list of names, `all` (the default) or `none`."""
    raw = (text if text is not None else os.environ.get("VERIFIER_INDEXES", "all")).strip().lower()
    if raw in ("", "all"):
        return NAMES
    if raw == "none":
        return ()
    chosen = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in NAMES]
    if unknown:
        raise UsageError(f"unknown index {', '.join(unknown)} in --index (known: {', '.join(NAMES)}, all, none)")
    return tuple(name for name in NAMES if name in chosen)


class SkippedIndex:
    """An enabled index that cannot be asked in this run (no key): answers nothing, says why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def coverage(self) -> Coverage:
        return Coverage(self.name, f"{self.name}: skipped ({self.reason})", complete=False,
                        capabilities=frozenset(), kinds=frozenset(), online=True, skipped=self.reason)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        return {}

    def search(self, title: str, authors: Sequence[str] = (), *,
               year: int | None = None) -> list[PaperRecord] | None:
        return None

    def search_name(self, name: str) -> list[PaperRecord] | None:
        return None


def _interval(name: str, default: float) -> float:
    """VERIFIER_<NAME>_MIN_INTERVAL overrides an index's pacing (for a mirror you run; never for arXiv)."""
    variable = f"VERIFIER_{name.upper().replace('-', '_')}_MIN_INTERVAL"
    raw = os.environ.get(variable)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{variable} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise UsageError(f"{variable} cannot be negative")
    return value


@dataclass
class Client:
    """A built client: the index, and how to close it."""

    index: ReferenceIndex
    close: Callable[[], None]


def _client(spec: Spec, url: str, contact: str | None) -> Client | SkippedIndex:
    key = os.environ.get(spec.key_variable) if spec.key_variable else None
    if spec.key_required and not key:
        return SkippedIndex(spec.name, f"no {spec.key_variable} in the environment")
    built: CrossrefIndex | DblpIndex | SemanticScholarIndex | OpenReviewIndex | OpenAlexIndex
    if spec.name == "crossref":
        built = CrossrefIndex(url, contact=contact)
    elif spec.name == "dblp":
        built = DblpIndex(url, contact=contact)
    elif spec.name == "semantic-scholar":
        built = SemanticScholarIndex(url, api_key=key, contact=contact)
    elif spec.name == "openreview":
        built = OpenReviewIndex(url, contact=contact)
    else:
        built = OpenAlexIndex(key or "", url, contact=contact)
    interval = _interval(spec.name, built.http.policy.min_interval)
    if interval != built.http.policy.min_interval:
        built.http.limiter = RateLimiter.for_endpoint(f"{spec.name}:{url}", interval)
    return Client(built, built.close)


def build_arxiv(url: str, interval: float, contact: str | None, policy: HttpPolicy | None = None) -> ArxivIndex:
    return ArxivIndex(url, RateLimiter.for_endpoint(url, interval), contact, policy=policy)


def asked_order(selection: Sequence[str]) -> list[Spec]:
    """The enabled indexes but arXiv in the order they are asked: table order, loose searches last."""
    enabled = [spec for spec in SPECS if spec.name != ARXIV and spec.name in selection]
    return sorted(enabled, key=lambda spec: spec.loose_search)


def live_urls(selection: Sequence[str], offline: bool) -> dict[str, str]:
    """Where each enabled index (but arXiv) is asked in this run, for the results' fingerprint ('off' offline)."""
    return {spec.name: "off" if offline else spec.url.rstrip("/") for spec in asked_order(selection)}


def build_others(selection: Sequence[str], cache: LookupCache, contact: str | None, offline: bool, fresh: bool,
                 closers: list[Callable[[], None]]) -> list[ReferenceIndex]:
    """Every enabled index but arXiv (built by the caller with its own settings), each behind the cache, in
    the order they are asked (`asked_order`)."""
    indexes: list[ReferenceIndex] = []
    for spec in asked_order(selection):
        client = _client(spec, spec.url, contact)
        if isinstance(client, SkippedIndex):
            indexes.append(client)
            continue
        if offline:
            coverage = client.index.coverage()
            client.close()
            indexes.append(CachedIndex(cache, None, source=spec.name, offline_coverage=coverage))
            continue
        closers.append(client.close)
        indexes.append(CachedIndex(cache, client.index, fresh=fresh))
    return indexes
