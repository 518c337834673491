"""Measurement behind the title thresholds of verifier/references/matching.py (not a speed figure).

Real arXiv titles (the 2015 part of the shipped bulk metadata, 15,000 titles): 20,000 pairs of *different*
papers that share two or more title words, and every title of six words or more with one content word
replaced by a random word of the vocabulary (seed 1). Prints the similarity quantiles and the share of each
set at or above each threshold: a threshold must keep different papers apart and one changed word together."""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

from verifier.references.matching import title_similarity
from verifier.references.normalize import STOP_WORDS, fold, title_tokens
from verifier.references.readers import read

ROOT = Path(__file__).resolve().parent.parent


def different_pairs(titles: list[str], rng: random.Random) -> list[float]:
    """Similarities of 20,000 pairs of different titles sharing two or more words, sorted."""
    tokens = [set(title_tokens(t)) for t in titles]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(tokens):
        for word in words:
            by_word[word].append(i)
    pairs: set[tuple[int, int]] = set()
    for _ in range(200_000):
        i = rng.randrange(len(titles))
        if not tokens[i]:
            continue
        j = rng.choice(by_word[rng.choice(sorted(tokens[i]))])
        if i != j and len(tokens[i] & tokens[j]) >= 2 and titles[i].lower() != titles[j].lower():
            pairs.add((min(i, j), max(i, j)))
        if len(pairs) >= 20_000:
            break
    return sorted(title_similarity(titles[i], titles[j]) for i, j in pairs)


def one_word_replaced(titles: list[str], rng: random.Random) -> list[float]:
    """Similarities of each title (six words or more) with one content word replaced, sorted."""
    vocabulary = sorted({w for t in titles for w in title_tokens(t) if len(w) > 4})
    changed = []
    for title in titles:
        words = title.split()
        positions = [k for k, w in enumerate(words) if fold(w) not in STOP_WORDS and len(w) > 3]
        if len(words) < 6 or not positions:
            continue
        words[rng.choice(positions)] = rng.choice(vocabulary)
        changed.append(title_similarity(" ".join(words), title))
    return sorted(changed)


def main() -> int:
    titles = [r.title for r in read(ROOT / "data" / "snapshot" / "oai_dc_ml_na_2015.jsonl.gz")][:15000]
    rng = random.Random(1)
    different = different_pairs(titles, rng)
    changed = one_word_replaced(titles, rng)

    def quantile(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))]

    print(f"different papers ({len(different)} pairs): median {quantile(different, 0.5):.3f}, "
          f"99th percentile {quantile(different, 0.99):.3f}, max {different[-1]:.3f}")
    print(f"one word replaced ({len(changed)} titles): 5th percentile {quantile(changed, 0.05):.3f}, "
          f"10th {quantile(changed, 0.1):.3f}, median {quantile(changed, 0.5):.3f}")
    for threshold in (0.78, 0.85, 0.93):
        print(f">= {threshold}: different {sum(x >= threshold for x in different) / len(different):.4f}, "
              f"one word replaced {sum(x >= threshold for x in changed) / len(changed):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
