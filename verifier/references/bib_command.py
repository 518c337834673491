"""`verifier resolve --bib FILE` and `verifier extract FILE.bib`: a bibliography as a source document.

Both read the file with bibtex.py; a malformed entry is reported with its line (exit 3 after the rest were
resolved or drafted), never silently dropped and never stopping the others."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from verifier.errors import InvalidInputError, Problem, UsageError
from verifier.extraction.candidates import Candidate
from verifier.references import bibtex
from verifier.references.batch import resolve_many

if TYPE_CHECKING:
    from verifier.checkers.factory import CheckerOptions
    from verifier.commands import ResolveRequest
    from verifier.references.resolver import Resolver


def _problems(path: Path, problems: list[bibtex.BibProblem]) -> list[Problem]:
    return [Problem(str(path), p.line, p.field, f"entry {p.key}: {p.message}" if p.key else p.message)
            for p in problems]


def _read(path: Path) -> tuple[list[bibtex.BibEntry], list[bibtex.BibProblem]]:
    if not path.is_file():
        raise InvalidInputError([Problem(str(path), None, None, "no such file")])
    try:
        return bibtex.read(path)
    except OSError as exc:
        raise InvalidInputError([Problem(str(path), None, None, f"cannot read: {exc}")]) from None


_worker_closers: list[Callable[[], None]] = []  # a worker process's connections, open for its lifetime


def bib_resolver(root: Path, arxiv_url: str | None, options: CheckerOptions) -> Resolver:
    """The audit's resolver for a bibliography, built the same way in this process and in each worker of
    `--jobs` (picklable as a partial: every worker opens its own snapshot and cache connections)."""
    from verifier.checkers.factory import build_references
    from verifier.config import load_settings

    resolver, _, _ = build_references(load_settings(root, arxiv_url), options, _worker_closers)
    return resolver


class _Progress:
    """`resolved K of N entries` on stderr, at most about once a second and at the end (a bibliography of
    thousands of entries takes a while even offline)."""

    def __init__(self, err: Console) -> None:
        self.err, self.shown = err, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.shown >= 1.0:
            self.shown = now
            self.err.print(f"resolved {done} of {total} entries", highlight=False)


def resolve_bib(path: Path, request: ResolveRequest, out: Console) -> None:
    """Resolve every entry with the audit's resolver; one result per BibTeX key, in file order. With
    `jobs` above 1 the entries are shared among worker processes (batch.resolve_many), each with its own
    snapshot connection; only offline, because each process would pace arXiv on its own and together break
    its one-request-per-3-seconds rule."""
    from verifier.checkers.factory import CheckerOptions

    if request.jobs > 1 and not request.offline:
        raise UsageError("--jobs above 1 resolves offline only (each worker process would pace arXiv on its "
                         "own): add --offline, or use --jobs 1")
    entries, problems = _read(path)
    options = CheckerOptions(offline=request.offline, snapshot=request.snapshot, crossref=request.crossref,
                             indexes=request.indexes)
    wanted = [e for e in entries if e.reference.title or e.reference.doi or e.reference.arxiv_id]  # else a problem
    items = [(entry.reference, None) for entry in wanted]
    make = partial(bib_resolver, Path.cwd(), request.arxiv_url, options)
    try:
        first = make()  # in this process first: a missing or damaged snapshot is reported here, not by a worker
        resolutions = resolve_many(items, make if request.jobs > 1 else lambda: first, jobs=request.jobs,
                                   progress=_Progress(Console(stderr=True)))
    finally:
        while _worker_closers:
            _worker_closers.pop()()
    results: list[dict[str, Any]] = [
        {"key": entry.key, "line": entry.line, "entry_type": entry.entry_type, "status": resolution.status.value,
         "summary": resolution.summary, **resolution.evidence()}
        for entry, resolution in zip(wanted, resolutions, strict=True)]
    if request.format == "json":
        out.file.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    else:
        width = max((len(r["key"]) for r in results), default=0)
        for result in results:
            out.print(f"{escape(result['key']).ljust(width)}  [bold]{result['status']:<13}[/] "
                      f"{escape(result['summary'])}", highlight=False)
        counts: dict[str, int] = {}
        for result in results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        out.print(f"{len(results)} entries: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
                  highlight=False)
    if problems:
        raise InvalidInputError(_problems(path, problems))


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
