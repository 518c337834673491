"""A tolerant parser for arXiv API Atom feeds (legacy and 2025 backends).

Elements are found by namespace and local name; whitespace in titles, abstracts and names is collapsed;
entries without an id (legacy placeholders) and error entries (`/api/errors#...`, title "Error") are
skipped; links are derived from the id, never from link attributes (missing for a while in Nov 2025)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from verifier.references import ids
from verifier.references.records import PaperRecord

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ARXIV = "{http://arxiv.org/schemas/atom}"


class FeedError(ValueError):
    """The body is not a usable Atom feed (truncated, malformed, or an API error)."""


@dataclass(frozen=True)
class Feed:
    total: int | None
    start: int | None
    records: list[PaperRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(element: ET.Element | None) -> str:
    return re.sub(r"\s+", " ", element.text or "").strip() if element is not None else ""


def _int(element: ET.Element | None) -> int | None:
    text = _text(element)
    return int(text) if text.isdigit() else None


def parse(body: bytes) -> Feed:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FeedError(f"invalid XML: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise FeedError(f"not an Atom feed (root element {root.tag!r})")
    records: list[PaperRecord] = []
    errors: list[str] = []
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = _text(entry.find(f"{ATOM}id"))
        title = _text(entry.find(f"{ATOM}title"))
        if "/api/errors" in entry_id or title == "Error":
            errors.append(_text(entry.find(f"{ATOM}summary")) or entry_id)
            continue
        parsed = ids.from_entry_id(entry_id) if entry_id else None
        if parsed is None:
            continue
        records.append(_record(entry, parsed[0], parsed[1], title))
    return Feed(_int(root.find(f"{OPENSEARCH}totalResults")), _int(root.find(f"{OPENSEARCH}startIndex")),
                records, errors)


def _record(entry: ET.Element, arxiv_id: str, version: str | None, title: str) -> PaperRecord:
    doi = _text(entry.find(f"{ARXIV}doi")) or None
    if doi is None:
        for link in entry.findall(f"{ATOM}link"):
            href = link.get("href", "")
            if "doi.org/" in href:
                doi = href.split("doi.org/", 1)[1]
    primary = entry.find(f"{ARXIV}primary_category")
    categories = [c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("term")]
    if primary is not None and primary.get("term") and primary.get("term") not in categories:
        categories.insert(0, primary.get("term", ""))
    return PaperRecord(
        arxiv_id=arxiv_id, version=version, title=title,
        authors=[_text(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")],
        abstract=_text(entry.find(f"{ATOM}summary")), published=_text(entry.find(f"{ATOM}published"))[:10] or None,
        updated=_text(entry.find(f"{ATOM}updated"))[:10] or None, categories=categories, doi=doi,
        journal_ref=_text(entry.find(f"{ARXIV}journal_ref")) or None,
        comment=_text(entry.find(f"{ARXIV}comment")) or None, origin="arxiv-api")
