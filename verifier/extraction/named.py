"""Citation candidates the reference finder leaves out: works cited only by a bracket number (`[136]`), a
method introduced with its acronym (`Stochastic Gradient Descent (SGD)`, `Vision transformers (**ViT**)`),
and a person's work named by what the person did (`Vinay Prabhu exposes ...`).

Each is a draft for a person to keep or delete: an acronym also introduces terms that are no work at all
(`Mean Squared Error (MSE)`), so these candidates carry a low confidence."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, sentences

BRACKET = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
ACRONYM = re.compile(r"(?<![\w*])(?:\*\*)?([A-Z][a-z]+(?:[ -][A-Za-z][a-z]+){0,4})(?:\*\*)? \((?:\*\*)?"
                     r"([A-Z][A-Za-z]*[A-Z]s?|[A-Z][a-z]?[A-Z][A-Za-z]*)(?:\*\*)?\)")
REPORTING = ("exposes", "exposed", "shows", "showed", "found", "finds", "argues", "argued", "demonstrates",
             "demonstrated", "reports", "reported", "proposes", "proposed", "introduced", "introduces")
_VERBS = "|".join(REPORTING)
PERSON = re.compile(rf"\b([A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?) ({_VERBS})\b")


def _initials_fit(long_form: str, acronym: str) -> bool:
    """The acronym is made of the long form's initials (plural `s` and inner capitals allowed)."""
    letters = [w[0].upper() for w in re.split(r"[ -]", long_form) if w]
    wanted = [c for c in acronym.rstrip("s") if c.isupper()]
    return len(wanted) >= 2 and "".join(letters).startswith("".join(wanted)[:1]) and all(
        c in letters for c in wanted)


def find(doc: Document) -> list[Candidate]:
    code = doc.code_spans()
    found: list[Candidate] = []
    offset = 0
    for line in doc.text.split("\n"):
        here = offset
        offset += len(line) + 1
        if here in code or not line.strip():
            continue
        if "[" in line:
            found += _brackets(line, here)
        if "(" in line:
            found += _acronyms(line, here)
        if any(verb in line for verb in REPORTING):
            for match in PERSON.finditer(line):
                found.append(Candidate("citation", match.group(0), here + match.start(),
                                       f"Work by {match.group(1)} that {match.group(2)} what the text says.",
                                       "a person's work named by what they did", 0.5,
                                       {"reference": {"authors": [match.group(1)]}}))
    return found


def _brackets(line: str, here: int) -> list[Candidate]:
    out = []
    for start, sentence in sentences(line):
        for match in BRACKET.finditer(sentence):
            quote = sentence[: match.end()].strip()
            begin = here + start + sentence.index(quote)
            out.append(Candidate("citation", quote, begin, f"A work cited as [{match.group(1)}] supports: {quote}",
                                 "work cited by a bracket number", 0.5, {"reference": {}, "described_as": quote}))
    return out


def _acronyms(line: str, here: int) -> list[Candidate]:
    out = []
    for match in ACRONYM.finditer(line):
        long_form, acronym = match.group(1), match.group(2)
        if not _initials_fit(long_form, acronym):
            continue
        out.append(Candidate("citation", match.group(0), here + match.start(),
                             f"{long_form} ({acronym}) is a named method or model.",
                             "a method introduced with its acronym", 0.35, {"reference": {"name": long_form}}))
    return out
