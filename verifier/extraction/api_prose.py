"""Libraries the prose names without a dotted name: a library described ("mcfit is a Python library that
..."), the classes or methods its description lists ("It supports ... methods, such as Monte Carlo,
Trapezoid"), and library names used as the means ("with keras and tensorflow").

Why these three shapes: a chat's footnote list or a slide's heading asserts that a package exists and what it
does, and a hallucinated package or integrator is exactly what such a sentence gets wrong; yet none of them
has the `package.name` shape the dotted-name rules look for. Each rule needs a cue that is cheap to test with
a substring before any regex runs (" is a", "such as", a library word), so long documents stay fast.

- described: `<name> is a [Python] library|package|module|toolkit|framework ...` (the sentence is the quote
  and its rest the `does`); for "This is a ..." / "It is a ..." the name is the label in front of it on the
  line ("mcfit - This is", "**mcfit**: This is") or at the end of the line before ("... - mcfit" in a
  footnote list whose names trail the previous entry). A qualifier naming another language (JavaScript, R)
  is not a Python package and is skipped.
- listed: in the sentences that follow a described library on the same line, "such as A, B, and C" after a
  plural kind word (methods, integrators, layers, ...) names `library.A`, in CamelCase ("Monte Carlo" ->
  `MonteCarlo`, the spelling Python classes take).
- used: after "with", "using", "via" or "use(s)", a list "a, b and c" whose every item is a known
  library name (written in lower case, as it is imported) names each library. Requiring every item to be a
  library keeps English words that are also package names ("transformers") out, and a lone name counts only
  when the document's code imports or calls it ("with transformers" alone may mean the architecture); a
  question ("can you do it with keras?") asserts nothing and is skipped."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

#: Called for each proposal: (full dotted name, quote, start offset in the document, reason, what it does).
Propose = Callable[[str, str, int, str, str | None], None]

KINDS = "library|package|module|toolkit|framework"
DESCRIBED = re.compile(rf"(?:\b(?:This|It)\b|(?<![\w.])([A-Za-z][\w.-]*)\**)\s+is\s+an?\s+((?:[\w+#-]+\s+){{0,5}}?)"
                       rf"(?:{KINDS})\b\s*(?:that|which|for|to)?\s*([^.!?]*)[.!?]?")
OTHER_LANGUAGES = frozenset({"javascript", "java", "r", "c", "c++", "c#", "rust", "go", "julia", "matlab",
                             "ruby", "php", "node", "node.js", "typescript", "haskell", "scala", "kotlin"})
NOT_NAMES = frozenset({"this", "it", "that", "which", "there", "here", "what", "one", "the", "a", "an", "and",
                       "or", "also", "each", "every", "who", "she", "he"})
LABEL_BEFORE = re.compile(r"([A-Za-z][\w.-]*)\**\s*(?::|\s-|–|—)\s*$")
LABEL_TRAILING = re.compile(r"(?:^|\s)(?:-|–|—)\s*([A-Za-z][\w.-]*)\s*$")
SENTENCE = re.compile(r"[^.!?]*[.!?]?")
LISTED = re.compile(r"\b(?:methods|integrators|functions|classes|layers|models|optimi[sz]ers|solvers|algorithms|"
                    r"transforms|estimators|losses|metrics|samplers|rules),?\s+(?:such as|like|including)\s+"
                    r"([A-Z][\w]*(?:\s+[A-Z][\w]*)*(?:\s*,\s*(?:and\s+|or\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*)*)*"
                    r"(?:\s*,?\s*(?:and|or)\s+[A-Z][\w]*(?:\s+[A-Z][\w]*)*)?)")
ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
USED = re.compile(r"\b(?:with|using|via|use|uses)\s+([a-z][\w]*(?:\s*,\s*[a-z][\w]*)*(?:\s*,?\s+(?:and|or)\s+"
                  r"[a-z][\w]*)?)(?![\w(]|\.\w)")


def described(line: str, offset: int, previous: str, propose: Propose) -> None:
    """Library descriptions on one line, and the classes their following sentences list."""
    if " is a" not in line:
        return
    matches = list(DESCRIBED.finditer(line))
    for number, match in enumerate(matches):
        qualifier = match.group(2).lower().split()
        if any(word in OTHER_LANGUAGES for word in qualifier):
            continue
        name = match.group(1)
        if name is None:
            before = LABEL_BEFORE.search(_after_marker(line[:match.start()]))
            trailing = LABEL_TRAILING.search(previous)
            name = before.group(1) if before else trailing.group(1) if trailing else None
        if name is None or name.lower() in NOT_NAMES:
            continue
        package = name.strip("*").lower()
        does = match.group(3).strip() or None
        propose(package, match.group(0).strip(), offset + match.start(), "library described in prose", does)
        end = matches[number + 1].start() if number + 1 < len(matches) else len(line)
        _listed(package, line[match.end():end], offset + match.end(), propose)


def _after_marker(text: str) -> str:
    """The text in front of a description without a footnote marker ("^{3}. ", "3. ", "- ")."""
    return re.sub(r"^\s*(?:\^\{\d+\}\.?|\d+[.)]|[-*•])\s*", "", text)


def _listed(package: str, text: str, offset: int, propose: Propose) -> None:
    if "such as" not in text and " like " not in text and "including" not in text:
        return
    for sentence in SENTENCE.finditer(text):
        quote = sentence.group(0).strip()
        if not quote:
            continue
        for match in LISTED.finditer(quote):
            start = offset + sentence.start() + sentence.group(0).index(quote)
            for item in ITEM_SPLIT.split(match.group(1)):
                if item:
                    propose(f"{package}.{''.join(item.split())}", quote, start,
                            f"listed in the description of {package}", None)


def used(line: str, offset: int, libraries: Collection[str], imported: Collection[str], propose: Propose) -> None:
    """Lists of library names after "with", "using", ...: every item must be a known library."""
    if not any(cue in line for cue in ("with ", "using ", "via ", "use ", "uses ")):
        return
    for match in USED.finditer(line):
        if _in_question(line, match.end()):
            continue  # "can you do it with keras?" asks, it does not assert
        items = [item for item in ITEM_SPLIT.split(match.group(1)) if item]
        if len(items) == 1 and items[0] not in imported:
            continue  # "with transformers" alone may mean the architecture; the code using it decides
        if items and all(item in libraries for item in items):
            for item in items:
                propose(item, match.group(0), offset + match.start(), "library named as the means", None)


def _in_question(line: str, end: int) -> bool:
    """Whether the sentence running on from `end` ends with a question mark."""
    stop = re.search(r"[.!?]", line[end:])
    return stop is not None and stop.group(0) == "?"
