"""Citation claims: is the cited work real, are its details right, does the source's summary fit it?"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from verifier.checkers.interface import CheckContext, Checker
from verifier.errors import ServiceError
from verifier.references import ids
from verifier.references.cache import CachedIndex
from verifier.references.resolver import Resolver
from verifier.registry.models import CitationClaim
from verifier.results.models import CheckResult

log = logging.getLogger(__name__)


class CitationChecker(Checker[CitationClaim]):
    name = "citation"
    version = "3"  # 2: references named without a title; 3: strict identity, venues, anchors, coverage rule

    def __init__(self, resolver: Resolver, fingerprint: Mapping[str, str], live: CachedIndex | None = None) -> None:
        self.resolver = resolver
        self._fingerprint = dict(fingerprint)
        self.live = live

    def fingerprint(self, claim: CitationClaim, context: CheckContext) -> Mapping[str, str]:
        return self._fingerprint

    def prepare(self, claims: Sequence[CitationClaim]) -> None:
        """Ask for every cited arXiv id in as few requests as possible (100 per request) before the
        claims are checked one by one; the answers land in the cache."""
        if self.live is None:
            return
        wanted = []
        for claim in claims:
            arxiv_id = ids.extract(claim.reference.arxiv_id, claim.reference.url) or ids.from_doi(claim.reference.doi)
            if arxiv_id:
                wanted.append(arxiv_id)
        if wanted:
            try:
                self.live.lookup_ids(wanted)
            except ServiceError as exc:  # each claim will try again and report it
                log.warning("batched arXiv look-up failed: %s", exc)

    def check(self, claim: CitationClaim, context: CheckContext) -> list[CheckResult]:
        started = time.perf_counter()
        resolution = self.resolver.resolve(claim.reference, claim.described_as)
        return [CheckResult(name="reference", status=resolution.status, summary=resolution.summary,
                            duration_s=time.perf_counter() - started, evidence=resolution.evidence())]
