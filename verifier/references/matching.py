"""Score a candidate record against a cited reference: is it the cited paper, and what differs?

Two questions, two standards.
1. *Identification* (which paper did the source mean?) is fuzzy, so a near-miss still names its paper:
   title similarity is rapidfuzz's normalised Indel similarity of the title words (plain and sorted order),
   or 0.95 for a dropped subtitle. Thresholds, measured with rapidfuzz on 20,000 pairs of different real
   arXiv titles sharing two or more words (2015 part of the bulk metadata) and 8,111 titles with one word
   replaced by a random one (tests/references/test_matching.py keeps the rates on a fixed sample): different
   papers score 0.51 at the median and 0.74 at the 99th percentile, 0.56% reach 0.78, 0.26% reach 0.85 and
   0.11% reach 0.93 (short titles one word apart: `Conditional` / `Temporal Generative Adversarial Nets`);
   one replaced word scores 0.83 at the 5th percentile and 0.91 at the median (99.2% reach 0.78, 91% reach
   0.85, 28% reach 0.93). benchmarks/title_thresholds.py prints these figures.
   - an identical title (identity_key) is this record's whatever else differs (the verdict lists it);
   - TITLE_SAME = 0.93: at or above, this record unless no cited author is among its authors and the year
     disagrees.
   - TITLE_NEAR = 0.78: between the two, the same paper with other wording, when a cited author is among its
     authors, or, with no authors cited, when the title scores TITLE_ALONE = 0.85 or more, the year does not
     contradict it and the record's title is not the cited one plus more words (`Coupled Generative
     Adversarial Networks` is not `Generative Adversarial Networks`).
   - Below 0.78, another paper.
2. *Identity* (is every detail right?) is strict: `confirmed` only when nothing below differs.
   - Title: equal after folding case, accents, LaTeX, punctuation, spaces and hyphens (`identity_key`); any
     other change (a word, a plural, a synonym, a dropped or added subtitle) is listed word by word.
   - Authors: the cited list must be the record's, in order (surnames compared, a given-name/surname swap
     tolerated); a shorter list is right only with "et al."; missing, extra, replaced, reordered and
     placeholder names are listed with both lists side by side.
   - Year: the arXiv v1 year or the next (publication after the preprint) for a preprint record, within one
     year of a venue record's year; a year after today is always wrong.
   Venues are compared by the resolver (venues.py), which knows what each index is complete for."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Indel

from verifier.references.normalize import (
    has_et_al,
    identity_key,
    is_placeholder,
    main_title,
    person,
    surname,
    title_tokens,
    words,
)
from verifier.references.records import PaperRecord
from verifier.registry.models import Reference
from verifier.results.evidence import TitleScore

TITLE_SAME = 0.93
TITLE_NEAR = 0.78
TITLE_VARIANT = TITLE_NEAR  # the former name, kept for callers
TITLE_ALONE = 0.85  # a near title accepted without any cited author


def _ratio(a: list[str], b: list[str]) -> float:
    """Indel similarity of the joined words (what difflib's ratio computes, at C speed)."""
    if not a or not b:
        return 0.0
    return Indel.normalized_similarity(" ".join(a), " ".join(b))


def _distinctive(main: str) -> bool:
    """A main title that can stand for the whole: two words or more, or one coined name (`WaveNet`, `BERT`,
    `GPT-3`: capitals after the first letter, or digits), not a common word (`Attention`)."""
    tokens = title_tokens(main)
    if len(tokens) >= 2:
        return True
    word = main.strip()
    return len(tokens) == 1 and (any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word))


def title_similarity(claimed: str, actual: str) -> float:
    """Best of: plain order, sorted words (reordered titles), and main titles (dropped subtitle)."""
    a, b = title_tokens(claimed), title_tokens(actual)
    if not a or not b:
        return 0.0
    if a == b or identity_key(claimed) == identity_key(actual):
        return 1.0
    if sorted(a) == sorted(b):
        return 0.98  # the same words in another order
    scores = [_ratio(a, b), _ratio(sorted(a), sorted(b))]
    a_main, b_main = title_tokens(main_title(claimed)), title_tokens(main_title(actual))
    if _distinctive(main_title(claimed)) and a_main in (b, b_main):
        scores.append(0.95)
    if _distinctive(main_title(actual)) and b_main == a:
        scores.append(0.95)
    return max(scores)


