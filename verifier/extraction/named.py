"""Citation candidates the reference finder leaves out: works cited only by a bracket number (`[136]`), a
method introduced with its acronym (`Stochastic Gradient Descent (SGD)`, `Vision transformers (**ViT**)`),
a person's work named by what the person did (`Vinay Prabhu exposes ...`), every item of a chat's source
list (`Más información: 1. arxiv.org2. ...`, marked in the text or not), a statement followed by footnote
markers (`... expansion ^{1}^{2}`: the footnotes' sources support it), and the link texts of Q&A answers
that stand for a linked answer or document (`here How do I obtain the frequencies ...?`).

Each is a draft for a person to keep or delete: an acronym also introduces terms that are no work at all
(`Mean Squared Error (MSE)`), so these candidates carry a low confidence."""

from __future__ import annotations

import re

from verifier.extraction import named_results
from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, sentences

BRACKET = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
ACRONYM = re.compile(r"(?<![\w*])(?:\*\*)?([A-Z][a-z]+(?:[ -][A-Za-z][a-z]+){0,4})(?:\*\*)? \((?:\*\*)?"
                     r"([A-Z][A-Za-z]*[A-Z]s?|[A-Z][a-z]?[A-Z][A-Za-z]*)(?:\*\*)?\)")
REPORTING = ("exposes", "exposed", "shows", "showed", "found", "finds", "argues", "argued", "demonstrates",
             "demonstrated", "reports", "reported", "proposes", "proposed", "introduced", "introduces")
_VERBS = "|".join(REPORTING)
_VERB_CUE = re.compile(rf" (?:{_VERBS}) ")
PERSON = re.compile(rf"\b([A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?) ({_VERBS})\b")


def _initials_fit(long_form: str, acronym: str) -> bool:
    """The acronym's capitals spell a subsequence of the long form that starts at its first letter and takes
    each word's initial at least once per word used (`VAEs` in `Variational Autoencoders`, not `USD` in
    `The price`)."""
    wanted = [c.lower() for c in acronym.rstrip("s") if c.isupper()]
    text = long_form.lower()
    if len(wanted) < 2 or not text or text[0] != wanted[0]:
        return False
    position = 0
    for letter in wanted:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    initials = {w[0].lower() for w in re.split(r"[ -]", long_form) if w}
    return sum(c in initials for c in wanted) >= min(2, len(initials))


SOURCE_LIST = re.compile(r"(?:Más información|Learn more|More information|Sources?)\s*:?\s*\n+([^\n]+)")
LIST_ITEM = re.compile(r"(\d{1,2})\. ?((?:[a-z0-9-]+\.)+[a-z]{2,})(?=\d{1,2}\.|\+|\s|—|$)")
MARKERS = re.compile(r"(?:\^\{\d{1,2}\})+")
LINK_TEXT = re.compile(r"^(?:here|Here|mine|see|See)\s+(?:mine\s+)?(\S.{6,300}?)\s*$")


def _source_lists(doc: Document) -> list[Candidate]:
    """Each item of a chat's source list, with its domain as the reference's link."""
    found = []
    for block in SOURCE_LIST.finditer(doc.text):
        for item in LIST_ITEM.finditer(block.group(1)):
            found.append(Candidate("citation", item.group(0), block.start(1) + item.start(),
                                   f"The answer lists a source at {item.group(2)} (item {item.group(1)}).",
                                   "item of a chat's source list", 0.5, {"reference": {"url": item.group(2)}}))
    return found


def _marked_statements(doc: Document) -> list[Candidate]:
    """The text a group of footnote markers stands after: from the previous marker group (or the bullet or
    line start) to this one; its first sentence is the quote."""
    found = []
    previous = 0
    for marker in MARKERS.finditer(doc.text):
        start = max(previous, doc.text.rfind("\n- ", 0, marker.start()) + 3, doc.text.rfind("\n\n", 0, marker.start()))
        segment = doc.text[start: marker.start()]
        previous = marker.end()
        quote = segment.strip().lstrip("-. ").strip().split("\n")[0].strip()
        if len(quote) < 20:
            continue
        numbers = re.findall(r"\d+", marker.group(0))
        plural = "s" if len(numbers) > 1 else ""
        found.append(Candidate("citation", quote, doc.text.index(quote, start),
                               f"The source{plural} of footnote{plural} {', '.join(numbers)} support"
                               f"{'' if plural else 's'}: {quote}",
                               "statement followed by footnote markers", 0.4, {"reference": {},
                                                                                 "described_as": quote}))
    return found


def find(doc: Document) -> list[Candidate]:
    code = doc.code_spans()
    found: list[Candidate] = _source_lists(doc) + _marked_statements(doc) + named_results.find(doc)
    offset = 0
    for line in doc.text.split("\n"):
        here = offset
        offset += len(line) + 1
        if not line.strip() or here in code:
            continue
        if "[" in line:
            found += _brackets(line, here)
        link = LINK_TEXT.match(line)
        if link and (not line.rstrip().endswith((".", ":", ";")) or line.lower().startswith("here mine")):
            found.append(Candidate("citation", line.strip(), here + line.index(line.strip()),
                                   f"A linked answer or document: {link.group(1)}", "link text of a Q&A answer",
                                   0.45, {"reference": {"title": link.group(1)}}))
        if "(" in line:
            found += _acronyms(line, here)
        if _VERB_CUE.search(line):
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
                             "a method introduced with its acronym", 0.45, {"reference": {"name": long_form}}))
    return out
