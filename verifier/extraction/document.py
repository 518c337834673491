"""`verifier extract` and `verifier init` as library calls: read a document with the reader of its format
(`formats.py`), draft its claims, and (with a registry) keep the document, its entry and its draft there.

They return what they did; the CLI prints it and writes a draft that is not kept in a registry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from verifier.atomic import write_atomic
from verifier.errors import InvalidInputError, Problem, UsageError
from verifier.extraction.formats import Prepared
from verifier.extraction.project import Added


@dataclass(frozen=True)
class ExtractRequest:
    source: Path
    slug: str | None = None
    output: Path | None = None
    into: Path | None = None  # a registry folder: keep the source, add its entry and its draft there
    title: str | None = None
    kind: str = "other"
    language: str = "en"


@dataclass(frozen=True)
class Extracted:
    prepared: Prepared
    draft: str  # the draft claims file (YAML)
    summary: str  # "N candidates (a citation, b code, ...)"
    added: Added | None = None  # where the document and its draft went, with --into


@dataclass(frozen=True)
class Initialised:
    extracted: Extracted
    added: Added  # init always keeps the document in its new registry
    registry: Path
    reproductions: Path


def extract(request: ExtractRequest) -> Extracted:
    """Draft the claims of one document; with `into`, add it to that registry (nothing joins a registry from a
    document read in part: its problems are raised before anything is written)."""
    from verifier.extraction.draft import render_draft
    from verifier.extraction.formats import prepare
    from verifier.extraction.project import add_document, existing_ids, slug_of, title_of
    from verifier.registry.models import Source

    if request.into is not None and request.output is not None:
        raise UsageError("give --output or --into, not both")
    slug = slug_of(request.source, request.slug)
    prepared = prepare(request.source)
    draft = render_draft(prepared.candidates, slug, existing_ids(request.into) if request.into else None)
    counts = Counter(c.kind for c in prepared.candidates)
    summary = f"{len(prepared.candidates)} candidates ({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))})"
    if request.into is None:
        return Extracted(prepared, draft, summary)
    if prepared.problems:
        raise InvalidInputError(prepared.problems)
    try:
        entry = Source(slug=slug, file=f"{slug}{prepared.suffix}", title=request.title or title_of(
            prepared, request.source), kind=request.kind, language=request.language,
            origin=f"{request.source.name}, {prepared.how}")
    except ValueError as exc:
        raise UsageError(f"invalid source entry: {exc}") from None
    added = add_document(request.into, request.source, prepared, draft, entry)
    return Extracted(prepared, draft, summary, added)


def init_project(project: Path, request: ExtractRequest) -> Initialised:
    """A new project folder with its registry (DIR/claims) holding the document and its drafts, and an empty
    reproductions/ for the checks a person writes."""
    from verifier.registry.sources import SOURCES_FILE

    registry = project / "claims"
    if (registry / SOURCES_FILE).exists():
        raise UsageError(f"{registry / SOURCES_FILE} exists already: add documents with "
                         f"`verifier extract FILE --into {registry}`")
    extracted = extract(ExtractRequest(request.source, request.slug, None, registry, request.title, request.kind,
                                       request.language))
    if extracted.added is None:  # extract with `into` keeps the document or raises
        raise InvalidInputError([Problem(str(request.source), None, None, "the document was not added")])
    reproductions = project / "reproductions"
    reproductions.mkdir(exist_ok=True)
    init_file = reproductions / "__init__.py"
    if not init_file.exists():
        write_atomic(init_file, '"""Checks and ports written for this project\'s claims (`module:function`)."""\n')
    return Initialised(extracted, extracted.added, registry, reproductions)
