"""Two kinds of candidate the other finders leave out:

- a printed reference value inside a claimed output ("True value: 2.0000", "Exact: 0.5403"): a math claim
  of its own, because the line is computed by another expression than the rest of the log;
- the assistant's statements about its own work ("I have provided a code example with ...", "I tested
  different combinations ...", "I chose 4 heads and 2 layers"): facts a person checks against the
  transcript (or names a check for, when the statement is about code the transcript shows)."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, sentences

REFERENCE_VALUE = re.compile(r"\b(?:[Tt]rue|[Ee]xact|[Ee]xpected|[Aa]nalytic(?:al)?|[Rr]eference) (?:value|result|"
                             r"answer|derivative|integral)s?\s*[:=]\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
SELF = re.compile(r"^(?:In this example, |Here, |So )?I (?:have |had |also |just )?(?:provided|tested|tried|chose|"
                  r"used|implemented|checked|verified|ran|searched|found|computed|wrote|included|added)\b")


def find(doc: Document) -> list[Candidate]:
    code = doc.code_spans()
    found: list[Candidate] = []
    offset = 0
    for line in doc.text.split("\n"):
        here = offset
        offset += len(line) + 1
        has_value, has_self = ("alue" in line or "xact" in line), " I " in f" {line}"
        if not (has_value or has_self) or here in code:
            continue
        for match in REFERENCE_VALUE.finditer(line) if has_value else ():
            found.append(Candidate("math", match.group(0), here + match.start(),
                                   f"The printed reference value {match.group(0)} is what its expression computes.",
                                   "reference value printed in an output", 0.6,
                                   {"check": "TODO:write_a_check"}))
        if has_self:
            for start, sentence in sentences(line):
                if SELF.match(sentence):
                    found.append(Candidate("fact", sentence, here + start,
                                           f"The assistant says of its own work: {sentence}",
                                           "the assistant's statement about its own work", 0.4, {}))
    return found
