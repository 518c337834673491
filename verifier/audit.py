"""The audit core: select claims, reuse unchanged results, run checkers, summarise. No I/O of its own.

Claims run in phases ordered by what their checkers declare (`Checker.after`; see `CheckerRegistry.phases`):
a fact's checker reads the result of the citation it is about, so citations run first. A checker that
raises never aborts the audit: its claim gets `error` with the traceback as evidence."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any, Protocol

from verifier.checkers.interface import CheckContext, Checker
from verifier.checkers.registry import CheckerRegistry
from verifier.config import AuditConfig
from verifier.registry.records import ClaimRecord, Registry
from verifier.results.evidence import ErrorEvidence
from verifier.results.models import AuditInfo, AuditRun, CheckResult, ClaimResult
from verifier.verdicts import PRECEDENCE, Status, combine

NEVER_REUSED = frozenset({Status.ERROR, Status.UNREACHABLE})


class ResultCache(Protocol):
    def get(self, input_hash: str) -> ClaimResult | None: ...

    def put(self, result: ClaimResult, created: str) -> None: ...


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def select(records: Sequence[ClaimRecord], only: str | None, kind: str | None) -> list[ClaimRecord]:
    """`only` is a glob on the claim id or on its source slug."""
    chosen = []
    for record in records:
        if kind and record.claim.kind != kind:
            continue
        if only and not (fnmatch.fnmatchcase(record.claim.id, only) or
                         fnmatch.fnmatchcase(record.claim.source, only)):
            continue
        chosen.append(record)
    return chosen


def input_hash(record: ClaimRecord, checker: Checker[Any], context: CheckContext) -> str:
    payload = {
        "claim": record.claim.model_dump(mode="json"),
        "checker": checker.name,
        "version": checker.version,
        "inputs": dict(checker.fingerprint(record.claim, context)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def summarise(record: ClaimRecord, checks: list[CheckResult], digest: str) -> ClaimResult:
    status = combine(check.status for check in checks)
    lead = next((c for c in checks if c.status is status), None)
    summary = lead.summary if lead else "no checks"
    if len(checks) > 1 and lead is not None:
        summary = f"{lead.name}: {summary}"
    claim = record.claim
    return ClaimResult(claim_id=claim.id, source=claim.source, kind=claim.kind, status=status,
                       summary=summary, location=record.location, statement=claim.statement, tags=list(claim.tags),
                       checks=checks, input_hash=digest)


def check_one(record: ClaimRecord, checker: Checker[Any], context: CheckContext, digest: str) -> ClaimResult:
    started = time.perf_counter()
    try:
        checks = checker.check(record.claim, context)
    except Exception as exc:  # a bug in a checker must not abort the audit
        checks = [CheckResult(name=checker.name, status=Status.ERROR,
                              summary=f"checker failed: {type(exc).__name__}: {exc}",
                              duration_s=time.perf_counter() - started,
                              evidence=ErrorEvidence(traceback=traceback.format_exc()))]
    return summarise(record, checks, digest)


def run_audit(
    registry: Registry,
    records: Sequence[ClaimRecord],
    checkers: CheckerRegistry,
    options: AuditConfig,
    cache: ResultCache | None = None,
    on_result: Callable[[ClaimResult], None] | None = None,
    environment: Mapping[str, Any] | None = None,
) -> AuditRun:
    """KeyError (before anything runs) when a selected claim's kind has no checker."""
    started = now()
    unchecked = sorted({r.claim.kind for r in records} - checkers.kinds)
    if unchecked:
        raise KeyError(f"no checker is registered for {', '.join(unchecked)} claims")
    results: dict[str, ClaimResult] = {}
    for kinds in checkers.phases({r.claim.kind for r in records}):
        phase = [r for r in records if r.claim.kind in kinds]
        context = CheckContext(registry=registry, results=dict(results))
        for result in _run_phase(phase, checkers, context, options, cache):
            results[result.claim_id] = result
            if on_result is not None:
                on_result(result)
    ordered = [results[r.claim.id] for r in records]
    info = AuditInfo(started=started, finished=now(), registry=str(registry.root.name),
                     offline=options.offline, device=str(options.device), environment=dict(environment or {}),
                     selection={"only": options.only, "kind": options.kind, "claims": len(records)})
    return AuditRun(audit=info, results=ordered)


def _run_phase(
    records: Iterable[ClaimRecord],
    checkers: CheckerRegistry,
    context: CheckContext,
    options: AuditConfig,
    cache: ResultCache | None,
) -> Iterable[ClaimResult]:
    todo: list[tuple[ClaimRecord, Checker[Any], str]] = []
    for record in records:
        checker = checkers.checker_for(record.claim)
        digest = input_hash(record, checker, context)
        cached = None if (options.fresh or cache is None) else cache.get(digest)
        if cached is not None and cached.status not in NEVER_REUSED:
            yield cached.model_copy(update={"location": record.location, "reused": True})
            continue
        todo.append((record, checker, digest))
    for checker in {id(c): c for _, c, _ in todo}.values():
        checker.prepare([r.claim for r, c, _ in todo if c is checker])
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs), thread_name_prefix="check")
    try:
        futures: list[Future[ClaimResult]] = [
            pool.submit(check_one, record, checker, context, digest) for record, checker, digest in todo
        ]
        for future in as_completed(futures):
            result = future.result()
            if cache is not None:
                cache.put(result, now())
            yield result
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def exit_statuses(run: AuditRun, fail_on: frozenset[Status]) -> list[Status]:
    """The statuses named by --fail-on that occurred, in precedence order."""
    present = {r.status for r in run.results}
    return [s for s in PRECEDENCE if s in present and s in fail_on]
