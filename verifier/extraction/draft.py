"""Assemble a draft registry file: run the finders, merge repeats, name the claims, write YAML with the
reason and confidence of each candidate as comments, so a person can review it and `verifier validate` it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import StringIO
from typing import Any

from verifier.extraction import apis, code, math, named, references, statements
from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document
from verifier.registry.anchor import normalise
from verifier.registry.schema import EDITOR_HEADER
from verifier.registry.yaml_io import round_trip_yaml

KIND_ORDER = {"citation": 0, "code": 1, "math": 2, "api": 3, "fact": 4}


def extract(text: str) -> list[Candidate]:
    """Every candidate of a document, repeats merged, in document order."""
    doc = Document(text)
    code_spans = doc.code_spans()
    found = [c for c in references.find(doc) if c.start not in code_spans]
    found += named.find(doc)
    found += code.find(doc)
    found += math.find(doc)
    found += statements.find(doc)
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


def render_draft(candidates: list[Candidate], source: str) -> str:
    """The draft file; each claim preceded by a comment with its reason, confidence and places."""
    from verifier.registry.writer import to_yaml_node

    yaml = round_trip_yaml()
    used: set[str] = set()
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
