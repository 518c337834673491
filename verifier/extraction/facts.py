"""Fact candidates: declarative sentences that state what something does or is, the statements of an
answer a reader would want checked ("scaling keeps the softmax out of its saturated region", "self-attention
lets every token attend to every other token", a list of a method's properties).

No computation checks a `fact`; a person reviews it (or points it at a citation with `about`), so the finder
proposes only sentences with an explicit assertion: an effect verb (`X allows/ensures/prevents Y`), a
definition (`X is a kind of Y`), or a declarative item of a list of properties. Questions, headings,
instructions and sentences about the conversation itself (`I hope this helps`) are left out."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, is_question, prose_sentences

EFFECT = re.compile(
    r"\b(?:allow|ensure|prevent|enable|guarantee|avoid|mitigate|reduce|increase|improve|help|let|cause|"
    r"stabili[sz]e|preserve|capture|outperform|speed|slow|lead|result|force|push|limit|eliminate|approximate|"
    r"converge|suffer|vanish|explode|dominate|saturate|keep)(?:s|es|ed)?\b"
    r"|\b(?:leads?|results?) in\b|\bis (?:equivalent|proportional|invariant|independent|used|known|defined)\b",
    re.I)
DEFINITION = re.compile(r"\b(?:is|are)\s+(?:a|an|the)\s+(?:\w+\s+){0,2}(?:type|kind|class|family|form|variant|"
                        r"generali[sz]ation|special case|measure)\s+of\b", re.I)
LIST_ITEM = re.compile(r"^\s*\*\*[^*]{1,60}\*\*\s*[:.-]\s*")
VERB = re.compile(r"\b(?:is|are|was|were|has|have|can|cannot|will|does|do|makes?|uses?|gives?|takes?|"
                  r"needs?|works?|runs?|becomes?|remains?|grows?|stays?)\b", re.I)
CHATTER = re.compile(r"^(?:I|I'm|I'll|I've|we'll|let's|let me|here|hope|feel free|sure|thanks|thank you|note|"
                     r"please|consider|try|run|use|see|for example|e\.g\.)\b", re.I)
IMPERATIVE = re.compile(r"^(?:\*\*)?(?:[A-Z][a-z]+)(?:\*\*)?\s+(?:the|a|an|your|this|these|it)\b")
PERSONAL = re.compile(r"\b(?:I|we|you|us|our|your|my|let's|let me)\b|\b(?:could|might|may)\b", re.I)
MIN_WORDS, MAX_WORDS = 6, 60


def _plain(sentence: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", sentence).split())


def _assertion(sentence: str, in_list: bool) -> tuple[str, float] | None:
    """Why the sentence asserts something checkable (and how sure), or None."""
    text = _plain(sentence)
    words = text.split()
    if not (MIN_WORDS <= len(words) <= MAX_WORDS) or is_question(text) or CHATTER.match(text):
        return None
    if not text[:1].isupper() or PERSONAL.search(text) or text.endswith((",", ";")):
        return None  # a fragment, narration or an instruction to the reader, a hedge, a list of symbols
    if text.endswith(":") or (IMPERATIVE.match(text) and not VERB.search(" ".join(words[1:3]))):
        return None
    if DEFINITION.search(text):
        return "states what something is", 0.5
    if EFFECT.search(text):
        return "states what something does (effect)", 0.5
    if in_list and (VERB.search(text) or text.endswith(".")):
        return "declarative item of a list", 0.4
    return None


def find(doc: Document) -> list[Candidate]:
    found = []
    for offset, text, in_list in prose_sentences(doc):
        item = LIST_ITEM.match(text)  # a bold lead-in ("**Speed**: ...") is not part of the statement
        cut = item.end() if item and item.end() < len(text) else 0
        start, sentence = offset + cut, text[cut:]
        judged = _assertion(sentence, in_list)
        if judged is None or re.search(r"[=^$\\∈∑∫√]|\d\s*[-+*/]\s*\d", sentence):
            continue  # formulas and worked numbers are math candidates
        reason, confidence = judged
        found.append(Candidate("fact", sentence, start, _plain(sentence), reason, confidence))
    return found
