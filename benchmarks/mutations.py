"""Mutation score of the declarative math checks of the bundled registry, per source.

Every single-place mutation of a stated side (a sign, a factor 2, swapped operands, a transposed matrix, an
exponent) of a confirmed claim must refute it; each refuted claim made correct (mutation_corrections.yaml)
must confirm, and its mutants must refute. Mutants that agree with the original formula on random inputs
(an identity probe) are equivalent, not a weakness of the check, and are listed apart.

    .venv/bin/python benchmarks/mutations.py [--jobs 2] [--registry claims]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from verifier.mathcheck.mutation_score import load_corrections, rate, score_registry, totals

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registry", type=Path, default=HERE.parent / "claims")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    scores = score_registry(args.registry, load_corrections(HERE / "mutation_corrections.yaml"), args.jobs)
    by_source = defaultdict(list)
    for score in scores:
        by_source[score.source].append(score)
    print(f"{'source':36} {'claims':>6} {'mutants':>8} {'flipped':>8} {'equiv.':>7} {'score':>7}")
    for source, group in sorted(by_source.items()):
        counts = totals(group)
        mutants = counts["flipped"] + counts["survived"] + counts["failed"] + counts["equivalent"]
        print(f"{source:36} {len(group):>6} {mutants:>8} {counts['flipped']:>8} {counts['equivalent']:>7} "
              f"{rate(counts):>7.1%}")
    counts = totals(scores)
    print(f"\nall: {rate(counts):.1%} of {counts['flipped'] + counts['survived'] + counts['failed']} non-equivalent "
          f"mutants flip confirmed -> refuted ({counts['equivalent']} equivalent mutants left out); "
          f"refuted made correct -> confirmed: {counts['corrected']} of {counts['corrections_tried']}; "
          f"{time.perf_counter() - started:.1f} s")
    not_run = [s.claim_id for s in scores if s.original_holds is False and s.corrected_holds is None]
    if not_run:
        print("refuted claims without a correction (no mutants run):", ", ".join(not_run))
    for score in scores:
        for mutant, equivalent in score.survived:
            kind = "equivalent" if equivalent else "SURVIVED"
            print(f"  {kind}: {score.claim_id} [{mutant.field}] {mutant.operator}: {mutant.mutated}")
        for mutant, summary in score.failed:
            print(f"  FAILED TO RUN: {score.claim_id} [{mutant.field}] {mutant.operator}: {summary[:120]}")
        if score.corrected_holds is False:
            print(f"  CORRECTION NOT CONFIRMED: {score.claim_id}")


if __name__ == "__main__":
    main()
