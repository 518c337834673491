"""Math and numeric statements: equations, formulas (LaTeX or flattened), complexity, worked numbers, and
sentences that state a mathematical property; each a `math` candidate left for a person to attach a check."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.math_checks import draft_check
from verifier.extraction.text import LATEX, Document, sentences

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
    found = []
    offset = 0
    exclude = doc.code_spans()
    for line in doc.text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip() or line_start in exclude:
            continue
        for start, sentence in sentences(line):
            reasons = [name for name, pattern, _ in SIGNALS if pattern.search(sentence)]
            score = round(sum(weight for name, pattern, weight in SIGNALS if name in reasons), 2)
            if score < MIN_CONFIDENCE or len(sentence) < 8 or len(sentence.split()) > 80:
                continue
            found.append(Candidate("math", sentence, line_start + start, sentence, ", ".join(reasons),
                                   round(min(score, 1.0), 2), {"check": draft_check(sentence) or "TODO:write_a_check"}))
    return found
