"""Figure: recall and precision of `verifier extract` against the curated claims of claims/*.yaml, per kind
and per source, and the time for a 100,000-line document (target < 5 s).

A curated claim is recalled when a candidate of the same kind has a quote that overlaps one of the curated
claim's quotes in the source (character ranges; for code, the candidate's whole block), or, for a citation,
when a candidate names the same work (title or name, folded) elsewhere in the document. Precision is the
share of candidates that overlap some curated claim of their kind (all four registries are complete).
`fact` has no target: the curated registries hold few facts (most declarative sentences of the bundled
documents were captured as citations' summaries or math statements), so its precision is a lower bound."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from verifier.extraction.candidates import Candidate
from verifier.extraction.draft import extract
from verifier.references.normalize import words
from verifier.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"citation": 0.90, "code": 0.90, "math": 0.70, "api": 0.90}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main() -> int:
    registry = load_registry(ROOT / "claims")
    rows = []
    unmatched: dict[str, int] = {}  # citation drafts that match no curated claim, by the finder's reason
    for slug, doc in sorted(registry.sources.items()):
        candidates = extract(doc.text.text)
        for kind in ("citation", "code", "math", "api", "fact"):
            curated = [r for r in registry.records if r.claim.source == slug and r.claim.kind == kind]
            spans = [[(a.start, a.end) for a in r.anchors] for r in curated]
            mine = [c for c in candidates if c.kind == kind]
            mine_spans = [[(m.start(), m.start() + _covered(c)) for m in _finditer(doc.text.text, c.quote)]
                          for c in mine]
            names = {_work(c.fields.get("reference", {})) for c in mine} - {""}
            recalled = sum(1 for r, s in zip(curated, spans, strict=True)
                           if any(overlaps(a, b) for ms in mine_spans for a in s for b in ms)
                           or (kind == "citation" and _work(r.claim.reference.model_dump()) in names))
            matched = [any(overlaps(a, b) for s in spans for a in s for b in ms) for ms in mine_spans]
            precise = sum(matched)
            if kind == "citation":
                for candidate, hit in zip(mine, matched, strict=True):
                    unmatched[candidate.reason] = unmatched.get(candidate.reason, 0) + (not hit)
            rows.append((slug, kind, len(curated), recalled, len(mine), precise))
    print(f"{'source':30} {'kind':9} {'curated':>7} {'recall':>8} {'candidates':>10} {'precision':>9}")
    totals: dict[str, list[int]] = {}
    for slug, kind, curated, recalled, mine, precise in rows:
        recall = f"{recalled / curated:.0%}" if curated else "-"
        precision = f"{precise / mine:.0%}" if mine else "-"
        print(f"{slug:30} {kind:9} {curated:7} {recall:>8} {mine:10} {precision:>9}")
        total = totals.setdefault(kind, [0, 0, 0, 0])
        for index, value in enumerate((curated, recalled, mine, precise)):
            total[index] += value
    ok = True
    for kind, (curated, recalled, mine, precise) in totals.items():
        recall = recalled / curated if curated else 1.0
        ok &= recall >= TARGETS.get(kind, 0.0)
        target = f"  (target recall >= {TARGETS[kind]:.0%})" if kind in TARGETS else "  (no target)"
        print(f"{'all sources':30} {kind:9} {curated:7} {recall:8.0%} {mine:10} {precise / max(1, mine):9.0%}"
              f"{target}")
    print("citation drafts that match no curated claim, by finder: " + ", ".join(
        f"{reason} {count}" for reason, count in sorted(unmatched.items(), key=lambda item: -item[1]) if count))
    text = (ROOT / "claims" / "sources" / "attention-numerics-chat.txt").read_text()
    big = "\n".join([text] * (100_000 // text.count("\n") + 1))
    big = "\n".join(big.split("\n")[:100_000])
    times = []
    for _ in range(3):
        start = time.perf_counter()
        found = extract(big)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(f"extract_recall: 100,000-line document in {seconds:.2f} s, median of 3 ({len(found)} candidates after "
          f"merging repeats); target < 5 s")
    return 0 if ok and seconds < 5 else 1


def _work(reference: dict[str, object]) -> str:
    """A cited work's identity for matching: its title or name, folded (the same work found elsewhere in
    the document counts, e.g. a title the slides repeat with the year)."""
    value = reference.get("title") or reference.get("name") or ""
    return " ".join(words(str(value)))


def _covered(candidate: Candidate) -> int:
    """Characters a candidate puts in front of a reviewer: its quote, or for code the whole block (the
    quote is the block's first line; a curated claim may quote a later line of it)."""
    code = candidate.fields.get("code")
    return len(code) if isinstance(code, str) and len(code) > len(candidate.quote) else len(candidate.quote)


def _finditer(text: str, quote: str):  # type: ignore[no-untyped-def]
    import re

    return re.finditer(re.escape(quote), text)


if __name__ == "__main__":
    sys.exit(main())
