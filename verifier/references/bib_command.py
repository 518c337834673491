"""`verifier resolve --bib FILE` and `verifier extract FILE.bib`: a bibliography as a source document.

Both read the file with bibtex.py; a malformed entry is reported with its line (exit 3 after the rest were
resolved or drafted), never silently dropped and never stopping the others."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.errors import InvalidInputError, Problem
from verifier.extraction.candidates import Candidate
from verifier.references import bibtex
from verifier.references.batch import resolve_many

if TYPE_CHECKING:
    from verifier.config import ReferenceConfig, Settings
    from verifier.references.resolver import Resolver


def _problems(path: Path, problems: list[bibtex.BibProblem]) -> list[Problem]:
    return [Problem(str(path), p.line, p.field, f"entry {p.key}: {p.message}" if p.key else p.message)
            for p in problems]


def _read(path: Path) -> tuple[list[bibtex.BibEntry], list[bibtex.BibProblem]]:
    """A regular file of bounded size (a folder or FIFO is named as such, `/dev/zero` never read); bytes that are
    not UTF-8 are replaced, since many real bibliographies are Latin-1."""
    from verifier.registry.files import MAX_SOURCE_BYTES, Unreadable, read_regular

    if not path.exists():
        raise InvalidInputError([Problem(str(path), None, None, "no such file")])
    try:
        data = read_regular(path, MAX_SOURCE_BYTES)
    except Unreadable as exc:
        raise InvalidInputError([Problem(str(path), None, None, str(exc))]) from None
    return bibtex.parse(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))


@dataclass(frozen=True)
class BibResolution:
    """One result per BibTeX key, in file order (status, summary and the resolver's evidence), and the entries
    that could not be read (reported with their lines after the others were resolved)."""

    path: Path
    results: list[dict[str, Any]]
    problems: list[Problem]


_worker_closers: list[Callable[[], None]] = []  # a worker process's connections, open for its lifetime


def worker_resolver(settings: Settings, config: ReferenceConfig) -> Resolver:
    """The audit's resolver, built in a worker process of `--jobs` (picklable as a partial: every worker
    opens its own snapshot and cache connections, kept for the worker's lifetime)."""
    from verifier.references.indexes import build_resolver

    return build_resolver(settings, config, _worker_closers).resolver


def resolve_bib(path: Path, open_resolver: Callable[[], AbstractContextManager[Resolver]], jobs: int = 1,
                make_worker: Callable[[], Resolver] | None = None,
                progress: Callable[[int, int], None] | None = None) -> BibResolution:
    """Resolve every entry with the audit's resolver (`Project.resolve_bib` passes how to open it); the file is
    read first, so a missing file opens no index and no cache. With `jobs` above 1 the entries are shared
    among worker processes (batch.resolve_many), each with its own resolver from `make_worker`; the
    resolver is opened here first all the same, so a missing or damaged snapshot is reported by this
    process, not by a dead worker. `progress(done, total)` is called as answers arrive, in file order."""
    entries, problems = _read(path)
    wanted = [e for e in entries if e.reference.title or e.reference.doi or e.reference.arxiv_id]  # else a problem
    items = [(entry.reference, None) for entry in wanted]
    with open_resolver() as resolver:
        parallel = jobs > 1 and make_worker is not None
        resolutions = resolve_many(items, make_worker if parallel and make_worker else lambda: resolver,
                                   jobs=jobs if parallel else 1, progress=progress)
    results: list[dict[str, Any]] = [
        {"key": entry.key, "line": entry.line, "entry_type": entry.entry_type, "status": resolution.status.value,
         "summary": resolution.summary, **resolution.evidence().model_dump(mode="json", exclude={"kind"})}
        for entry, resolution in zip(wanted, resolutions, strict=True)]
    return BibResolution(path, results, _problems(path, problems))


def bib_candidates(text: str, path: Path) -> tuple[list[Candidate], list[Problem]]:
    """One citation candidate per entry, its fields as the entry gives them (the quote is the entry's text),
    and the entries that could not be read, with their lines."""
    entries, problems = bibtex.parse(text)
    candidates = []
    for entry in entries:
        reference = entry.reference.model_dump(exclude_none=True, exclude_defaults=True)
        if not reference:
            continue
        quote = entry.raw.strip()
        start = text.find(quote) if quote else -1
        if start < 0:  # the parser rebuilt the text: fall back to the entry's opening line
            start = sum(len(line) for line in text.splitlines(keepends=True)[:entry.line - 1])
            quote = text[start:].splitlines()[0]
        what = entry.reference.title or entry.reference.doi or entry.reference.arxiv_id
        candidates.append(Candidate("citation", quote, start, f"The bibliography cites {what!r} ({entry.key}).",
                                    f"BibTeX @{entry.entry_type}{{{entry.key}}}", 1.0, {"reference": reference},
                                    [entry.line]))
    return candidates, _problems(path, problems)
