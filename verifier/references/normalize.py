"""Normalise titles and author names so that copies of the same reference compare equal.

Titles: LaTeX accents and commands, Unicode accents, case, punctuation, hyphenation and stop words.
Authors: surnames from "First Last", "Last, First", initials and "et al."."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or over the their this to under via with "
    "using towards toward ".split()
)
_LATEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHckbdr]\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*")
_WORD = re.compile(r"[^\W_]+")
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "da", "di", "la", "le", "du", "dos", "ten"})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """LaTeX accents and Unicode diacritics removed, lower case (`Schr\\"odinger` -> `schrodinger`)."""
    if "\\" in text:
        text = _LATEX_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
        text = _LATEX_COMMAND.sub(" ", text)
    text = text.replace("{", "").replace("}", "").replace("$", "")
    if text.isascii():  # nothing to decompose (most titles): skip the per-character pass
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """All word tokens (letters and digits), folded; hyphenated words split."""
    return list(_words(text))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    """Cached: titles and names are compared against many candidates."""
    return tuple(_WORD.findall(fold(text)))


def title_tokens(title: str) -> list[str]:
    return [w for w in words(title) if w not in STOP_WORDS]


def plural_stem(token: str) -> str:
    """A crude plural stem: `nets` -> `net`, `networks` -> `network` (never `class` -> `clas`)."""
    return token[:-1] if len(token) >= 4 and token.endswith("s") and not token.endswith("ss") else token


def main_title(title: str) -> str:
    """The title before a subtitle separator (`Skyformer: Remodel ...` -> `Skyformer`)."""
    for separator in (":", " - ", " — ", "?"):
        if separator in title:
            head = title.split(separator, 1)[0]
            if len(words(head)) >= 1:
                return head
    return title


@lru_cache(maxsize=1 << 16)
def surname(name: str) -> str | None:
    """`Emily M. Bender` -> `bender`; `Bender, Emily M.` -> `bender`; `et al.` -> None."""
    name = _DBLP_HOMONYM.sub("", name.strip())
    if not name or re.fullmatch(r"(et\.?\s*al\.?|others|and others)", name, re.IGNORECASE):
        return None
    name = re.sub(r"\bet\.?\s*al\.?$", "", name, flags=re.IGNORECASE).strip(" ,")
    if "," in name:
        last = name.split(",", 1)[0]
    else:
        parts = [p for p in re.split(r"\s+", name) if p]
        parts = [p for p in parts if not re.fullmatch(r"(jr|sr|ii|iii|iv)\.?", p, re.IGNORECASE)]
        if not parts:
            return None
        tail = [parts[-1]]
        for part in reversed(parts[:-1]):
            if part.lower() in _NAME_PARTICLES:
                tail.insert(0, part)
            else:
                break
        last = " ".join(tail)
    folded = "".join(words(last))
    return folded or None


def surnames(names: list[str]) -> list[str]:
    found = []
    for name in names:
        for part in re.split(r"\s+and\s+|;", name):
            value = surname(part)
            if value:
                found.append(value)
    return found


def has_et_al(names: list[str]) -> bool:
    return any(re.search(r"et\.?\s*al", name, re.IGNORECASE) for name in names)


def identity_key(title: str) -> str:
    """The title with case, accents, LaTeX, punctuation, spaces and hyphens removed: two titles are the
    same title exactly when these keys are equal (`Pre-Training` = `Pretraining` = `pre training`)."""
    return "".join(words(title))


_DBLP_HOMONYM = re.compile(r"\s+\d{4}$")
_PLACEHOLDER_NAMES = frozenset({
    "doe", "author", "authors", "lastname", "surname", "anonymous", "anon", "unknown", "firstname", "name",
    "placeholder", "someone", "smith et al", "xxx", "tbd", "todo"})


def person(name: str) -> str:
    """An author name as written, without DBLP's homonym number (`Wei Wang 0001` -> `Wei Wang`)."""
    return _DBLP_HOMONYM.sub("", name.strip())


def is_placeholder(name: str) -> bool:
    """Names that stand for no one: `John Doe`, `Author One`, `A. Author`, `Firstname Lastname`, `Anonymous`."""
    tokens = words(name)
    if not tokens:
        return True
    return any(t in _PLACEHOLDER_NAMES for t in tokens) or all(len(t) == 1 for t in tokens)
