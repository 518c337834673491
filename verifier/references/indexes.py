"""The reference indexes of one run, in the order they are asked, behind one bounded resolver.

`Project` calls `build_resolver` for an audit's citation checker and for `verifier resolve`, so both ask the
same indexes in the same order; what is opened is handed back as closers for the caller to close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier.config import ReferenceConfig, Settings
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.cascade import ARXIV, build_arxiv, build_others, live_urls, parse_selection
from verifier.references.http import REFERENCE_BUDGET, deadline
from verifier.references.interface import ReferenceIndex
from verifier.references.resolver import Resolution, Resolver
from verifier.references.snapshot import SnapshotIndex
from verifier.registry.models import Reference


def snapshot_path(settings: Settings, explicit: Path | None) -> Path:
    """--snapshot, else VERIFIER_SNAPSHOT, else <VERIFIER_HOME>/snapshot.sqlite (built by `make`)."""
    return explicit or settings.default_snapshot


class BoundedResolver(Resolver):
    """Every request made for one reference, in every index, ends within `budget` seconds (`http.deadline`):
    each index also bounds its own look-up, but a cascade of slow (not failing) indexes would add them up."""

    budget = REFERENCE_BUDGET

    def resolve(self, reference: Reference, described_as: str | None) -> Resolution:
        with deadline(self.budget):
            return super().resolve(reference, described_as)


@dataclass(frozen=True)
class References:
    """What the citation checker needs: the resolver, the live arXiv index behind the cache (for its batch
    look-up), and the fingerprint of the indexes (a result is reused only when they are the same)."""

    resolver: Resolver
    live: CachedIndex
    fingerprint: dict[str, str]


def build_resolver(settings: Settings, config: ReferenceConfig, closers: list[Callable[[], None]]) -> References:
    """The indexes in the order they are asked: snapshot, cache (+ live arXiv unless offline), then the other
    enabled indexes (`--index`, VERIFIER_INDEXES; see `references/cascade.py`), each behind the cache."""
    path = snapshot_path(settings, config.snapshot)
    snapshot = SnapshotIndex(path) if (config.snapshot is not None or path.is_file()) else None
    cache = LookupCache(settings.home / "references.sqlite")
    closers.append(cache.close)
    selection = parse_selection(config.indexes)
    if config.crossref and "crossref" not in selection:
        selection = (*selection, "crossref")
    api = None
    if not config.offline and ARXIV in selection:
        api = build_arxiv(settings.arxiv_url, settings.min_interval, settings.contact)
        closers.append(api.close)
    live = CachedIndex(cache, api, fresh=config.fresh)
    others = build_others(selection, cache, settings.contact, config.offline, config.fresh, closers)
    # Every other index after arXiv in the order cascade.py gives (Crossref last: it searches loosely); the
    # resolver reads what each covers from its Coverage.
    indexes: list[ReferenceIndex] = [*([snapshot] if snapshot else []), live, *others]
    fingerprint = {"snapshot": str(snapshot.meta.get("built")) if snapshot else "none",
                   "offline": str(config.offline), "arxiv_url": settings.arxiv_url,
                   "indexes": ",".join(selection),
                   "crossref": live_urls(selection, config.offline).get("crossref", "off"),
                   "skipped": ",".join(i.name for i in others if i.coverage().skipped)}
    return References(BoundedResolver(indexes, corpus=snapshot), live, fingerprint)
