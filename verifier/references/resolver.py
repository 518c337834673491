"""Resolve one cited reference against the configured indexes and decide its verdict, with evidence.

The indexes are asked in the order given (offline ones first: they are free). What an index's silence
means is read from its Coverage (capabilities, venues, kinds, years, complete, online), never its name:
- `confirmed`: a record is the cited paper and every detail the source gives agrees (matching.py: strict
  title identity, authors in order, year; venues through the alias table, venues.py);
- `mismatch`: a record is the cited paper (named in the verdict) but a detail differs, or an anchor (DOI,
  arXiv id) belongs to another paper or provably does not exist, or no record has the title while one
  comes close;
- `misattributed`: the record is found but the source's summary fits another paper much better, or fits
  the cited one not at all (TF-IDF similarities of both are shown);
- `not_found`: only on enough evidence: every index that covers the reference (by venue, kind of work and
  year) answered, at least two independent online ones or one declared complete for that scope, and no
  candidate came close;
- `unreachable`: an index failed and nothing else decided the question (never `not_found`);
- `unverifiable`: nothing consulted covers it (a book, a blog post, a 2026 paper in a 2024 dump)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

from verifier.errors import ServiceError
from verifier.references import ids, names, venues
from verifier.references.interface import Capability, Coverage, ReferenceIndex
from verifier.references.matching import TITLE_NEAR, Score, is_same_paper, score, title_similarity
from verifier.references.normalize import main_title, words
from verifier.references.records import PaperRecord
from verifier.references.similarity import similarities
from verifier.registry.models import Reference
from verifier.results.evidence import (
    Candidate,
    CuratedName,
    IndexAsked,
    IndexFailure,
    OtherPaper,
    PaperView,
    ReferenceEvidence,
    SummaryCheck,
)
from verifier.verdicts import Status

FIT_FLOOR = 0.05  # below this the summary shares (almost) no weighted words with the abstract
OTHER_MIN = 0.15  # another title candidate must fit at least this well ...
OTHER_RATIO = 1.5  # ... and this many times better than the cited one
CORPUS_MIN, CORPUS_RATIO = 0.25, 3.0  # a paper found by the summary's own words must beat it by far more:
# searching 60,000 abstracts for a generic summary always finds one that shares more of its words
ALL_KINDS = frozenset({"preprint", "journal", "proceedings", "book", "other"})
ONLINE_QUORUM = 2  # independent online indexes that must all lack a reference for `not_found`


class CorpusIndex(Protocol):
    """An index with abstracts and document frequencies (Capability.CORPUS), for the summary check."""

    def search_text(self, text: str, limit: int = 10) -> list[PaperRecord]: ...

    def document_frequencies(self, terms: Sequence[str], column: str = "abstract") -> dict[str, int]: ...

    def document_count(self) -> int: ...

    def coverage(self) -> Coverage: ...


def expected_on_arxiv(reference: Reference) -> bool:
    """The source says the work is on arXiv: an id, an arxiv.org link or DOI, or a preprint venue."""
    text = " ".join(filter(None, [reference.url, reference.venue, reference.arxiv_id, reference.doi])).lower()
    return "arxiv" in text or "preprint" in text


def covers(coverage: Coverage, reference: Reference) -> bool:
    """Whether an index speaks for the reference: its years include the cited year, and its venues (when it
    lists them) include the cited venue, or else its kinds include the cited kind of work. A reference that
    names no venue or kind is covered only by an index restricted in neither; an index restricted to fields
    covers a reference only through a venue it lists (references do not carry a field)."""
    if not coverage.covers_year(reference.year):
        return False
    # Where the source places the work: its venue, and arXiv when it gives an arXiv id, link or DOI.
    places = [(venues.key(reference.venue), venues.kind(reference.venue))] if reference.venue else []
    if expected_on_arxiv(reference):
        places.append((venues.PREPRINT, venues.PREPRINT))
    every_kind = coverage.kinds >= ALL_KINDS
    if not places:
        return not (coverage.venues or coverage.fields) and every_kind
    for key, kind in places:
        if coverage.venues:  # a listed venue implies the index's field
            if key is not None and any(_same_venue(key, held) for held in coverage.venues):
                return True
        elif not coverage.fields and (every_kind or kind in coverage.kinds
                                      or (kind == "series" and "proceedings" in coverage.kinds)):
            return True
    return False


def _same_venue(a: str | None, b: str) -> bool:
    """Venue keys that name one venue: equal, a series and its member, or two names outside the alias table
    that abbreviate each other."""
    if a is None:
        return False
    if a == b or venues.agree(a, b):
        return True
    return a.startswith("name:") and b.startswith("name:") and venues.same_name(a, b)


def record_venue_key(record: PaperRecord) -> str | None:
    """The venue a record places the paper at: its venue, journal reference, or arXiv (a preprint)."""
    for text in (record.venue, record.journal_ref):
        key = venues.canonical(text)
        if key is not None:
            return key
    if record.arxiv_id and not record.venue:
        return venues.PREPRINT
    return None


@dataclass
class Asked:
    """One index asked for one reference: what it covers and whether it answered."""

    index: str
    coverage: Coverage
    covering: bool
    answered: bool = False
    failed: str | None = None

    def view(self) -> IndexAsked:
        c = self.coverage
        return IndexAsked(index=self.index, description=c.description, complete=c.complete, online=c.online,
                          first=c.first, last=c.last, covers_reference=self.covering, answered=self.answered,
                          failed=self.failed)


@dataclass
class Resolution:
    status: Status
    summary: str
    record: PaperRecord | None = None
    candidates: list[tuple[PaperRecord, Score]] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    failed: list[IndexFailure] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    summary_check: SummaryCheck | None = None
    notes: list[str] = field(default_factory=list)
    asked: dict[str, Asked] = field(default_factory=dict)
    curated: CuratedName | None = None
    same: list[PaperRecord] = field(default_factory=list)  # every record taken to be the cited paper
    found_in: dict[str, str] = field(default_factory=dict)  # record key -> the index that returned it
    doi_silent: list[str] = field(default_factory=list)  # indexes that answered without the cited DOI

    def evidence(self) -> ReferenceEvidence:
        return ReferenceEvidence(
            consulted=self.consulted, failed=self.failed, coverage=self.coverage,
            indexes=[a.view() for a in self.asked.values()],
            record=PaperView(**_record_fields(self.record), abstract=self.record.abstract) if self.record else None,
            candidates=[Candidate(**_record_fields(r), score=s.view()) for r, s in self.candidates[:3]],
            differences=self.differences, summary_check=self.summary_check, notes=self.notes, curated=self.curated,
        )


def _contains(tokens: list[str], wanted: list[str]) -> bool:
    """Whether `wanted` occurs in `tokens` as a contiguous run (`Semi-Supervised StyleGAN for ...`)."""
    size = len(wanted)
    return size > 0 and any(tokens[i:i + size] == wanted for i in range(len(tokens) - size + 1))


class _RecordFields(TypedDict):
    arxiv_id: str | None
    title: str
    authors: list[str]
    published: str | None
    venue: str | None
    link: str | None
    origin: str
    doi: str | None
    withdrawn: bool


def _record_fields(record: PaperRecord) -> _RecordFields:
    return _RecordFields(arxiv_id=record.arxiv_id, title=record.title, authors=record.authors,
                         published=record.published, venue=record.venue, link=record.link, origin=record.origin,
                         doi=record.doi, withdrawn=record.withdrawn)


def _key(record: PaperRecord) -> str:
    return record.arxiv_id or (f"doi:{record.doi.lower()}" if record.doi else f"{record.origin}:{record.title}")


class Resolver:
    """`indexes` are asked in order; `corpus` (an index with Capability.CORPUS, usually the offline snapshot)
    serves the summary check's abstracts and document frequencies."""

    def __init__(self, indexes: Sequence[ReferenceIndex], corpus: CorpusIndex | None = None,
                 today: dt.date | None = None, name_table: names.NameTable | None = None) -> None:
        self.indexes = list(indexes)
        self.corpus = corpus
        self.today = today
        self.name_table = name_table if name_table is not None else names.bundled()
        self._coverages: dict[int, Coverage] = {}

    def _coverage(self, index: ReferenceIndex) -> Coverage:
        found = self._coverages.get(id(index))
        if found is None:
            found = self._coverages[id(index)] = index.coverage()
        return found

    def _capable(self, capability: Capability) -> list[ReferenceIndex]:
        return [i for i in self.indexes if capability in self._coverage(i).capabilities]

    # -- entry point -------------------------------------------------------------------------------------

    def resolve(self, reference: Reference, described_as: str | None) -> Resolution:
        arxiv_id = ids.extract(reference.arxiv_id, reference.url) or ids.from_doi(reference.doi)
        doi = None if ids.from_doi(reference.doi) else ids.doi_key(reference.doi)
        resolution = Resolution(Status.UNVERIFIABLE, "")
        if not (arxiv_id or doi or reference.title or reference.name):
            given = ", ".join(f"{label} {value}" for label, value in (
                ("link", reference.url), ("authors", "; ".join(reference.authors)), ("venue", reference.venue),
                ("year", reference.year)) if value)
            resolution.summary = ("nothing to look up: the source gives no title, name, DOI or arXiv id"
                                  + (f" (only {given})" if given else ""))
            return resolution
        resolution.notes.extend(f"{i.name} not asked: {self._coverage(i).skipped}" for i in self.indexes
                                if self._coverage(i).skipped)
        anchored, anchor_notes, anchor_failed = self._anchors(resolution, reference, arxiv_id, doi)
        anchor = f"arXiv id {arxiv_id}" if arxiv_id else f"DOI {doi}"
        if anchored is not None:
            self._choose(resolution, reference, [anchored])
            self._judge(resolution, reference)
        elif reference.title:
            self._by_title(resolution, reference)
        elif reference.name:
            self._by_name(resolution, reference, reference.name)
        if doi and not anchor_notes and anchored is None and resolution.record is not None:
            anchor_notes.extend(self._doi_unknown_to_holder(resolution, doi))
        self._apply_anchor_notes(resolution, reference, anchor_notes, anchor_failed)
        self._future_year(resolution, reference)
        if resolution.record is None and not resolution.summary:  # an anchor alone, neither found nor disproved
            if anchor_failed:
                resolution.status = Status.UNREACHABLE
                resolution.summary = f"could not look up {anchor}: " + "; ".join(f.reason for f in resolution.failed)
            else:
                resolution.summary = f"{anchor} is not in {self._where(resolution)}"
        if resolution.record is not None and described_as and resolution.status in (Status.CONFIRMED,
                                                                                      Status.MISMATCH):
            self._check_summary(resolution, described_as)
        return resolution

    def _anchors(self, resolution: Resolution, reference: Reference, arxiv_id: str | None, doi: str | None
                 ) -> tuple[PaperRecord | None, list[str], bool]:
        """The record an arXiv id or DOI points to (None when it is another paper's or absent), what is wrong
        with the anchors, and whether a capable index failed."""
        anchor_notes: list[str] = []
        anchored: PaperRecord | None = None
        anchor_failed = False
        for label, value, capability, ask in (
                ("arXiv id", arxiv_id, Capability.ARXIV_ID, lambda i, v: i.lookup_ids([v])),
                ("DOI", doi, Capability.DOI, lambda i, v: i.lookup_dois([v]))):
            if value is None or anchored is not None:
                continue
            record, absent, failed = self._by_anchor(resolution, reference, value, capability, ask)
            anchor_failed |= failed
            if record is not None:
                anchored = record
                if reference.title and title_similarity(reference.title, record.title) < TITLE_NEAR:
                    anchor_notes.append(f"{label} {value} belongs to another paper: {record.title!r}")
                    anchored = None
                    resolution.candidates.append((record, score(reference, record, self.today)))
            elif absent:
                anchor_notes.append(f"arXiv has no paper {value} ({absent})" if capability == Capability.ARXIV_ID
                                    else f"DOI {value} does not exist ({absent})")
        return anchored, anchor_notes, anchor_failed

    def _doi_unknown_to_holder(self, resolution: Resolution, doi: str) -> list[str]:
        """A cited DOI that the index holding the paper does not know, when that index is complete for the
        paper's own venue and year: an index complete for a venue holds its papers' DOIs, so the DOI is not
        this paper's (a fabricated or mistyped DOI)."""
        record = resolution.record
        assert record is not None
        holder = resolution.found_in.get(_key(record))
        if holder is None or holder not in resolution.doi_silent or ids.doi_key(record.doi) == doi:
            return []
        coverage = resolution.asked[holder].coverage
        own = Reference(venue=record.venue or ("arXiv" if record.arxiv_id else None), year=record.year,
                        arxiv_id=record.arxiv_id)
        if not (coverage.complete and covers(coverage, own)):
            return []
        return [f"DOI {doi} is not this paper's: {holder}, complete for its venue and year, holds it "
                f"{'with DOI ' + record.doi if record.doi else 'without a DOI'} and knows no record with the cited one"]

    def _future_year(self, resolution: Resolution, reference: Reference) -> None:
        """A year after today is wrong whether or not the paper is found."""
        now = (self.today or dt.date.today()).year
        if reference.year is None or reference.year <= now or resolution.record is not None:
            return
        note = f"year: cited as {reference.year}, after today ({now})"
        resolution.differences = [note, *resolution.differences]
        if resolution.status in (Status.UNVERIFIABLE, Status.NOT_FOUND, Status.MISMATCH):
            resolution.status = Status.MISMATCH
            resolution.summary = f"{note}; {resolution.summary}" if resolution.summary else note

    def _unknown_venue(self, resolution: Resolution, reference: Reference) -> str | None:
        """A cited venue that neither the alias table nor any index that lists its venues knows, said only when
        an index complete for the venues it lists answered (it enumerates what exists)."""
        if not reference.venue or venues.canonical(reference.venue) is not None:
            return None
        cited_key = venues.key(reference.venue)
        if any(_same_venue(cited_key, held) for i in self.indexes for held in self._coverage(i).venues):
            return None
        listing = [a.index for a in resolution.asked.values()
                   if a.answered and a.coverage.complete and a.coverage.venues]
        if not listing:
            return None
        return (f"venue: {reference.venue!r} is not a venue the alias table or any index knows (indexes that list "
                f"their venues: {', '.join(listing)})")

    def _apply_anchor_notes(self, resolution: Resolution, reference: Reference, notes: list[str],
                            failed: bool) -> None:
        if notes:
            resolution.differences = [*notes, *resolution.differences]
            if resolution.record is not None:
                resolution.status = Status.MISMATCH
                resolution.summary = f"{self._where_record(resolution.record)} differs: " + "; ".join(
                    resolution.differences)
            elif resolution.status == Status.NOT_FOUND or not (reference.title or reference.name):
                resolution.status = Status.NOT_FOUND
                resolution.summary = "; ".join([*notes, *([resolution.summary] if resolution.summary else [])])
            else:
                resolution.status = Status.MISMATCH
                resolution.summary = "; ".join(notes) + f"; the title: {resolution.summary}"
        elif failed and resolution.status == Status.CONFIRMED:
            resolution.status = Status.UNREACHABLE
            resolution.summary = (f"{resolution.summary}; but its DOI or arXiv id could not be checked: "
                                  + "; ".join(f.reason for f in resolution.failed))

    # -- asking ------------------------------------------------------------------------------------------

    def _note_asked(self, resolution: Resolution, index: ReferenceIndex, reference: Reference) -> Asked:
        asked = resolution.asked.get(index.name)
        if asked is None:
            coverage = self._coverage(index)
            asked = resolution.asked[index.name] = Asked(index.name, coverage, covers(coverage, reference))
        return asked

    def _ask(self, resolution: Resolution, reference: Reference, index: ReferenceIndex,
             question: Callable[[ReferenceIndex], list[PaperRecord] | None]) -> list[PaperRecord] | None:
        """One index's answer; a failure is recorded (never read as absence), a consulted index noted."""
        asked = self._note_asked(resolution, index, reference)
        try:
            records = question(index)
        except ServiceError as exc:
            resolution.failed.append(IndexFailure(index=index.name, reason=str(exc)))
            asked.failed = str(exc)
            return None
        if records is not None:
            self._consult(resolution, index)
            asked.answered = True
        return records

    def _consult(self, resolution: Resolution, index: ReferenceIndex) -> None:
        if index.name not in resolution.consulted:
            resolution.consulted.append(index.name)
            resolution.coverage.append(self._coverage(index).description)

    def _by_anchor(self, resolution: Resolution, reference: Reference, value: str, capability: Capability,
                   ask: Callable[[ReferenceIndex, str], dict[str, PaperRecord | None]]
                   ) -> tuple[PaperRecord | None, str | None, bool]:
        """(record, why its absence is proven or None, whether a capable index failed)."""
        answered: list[ReferenceIndex] = []
        failed = False
        for index in self._capable(capability):
            asked = self._note_asked(resolution, index, reference)
            try:
                answers = ask(index, value)
            except ServiceError as exc:
                resolution.failed.append(IndexFailure(index=index.name, reason=str(exc)))
                asked.failed = str(exc)
                failed = True
                continue
            if value not in answers:
                continue
            self._consult(resolution, index)
            asked.answered = True
            found = answers[value]
            if found is not None:
                resolution.found_in.setdefault(_key(found), index.name)
                return found, None, failed
            answered.append(index)
            if capability == Capability.DOI:
                resolution.doi_silent.append(index.name)
        if failed or not answered:
            return None, None, failed
        if capability == Capability.ARXIV_ID:
            authorities = [i for i in answered if self._coverage(i).covers(value)]
        else:
            authorities = [i for i in answered if self._coverage(i).complete and covers(self._coverage(i), reference)]
            online = [i for i in answered if self._coverage(i).online]
            if len(online) >= ONLINE_QUORUM:
                authorities += online
        if not authorities:
            return None, None, failed
        return None, f"{', '.join(dict.fromkeys(i.name for i in authorities))} answered without it", failed

    # -- by title ----------------------------------------------------------------------------------------

    def _by_title(self, resolution: Resolution, reference: Reference) -> None:
        scored: dict[str, tuple[PaperRecord, Score]] = {_key(r): (r, s) for r, s in resolution.candidates}
        title = reference.title or ""
        for index in self._capable(Capability.TITLE):
            records = self._ask(resolution, reference, index,
                                lambda i: i.search(title, reference.authors, year=reference.year))
            if records is None:
                continue
            for record in records:
                scored.setdefault(_key(record), (record, score(reference, record, self.today)))
                resolution.found_in.setdefault(_key(record), index.name)
            ranked = sorted(scored.values(), key=lambda pair: pair[1].total, reverse=True)
            resolution.candidates = ranked
            same = [record for record, result in ranked if is_same_paper(result)]
            if same and not ranked[0][1].differences and self._venue_agrees(reference, ranked[0][0]):
                break  # an exact match: no later index can improve on it
        same = [record for record, result in resolution.candidates if is_same_paper(result)]
        if same:
            self._choose(resolution, reference, same)
            self._judge(resolution, reference)
        else:
            self._absent(resolution, reference)

    def _venue_agrees(self, reference: Reference, record: PaperRecord) -> bool:
        cited = venues.canonical(reference.venue)
        return reference.venue is None or bool(venues.agree(cited, record_venue_key(record))) or venues.same_name(
            reference.venue, record.venue)

    def _choose(self, resolution: Resolution, reference: Reference, same: list[PaperRecord]) -> None:
        """Among records of the cited paper (a preprint and its published version, say), the one that agrees
        best: an exact title first, then the fewest differences, then the cited venue."""
        scored = {_key(r): (r, s) for r, s in resolution.candidates}
        for record in same:
            scored.setdefault(_key(record), (record, score(reference, record, self.today)))
        ranked = sorted((scored[_key(r)] for r in same), key=lambda pair: (
            not pair[1].exact_title, len(pair[1].differences), not self._venue_agrees(reference, pair[0]),
            -pair[1].total))
        resolution.record = ranked[0][0]
        resolution.candidates = sorted(scored.values(), key=lambda pair: pair[1].total, reverse=True)
        resolution.notes.extend(f"also the same paper: {r.title!r} ({r.venue or r.arxiv_id}, {r.origin})"
                                for r, _ in ranked[1:3])
        resolution.same = [r for r, _ in ranked]

    def _absent(self, resolution: Resolution, reference: Reference) -> None:
        nearest = ", ".join(f"{r.title!r} ({s.total:.2f})" for r, s in resolution.candidates[:3]) or "none"
        covering = [a for a in resolution.asked.values() if a.covering]
        answered = [a for a in covering if a.answered]
        enough = any(a.coverage.complete for a in answered) or len(
            {a.index for a in answered if a.coverage.online}) >= ONLINE_QUORUM
        close = [(r, s) for r, s in resolution.candidates if s.title is not None and s.title >= TITLE_NEAR]
        # Any failure, even of an index whose coverage leaves the reference out, leaves the question open:
        # coverage descriptions are honest but not exact (dblp holds CoRR preprints in part).
        unknown = None if resolution.failed else self._unknown_venue(resolution, reference)
        if unknown is not None:
            resolution.status = Status.MISMATCH
            resolution.differences = [unknown]
            resolution.summary = f"{unknown}; no record has this title; nearest: {nearest}"
        elif resolution.failed:
            resolution.status = Status.UNREACHABLE
            resolution.summary = "could not search: " + "; ".join(f"{f.index}: {f.reason}"
                                                                  for f in resolution.failed)
        elif enough and close:
            record, result = close[0]
            resolution.status = Status.MISMATCH
            resolution.differences = [
                f"no record has this title; the closest is {record.title!r} by {'; '.join(record.authors[:4])}"
                f" ({record.venue or record.arxiv_id or '?'} {record.published or ''})".rstrip(),
                *result.differences]
            resolution.summary = "; ".join(resolution.differences)
        elif enough:
            resolution.status = Status.NOT_FOUND
            resolution.summary = (f"no such paper in {self._where(resolution, covering_only=True)}, which cover "
                                  f"it; nearest: {nearest}")
        else:
            resolution.status = Status.UNVERIFIABLE
            why = ("no index consulted covers it (" + self._scope_phrase(reference) + ")") if not answered else (
                "the covering indexes that answered are neither complete for it nor two independent online ones")
            resolution.summary = f"not in {self._where(resolution)}; {why}; nearest: {nearest}"

    @staticmethod
    def _scope_phrase(reference: Reference) -> str:
        parts = [f"venue {reference.venue!r}" if reference.venue else "no venue given",
                 f"year {reference.year}" if reference.year else "no year"]
        return ", ".join(parts)

    def _where(self, resolution: Resolution, covering_only: bool = False) -> str:
        """What was consulted, said shortly (the full coverage is in the evidence)."""
        asked = [a for a in resolution.asked.values() if a.answered and (a.covering or not covering_only)]
        if not asked:
            return "any index (none was available: build a snapshot or go online)"
        parts = []
        for a in asked:
            c = a.coverage
            kind = "complete" if c.complete else "partial"
            dates = f", {c.first or '?'} to {c.last or '?'}" if (c.first or c.last) else ""
            parts.append(f"{a.index} ({'online' if c.online else 'offline'}, {kind}{dates})")
        where = ", ".join(parts)
        if not any(a.coverage.online for a in asked):
            where += "; no online index was consulted"
        return where

    @staticmethod
    def _where_record(record: PaperRecord) -> str:
        return f"{record.title!r}, {record.arxiv_id or record.venue or record.doi or '?'} ({record.origin})"

    # -- judging -----------------------------------------------------------------------------------------

    def _judge(self, resolution: Resolution, reference: Reference) -> None:
        record = resolution.record
        assert record is not None
        result = score(reference, record, self.today)
        if not any(r is record for r, _ in resolution.candidates):
            resolution.candidates.insert(0, (record, result))
        resolution.differences = [*result.differences, *self._venue_differences(resolution, reference, record)]
        if record.withdrawn:
            resolution.notes.append("the paper has been withdrawn by its authors")
        if resolution.differences:
            resolution.status = Status.MISMATCH
            resolution.summary = f"{self._where_record(record)} differs: " + "; ".join(resolution.differences)
        else:
            resolution.status = Status.CONFIRMED
            resolution.summary = self._where_record(record) + (" (withdrawn)" if record.withdrawn else "")

    def _venue_differences(self, resolution: Resolution, reference: Reference, record: PaperRecord) -> list[str]:
        """The cited venue against the records of the paper: the alias table makes `NIPS` = `NeurIPS`; a
        preprint cited as published is wrong only when an index complete for the cited venue and year answered
        without a published version; a venue that neither the table nor any index knows is reported."""
        if not reference.venue:
            return []
        same = resolution.same or [record]
        if any(self._venue_agrees(reference, r) for r in same):
            return []
        cited = venues.canonical(reference.venue)
        actual = record_venue_key(record)
        shown = record.venue or ("arXiv (preprint)" if record.arxiv_id else "none")
        if cited is None:
            unknown = self._unknown_venue(resolution, reference)
            if unknown is not None:
                return [f"{unknown}; the record's is {shown!r}"]
            if any(_same_venue(venues.key(reference.venue), held) for i in self.indexes
                   for held in self._coverage(i).venues):
                return [f"venue: cited as {reference.venue!r}, the record's is {shown!r}"]
            resolution.notes.append(f"the cited venue {reference.venue!r} is not in the alias table and no index "
                                    f"that lists its venues was consulted: not compared with {shown!r}")
            return []
        if actual == venues.PREPRINT and cited != venues.PREPRINT:
            authorities = [a.index for a in resolution.asked.values()
                           if a.answered and a.coverage.complete and covers(a.coverage, reference)
                           and a.coverage.venues]
            if authorities:
                return [f"venue: cited as published in {reference.venue!r}, but only a preprint is known "
                        f"({', '.join(authorities)}, complete for that venue and year, has no published version)"]
            resolution.notes.append(f"the record is a preprint; the cited venue {reference.venue!r} was not checked "
                                    "(no index complete for it was consulted)")
            return []
        if actual is None or cited == venues.PREPRINT:
            return []
        return [f"venue: cited as {reference.venue!r}, the record's is {shown!r}"]

    # -- named works -------------------------------------------------------------------------------------

    def _by_name(self, resolution: Resolution, reference: Reference, name: str) -> None:
        """A work the source only names (`WaveNet`, `GPT-3`). Its origin is, in order: (a) the earliest paper
        whose title is the name or starts with it before a colon; (b) the earliest paper whose abstract
        introduces it (`we call this X`, `X, a ...`, `(X)`, names.py); (c) a row of the shipped name table,
        whose paper is looked up by id and shown as curated. Papers that merely mention the name are no
        evidence of its origin, so without any of these the verdict stays `unverifiable`."""
        named, mentions, introduced = self._titles_naming(resolution, reference, name)
        if named:
            record = min(named, key=lambda r: (r.published or "9999", r.arxiv_id or ""))
            resolution.notes.append(f"the source gives the name {name!r}, no title; the earliest paper titled "
                                    f"after it is taken as its origin")
            self._found_by_name(resolution, reference, record)
            return
        row = self.name_table.find(name)
        if row is not None and self._by_curated(resolution, reference, row):
            return
        if introduced:
            record = min(introduced, key=lambda r: (r.published or "9999", r.arxiv_id or ""))
            resolution.notes.append(f"the source gives the name {name!r}, no title; the earliest paper whose "
                                    f"abstract introduces it is taken as its origin")
            self._found_by_name(resolution, reference, record)
            return
        if mentions:
            earliest = sorted(mentions, key=lambda r: r.published or "9999")[:3]
            resolution.notes.append("titles that mention the name (not evidence of its origin): " + "; ".join(
                f"{r.title!r} ({(r.published or '?')[:4]})" for r in earliest))
        if resolution.failed:
            resolution.status = Status.UNREACHABLE
            resolution.summary = "could not search: " + "; ".join(f.reason for f in resolution.failed)
        else:
            resolution.summary = (f"the source names {name!r} but gives no title; no paper is titled after it or "
                                  f"introduces it in {self._where(resolution)}, and the name table has no row")

    def _found_by_name(self, resolution: Resolution, reference: Reference, record: PaperRecord) -> None:
        resolution.record = record
        resolution.same = [record]
        self._judge(resolution, reference)

    def _by_curated(self, resolution: Resolution, reference: Reference, row: names.NameRow) -> bool:
        """Look up the paper a name-table row names, by arXiv id; the evidence says it is a curated mapping."""
        resolution.curated = row.view()
        for index in self._capable(Capability.ARXIV_ID):
            asked = self._note_asked(resolution, index, reference)
            try:
                answers = index.lookup_ids([row.arxiv_id])
            except ServiceError as exc:
                resolution.failed.append(IndexFailure(index=index.name, reason=str(exc)))
                asked.failed = str(exc)
                continue
            if row.arxiv_id not in answers:
                continue
            self._consult(resolution, index)
            asked.answered = True
            record = answers[row.arxiv_id]
            if record is None:
                continue
            if words(record.title) != words(row.title):
                resolution.notes.append(f"the name table's row for {row.name!r} says {row.title!r}, but "
                                        f"{row.arxiv_id} is {record.title!r}: the row is not used")
                return False
            resolution.notes.append(f"the source gives the name {row.name!r}, no title; curated mapping "
                                    f"(data/names.yaml, from {row.source}) to {row.arxiv_id}, confirmed by "
                                    f"{record.origin}")
            self._found_by_name(resolution, reference, record)
            return True
        return False

    def _titles_naming(self, resolution: Resolution, reference: Reference, name: str
                       ) -> tuple[list[PaperRecord], list[PaperRecord], list[PaperRecord]]:
        """Records titled after the name, records whose titles only contain it, and records whose abstracts
        introduce it; index by index until one has a record titled after it."""
        wanted = words(name)
        named: list[PaperRecord] = []
        mentions: list[PaperRecord] = []
        introduced: list[PaperRecord] = []
        for index in self._capable(Capability.NAME):
            records = self._ask(resolution, reference, index, lambda i: i.search_name(name))
            if records is None:
                continue
            for position, record in enumerate(records):
                if words(main_title(record.title)) == wanted:
                    named.append(record)
                elif position == 0 and names.introduces(record.abstract, name):
                    introduced.append(record)  # only the oldest mention can be the origin
                elif _contains(words(record.title), wanted):
                    mentions.append(record)
            if named:
                break
        return named, mentions, introduced

    # -- summary -----------------------------------------------------------------------------------------

    def _check_summary(self, resolution: Resolution, described_as: str) -> None:
        record = resolution.record
        assert record is not None
        key = _key(record)
        candidates = {_key(r): r for r, _ in resolution.candidates}
        corpus: dict[str, PaperRecord] = {}
        if self.corpus is not None:
            corpus = {_key(r): r for r in self.corpus.search_text(described_as)}
        pool = {key: record, **{k: r for k, r in {**corpus, **candidates}.items() if k != key}}
        started = time.perf_counter()
        texts = [r.abstract for r in pool.values()]
        if self.corpus is not None:
            sims = similarities(described_as, texts, self.corpus.document_frequencies, self.corpus.document_count())
        else:
            sims = similarities(described_as, texts)
        cited = sims[0]
        rest = [(k, r, s) for (k, r), s in zip(list(pool.items())[1:], sims[1:], strict=True)]
        check = SummaryCheck(
            cited_similarity=round(cited, 4), method="tf-idf cosine",
            others=[OtherPaper(title=r.title, arxiv_id=r.arxiv_id, similarity=round(s, 4),
                               found_by="title search" if k in candidates else "summary words")
                    for k, r, s in sorted(rest, key=lambda item: -item[2])[:3]],
            seconds=round(time.perf_counter() - started, 4),
            rule=f"misattributed if a title candidate's abstract fits >= {OTHER_MIN} and >= {OTHER_RATIO}x the "
                 f"cited one, or a paper found by the summary's words fits >= {CORPUS_MIN} and >= "
                 f"{CORPUS_RATIO}x, or the cited one fits < {FIT_FLOOR}",
            verdict="no abstract to compare",
        )
        resolution.summary_check = check
        if not record.abstract:
            return
        better = [(r, s) for k, r, s in rest if r.abstract and (
            (k in candidates and s >= OTHER_MIN and s >= OTHER_RATIO * cited)
            or (k not in candidates and s >= CORPUS_MIN and s >= CORPUS_RATIO * cited))]
        best = max(better, key=lambda pair: pair[1], default=None)
        if best is not None:
            resolution.summary_check = check.model_copy(update={"verdict": "fits another paper better"})
            resolution.status = Status.MISATTRIBUTED
            resolution.summary = (f"the summary fits {best[0].title!r} ({best[1]:.2f}) better than the cited "
                                  f"{record.title!r} ({cited:.2f})")
        elif cited < FIT_FLOOR:
            resolution.summary_check = check.model_copy(update={"verdict": "does not fit the cited paper"})
            resolution.status = Status.MISATTRIBUTED
            resolution.summary = f"the summary does not fit the abstract of {record.title!r} (similarity {cited:.2f})"
        else:
            resolution.summary_check = check.model_copy(update={"verdict": "fits the cited paper"})
