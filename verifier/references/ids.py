"""arXiv identifiers: recognise all three schemes, strip versions, pull them out of links.

Validating locally matters: the API answers a malformed id with HTTP 400 (and the `arxiv` package would
retry it for ~12 s), and an abs/pdf URL inside `id_list` is itself an error."""

from __future__ import annotations

import re

NEW_STYLE = r"\d{4}\.\d{4,5}"
OLD_STYLE = r"[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = re.compile(rf"^(?P<id>{NEW_STYLE}|{OLD_STYLE})(?P<version>v\d+)?$", re.IGNORECASE)
_IN_TEXT = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*)(?P<id>{NEW_STYLE}|{OLD_STYLE})(?P<version>v\d+)?", re.IGNORECASE)


def parse(text: str) -> tuple[str, str | None] | None:
    """(short id, version or None) for a bare id such as `1706.03762v7` or `quant-ph/0201082`."""
    match = _ID.match(text.strip())
    if not match:
        return None
    short = match.group("id")
    if re.match(NEW_STYLE, short):
        month = int(short[2:4])
        if not 1 <= month <= 12:
            return None
    return short, match.group("version")


def from_text(text: str) -> str | None:
    """The first valid arXiv id in a link or citation text (`https://arxiv.org/pdf/1706.03762.pdf`)."""
    for match in _IN_TEXT.finditer(text):
        parsed = parse(match.group("id"))
        if parsed:
            return parsed[0]
    return None


def extract(arxiv_id: str | None, url: str | None) -> str | None:
    if arxiv_id:
        parsed = parse(arxiv_id)
        found = parsed[0] if parsed else from_text(arxiv_id)
        if found:
            return found
    return from_text(url) if url else None


def from_entry_id(entry_id: str) -> tuple[str, str | None] | None:
    """`http://arxiv.org/abs/1706.03762v7` -> ('1706.03762', 'v7')."""
    tail = entry_id.split("/abs/", 1)[-1]
    return parse(tail)


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$", re.IGNORECASE)


def normalize_doi(text: str | None) -> str | None:
    """The bare DOI of `10.1234/x`, `doi:10.1234/x` or `https://doi.org/10.1234/x`, lower-cased (DOIs are
    case-insensitive), or None for anything else."""
    if not text:
        return None
    bare = _DOI_PREFIX.sub("", text.strip()).rstrip(".,;")
    return bare.lower() if _DOI.match(bare) else None


def arxiv_id_from_doi(doi: str | None) -> str | None:
    """The arXiv id behind a DataCite arXiv DOI (`10.48550/arXiv.1706.03762` -> `1706.03762`), else None.

    arXiv DOIs are arXiv ids, not Crossref DOIs: Crossref does not know them, so they are looked up by id."""
    bare = _DOI_PREFIX.sub("", doi.strip()).rstrip(".,;") if doi else ""
    match = _ARXIV_DOI.match(bare)  # case kept: old-style ids carry a subject class (`math.GT/0309136`)
    if match is None:
        return None
    parsed = parse(match.group("id"))
    return parsed[0] if parsed else None


def from_doi(doi: str | None) -> str | None:
    """The arXiv id of an arXiv DOI (the resolver's name for `arxiv_id_from_doi`)."""
    return arxiv_id_from_doi(doi)


def doi_key(doi: str | None) -> str | None:
    """A DOI as compared: without resolver prefix, lower case; None for no DOI."""
    if not doi or not doi.strip():
        return None
    return normalize_doi(doi) or _DOI_PREFIX.sub("", doi.strip()).lower()
