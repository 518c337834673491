"""BibTeX in: every entry of a `.bib` file as a Reference, with its key and line.

Parsed with bibtexparser 2 (string macros resolved, enclosing braces removed, LaTeX decoded to Unicode by
pylatexenc), never with regular expressions: a bibliography is a source document like any other, and one
bad entry must not hide the rest, so malformed blocks come back as problems with their line and the others
are still read. Fields are kept as the entry gives them (decoded, not corrected): a citation claim records
what the source says."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.middleware import BlockMiddleware
from pydantic import ValidationError

from verifier.references import ids
from verifier.registry.models import Reference

VENUE_FIELDS = ("booktitle", "journal", "howpublished", "publisher", "school", "institution")


@dataclass
class BibEntry:
    key: str
    entry_type: str
    line: int  # 1-based line of the `@type{` that opens it
    fields: dict[str, str]
    raw: str
    reference: Reference
    problems: list[str] = field(default_factory=list)  # fields that could not be used as given


@dataclass(frozen=True)
class BibProblem:
    line: int
    key: str | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return (f"line {self.line}: {f'[{self.field}] ' if self.field else ''}"
                f"{f'entry {self.key}: ' if self.key else ''}{self.message}")


def _clean(value: str) -> str:
    """Braces dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


class _HtmlEntities(BlockMiddleware):
    """Bibliographies scraped from the web carry HTML entities (`d&apos;Amore`, `&amp;`): decoded before the
    LaTeX decoder, which would read a bare `&` as a table column separator."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform_entry(self, entry: model.Entry, library: Any) -> model.Entry:
        for item in entry.fields:
            if isinstance(item.value, str) and "&" in item.value:
                item.value = re.sub(r"(?<!\\)&", r"\\&", html.unescape(item.value))
        return entry


def _authors(value: str) -> list[str]:
    """`Last, First and First Last and others` -> one name per author, `others` as "et al."."""
    names = []
    for piece in re.split(r"\s+and\s+", value.strip()):
        part = piece.strip()
        if not part:
            continue
        if part.lower() == "others":
            names.append("et al.")
        elif "," in part:
            last, first = part.split(",", 1)
            names.append(f"{first.strip()} {last.strip()}".strip())
        else:
            names.append(part)
    return names


def to_reference(fields: dict[str, str]) -> tuple[Reference, list[str]]:
    """The Reference an entry gives, and the fields that could not be used (a non-numeric year, say)."""
    problems: list[str] = []
    year: int | None = None
    raw_year = fields.get("year", "").strip()
    if raw_year:
        match = re.fullmatch(r"(\d{4})[a-z]?", raw_year)
        if match and 1000 <= int(match.group(1)) <= 2100:
            year = int(match.group(1))
        else:
            problems.append(f"year: not a year: {raw_year!r}")
    venue = next((fields[k] for k in VENUE_FIELDS if fields.get(k)), None)
    eprint = fields.get("eprint") if (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower() in (
        "arxiv", "") else None
    arxiv_id = ids.extract(eprint, fields.get("url")) if eprint or fields.get("url") else None
    reference = Reference(
        title=fields.get("title") or None, authors=_authors(fields.get("author", "")), year=year, venue=venue,
        url=fields.get("url") or None, doi=fields.get("doi") or None, arxiv_id=arxiv_id)
    return reference, problems


def parse(text: str) -> tuple[list[BibEntry], list[BibProblem]]:
    # bibtexparser logs each failed block as a warning; they are returned as problems instead.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = parse_string(text, append_middleware=[_HtmlEntities(), LatexDecodingMiddleware()])
    entries: list[BibEntry] = []
    problems: list[BibProblem] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.ParsingFailedBlock):
            key = getattr(getattr(block, "ignore_error_block", None), "key", None)
            reason = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            problems.append(BibProblem(line, key, f"not a valid entry: {' '.join(str(reason).split())}"))
            continue
        if not isinstance(block, model.Entry):
            continue
        fields = {f.key.lower(): _clean(str(f.value)) for f in block.fields}
        try:
            reference, field_problems = to_reference(fields)
        except ValidationError as exc:
            problems.append(BibProblem(line, block.key, f"unusable fields: {exc.errors()[0]['msg']}"))
            continue
        for message in field_problems:
            name, _, text = message.partition(": ")
            problems.append(BibProblem(line, block.key, text, name))
        if not (reference.title or reference.doi or reference.arxiv_id):
            problems.append(BibProblem(line, block.key, "no title, DOI or arXiv id to look up"))
        entries.append(BibEntry(block.key, block.entry_type.lower(), line, fields, block.raw or "", reference,
                                field_problems))
    return entries, problems


def read(path: Path) -> tuple[list[BibEntry], list[BibProblem]]:
    return parse(path.read_text(encoding="utf-8", errors="replace"))