def same_title(claimed: str, actual: str) -> bool:
    return identity_key(claimed) == identity_key(actual)


def title_difference(claimed: str, actual: str) -> str:
    """The word-level difference of two titles: `'for' -> 'towards'; added 'deep'; dropped 'a survey'`."""
    a, b = words(actual), words(claimed)
    parts: list[str] = []
    old: list[str] = []
    new: list[str] = []
    # Indel has no substitution: the runs dropped and added between two equal blocks are one change.
    for op in [*(Indel.opcodes(a, b) if a and b else []), None]:
        if op is None or op.tag == "equal":
            if old and new:
                parts.append(f"{' '.join(old)!r} -> {' '.join(new)!r}")
            elif old:
                parts.append(f"dropped {' '.join(old)!r}")
            elif new:
                parts.append(f"added {' '.join(new)!r}")
            old, new = [], []
            continue
        old += a[op.src_start:op.src_end]
        new += b[op.dest_start:op.dest_end]
    return "; ".join(parts) if parts else "punctuation or joined words"


def split_authors(names: list[str]) -> list[str]:
    """One entry per person (`A and B` split), `et al.`/`others` dropped."""
    return [p.name for p in _people(tuple(names))]


@dataclass(frozen=True)
class _Person:
    name: str
    surname: str | None
    first: str
    last: str
    initial: str  # of the given name, "" when only a surname is written


@lru_cache(maxsize=1 << 14)
def _people(names: tuple[str, ...]) -> tuple[_Person, ...]:
    """Each author once, with the keys comparisons need (cached: a record's list meets many citations)."""
    found = []
    for name in names:
        for part in (p.strip() for p in re.split(r"\s+and\s+|;", name)):
            key = surname(part) if part else None
            if key is not None:
                shown = person(part)
                tokens = words(shown)
                given = words(shown.split(",", 1)[1]) if "," in shown else tokens[:-1]
                found.append(_Person(shown, key, tokens[0], tokens[-1], given[0][0] if given else ""))
    return tuple(found)


def _same_person(cited: _Person, actual: _Person) -> bool:
    """Surnames equal and given names not contradicting (`K. He` is `Kaiming He`; `Eric Li` is not `Mu Li`:
    common surnames alone would join different people), or the cited name in the other order (`Wang Wei`
    for `Wei Wang`)."""
    if cited.surname == actual.surname:
        return not (cited.initial and actual.initial) or cited.initial == actual.initial
    return cited.first != cited.last and cited.first == actual.last and cited.last == actual.first


def author_overlap(claimed: list[str], actual: list[str]) -> float | None:
    """Share of cited authors found among the record's (None when the source names no author)."""
    wanted = _people(tuple(claimed))
    if not wanted:
        return None
    have = _people(tuple(actual))
    return sum(1 for name in wanted if any(_same_person(name, other) for other in have)) / len(wanted)


def author_differences(claimed: list[str], actual: list[str]) -> list[str]:
    """What is wrong with the cited author list, compared with the record's, in order."""
    cited = list(_people(tuple(claimed)))
    have = list(_people(tuple(actual)))
    if not cited or not have:
        return []
    truncated = has_et_al(claimed)
    if has_et_al(actual) or any(a.strip().lower() == "others" for a in actual):
        cited = cited[:len(have)]  # the record itself lists only the first authors: compare those
    problems: list[str] = []
    placeholders = [p.name for p in cited if is_placeholder(p.name)]
    if placeholders:
        problems.append(f"placeholder names {', '.join(placeholders)}")
    positions, extra = _align(cited, have, placeholders)
    if extra:
        problems.append(f"not among the record's: {', '.join(extra)}")
    problems.extend(_missing(have, positions, truncated, clean=not extra and not placeholders))
    if positions != sorted(positions):
        problems.append("order differs")
    if not problems:
        return []
    return [f"authors: {'; '.join(problems)} (cited: {'; '.join(p.name for p in cited)}"
            f"{' et al.' if truncated else ''} | record: {'; '.join(p.name for p in have)})"]


