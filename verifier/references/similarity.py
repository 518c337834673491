"""Does a summary fit an abstract? TF-IDF cosine similarity, with document frequencies from the snapshot.

No model can be downloaded here, and none is needed to tell "this summary is about quadrature" from an
abstract about speech recognition: shared rare words carry the signal. Generic words of summaries
("paper", "propose", "show") are stop words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from verifier.references.normalize import words

STOP = frozenset(
    "a an and are as at be been by can for from has have in into is it its of on or that the their these "
    "this those to was we were which with also paper papers propose proposes proposed show shows present "
    "presents new method methods approach based using use used our such than then they them more most "
    "other both each it's how what when where who will would may might not no only over same so some "
    "very ".split()
)


def terms(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 2 and w not in STOP and not w.isdigit()]


def similarities(summary: str, abstracts: Sequence[str],
                 document_frequency: Callable[[list[str]], dict[str, int]] | None = None,
                 documents: int = 0) -> list[float]:
    """Cosine similarity of the summary with each abstract (0..1)."""
    query = Counter(terms(summary))
    bags = [Counter(terms(text)) for text in abstracts]
    vocabulary = sorted(set(query).union(*bags)) if bags else sorted(query)
    if document_frequency is not None and documents > 0:
        df = document_frequency(vocabulary)
        total = documents
    else:  # no corpus statistics: the candidates themselves
        df = {t: sum(1 for bag in bags if t in bag) for t in vocabulary}
        total = max(1, len(bags))
    idf = {t: math.log((total + 1) / (df.get(t, 0) + 1)) + 1.0 for t in vocabulary}

    def vector(bag: Counter[str]) -> dict[str, float]:
        return {t: (1 + math.log(c)) * idf[t] for t, c in bag.items()}

    def norm(v: dict[str, float]) -> float:
        return math.sqrt(sum(x * x for x in v.values())) or 1.0

    q = vector(query)
    qn = norm(q)
    scores = []
    for bag in bags:
        d = vector(bag)
        scores.append(sum(q[t] * d.get(t, 0.0) for t in q) / (qn * norm(d)))
    return scores
