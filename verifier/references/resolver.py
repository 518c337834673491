"""Resolve one cited reference against the configured indexes and decide its verdict, with evidence.

Order: the offline snapshot first (free), then the cache and the live API (unless offline). The verdict:
- `confirmed` / `mismatch`: a record is the cited paper; mismatch lists the details that differ;
- `misattributed`: the record is found but the source's summary fits another paper much better, or fits
  the cited one not at all (TF-IDF similarities of both are shown);
- `not_found`: only when an index that can speak for the reference (the arXiv API, or a snapshot built as
  complete for its dates) answered without it, the reference claims to be on arXiv, and no index failed;
- `unreachable`: an index that could have answered failed (never `not_found`);
- `unverifiable`: nothing consulted can speak for it (a book, a blog post, a paper outside the snapshot)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from verifier.errors import ServiceError
from verifier.references import ids
from verifier.references.crossref import CrossrefIndex
from verifier.references.interface import ReferenceIndex
from verifier.references.matching import TITLE_VARIANT, Score, is_same_paper, score
from verifier.references.normalize import main_title, words
from verifier.references.records import PaperRecord
from verifier.references.similarity import similarities
from verifier.references.snapshot import SnapshotIndex
from verifier.registry.models import Reference
from verifier.verdicts import Status

FIT_FLOOR = 0.05  # below this the summary shares (almost) no weighted words with the abstract
OTHER_MIN = 0.15  # another title candidate must fit at least this well ...
OTHER_RATIO = 1.5  # ... and this many times better than the cited one
CORPUS_MIN, CORPUS_RATIO = 0.25, 3.0  # a paper found by the summary's own words must beat it by far more:
# searching 60,000 abstracts for a generic summary always finds one that shares more of its words


def expected_on_arxiv(reference: Reference) -> bool:
    """The source says the work is on arXiv: an id, an arxiv.org link or footnote, or a preprint venue."""
    text = " ".join(filter(None, [reference.url, reference.venue, reference.arxiv_id])).lower()
    return "arxiv" in text or "preprint" in text


@dataclass
class Resolution:
    status: Status
    summary: str
    record: PaperRecord | None = None
    candidates: list[tuple[PaperRecord, Score]] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    summary_check: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def evidence(self) -> dict[str, Any]:
        return {
            "consulted": self.consulted, "failed": self.failed, "coverage": self.coverage,
            "record": _record_view(self.record) if self.record else None,
            "candidates": [{**_record_view(r, abstract=False), "score": s.as_dict()} for r, s in self.candidates[:3]],
            "differences": self.differences, "summary_check": self.summary_check, "notes": self.notes,
        }


def _contains(tokens: list[str], wanted: list[str]) -> bool:
    """Whether `wanted` occurs in `tokens` as a contiguous run (`Semi-Supervised StyleGAN for ...`)."""
    size = len(wanted)
    return size > 0 and any(tokens[i:i + size] == wanted for i in range(len(tokens) - size + 1))


def _record_view(record: PaperRecord, abstract: bool = True) -> dict[str, Any]:
    view = {"arxiv_id": record.arxiv_id, "title": record.title, "authors": record.authors,
            "published": record.published, "venue": record.venue, "link": record.link, "origin": record.origin,
            "doi": record.doi, "withdrawn": record.withdrawn}
    if abstract:
        view["abstract"] = record.abstract
    return view


class Resolver:
    """`indexes` are asked in order (snapshot, cache + arXiv); `crossref`, when enabled, serves DOIs and titles
    that arXiv does not have."""

    def __init__(self, indexes: Sequence[ReferenceIndex], snapshot: SnapshotIndex | None = None,
                 crossref: CrossrefIndex | None = None) -> None:
        self.indexes = list(indexes)
        self.snapshot = snapshot
        self.crossref = crossref

    def resolve(self, reference: Reference, described_as: str | None) -> Resolution:
        arxiv_id = ids.extract(reference.arxiv_id, reference.url)
        if arxiv_id:
            resolution = self._by_id(reference, arxiv_id)
        elif reference.doi and self.crossref is not None:
            resolution = self._by_doi(reference, reference.doi)
        elif reference.title:
            resolution = self._by_title(reference)
        elif reference.name:
            resolution = self._by_name(reference, reference.name)
        else:
            given = ", ".join(f"{label} {value}" for label, value in (
                ("link", reference.url), ("authors", "; ".join(reference.authors)), ("venue", reference.venue),
                ("year", reference.year)) if value)
            return Resolution(Status.UNVERIFIABLE, "nothing to look up: the source gives no title, name or arXiv id"
                              + (f" (only {given})" if given else ""))
        if resolution.record is not None and described_as:
            self._check_summary(resolution, described_as)
        return resolution

    def _ask(self, resolution: Resolution, index: ReferenceIndex,
             question: Callable[[ReferenceIndex], list[PaperRecord] | None]) -> list[PaperRecord] | None:
        """One index's answer; a failure is recorded (never read as absence), a consulted index noted."""
        try:
            records = question(index)
        except ServiceError as exc:
            resolution.failed.append({"index": index.name, "reason": str(exc)})
            return None
        if records is not None:
            self._consult(resolution, index)
        return records

    def _consult(self, resolution: Resolution, index: ReferenceIndex) -> None:
        resolution.consulted.append(index.name)
        resolution.coverage.append(index.coverage().description)

    def _by_id(self, reference: Reference, arxiv_id: str) -> Resolution:
        resolution = Resolution(Status.UNVERIFIABLE, "")
        authoritative_absence = False
        for index in self.indexes:
            try:
                answers = index.lookup_ids([arxiv_id])
            except ServiceError as exc:
                resolution.failed.append({"index": index.name, "reason": str(exc)})
                continue
            if arxiv_id not in answers:
                continue
            self._consult(resolution, index)
            record = answers[arxiv_id]
            if record is not None:
                resolution.record = record
                self._judge(resolution, reference, record, by_id=True)
                return resolution
            authoritative_absence |= index.coverage().covers(arxiv_id)
        if authoritative_absence and not resolution.failed:
            resolution.status = Status.NOT_FOUND
            resolution.summary = f"arXiv has no paper {arxiv_id} ({', '.join(resolution.consulted)} answered)"
        elif resolution.failed:
            resolution.status = Status.UNREACHABLE
            resolution.summary = f"could not look up {arxiv_id}: " + "; ".join(f["reason"] for f in resolution.failed)
        else:
            resolution.summary = f"{arxiv_id} is not in {self._where(resolution)}"
        return resolution

    def _where(self, resolution: Resolution) -> str:
        """What was consulted, said shortly (the full coverage is in the evidence)."""
        if not resolution.consulted:
            return "any index (none was available: build a snapshot or go online)"
        live = any(name.endswith("arxiv-api") for name in resolution.consulted)
        parts = []
        if self.snapshot is not None and "snapshot" in resolution.consulted:
            coverage = self.snapshot.coverage()
            kind = "complete" if coverage.complete else "a subset of arXiv"
            parts.append(f"the offline snapshot ({kind}, first versions to {coverage.last})")
        if "cache" in resolution.consulted:
            parts.append("the cache of earlier look-ups")
        if live:
            parts.append("arXiv")
        where = " or ".join(parts)
        return where if live else f"{where}; arXiv itself was not consulted (offline)"

    def _by_doi(self, reference: Reference, doi: str) -> Resolution:
        assert self.crossref is not None
        resolution = Resolution(Status.UNVERIFIABLE, "")
        try:
            record = self.crossref.lookup_doi(doi)
        except ServiceError as exc:
            resolution.failed.append({"index": self.crossref.name, "reason": str(exc)})
            resolution.status = Status.UNREACHABLE
            resolution.summary = f"could not look up DOI {doi}: {exc}"
            return resolution
        self._consult(resolution, self.crossref)
        if record is None:
            resolution.summary = f"Crossref has no DOI {doi} (it may be registered elsewhere, e.g. DataCite)"
            return resolution
        resolution.record = record
        self._judge(resolution, reference, record, by_id=True)
        return resolution

    def _by_title(self, reference: Reference) -> Resolution:
        resolution = Resolution(Status.UNVERIFIABLE, "")
        scored: dict[str, tuple[PaperRecord, Score]] = {}
        title = reference.title or ""
        for index in [*self.indexes, *([self.crossref] if self.crossref is not None else [])]:
            records = self._ask(resolution, index, lambda i: i.search(title, reference.authors))
            if records is None:
                continue
            for record in records:
                key = record.arxiv_id or f"{record.origin}:{record.title}"
                scored.setdefault(key, (record, score(reference, record)))
            ranked = sorted(scored.values(), key=lambda pair: pair[1].total, reverse=True)
            resolution.candidates = ranked
            match = next((pair for pair in ranked if is_same_paper(pair[1])), None)
            if match is not None:
                resolution.record = match[0]
                self._judge(resolution, reference, match[0], by_id=False)
                return resolution
        self._absent(resolution, reference)
        return resolution

    def _by_name(self, reference: Reference, name: str) -> Resolution:
        """A work the source only names (`WaveNet`, `Adam`): the paper that introduced it is taken to be the
        earliest whose title is the name or starts with it before a colon (`WaveNet: A Generative Model for
        Raw Audio`). Papers that merely mention the name (later work using StyleGAN, say) are no evidence
        of its origin, so without such a title the verdict stays `unverifiable`, never `not_found`."""
        resolution = Resolution(Status.UNVERIFIABLE, "")
        named, mentions = self._titles_naming(resolution, name)
        if named:
            record = min(named, key=lambda r: (r.published or "9999", r.arxiv_id or ""))
            resolution.record = record
            resolution.notes.append(f"the source gives the name {name!r}, no title; the earliest paper titled "
                                    f"after it is taken as its origin")
            self._judge(resolution, reference, record, by_id=False)
            return resolution
        if mentions:
            earliest = sorted(mentions, key=lambda r: r.published or "9999")[:3]
            resolution.notes.append("titles that mention the name (not evidence of its origin): " + "; ".join(
                f"{r.title!r} ({(r.published or '?')[:4]})" for r in earliest))
        if resolution.failed:
            resolution.status = Status.UNREACHABLE
            resolution.summary = "could not search: " + "; ".join(f["reason"] for f in resolution.failed)
        else:
            resolution.summary = (f"the source names {name!r} but gives no title; no paper is titled after it "
                                  f"in {self._where(resolution)}")
        return resolution

    def _titles_naming(self, resolution: Resolution, name: str) -> tuple[list[PaperRecord], list[PaperRecord]]:
        """Records titled after the name, and records whose titles only contain it (each index answers
        oldest first), index by index until one has a record titled after it."""
        wanted = words(name)
        named: list[PaperRecord] = []
        mentions: list[PaperRecord] = []
        for index in self.indexes:
            records = self._ask(resolution, index, lambda i: i.search_name(name))
            if records is None:
                continue
            for record in records:
                if words(main_title(record.title)) == wanted:
                    named.append(record)
                elif _contains(words(record.title), wanted):
                    mentions.append(record)
            if named:
                break
        return named, mentions

    def _absent(self, resolution: Resolution, reference: Reference) -> None:
        nearest = ", ".join(f"{r.title!r} ({s.total:.2f})" for r, s in resolution.candidates[:3]) or "none"
        authoritative = [n for n in resolution.consulted if n.endswith("arxiv-api")]
        if resolution.failed:
            resolution.status = Status.UNREACHABLE
            resolution.summary = "could not search: " + "; ".join(f["reason"] for f in resolution.failed)
        elif authoritative and expected_on_arxiv(reference):
            resolution.status = Status.NOT_FOUND
            resolution.summary = f"no paper with this title on arXiv; nearest: {nearest}"
        elif authoritative:
            others = "Crossref has no match either" if "crossref" in resolution.consulted else \
                "no enabled index covers other venues"
            resolution.summary = (f"not on arXiv, and the source does not place it there ({others}); "
                                  f"nearest: {nearest}")
        else:
            resolution.summary = f"not in {self._where(resolution)}; nearest: {nearest}"

    def _judge(self, resolution: Resolution, reference: Reference, record: PaperRecord, by_id: bool) -> None:
        result = score(reference, record)
        if not any(r is record for r, _ in resolution.candidates):
            resolution.candidates.insert(0, (record, result))
        resolution.differences = result.differences
        if by_id and result.title is not None and result.title < TITLE_VARIANT:
            resolution.differences = [f"the id points to another paper: {record.title!r}", *result.differences[1:]]
        where = f"{record.arxiv_id or record.venue} ({record.origin})"
        if record.withdrawn:
            resolution.notes.append("the paper has been withdrawn by its authors")
        if resolution.differences:
            resolution.status = Status.MISMATCH
            resolution.summary = f"{where} differs: " + "; ".join(resolution.differences)
        else:
            resolution.status = Status.CONFIRMED
            resolution.summary = f"{record.title!r}, {where}"
            if record.withdrawn:
                resolution.summary += " (withdrawn)"

    def _check_summary(self, resolution: Resolution, described_as: str) -> None:
        record = resolution.record
        assert record is not None
        key = record.arxiv_id or record.title
        candidates = {r.arxiv_id or r.title: r for r, _ in resolution.candidates}
        corpus: dict[str, PaperRecord] = {}
        if self.snapshot is not None:
            corpus = {r.arxiv_id or r.title: r for r in self.snapshot.search_text(described_as)}
        pool = {key: record, **{k: r for k, r in {**corpus, **candidates}.items() if k != key}}
        started = time.perf_counter()
        texts = [r.abstract for r in pool.values()]
        if self.snapshot is not None:
            sims = similarities(described_as, texts, self.snapshot.document_frequencies, self.snapshot.document_count())
        else:
            sims = similarities(described_as, texts)
        cited = sims[0]
        rest = [(k, r, s) for (k, r), s in zip(list(pool.items())[1:], sims[1:], strict=True)]
        check: dict[str, Any] = {
            "cited_similarity": round(cited, 4), "method": "tf-idf cosine",
            "others": [{"title": r.title, "arxiv_id": r.arxiv_id, "similarity": round(s, 4),
                        "found_by": "title search" if k in candidates else "summary words"}
                       for k, r, s in sorted(rest, key=lambda item: -item[2])[:3]],
            "seconds": round(time.perf_counter() - started, 4),
            "rule": f"misattributed if a title candidate's abstract fits >= {OTHER_MIN} and >= {OTHER_RATIO}x the "
                    f"cited one, or a paper found by the summary's words fits >= {CORPUS_MIN} and >= "
                    f"{CORPUS_RATIO}x, or the cited one fits < {FIT_FLOOR}",
        }
        resolution.summary_check = check
        if not record.abstract:
            check["verdict"] = "no abstract to compare"
            return
        better = [(r, s) for k, r, s in rest if (k in candidates and s >= OTHER_MIN and s >= OTHER_RATIO * cited)
                  or (k not in candidates and s >= CORPUS_MIN and s >= CORPUS_RATIO * cited)]
        best = max(better, key=lambda pair: pair[1], default=None)
        if best is not None:
            check["verdict"] = "fits another paper better"
            resolution.status = Status.MISATTRIBUTED
            resolution.summary = (f"the summary fits {best[0].title!r} ({best[1]:.2f}) better than the cited "
                                  f"{record.title!r} ({cited:.2f})")
        elif cited < FIT_FLOOR:
            check["verdict"] = "does not fit the cited paper"
            resolution.status = Status.MISATTRIBUTED
            resolution.summary = f"the summary does not fit the abstract of {record.title!r} (similarity {cited:.2f})"
        else:
            check["verdict"] = "fits the cited paper"
