"""Compare a claimed output with observed outputs, number by number, at the precision that was printed.

Rules (documented in the README):
- Both texts are split into words and numbers (punctuation and line breaks ignored) and aligned with a
  diff on the word skeleton, so a collapsed log or extra warning lines in the observed output do not
  throw the pairing off. Extra observed tokens are ignored; a claimed number with no partner is missing.
- With several runs (seeds), each run is judged on its own: the log is reproduced when ONE run reproduces
  all of it (every number at its printed precision); numbers are never pooled across runs, so more seeds
  never widen what passes. Otherwise the verdict is that of the nearest run (best status, then most
  numbers agreeing, then the smallest worst deviation), and the summary says which run it was.
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
from collections.abc import Sequence

from verifier.execution.patterns import mask
from verifier.execution.tokens import Token, tokenize
from verifier.results.evidence import Comparison, NumberCheck, NumberVerdict, RunMatch
from verifier.verdicts import Status


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
            ignore: Sequence[str] = (), text_mode: str = "normalised",
            labels: Sequence[str] | None = None) -> Comparison:
    """Judge each run against the whole claimed log; the best run decides (see the module docstring).
    `labels` name the runs in the summary (e.g. "seed 3"). ValueError for an unusable ignore pattern."""
    patterns = list(ignore)
    claimed = tokenize(mask(claimed_text, patterns))
    names = list(labels) if labels is not None else [f"run {i + 1}" for i in range(len(observed_texts))]
    judged = [(name, _judge_run(claimed, tokenize(mask(text, patterns)), rtol, atol, text_mode))
              for name, text in zip(names, observed_texts, strict=True)]
    if not judged:
        return _judge_run(claimed, [], rtol, atol, text_mode)
    matches = [_match(name, result) for name, result in judged]
    best = min(range(len(judged)), key=lambda i: _rank(matches[i]))
    name, result = judged[best]
    if len(judged) == 1:
        return result.model_copy(update={"run": name, "runs": matches})
    reproducing = sum(1 for match in matches if match.status is Status.CONFIRMED)
    if result.status is Status.CONFIRMED:
        summary = f"{result.summary} in {name} ({reproducing} of {len(judged)} runs reproduce the whole log)"
    else:
        match = matches[best]
        worst = "" if match.worst_deviation is None else f", worst deviation {match.worst_deviation:.3g}"
        summary = (f"no single run reproduces the log; nearest is {name} ({match.agreeing} of {match.numbers} "
                   f"numbers agree{worst}): {result.summary}")
    return result.model_copy(update={"summary": summary, "run": name, "runs": matches})


_ORDER = {Status.CONFIRMED: 0, Status.APPROXIMATE: 1, Status.REFUTED: 2}


def _match(name: str, result: Comparison) -> RunMatch:
    deltas = [c.delta for c in result.numbers if c.delta is not None]
    missing = any(c.verdict == "missing" for c in result.numbers)
    worst = math.inf if missing else (max(deltas) if deltas else None)
    agreeing = sum(1 for c in result.numbers if c.verdict == "confirmed")
    return RunMatch(run=name, status=result.status, agreeing=agreeing, numbers=len(result.numbers),
                    worst_deviation=worst)


def _rank(match: RunMatch) -> tuple[int, int, float]:
    worst = match.worst_deviation
    return _ORDER[match.status], -match.agreeing, math.inf if worst is None or math.isnan(worst) else worst


def _judge_run(claimed: list[Token], observed: list[Token], rtol: float, atol: float, text_mode: str) -> Comparison:
    if not any(t.is_number for t in claimed):
        return _compare_words(claimed, observed, text_mode)
    numbers, words, extra = _pairs(claimed, observed)
    checks = []
    for index, token in enumerate(claimed):
        if not token.is_number:
            continue
        partner = numbers.get(index)
        values = [partner.value] if partner is not None and partner.value is not None else []
        verdict, delta = _judge(token, values, rtol, atol)
        value = values[0] if values else None
        checks.append(NumberCheck(claimed=token.text, observed=[partner.text] if partner is not None else [],
                                  low=value, high=value, delta=delta, half_unit=token.half_unit,
                                  verdict=verdict))
    missing_words = [] if text_mode == "ignore" else [
        t.text for i, t in enumerate(claimed) if not t.is_number and i not in words]
    return _overall(checks, missing_words, extra)


def _overall(checks: list[NumberCheck], missing_words: list[str], extra: int) -> Comparison:
    bad = [c for c in checks if c.verdict in ("refuted", "missing")]
    close = [c for c in checks if c.verdict == "approximate"]
    if bad:
        shown = ", ".join(f"{c.claimed} vs {_observed(c)}" for c in bad[:4])
        more = f" (+{len(bad) - 4} more)" if len(bad) > 4 else ""
        return Comparison(status=Status.REFUTED, numbers=checks, missing_words=missing_words,
                          extra_observed_tokens=extra,
                          summary=f"{len(bad)} of {len(checks)} printed numbers differ: {shown}{more}")
    if close or missing_words:
        parts = []
        if close:
            parts.append(f"{len(close)} of {len(checks)} numbers agree only within tolerance: "
                         + ", ".join(f"{c.claimed} vs {_observed(c)}" for c in close[:4]))
        if missing_words:
            parts.append(f"claimed words not in the output: {' '.join(missing_words[:8])}")
        return Comparison(status=Status.APPROXIMATE, numbers=checks, missing_words=missing_words,
                          extra_observed_tokens=extra, summary="; ".join(parts))
    return Comparison(status=Status.CONFIRMED, numbers=checks, missing_words=missing_words,
                      extra_observed_tokens=extra,
                      summary=f"all {len(checks)} printed numbers agree at the printed precision")


def _observed(check: NumberCheck) -> str:
    if not check.observed:
        return "nothing"
    if check.low is not None and check.high is not None and check.low != check.high:
        return f"{check.low:g}..{check.high:g}"
    return check.observed[0]


def _compare_words(claimed: list[Token], observed: list[Token], text_mode: str) -> Comparison:
    want = [t.text.lower() for t in claimed]
    seen = [t.text.lower() for t in observed]
    if text_mode == "ignore" or seen == want:
        return Comparison(status=Status.CONFIRMED, summary="the printed text matches")
    missing = [w for w in want if w not in seen]
    return Comparison(status=Status.REFUTED, missing_words=missing,
                      summary=f"the printed text differs (claimed words missing: {' '.join(missing[:8]) or 'none'})")