def _align(cited: list[_Person], have: list[_Person], placeholders: list[str]) -> tuple[list[int], list[str]]:
    """For each cited author, the position of the same person in the record's list (in cited order), and
    the cited authors who are not there (placeholders are reported apart)."""
    positions: list[int] = []
    extra: list[str] = []
    used: set[int] = set()
    for name in cited:
        match = next((k for k, other in enumerate(have) if k not in used and _same_person(name, other)), None)
        if match is None:
            if name.name not in placeholders:
                extra.append(name.name)
        else:
            used.add(match)
            positions.append(match)
    return positions, extra


def _missing(have: list[_Person], positions: list[int], truncated: bool, clean: bool) -> list[str]:
    """The record's authors the citation leaves out. "et al." stands for the authors after the cited ones
    (a gap before them is still missing); a clean prefix without "et al." is a truncated list."""
    used = set(positions)
    missing = [have[k].name for k in range(len(have)) if k not in used]
    if not missing:
        return []
    if truncated:
        skipped = [have[k].name for k in range(max(positions, default=-1) + 1) if k not in used]
        return [f"missing before 'et al.': {', '.join(skipped)}"] if skipped else []
    if clean and positions == list(range(len(positions))):
        return [f"the list stops after {len(positions)} of {len(have)} authors without 'et al.' "
                f"(missing: {', '.join(missing)})"]
    return [f"missing: {', '.join(missing)}"]


def year_agrees(claimed: int | None, record: PaperRecord) -> bool | None:
    if claimed is None or record.year is None:
        return None
    return record.year <= claimed <= record.year + 1 if record.arxiv_id else abs(claimed - record.year) <= 1


@dataclass(frozen=True)
class Score:
    title: float | None
    authors: float | None
    year: bool | None
    total: float
    differences: list[str] = field(default_factory=list)
    extends: bool = False  # the record's title has every cited word and more: a more specific paper
    exact_title: bool | None = None

    def view(self) -> TitleScore:
        return TitleScore(title=self.title, authors=self.authors, year=self.year, total=self.total,
                          differences=self.differences, extends=self.extends, exact_title=self.exact_title)


def score(reference: Reference, record: PaperRecord, today: dt.date | None = None) -> Score:
    title = title_similarity(reference.title, record.title) if reference.title else None
    authors = author_overlap(reference.authors, record.authors)
    year = year_agrees(reference.year, record)
    parts: list[tuple[float, float]] = []
    if title is not None:
        parts.append((0.7, title))
    if authors is not None:
        parts.append((0.2, authors))
    if year is not None:
        parts.append((0.1, 1.0 if year else 0.0))
    total = sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 0.0
    cited = set(title_tokens(reference.title or ""))
    extends = bool(cited) and cited < set(title_tokens(record.title))
    exact = same_title(reference.title, record.title) if reference.title else None
    # Differences are listed only for a record that can be the cited paper (the others are never judged).
    judged = title is None or title >= TITLE_NEAR
    differences = _differences(reference, record, exact, year, today) if judged else []
    return Score(title, authors, year, round(total, 4), differences,
                 extends, exact)


def _differences(reference: Reference, record: PaperRecord, exact: bool | None, year: bool | None,
                 today: dt.date | None) -> list[str]:
    found = []
    if reference.title and exact is False:
        found.append(f"title: cited as {reference.title!r}, the record says {record.title!r} "
                     f"({title_difference(reference.title, record.title)})")
    found.extend(author_differences(reference.authors, record.authors))
    now = (today or dt.date.today()).year
    if reference.year is not None and reference.year > now:
        found.append(f"year: cited as {reference.year}, after today ({now})")
    elif year is False:
        found.append(f"year: cited as {reference.year}, the record's is {record.published}"
                     + (" (first version)" if record.arxiv_id else ""))
    return found


def is_same_paper(result: Score) -> bool:
    """A candidate is the cited paper when the title is close enough and nothing strongly contradicts it."""
    if result.title is None:
        return bool(result.authors and result.authors >= 1.0 and result.year)
    if result.exact_title:
        return True  # the cited title is this record's, whatever else differs
    if result.title >= TITLE_SAME:
        return result.authors is None or result.authors > 0 or result.year is not False
    if result.title >= TITLE_NEAR:
        if result.authors is not None:
            return result.authors > 0
        return result.title >= TITLE_ALONE and result.year is not False and not result.extends
    return False
