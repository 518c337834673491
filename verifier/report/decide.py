"""What would decide a claim the audit left open (`unverifiable`, `skipped`, `unreachable`).

A reader of the report wants the next step, not only the verdict: go online, install a package, add a check,
add a review. The step is derived from what the run wrote for the claim (each check's status, name,
evidence and summary, the claim's kind, and the result of the citation a fact is about), never from a
table per claim, so two claims in the same situation get the same advice. A rule that does not recognise
the situation says nothing rather than guess; the verdict's own summary is still on the page.

Evidence is read through its typed models (results/evidence.py); a report on disk from an older version is
upgraded when read, and evidence of another variant (or `legacy`) means "this rule does not apply", never an
exception."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from verifier.results.evidence import AboutEvidence, ApiEvidence, ReferenceEvidence, ReviewEvidence, RunEvidence
from verifier.results.models import AuditRun, CheckResult, ClaimResult
from verifier.verdicts import Status

UNDECIDED = frozenset({Status.UNVERIFIABLE, Status.SKIPPED, Status.UNREACHABLE})
#: Verdicts of a citation that leave its paper found: what the paper says is then for a reader to judge.
FOUND = frozenset({Status.CONFIRMED, Status.APPROXIMATE, Status.MISMATCH})

_NOT_INSTALLED = re.compile(r"^(?:needs|imports) (?P<names>[^;]+?), not installed here")
_DEVICE = re.compile(r"needs an? (?P<device>\w+) device")
_NOT_AUDITED = re.compile(r"^(?P<claim>\S+) was not audited in this run")

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """What to do (`action`: the same words for every claim in the same situation, so steps can be counted)
    and why this claim needs it."""

    action: str
    why: str = ""

    def text(self) -> str:
        return f"{self.action}: {self.why}" if self.why else self.action


@dataclass(frozen=True)
class Audit:
    """What a rule may read besides the claim: the other results (a fact's citation) and how the audit ran."""

    results: Mapping[str, ClaimResult]
    offline: bool

    @classmethod
    def of(cls, run: AuditRun) -> Audit:
        return cls({result.claim_id: result for result in run.results}, run.audit.offline)


def steps(run: AuditRun) -> dict[str, list[Step]]:
    """claim id -> the steps that would decide it, for every open claim a rule speaks for."""
    audit = Audit.of(run)
    found = {result.claim_id: claim_steps(result, audit) for result in run.results}
    return {claim: claim_found for claim, claim_found in found.items() if claim_found}


def what_would_decide(run: AuditRun) -> dict[str, str]:
    """claim id -> the steps that would decide it, as one line."""
    return {claim: line(found) for claim, found in steps(run).items()}


def next_steps(run: AuditRun) -> list[tuple[str, int]]:
    """Each action with the number of open claims it would decide, most first (the overview's list)."""
    counted: dict[str, int] = {}
    for found in steps(run).values():
        for action in _unique(step.action for step in found):
            counted[action] = counted.get(action, 0) + 1
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


def decide(result: ClaimResult, audit: Audit) -> str | None:
    """The steps for one claim as one line, or None when it is decided or no rule speaks for it."""
    return line(claim_steps(result, audit)) or None


def line(found: Iterable[Step]) -> str:
    return "; ".join(step.text() for step in found)


def claim_steps(result: ClaimResult, audit: Audit, depth: int = 0) -> list[Step]:
    """The steps for one claim, from its checks that carry its verdict (the others did not decide it)."""
    if result.status not in UNDECIDED:
        return []
    if not result.checks:
        return [_no_check(result)]
    review = next((c for c in result.checks if c.manual and c.status is result.status), None)
    if review is not None:
        return [_reviewed(review)]
    found = [_check_step(check, result, audit, depth) for check in result.checks if check.status is result.status]
    return _unique(step for step in found if step is not None)


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def _check_step(check: CheckResult, result: ClaimResult, audit: Audit, depth: int) -> Step | None:
    rules: dict[Status, Callable[[], Step | None]] = {
        Status.SKIPPED: lambda: _skipped(check, result, audit),
        Status.UNREACHABLE: lambda: _unreachable(check),
        Status.UNVERIFIABLE: lambda: _unverifiable(check, result, audit, depth),
    }
    return rules[check.status]() if check.status in rules else None


def _unverifiable(check: CheckResult, result: ClaimResult, audit: Audit, depth: int) -> Step | None:
    if isinstance(check.evidence, ReferenceEvidence):
        return _reference(check, check.evidence)
    if check.name == "none" and result.kind == "fact":
        return Step("add a review", "a person's verdict, a note and the evidence read; or `about:` the citation "
                                    "whose record would be its evidence")
    if check.name == "about":
        return _about(check, audit, depth)
    return None


# -- citations ---------------------------------------------------------------------------------------------


def _reference(check: CheckResult, evidence: ReferenceEvidence) -> Step:
    """A reference no index could speak for: say which index would (online, covering, complete)."""
    summary = check.summary
    if summary.startswith("nothing to look up"):
        what = "open the link it gives and judge it by hand" if "only link" in summary else "identify the work by hand"
        return Step(what, "the source gives no title, name, DOI or arXiv id to look up (a `fact` about it can "
                          "carry a review)")
    asked = evidence.indexes
    if not asked:
        return Step("build the offline snapshot (`verifier index build`) or audit online", "no index was available")
    covering = [a for a in asked if a.covers_reference and a.answered]
    if not any(a.online for a in asked):
        why = ("no offline index covers it" if not covering
               else "the offline index that covers it is not complete for it")
        return Step("audit online (without --offline)", f"{why}; an online index can find it or confirm it is absent")
    not_asked = [note for note in evidence.notes if " not asked: " in note]
    enable = f"; enable {'; '.join(not_asked)}" if not_asked else ""
    if summary.startswith("the source names"):
        return Step("identify the paper that introduced the name", "no paper in the indexes is titled after it or "
                    f"introduces it, and the name table has no row for it{enable}")
    if not covering:
        return Step("find the work by hand or ask an index that covers its venue and year",
                    f"none asked covers it{enable}")
    return Step("ask a second online index that covers it (`--index`)", "the covering indexes that answered are "
                f"neither complete for it nor two independent online ones{enable}")


# -- facts -------------------------------------------------------------------------------------------------


def _about(check: CheckResult, audit: Audit, depth: int) -> Step:
    evidence = check.evidence
    if not isinstance(evidence, AboutEvidence):
        missing = _NOT_AUDITED.match(check.summary)
        which = missing.group("claim") if missing else "the citation it is about"
        return Step("audit it together with the citation it is about", f"{which} was not in this audit")
    about = evidence.about
    if evidence.about_status in FOUND:
        title = evidence.record.title if evidence.record else None
        paper = f"{title!r} ({about})" if title else about
        return Step("add a review", f"read {paper} and record whether it says this")
    cited = audit.results.get(about)
    inner = claim_steps(cited, audit, depth + 1) if cited is not None and depth < 2 else []
    return Step("resolve the cited paper, then add a review",
                f"{about}: {line(inner)}" if inner else f"{about} is not resolved")


def _reviewed(review: CheckResult) -> Step:
    who = review.evidence.reviewer if isinstance(review.evidence, ReviewEvidence) else None
    by = f" by {who}" if who else ""
    return Step("find new evidence (a source, a measurement)", f"reviewed{by} as {review.status.value}")


# -- not run here ------------------------------------------------------------------------------------------


def _skipped(check: CheckResult, result: ClaimResult, audit: Audit) -> Step:
    evidence = check.evidence
    missing = list(evidence.missing) if isinstance(evidence, RunEvidence) else []
    found = _NOT_INSTALLED.match(check.summary)
    if not missing and found:
        missing = [name.strip() for name in found.group("names").split(",") if name.strip()]
    if missing:
        # an api claim on a package not installed is judged online from the newest release's source
        online = (" or audit online (the package index shows whether its newest release has the name)"
                  if result.kind == "api" and audit.offline
                  and not (isinstance(evidence, ApiEvidence) and evidence.latest) else "")
        return Step(f"install {', '.join(missing)} and audit again{online}")
    device = _DEVICE.search(check.summary)
    if device:
        name = device.group("device")
        return Step(f"audit on a machine with a {name} device (`--device {name}`)")
    return Step("audit where it can run", check.summary)


def _unreachable(check: CheckResult) -> Step:
    failed = check.evidence.failed if isinstance(check.evidence, ReferenceEvidence) else []
    names = _unique(f.index for f in failed if f.index)
    if names:
        verb = "answers" if len(names) == 1 else "answer"
        return Step(f"audit again when {', '.join(names)} {verb}", "a network or service failure, not a finding")
    return Step("audit again once it can be reached", check.summary)


def _no_check(result: ClaimResult) -> Step:
    if result.kind in ("math", "code"):
        return Step("add a check", f"`verifier new-check {result.source} <name>` writes a Python check template "
                                   "(or write a declarative check in the claim)")
    if result.kind == "fact":
        return Step("add a review", "a person's verdict, a note and the evidence read")
    return Step("add a check or a review", "nothing ran for this claim")
