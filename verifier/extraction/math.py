"""Math and numeric statements: equations, formulas (LaTeX or flattened), complexity, worked numbers, and
sentences that state a mathematical property; each a `math` candidate left for a person to attach a check."""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from verifier.extraction.candidates import Candidate
from verifier.extraction.math_checks import draft_check
from verifier.extraction.text import LATEX, Document, is_question, prose_sentences

SIGNALS: list[tuple[str, re.Pattern[str], float]] = [
    ("equation", re.compile(r"[\w)\]]\s*=\s*[\w(\[$\\-]|≈|≠|≤|≥"), 0.35),
    ("big-O complexity", re.compile(r"\bO\([^)]*\)"), 0.5),
    ("LaTeX or formula", re.compile(r"\$[^$]+\$|" + LATEX.pattern + r"|\^\d|√|∑|∫|∂|𝛁|sqrt\("), 0.35),
    ("percentage or metric value", re.compile(
        r"\d+(?:\.\d+)?\s*%|\b(?:accuracy|precision|recall|loss|error)\b[^.]*\d"), 0.3),
    ("mathematical property", re.compile(
        r"\b(derivatives?|gradients?|integrals?|order of|converge\w*|complexity|positive definite|eigen\w*|rank|"
        r"probabilit(?:y|ies)|distributions?|variances?|orthogonal|normaliz\w*|dimension\w*|power of two|divergence|"
        r"laplacian|equivalent to|proportional|linear|quadratic|exponential\w*)\b", re.I), 0.3),
    ("mathematical object", re.compile(
        r"\b(matrix|matrices|vector|tensor|kernel|function|trees?|Runge-Kutta|softmax|transpose|norm|FFT|DFT|"
        r"Fourier|polynomial|logarithm|sum|product|projection)\b", re.I), 0.15),
    ("number", re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])"), 0.1),
]
MIN_CONFIDENCE = 0.3


def find(doc: Document) -> list[Candidate]:
    """Math candidates from prose lines; headings and questions state nothing, so none comes from them."""
    found = []
    for start, sentence, _ in prose_sentences(doc):
        if is_question(sentence):
            continue
        reasons = [name for name, pattern, _ in SIGNALS if pattern.search(sentence)]
        score = round(sum(weight for name, pattern, weight in SIGNALS if name in reasons), 2)
        if score < MIN_CONFIDENCE or len(sentence) < 8 or len(sentence.split()) > 80:
            continue
        found.append(Candidate("math", sentence, start, " ".join(sentence.split()), ", ".join(reasons),
                               round(min(score, 1.0), 2), {"check": stub_check(sentence)}))
    return found


def stub_check(sentence: str) -> str | dict[str, Any]:
    """The check a math draft starts with: a drafted declarative check when the sentence writes a formula with
    both sides (`math_checks.draft_check`), else a placeholder that fails `verifier validate` until a person
    names a check or deletes the claim. (A transcript repeats sentences: each is drafted once, then copied.)"""
    return copy.deepcopy(_drafted(sentence)) or "TODO:write_a_check"


@lru_cache(maxsize=4096)
def _drafted(sentence: str) -> dict[str, Any] | None:
    return draft_check(sentence)
