"""How close a verdict sat to its decision threshold, so a reader knows which verdicts a small change in the
measurement (or in the threshold) would flip.

`margin` is the distance from the measurement to the threshold that decided the verdict, as a fraction of
the threshold: 0 on the threshold, 1 a whole threshold away, positive on the side the verdict took.
A check may report it (`CheckResult.margin`; a math check may measure a `margin` number);
otherwise it is read from the evidence the check left:

- code output: the printed number nearest to its limit, `1 - deviation / tolerance` with the tolerance of
  the tier it reached (half a unit of the last printed digit for `confirmed`, one unit for `approximate`),
  or `-(deviation / unit - 1)` for the refuted number that came closest;
- a reference's title: the best candidate's title score minus the nearest of the matching thresholds (0.93
  same title, 0.78 same paper cited with other wording), in units of 0.07 (the distance from the upper
  threshold to a perfect score), since a score is bounded and a fraction of 0.93 says little.

`|margin| < NEAR` is shown as "near threshold" in the table and the report."""

from __future__ import annotations

import math

from verifier.results.evidence import Comparison, ObservationEvidence, ReferenceEvidence, RunEvidence
from verifier.results.models import CheckResult, ClaimResult
from verifier.verdicts import Status

NEAR = 0.1
TITLE_THRESHOLDS = (0.93, 0.78)  # verifier/references/matching.py: TITLE_SAME, TITLE_VARIANT
TITLE_SCALE = 1.0 - TITLE_THRESHOLDS[0]


def _comparison_margin(comparison: Comparison) -> float | None:
    margins = []
    for number in comparison.numbers:
        delta, half = number.delta, number.half_unit
        if delta is None or not math.isfinite(delta) or half <= 0:
            continue
        if number.verdict == "confirmed":
            margins.append(1 - delta / half)
        elif number.verdict == "approximate":
            margins.append(1 - delta / (2 * half))
        elif number.verdict == "refuted":
            margins.append(-(delta / (2 * half) - 1))
    if not margins:
        return None
    if comparison.status is Status.REFUTED:
        refuted = [m for m in margins if m < 0]
        return max(refuted) if refuted else None
    return min(margins)


def _title_margin(evidence: ReferenceEvidence) -> float | None:
    if not evidence.candidates:
        return None
    title = evidence.candidates[0].score.title
    if title is None or not math.isfinite(title):
        return None
    nearest = min(TITLE_THRESHOLDS, key=lambda t: abs(title - t))
    return (title - nearest) / TITLE_SCALE


def margin_of(check: CheckResult) -> float | None:
    """The check's own margin, else one read from its evidence, else None (no threshold applies)."""
    if check.margin is not None:
        return check.margin
    evidence = check.evidence
    if isinstance(evidence, ObservationEvidence):
        return evidence.observation.margin()
    if isinstance(evidence, RunEvidence) and evidence.comparison is not None:
        return _comparison_margin(evidence.comparison)
    if isinstance(evidence, ReferenceEvidence):
        return _title_margin(evidence)
    return None


def near_threshold(result: ClaimResult) -> list[tuple[str, float]]:
    """(check name, margin) of each check of a claim whose verdict sat near its threshold."""
    found = []
    for check in result.checks:
        margin = margin_of(check)
        if margin is not None and abs(margin) < NEAR:
            found.append((check.name, margin))
    return found
