"""Compare a claimed output with observed outputs, number by number, at the precision that was printed.

Rules (documented in the README):
- Both texts are split into words and numbers (punctuation and line breaks ignored) and aligned with a
  diff on the word skeleton, so a collapsed log or extra warning lines in the observed output do not
  throw the pairing off. Extra observed tokens are ignored; a claimed number with no partner is missing.
- With several runs (seeds), each claimed number is judged against the observed range over the runs.
- A number is `confirmed` when the observed value (or range) is within half a unit of the claimed
  number's last printed digit (a claimed `2.5000` means 2.5 +- 0.00005); `approximate` when within one
  unit of that digit (not for integers: 46 for 45 is a wrong count), or within the claim's rtol/atol;
  otherwise `refuted`.
- The claim is `refuted` if any number is refuted or missing, `approximate` if any is approximate or if
  claimed words are missing from the output, `confirmed` otherwise. Without numbers, the word sequences
  must be equal."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from verifier.execution.tokens import Token, tokenize

NumberVerdict = Literal["confirmed", "approximate", "refuted", "missing"]
Overall = Literal["confirmed", "approximate", "refuted"]


@dataclass(frozen=True)
class NumberCheck:
    claimed: str
    observed: list[str]
    low: float | None
    high: float | None
    delta: float | None
    half_unit: float
    verdict: NumberVerdict


@dataclass(frozen=True)
class Comparison:
    status: Overall
    numbers: list[NumberCheck] = field(default_factory=list)
    missing_words: list[str] = field(default_factory=list)
    extra_observed_tokens: int = 0
    summary: str = ""

    def evidence(self) -> dict[str, Any]:
        return asdict(self)


def _mask(text: str, patterns: Sequence[str]) -> str:
    for pattern in patterns:
        text = re.sub(pattern, " ", text)
    return text


def _pairs(claimed: list[Token], observed: list[Token]) -> tuple[dict[int, Token], set[int], int]:
    """Claimed index -> observed number token; claimed word indices matched; observed tokens unused."""
    matcher = difflib.SequenceMatcher(None, [t.key for t in claimed], [t.key for t in observed], autojunk=False)
    numbers: dict[int, Token] = {}
    words: set[int] = set()
    used = 0
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for offset in range(a1 - a0):
                if claimed[a0 + offset].is_number:
                    numbers[a0 + offset] = observed[b0 + offset]
                else:
                    words.add(a0 + offset)
            used += a1 - a0
        elif op == "replace":
            left = [i for i in range(a0, a1) if claimed[i].is_number]
            right = [j for j in range(b0, b1) if observed[j].is_number]
            if len(left) == len(right):
                numbers.update({i: observed[j] for i, j in zip(left, right, strict=True)})
                used += len(left)
    return numbers, words, len(observed) - used


def _judge(token: Token, values: list[float], rtol: float, atol: float) -> tuple[NumberVerdict, float | None]:
    claimed = token.value
    assert claimed is not None
    if not values:
        return "missing", None
    if math.isnan(claimed) or any(math.isnan(v) for v in values):
        same = math.isnan(claimed) and all(math.isnan(v) for v in values)
        return ("confirmed" if same else "refuted"), (0.0 if same else math.nan)
    low, high = min(values), max(values)
    if math.isinf(claimed) or math.isinf(low) or math.isinf(high):
        same = low == high == claimed
        return ("confirmed" if same else "refuted"), (0.0 if same else math.inf)
    delta = max(0.0, low - claimed, claimed - high)
    slack = 1e-9 * max(1.0, abs(claimed))  # float parsing of printed decimals
    if delta <= token.half_unit + slack:
        return "confirmed", delta
    lenient = 0.0 if token.is_integer else 2 * token.half_unit  # one unit of the last printed digit
    if delta <= lenient + slack or delta <= atol + rtol * abs(claimed):
        return "approximate", delta
    return "refuted", delta


def compare(claimed_text: str, observed_texts: Sequence[str], rtol: float = 1e-3, atol: float = 0.0,
            ignore: Sequence[str] = (), text_mode: str = "normalised") -> Comparison:
    claimed = tokenize(_mask(claimed_text, ignore))
    runs = [tokenize(_mask(text, ignore)) for text in observed_texts]
    if not any(t.is_number for t in claimed):
        return _compare_words(claimed, runs, text_mode)
    matched: dict[int, list[Token]] = {}
    matched_words: set[int] | None = None
    extra = 0
    for observed in runs:
        numbers, words, unused = _pairs(claimed, observed)
        for index, token in numbers.items():
            matched.setdefault(index, []).append(token)
        matched_words = words if matched_words is None else matched_words & words
        extra = max(extra, unused)
    checks = []
    for index, token in enumerate(claimed):
        if not token.is_number:
            continue
        partners = matched.get(index, []) if len(matched.get(index, [])) == len(runs) else []
        values = [t.value for t in partners if t.value is not None]
        verdict, delta = _judge(token, values, rtol, atol)
        checks.append(NumberCheck(token.text, [t.text for t in partners], min(values) if values else None,
                                  max(values) if values else None, delta, token.half_unit, verdict))
    missing_words = [t.text for i, t in enumerate(claimed) if not t.is_number and i not in (matched_words or set())]
    if text_mode == "ignore":
        missing_words = []
    return _overall(checks, missing_words, extra)


def _overall(checks: list[NumberCheck], missing_words: list[str], extra: int) -> Comparison:
    bad = [c for c in checks if c.verdict in ("refuted", "missing")]
    close = [c for c in checks if c.verdict == "approximate"]
    if bad:
        shown = ", ".join(f"{c.claimed} vs {_observed(c)}" for c in bad[:4])
        more = f" (+{len(bad) - 4} more)" if len(bad) > 4 else ""
        return Comparison("refuted", checks, missing_words, extra,
                          f"{len(bad)} of {len(checks)} printed numbers differ: {shown}{more}")
    if close or missing_words:
        parts = []
        if close:
            parts.append(f"{len(close)} of {len(checks)} numbers agree only within tolerance: "
                         + ", ".join(f"{c.claimed} vs {_observed(c)}" for c in close[:4]))
        if missing_words:
            parts.append(f"claimed words not in the output: {' '.join(missing_words[:8])}")
        return Comparison("approximate", checks, missing_words, extra, "; ".join(parts))
    return Comparison("confirmed", checks, missing_words, extra,
                      f"all {len(checks)} printed numbers agree at the printed precision")


def _observed(check: NumberCheck) -> str:
    if not check.observed:
        return "nothing"
    if check.low is not None and check.high is not None and check.low != check.high:
        return f"{check.low:g}..{check.high:g}"
    return check.observed[0]


def _compare_words(claimed: list[Token], runs: list[list[Token]], text_mode: str) -> Comparison:
    want = [t.text.lower() for t in claimed]
    if text_mode == "ignore" or all([t.text.lower() for t in run] == want for run in runs):
        return Comparison("confirmed", summary="the printed text matches")
    observed = [t.text.lower() for t in runs[0]] if runs else []
    missing = [w for w in want if w not in observed]
    return Comparison("refuted", missing_words=missing,
                      summary=f"the printed text differs (claimed words missing: {' '.join(missing[:8]) or 'none'})")
