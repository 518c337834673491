"""`verifier resolve --bib FILE` and `verifier extract FILE.bib`: a bibliography as a source document.

Both read the file with bibtex.py; a malformed entry is reported with its line (exit 3 after the rest were
resolved or drafted), never silently dropped and never stopping the others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from verifier.errors import InvalidInputError, Problem
from verifier.extraction.candidates import Candidate
from verifier.references import bibtex

if TYPE_CHECKING:
    from verifier.commands import ResolveRequest


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


def resolve_bib(path: Path, request: ResolveRequest, out: Console) -> None:
    """Resolve every entry with the audit's resolver; one result per BibTeX key, in file order."""
    from verifier.checkers.factory import CheckerOptions, build_references
    from verifier.config import load_settings

    entries, problems = _read(path)
    settings = load_settings(Path.cwd(), request.arxiv_url)
    closers: list[Any] = []
    results: list[dict[str, Any]] = []
    try:
        options = CheckerOptions(offline=request.offline, snapshot=request.snapshot, crossref=request.crossref,
                                 indexes=request.indexes)
        resolver, _, _ = build_references(settings, options, closers)
        for entry in entries:
            if not (entry.reference.title or entry.reference.doi or entry.reference.arxiv_id):
                continue  # reported as a problem
            resolution = resolver.resolve(entry.reference, None)
            results.append({"key": entry.key, "line": entry.line, "entry_type": entry.entry_type,
                            "status": resolution.status.value, "summary": resolution.summary,
                            **resolution.evidence().model_dump(mode="json", exclude={"kind"})})
    finally:
        for close in closers:
            close()
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
