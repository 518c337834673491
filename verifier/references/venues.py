"""Venue aliases: the many names one venue goes by, reduced to one canonical key.

`NIPS`, `NeurIPS`, `Advances in Neural Information Processing Systems 34` and `Proc. NeurIPS 2021` are one
venue (`neurips`); `CoRR`, `arXiv`, `arXiv preprint arXiv:2106.01234` are the preprint server (`preprint`).
Citations and indexes name venues freely, so comparing the strings would call most correct citations wrong;
comparing canonical keys lets a wrong venue (`ICML` for an AAAI paper) or a preprint cited as published
show up as a difference, and a venue that no entry of this table and no index knows stand out.

Why a table and not fuzzy matching: `ICML` and `ICLR`, `ACL` and `AAAI` are one or two letters apart while
`NIPS` and `Advances in Neural Information Processing Systems` share none; only a list of known names says
which are the same venue. A series (`PMLR`, `Lecture Notes in Computer Science`) publishes several
venues: it agrees with any of them and contradicts none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.references.normalize import fold

PREPRINT = "preprint"


@dataclass(frozen=True)
class Venue:
    key: str
    kind: str  # proceedings, journal, preprint, series
    names: tuple[str, ...]  # phrases as they appear after folding (lower case, no accents, single spaces)
    acronyms: tuple[str, ...] = ()  # whole-word abbreviations
    exact: tuple[str, ...] = ()  # forms that name the venue only as the whole name (DBLP's `Mach. Learn.`)


VENUES: tuple[Venue, ...] = (
    Venue(PREPRINT, PREPRINT, ("arxiv", "computing research repository", "preprint"), ("corr",)),
    Venue("neurips", "proceedings", ("neural information processing systems",), ("nips", "neurips")),
    Venue("icml", "proceedings", ("international conference on machine learning",), ("icml",)),
    Venue("iclr", "proceedings", ("international conference on learning representations",), ("iclr",)),
    Venue("cvpr", "proceedings", ("computer vision and pattern recognition",), ("cvpr",)),
    Venue("iccv", "proceedings", ("international conference on computer vision",), ("iccv",)),
    Venue("eccv", "proceedings", ("european conference on computer vision",), ("eccv",)),
    Venue("wacv", "proceedings", ("winter conference on applications of computer vision",), ("wacv",)),
    Venue("bmvc", "proceedings", ("british machine vision conference",), ("bmvc",)),
    Venue("aaai", "proceedings", ("aaai conference on artificial intelligence",), ("aaai",)),
    Venue("ijcai", "proceedings", ("international joint conference on artificial intelligence",), ("ijcai",)),
    Venue("acl", "proceedings", ("annual meeting of the association for computational linguistics",), ("acl",)),
    Venue("emnlp", "proceedings", ("empirical methods in natural language processing",), ("emnlp",)),
    Venue("naacl", "proceedings", ("north american chapter of the association for computational linguistics",),
          ("naacl", "naacl-hlt")),
    Venue("eacl", "proceedings", ("european chapter of the association for computational linguistics",), ("eacl",)),
    Venue("coling", "proceedings", ("international conference on computational linguistics",), ("coling",)),
    Venue("tacl", "journal", ("transactions of the association for computational linguistics",), ("tacl",)),
    Venue("uai", "proceedings", ("uncertainty in artificial intelligence",), ("uai",)),
    Venue("aistats", "proceedings", ("artificial intelligence and statistics",), ("aistats",)),
    Venue("colt", "proceedings", ("conference on learning theory",), ("colt",)),
    Venue("corl", "proceedings", ("conference on robot learning",), ("corl",)),
    Venue("kdd", "proceedings", ("knowledge discovery and data mining",), ("kdd", "sigkdd")),
    Venue("www", "proceedings", ("the web conference", "world wide web conference"), ("www",)),
    Venue("sigir", "proceedings", ("research and development in information retrieval",), ("sigir",)),
    Venue("cikm", "proceedings", ("conference on information and knowledge management",), ("cikm",)),
    Venue("wsdm", "proceedings", ("web search and data mining",), ("wsdm",)),
    Venue("icra", "proceedings", ("international conference on robotics and automation",), ("icra",)),
    Venue("iros", "proceedings", ("intelligent robots and systems",), ("iros",)),
    Venue("icassp", "proceedings", ("acoustics speech and signal processing",), ("icassp",)),
    Venue("interspeech", "proceedings", ("interspeech",), ("interspeech",)),
    Venue("miccai", "proceedings", ("medical image computing and computer assisted intervention",), ("miccai",)),
    Venue("aamas", "proceedings", ("autonomous agents and multiagent systems", "autonomous agents and multi agent "
                                   "systems"), ("aamas",)),
    Venue("jmlr", "journal", ("journal of machine learning research",), ("jmlr",), ("j mach learn res",)),
    Venue("tmlr", "journal", ("transactions on machine learning research",), ("tmlr",), ("trans mach learn res",)),
    Venue("mlj", "journal", (), (), ("machine learning", "mach learn")),
    Venue("tpami", "journal", ("transactions on pattern analysis and machine intelligence",), ("tpami", "pami")),
    Venue("ijcv", "journal", ("international journal of computer vision",), ("ijcv",)),
    Venue("nature", "journal", (), (), ("nature",)),
    Venue("science", "journal", (), (), ("science",)),
    Venue("pmlr", "series", ("proceedings of machine learning research",), ("pmlr",)),
    Venue("lncs", "series", ("lecture notes in computer science",), ("lncs",)),
)
BY_KEY = {venue.key: venue for venue in VENUES}
_SERIES_MEMBERS = {"pmlr": frozenset({"icml", "aistats", "colt", "uai", "corl"}),
                   "lncs": frozenset({"eccv", "miccai"})}
# Longer phrases first, so `european conference on computer vision` wins over `conference on computer vision`.
_PHRASES = sorted(((name, venue.key) for venue in VENUES for name in venue.names), key=lambda p: -len(p[0]))
_EXACT = {name: venue.key for venue in VENUES for name in venue.exact}
_ACRONYMS = {acronym: venue.key for venue in VENUES for acronym in venue.acronyms}
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9-]+", " ", fold(text)).split())


def canonical(venue: str | None) -> str | None:
    """The canonical key of a venue name, or None when the table does not know it.

    Whole phrases are tried before acronyms (`Findings of EMNLP` is EMNLP; `Nature Machine Intelligence`
    is not `nature`: a one-word journal name must be the whole name)."""
    if not venue or not venue.strip():
        return None
    plain = _plain(venue)
    whole = _strip_numbers(plain.replace("-", " "))
    if whole in _EXACT:
        return _EXACT[whole]
    for phrase, key in _PHRASES:
        if phrase in plain.replace("-", " "):
            return key
    cited = _name_words(plain)
    for phrase, key in _PHRASES:
        if " " in phrase and _abbreviates(cited, _name_words(phrase)):
            return key
    for word in _WORD.findall(plain):
        found = _ACRONYMS.get(word) or _ACRONYMS.get(word.split("-")[0])
        if found is not None:
            return found
    return None


def key(venue: str | None) -> str | None:
    """The canonical key, or for a venue outside the table its plain name (`name:symposium on ...`), so
    indexes can list every venue they hold."""
    if not venue or not venue.strip():
        return None
    return canonical(venue) or f"name:{_strip_numbers(_plain(venue))}"


def _strip_numbers(plain: str) -> str:
    return " ".join(w for w in plain.split() if not w.isdigit())


def kind(venue: str | None) -> str | None:
    """`preprint`, `proceedings`, `journal` or `series` for a known venue; None otherwise."""
    key = canonical(venue)
    return BY_KEY[key].kind if key else None


def agree(cited: str | None, actual: str | None) -> bool | None:
    """Whether two venue keys name the same venue (a series agrees with its members); None if either is
    unknown."""
    if cited is None or actual is None:
        return None
    if cited == actual:
        return True
    return actual in _SERIES_MEMBERS.get(cited, frozenset()) or cited in _SERIES_MEMBERS.get(actual, frozenset())


_MINOR = frozenset({"of", "the", "on", "and", "for", "in", "a", "an", "proceedings", "proc"})


def _name_words(text: str) -> list[str]:
    plain = text[len("name:"):] if text.startswith("name:") else _strip_numbers(_plain(text))
    return [w for w in plain.replace("-", " ").split() if w not in _MINOR]


def _abbreviates(cited: list[str], phrase: list[str]) -> bool:
    """Whether a run of the cited words abbreviates every word of a phrase in order (`Adv. Neural Inf. Process.
    Syst.` holds `neural information processing systems`; `J. Mach. Learn. Res.` is `journal ... research`)."""
    size = len(phrase)
    return size >= 2 and any(all(full.startswith(short) for short, full in zip(cited[i:i + size], phrase, strict=True))
                             for i in range(len(cited) - size + 1))


def same_name(cited: str | None, actual: str | None) -> bool:
    """Two venue names (or `name:` keys) for venues outside the table are the same when, minor words, years
    and punctuation aside, each word of one is the other's word or its abbreviation (`Neural Comput.` =
    `Neural Computation`, `J. Artif. Intell. Res.` = `Journal of Artificial Intelligence Research`)."""
    if not cited or not actual:
        return False
    a, b = _name_words(cited), _name_words(actual)
    return bool(a) and len(a) == len(b) and all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))
