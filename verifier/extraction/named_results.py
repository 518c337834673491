"""Citation candidates for works a source names without a title: a named algorithm, rule, map, transform,
lemma or theorem (`Oja's learning rule`, `the Kuramoto-Sivashinsky theorem`, `the classical Widrow\nalgorithm`),
a method introduced as `so called` / `known as` (`so called fast walsh transform`), the link text of a document
the source points to (`this paper concerning Nyquist-Shannon`), the lines of link texts after a `Look here:`
line, and the names a source gives as examples in bold or as a capitalised run (`such as **Adagrad**`,
`such as Open Images (...)`).

Q&A answers cite this way: the named result or the linked document is the evidence, and a reader would want
to know which work it is. The finders read the grammar of naming (a capitalised name before a kind of result,
a naming cue before a phrase), never a list of known names, so they work on documents they have not seen.
Each is a draft for a person to keep or delete (confidence 0.4-0.5)."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document

#: Kinds of named result a source cites by its name (the noun that follows the name).
KINDS = (r"algorithms?|rules?|maps?|lemmas?|lemmata|theorems?|transforms?|transformations?|methods?|networks?|"
         r"inequality|inequalities|conjectures?|principles?|decompositions?|estimators?|filters?|bounds?")
KIND = re.compile(rf"(?:{KINDS})\b", re.I)
#: The kind nouns as written in prose (lower case); a capitalised kind is title case (`Neural Network`), which
#: names no one unless possessive, and is left to the title-case finder.
STEMS = ("algorithm", "rule", "map", "lemma", "theorem", "transform", "method", "network", "inequalit",
         "conjecture", "principle", "decomposition", "estimator", "filter", "bound")
_CAP = r"[A-Z][a-z]+"
#: The name right before a kind noun: capitalised words joined by hyphens or spaces, perhaps possessive, then
#: at most two lower-case modifiers (`Oja's learning rule`, `Johnson Lindenstrauss method`).
BEFORE_KIND = re.compile(rf"(?<![\w'’-])(?P<name>{_CAP}(?:(?:-|[ \t]+){_CAP}){{0,3}})(?P<possessive>['’]s)?"
                         r"(?P<modifiers>(?:\s+[a-z][a-z-]+){0,2})\s+$")
#: Capitalised words that start or glue sentences rather than name anyone (grammar, not a list of names).
FUNCTION = frozenset("a an and as at by for from if in into it its of on or our so that the their then these "
                     "this those to we with which while when where what each every any some all both either "
                     "neither no not one another such other here there his her my your is are was let he she who "
                     "how why what i".split())
CUES = ("o called", "o-called", "nown as", "eferred to as", "dubbed")  # `So called`, `Known as` too: see _naming_cues
NAMING_CUE = re.compile(rf"(?i:so[- ]called|known as|referred to as|dubbed)\s+(?:the\s+|an?\s+)?"
                        rf"(?P<name>(?:[\w-]+\s+){{0,4}}?(?i:{KINDS})\b|[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){{0,4}})")
#: Where a document link may start: a demonstrative and a document noun (found with one fast expression).
DEMONSTRATIVE = re.compile(r"(?:his|hat|hese|the following) (?:document|paper|article|post|blog|"
                           r"answer|tutorial|note|page|thread|survey|write-up|lecture|chapter)")
DOCUMENT_LINK = re.compile(
    r"(?i:this|that|these|the following)\s+(?:document|paper|article|post|blog post|answer|tutorial|note|notes|"
    r"page|thread|survey|write-up|lecture|chapter)\s+(?:on|about|concerning|regarding|describing|explaining|"
    rf"covering)\s+(?:the\s+)?(?P<name>[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*(?:[ \t]+[A-Z][\w'’-]*){{0,3}}"
    rf"(?:[ \t]+(?:{KINDS})\b)?)")
#: A line that introduces links (`Look here:`, `See:`, `Further reading:`): the lines after it are link texts.
LINK_INTRO = ("here", "see", "link", "links", "references", "reading", "read")
LEADING = re.compile(r"^(?:some|a|an|the|my|mine|here|see)\s+", re.I)
EXAMPLE_LITERALS = ("e.g.", "such as", "including")
EXAMPLE_CUE = re.compile(r"(?:e\.g\.,?|such as|including)\s+")
#: A bold name of two characters at least (`**E**` is a formula's letter or part of a split name).
BOLD = re.compile(r"\*\*([A-Z][^*\n]{1,40}?)\*\*")
CAPITALISED_RUN = re.compile(rf"(?:\*\*)?({_CAP}(?:[ \t]+{_CAP}){{1,3}})\b(?!['’])")


def _clean(name: str) -> str:
    return " ".join(name.split())


def _positions(text: str, literals: tuple[str, ...]) -> list[int]:
    """Where any of the literals occurs (`str.find` is many times faster than a regular expression with
    alternatives over a long document; the finders then read a few characters around each place)."""
    found = []
    for literal in literals:
        position = text.find(literal)
        while position >= 0:
            found.append(position)
            position = text.find(literal, position + 1)
    return sorted(found)


def _sentence_start(text: str, offset: int) -> bool:
    """Nothing but a sentence end, a line start, a table cell's start or list, heading or quote markup before
    `offset`."""
    before = text[max(0, offset - 40): offset].rstrip(" \t*_-•#>\"“(")
    return not before or before.endswith(("\n", ".", "!", "?", ":", "|"))  # `|`: a table cell starts


def _named_results(doc: Document) -> list[Candidate]:
    found = []
    text = doc.text
    for position in _positions(text, STEMS):
        kind = KIND.match(text, position)
        if kind is None or (position and (text[position - 1].isalnum() or text[position - 1] in "-_")):
            continue
        if not any(w[:1].isupper() for w in text[max(0, position - 60): position].split()[-6:]):
            continue  # no capitalised word before it: most places of `method`, `map`, `rule` end here cheaply
        match = BEFORE_KIND.search(text, max(0, position - 90), position)
        if match is None:
            continue
        name, possessive, modifiers = match.group("name"), match.group("possessive"), match.group("modifiers")
        words = re.split(r"[-\s]+", name)
        if words[0].lower() in FUNCTION or any(w.lower() in FUNCTION for w in modifiers.split()):
            continue
        if not possessive and _sentence_start(text, match.start()) and "-" not in name and len(words) == 1:
            continue  # `Each method ...`, `Options rule ...`: a capital that only starts the sentence
        quote = text[match.start(): kind.end()]
        found.append(Candidate("citation", quote, match.start(), f"The source cites the {_clean(quote)}.",
                               "named algorithm, rule, map, transform or theorem", 0.5,
                               {"reference": {"name": _clean(quote)}}))
    return found


def _naming_cues(doc: Document) -> list[Candidate]:
    found = []
    for position in _positions(doc.text, CUES):
        match = NAMING_CUE.search(doc.text, max(0, position - 3), position + 120)
        if match is None or match.start() > position or (match.start() and doc.text[match.start() - 1].isalnum()):
            continue
        name = _clean(match.group("name"))
        if name.split()[0].lower() in FUNCTION:
            continue
        found.append(Candidate("citation", match.group("name"), match.start("name"),
                               f"The source names the {name}.", "method introduced as so called or known as", 0.45,
                               {"reference": {"name": name}}))
    return found


def _document_links(doc: Document) -> list[Candidate]:
    found = []
    for start in DEMONSTRATIVE.finditer(doc.text):
        position = start.start() - (0 if doc.text.startswith("the ", start.start()) else 1)
        match = DOCUMENT_LINK.match(doc.text, max(0, position))
        if match is None or (position and doc.text[position - 1].isalnum()):
            continue
        name = _clean(match.group("name"))
        found.append(Candidate("citation", match.group(0), match.start(),
                               f"A linked document on {name} supports what the source says.",
                               "link text of a document the source points to", 0.5, {"reference": {"name": name}}))
    return found


def _link_lists(doc: Document) -> list[Candidate]:
    """The lines after a line that introduces links, while they read as link texts: three or more words, no
    sentence end, no formula."""
    found = []
    text = doc.text
    for colon in re.finditer(r":[ \t]*\n", text):
        line = text[text.rfind("\n", 0, colon.start()) + 1: colon.end()]
        words = line.lower().split()
        if not words or words[-1].rstrip(":") not in LINK_INTRO:
            continue
        offset = colon.end()
        for item_line in text[offset: offset + 2000].split("\n")[:8]:
            item = item_line.strip()
            if len(item.split()) < 3 or item.endswith((".", "!", "?", ":", ";", ",")) or re.search(r"[=$\\]", item):
                break
            title = LEADING.sub("", item)
            found.append(Candidate("citation", item, offset + item_line.index(item),
                                   f"A linked document: {title}", "link text after a line that introduces links",
                                   0.45, {"reference": {"title": title}}))
            offset += len(item_line) + 1
    return found


def _examples(doc: Document) -> list[Candidate]:
    """Names given as examples: bold terms up to the sentence's end, or a capitalised run right after the cue."""
    found: dict[int, str] = {}
    text = doc.text
    for position in _positions(text, EXAMPLE_LITERALS):
        cue = EXAMPLE_CUE.match(text, position)
        if cue is None or (position and text[position - 1].isalnum()):
            continue
        end = min(len(text), cue.end() + 200)
        stop = re.search(r"[.;:\n](?:\s|$)|\n", text[cue.end(): end])
        span = text[cue.end(): cue.end() + stop.start()] if stop else text[cue.end(): end]
        for bold in BOLD.finditer(span):
            found[cue.end() + bold.start(1)] = bold.group(1)
        run = CAPITALISED_RUN.match(span)
        if run and run.group(1).split()[0].lower() not in FUNCTION:
            found[cue.end() + run.start(1)] = run.group(1)
    return [Candidate("citation", name, start, f"The source names {name} as an example.",
                      "a name given as an example", 0.4, {"reference": {"name": name}})
            for start, name in sorted(found.items())]


def find(doc: Document) -> list[Candidate]:
    return _named_results(doc) + _naming_cues(doc) + _document_links(doc) + _link_lists(doc) + _examples(doc)
