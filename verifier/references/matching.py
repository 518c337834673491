"""Score a candidate record against a claimed reference, and decide: same paper? which details differ?

Thresholds, from 15,000 real titles (2015 part of the snapshot; tests/references/test_matching.py keeps
them honest on a fixed sample): two *different* papers that share two or more title words score 0.45 at
the median, 0.68 at the 99th percentile and at most 0.77; one word of a title replaced scores 0.84 at the
10th percentile and 0.91 at the median; a dropped subtitle 0.95; reordered words 0.98.
- TITLE_SAME = 0.93: at or above, the same title (case, punctuation, accents, LaTeX, word order, a dropped
  subtitle, `Nets` for `Networks`): no difference reported.
- TITLE_VARIANT = 0.78: between the two, the same paper cited with other wording (a changed word): a
  `mismatch` on the title, accepted as the paper only when a cited author is among its authors, or, with no
  authors cited, when the title scores 0.85 or more, the year does not contradict it, and the record's
  title is not the cited one plus more words (`Coupled Generative Adversarial Networks` is not
  `Generative Adversarial Networks`).
- Below 0.78, another paper.
- Year: the arXiv v1 year, or one year later (journal or conference publication), agrees; a venue year
  agrees within one year.
- Authors: every claimed surname (no "et al.") must be among the record's; the first claimed author must be
  the first author."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from verifier.references.normalize import has_et_al, main_title, surnames, title_tokens
from verifier.references.records import PaperRecord
from verifier.registry.models import Reference

TITLE_SAME = 0.93
TITLE_VARIANT = 0.78
TITLE_ALONE = 0.85  # a variant title accepted without any cited author


def _ratio(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).ratio()


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
    if a == b:
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


def author_overlap(claimed: list[str], actual: list[str]) -> float | None:
    """Share of claimed surnames found among the record's (None when the source names no author)."""
    wanted = surnames(claimed)
    if not wanted:
        return None
    have = set(surnames(actual))
    return sum(1 for name in wanted if name in have) / len(wanted)


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score(reference: Reference, record: PaperRecord) -> Score:
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
    return Score(title, authors, year, round(total, 4), _differences(reference, record, title, authors, year),
                 extends)


def _differences(reference: Reference, record: PaperRecord, title: float | None, authors: float | None,
                 year: bool | None) -> list[str]:
    found = []
    if title is not None and title < TITLE_SAME:
        found.append(f"title: cited as {reference.title!r}, the record says {record.title!r}")
    wanted = surnames(reference.authors)
    have = surnames(record.authors)
    if authors is not None and authors < 1.0:
        missing = [name for name in wanted if name not in set(have)]
        found.append(f"authors: {', '.join(missing)} not among the record's ({', '.join(record.authors[:6])})")
    elif wanted and have and wanted[0] != have[0] and not has_et_al(reference.authors[:1]):
        found.append(f"authors: first author cited as {reference.authors[0]!r}, the record's is {record.authors[0]!r}")
    if year is False:
        found.append(f"year: cited as {reference.year}, first version {record.published}")
    return found


def is_same_paper(result: Score) -> bool:
    """A candidate is the cited paper when the title is close enough and nothing strongly contradicts it."""
    if result.title is None:
        return bool(result.authors and result.authors >= 1.0 and result.year)
    if result.title >= TITLE_SAME:
        return result.authors is None or result.authors > 0 or result.year is not False
    if result.title >= TITLE_VARIANT:
        if result.authors is not None:
            return result.authors > 0
        return result.title >= TITLE_ALONE and result.year is not False and not result.extends
    return False
