"""Assemble a draft registry file: run the finders, merge repeats, name the claims, write YAML with the
reason and confidence of each candidate as comments, so a person can review it and `verifier validate` it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import StringIO
from typing import Any

from verifier.extraction import apis, code, facts, math, named, references, statements
from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, Region
from verifier.registry.anchor import normalise
from verifier.registry.schema import EDITOR_HEADER
from verifier.registry.yaml_io import round_trip_yaml

KIND_ORDER = {"citation": 0, "code": 1, "math": 2, "api": 3, "fact": 4}


def extract(text: str) -> list[Candidate]:
    """Every candidate of a plain-text or Markdown document, repeats merged, in document order."""
    doc = Document(text)
    return _finish(doc, code.find(doc))


def extract_prepared(text: str, regions: list[Region], code_candidates: list[Candidate]) -> list[Candidate]:
    """Candidates of a document whose code regions and code candidates its format gave (a notebook)."""
    return _finish(Document(text, regions), code_candidates)


def _finish(doc: Document, code_candidates: list[Candidate]) -> list[Candidate]:
    code_spans = doc.code_spans()
    markers = doc.cell_markers()  # `In [3]:` is a notebook's label, not a work cited as [3]
    found = [c for c in references.find(doc) + named.find(doc) if c.start not in code_spans and c.start not in markers]
    found += code_candidates
    found += math.find(doc)
    found += statements.find(doc)
    found += facts.find(doc)
    merged = _merge(found, doc) + apis.find(doc)  # api candidates are one per name already (several on a line)
    return sorted(merged, key=lambda c: (c.start, KIND_ORDER[c.kind]))


def _merge(candidates: Iterable[Candidate], doc: Document) -> list[Candidate]:
    """One candidate per kind and normalised quote; the highest confidence wins; every place is kept. A
    candidate inside another of the same kind (a URL inside a titled reference) is dropped."""
    best: dict[tuple[str, str], Candidate] = {}
    places: dict[tuple[str, str], set[int]] = {}
    for candidate in candidates:
        key = (candidate.kind, normalise(candidate.quote).lower())
        places.setdefault(key, set()).add(doc.line(candidate.start))
        if key not in best or candidate.confidence > best[key].confidence:
            best[key] = candidate
    result = []
    for key, candidate in best.items():
        candidate.places = sorted(places[key])
        result.append(candidate)
    spans = sorted(result, key=lambda c: (c.start, -len(c.quote)))
    kept: list[Candidate] = []
    for candidate in spans:
        if any(k.kind == candidate.kind and k.start <= candidate.start and candidate.end <= k.end and k is not candidate
               and k.confidence >= candidate.confidence for k in kept):
            continue
        kept.append(candidate)
    return kept


def _slug(text: str, used: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6] or ["claim"]
    base = "-".join(words)[:60].strip("-") or "claim"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def claim_of(candidate: Candidate, source: str, used: set[str]) -> dict[str, Any]:
    title = candidate.fields.get("reference", {}).get("title") if candidate.kind == "citation" else None
    claim: dict[str, Any] = {"id": _slug(title or candidate.quote, used), "source": source, "kind": candidate.kind,
                             "quote": candidate.quote, "statement": candidate.statement}
    claim.update(candidate.fields)
    return claim


def render_draft(candidates: list[Candidate], source: str, taken: set[str] | None = None) -> str:
    """The draft file; each claim preceded by a comment with its reason, confidence and places. Ids are unique
    in the file and differ from `taken` (the ids the registry it joins already has)."""
    from verifier.registry.writer import to_yaml_node

    yaml = round_trip_yaml()
    used: set[str] = set(taken or ())
    parts = [EDITOR_HEADER,
             f"# Draft claims of {source} written by `verifier extract`: review each one (delete what is not a claim,\n"
             "# correct statements, name a check for math claims), then run `verifier validate`.\n"]
    from verifier.registry.models import CLAIM_ADAPTER

    for candidate in candidates:
        data = claim_of(candidate, source, used)
        node = to_yaml_node(CLAIM_ADAPTER.validate_python(data))
        buffer = StringIO()
        yaml.dump([node], buffer)
        where = ", ".join(map(str, candidate.places[:8])) + (" ..." if len(candidate.places) > 8 else "")
        parts.append(f"\n# {candidate.kind} candidate, confidence {candidate.confidence:.2f}: {candidate.reason}; "
                     f"line{'s' if len(candidate.places) > 1 else ''} {where}\n{buffer.getvalue()}")
    return "".join(parts)
