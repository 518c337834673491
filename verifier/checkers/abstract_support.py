"""Which sentences of a cited paper's abstract speak to a fact claimed about the paper.

A fact such as "WaveNet is a generative model of raw audio" is checked by a reader, but the reader should
not have to search the abstract: each abstract sentence is scored against the statement (TF-IDF cosine over
the abstract's own sentences, the same weighting as the summary check, `references/similarity.py`) and the
sentences that share its content words are listed with the words they share. This is evidence, not a
verdict: sharing words is not saying the same thing (a negation shares every word)."""

from __future__ import annotations

import re

from verifier.references.similarity import similarities, terms
from verifier.results.evidence import AbstractSupport, SentenceMatch

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")
MIN_SCORE = 0.05  # any shared content word of some weight; the score is shown, a reader judges
TOP = 3


def abstract_sentences(abstract: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(" ".join(abstract.split())) if s.strip()]


def supporting_sentences(statement: str, abstract: str) -> AbstractSupport:
    """The abstract sentences closest to the statement (score >= MIN_SCORE, best first, at most TOP)."""
    sentences = abstract_sentences(abstract)
    scores = similarities(statement, sentences) if sentences else []
    wanted = set(terms(statement))
    ranked = sorted(zip(scores, sentences, strict=True), key=lambda pair: -pair[0])
    found = [SentenceMatch(sentence=sentence, score=round(score, 3), shared=sorted(wanted & set(terms(sentence))))
             for score, sentence in ranked[:TOP] if score >= MIN_SCORE]
    return AbstractSupport(method="tf-idf cosine of the statement with each abstract sentence", threshold=MIN_SCORE,
                           sentences=found, abstract_sentences=len(sentences))
