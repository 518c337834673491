"""Readers for the metadata forms real users have: arXiv's JSON-lines snapshot (Kaggle schema), OAI-PMH
XML (`oai_dc` and `arXiv` formats), the per-record `oai_dc` JSON lines of OAI mirrors, and conference
proceedings lists (JSON arrays). Each yields PaperRecords; `.gz` files are read transparently."""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import json
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from verifier.references import ids
from verifier.references.normalize import person
from verifier.references.records import PaperRecord

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class FormatError(ValueError):
    """The file is not in any format we read (or is damaged); carries the line where known.

    The message does not repeat the file name: whoever reports it names the file."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, int | None]]:
        """Pickled with its line (a build's worker process raises it; the building process reports it)."""
        return FormatError, (str(self), self.line)


# What a damaged file raises while it is read: a truncated .gz (EOFError), a corrupt one (BadGzipFile is an
# OSError, zlib.error), bytes that are not UTF-8.
DAMAGED = (EOFError, zlib.error, OSError, UnicodeDecodeError)


def _open_binary(path: Path) -> IO[bytes] | gzip.GzipFile:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def clean(text: str | None) -> str:
    """Whitespace runs collapsed (str.split splits on exactly what the regex `\\s+` matches, 3x faster: it
    runs on every abstract of a ten-million-record build)."""
    return " ".join((text or "").split())


def _damaged(exc: BaseException, line: int | None = None) -> FormatError:
    where = f" at line {line}" if line else ""
    if isinstance(exc, EOFError):
        return FormatError(f"the compressed file ends early{where} (truncated download?)", line)
    if isinstance(exc, UnicodeDecodeError):
        return FormatError(f"not UTF-8{where}: byte 0x{exc.object[exc.start]:02x}", line)
    return FormatError(f"cannot read{where}: {exc}", line)


def detect(path: Path) -> str:
    try:
        with _open_binary(path) as handle:
            raw = handle.read(4096)
    except DAMAGED as exc:
        raise _damaged(exc) from None
    if re.search(rb"<!DOCTYPE\s+dblp\b|<dblp[\s>]", raw):  # DBLP's dump is ISO-8859-1, not UTF-8
        return "dblp-xml"
    head = raw.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "oai-xml"
    if head.startswith("{"):
        return "kaggle-jsonl"
    if head.startswith("["):
        return "oai-dc-jsonl" if re.match(r'\[\s*"', head) else "proceedings-json"
    raise FormatError("not JSON lines, a JSON array or OAI-PMH XML")


def read(path: Path) -> Iterator[PaperRecord]:
    kind = detect(path)
    reader = {"oai-xml": read_oai_xml, "kaggle-jsonl": read_kaggle, "oai-dc-jsonl": read_oai_dc_jsonl,
              "proceedings-json": read_proceedings, "dblp-xml": read_dblp_xml}[kind]
    yield from reader(path)


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) per non-blank line; read as bytes so a bad byte or a truncation has its line."""
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise _damaged(exc, number) from None
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    raise FormatError(f"line {number}: invalid JSON: {exc}", number) from None
                yield number, value
    except DAMAGED as exc:
        raise _damaged(exc, number + 1) from None


# arXiv's version dates as the snapshot writes them (`Mon, 2 Apr 2007 19:18:42 GMT`), read without the email
# module's general parser (a fifth of the time of reading a snapshot record went there); anything else still
# goes through it.
_ARXIV_DATE = re.compile(r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) \d{2}:\d{2}(?::\d{2})? "
                         r"(?:GMT|UT|[+-]0000)")
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def _rfc2822_date(text: str) -> str | None:
    """The calendar date of an RFC 2822 date-time, as written (no time-zone shift), or None."""
    found = _ARXIV_DATE.fullmatch(text)
    if found and (month := _MONTHS.get(found.group(2))):
        try:
            return dt.date(int(found.group(3)), month, int(found.group(1))).isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError):
        return None


def read_kaggle(path: Path) -> Iterator[PaperRecord]:
    """arXiv's public metadata snapshot: one JSON object per paper."""
    for number, row in _json_lines(path):
        if not isinstance(row, dict) or "id" not in row or "title" not in row:
            raise FormatError(f"line {number}: expected an object with id and title", number)
        parsed = row.get("authors_parsed") or []
        authors = [" ".join(p for p in (a[1], a[0]) if p).strip() for a in parsed if isinstance(a, list) and a]
        versions = row.get("versions") or []
        published = _rfc2822_date(versions[0].get("created", "")) if versions else None
        updated = _rfc2822_date(versions[-1].get("created", "")) if versions else None
        yield PaperRecord(
            arxiv_id=str(row["id"]), version=versions[-1].get("version") if versions else None,
            title=clean(row["title"]), authors=authors or [clean(a) for a in str(row.get("authors", "")).split(",")],
            abstract=clean(row.get("abstract")), published=published, updated=updated or row.get("update_date"),
            categories=str(row.get("categories") or "").split(), doi=row.get("doi"),
            journal_ref=row.get("journal-ref"), comment=row.get("comments"), origin="snapshot")


def _dc_record(arxiv_id: str, fields: dict[str, list[str]]) -> PaperRecord:
    descriptions = fields.get("description") or [""]
    comment = next((d[len("Comment:"):].strip() for d in descriptions[1:] if d.startswith("Comment:")), None)
    identifiers = fields.get("identifier") or []
    doi = next((i[4:] for i in identifiers if i.startswith("doi:")), None)
    dates = fields.get("date") or []
    creators = fields.get("creator") or []
    authors = [" ".join(reversed([p.strip() for p in c.split(",", 1)])) if "," in c else c for c in creators]
    return PaperRecord(
        arxiv_id=arxiv_id, title=clean((fields.get("title") or [""])[0]), authors=[clean(a) for a in authors],
        abstract=clean(descriptions[0]), published=dates[0][:10] if dates else None,
        updated=dates[-1][:10] if dates else None, categories=fields.get("subject") or [], doi=doi,
        comment=comment, origin="snapshot")


def read_oai_dc_jsonl(path: Path) -> Iterator[PaperRecord]:
    """OAI `oai_dc` records as JSON lines: `["<arxiv id>", {"title": [...], "creator": [...], ...}]`."""
    for number, row in _json_lines(path):
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[1], dict)):
            raise FormatError(f"line {number}: expected [id, {{fields}}]", number)
        yield _dc_record(str(row[0]), row[1])


def read_oai_xml(path: Path) -> Iterator[PaperRecord]:
    """OAI-PMH ListRecords/GetRecord responses, metadataPrefix oai_dc or arXiv."""
    try:
        with _open_binary(path) as handle:
            for _, element in ET.iterparse(handle, events=("end",)):
                if element.tag != f"{OAI}record":
                    continue
                record = _oai_record(element)
                if record is not None:
                    yield record
                element.clear()
    except ET.ParseError as exc:  # the parser decodes: bad bytes are a ParseError with their line
        raise FormatError(f"invalid XML: {exc}", exc.position[0]) from None
    except DAMAGED as exc:
        raise _damaged(exc) from None


def _oai_record(element: ET.Element) -> PaperRecord | None:
    identifier = element.findtext(f"{OAI}header/{OAI}identifier") or ""
    arxiv_id = identifier.rsplit(":", 1)[-1]
    dc = element.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    if dc is not None:
        fields: dict[str, list[str]] = {}
        for child in dc:
            fields.setdefault(child.tag.replace(DC, ""), []).append(child.text or "")
        return _dc_record(arxiv_id, fields)
    # The arXiv format's namespace is declared on the <arXiv> element in some harvests and inherited from
    # the OAI envelope in others: match by local name.
    arx = next((e for e in element.iter() if e.tag.rsplit("}", 1)[-1] == "arXiv"), None)
    if arx is None:
        return None

    def text(node: ET.Element | None, name: str) -> str:
        child = next((c for c in (node if node is not None else []) if c.tag.rsplit("}", 1)[-1] == name), None)
        return clean(child.text if child is not None else None)

    def children(node: ET.Element | None, name: str) -> list[ET.Element]:
        return [c for c in (node if node is not None else []) if c.tag.rsplit("}", 1)[-1] == name]

    authors = []
    for authors_node in children(arx, "authors"):
        for author in children(authors_node, "author"):
            authors.append(clean(" ".join(p for p in (text(author, "forenames"), text(author, "keyname")) if p)))
    return PaperRecord(
        arxiv_id=text(arx, "id") or arxiv_id, title=text(arx, "title"), authors=authors,
        abstract=text(arx, "abstract"), published=text(arx, "created") or None, updated=text(arx, "updated") or None,
        categories=text(arx, "categories").split(), doi=text(arx, "doi") or None,
        journal_ref=text(arx, "journal-ref") or None, comment=text(arx, "comments") or None, origin="snapshot")


def read_proceedings(path: Path) -> Iterator[PaperRecord]:
    """Conference proceedings: a JSON array of {title, authors, abstract, conference, year, paper_url}."""
    try:
        with _open_binary(path) as handle:
            data = handle.read()
        rows = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _damaged(exc, data.count(b"\n", 0, exc.start) + 1) from None
    except ValueError as exc:
        raise FormatError(f"invalid JSON: {exc}", getattr(exc, "lineno", None)) from None
    except DAMAGED as exc:
        raise _damaged(exc) from None
    if not isinstance(rows, list):
        raise FormatError("expected a JSON array of papers")
    seen: set[str] = set()
    name = path.name.split(".")[0]
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not row.get("title"):
            raise FormatError(f"item {index} has no title")
        title = clean(row["title"])
        if title.lower() in seen:
            continue
        seen.add(title.lower())
        year = row.get("year")
        conference = str(row.get("conference") or name.split("_")[0]).upper()
        found_id = ids.from_text(str(row.get("paper_url") or ""))
        yield PaperRecord(
            arxiv_id=found_id, title=title, authors=[clean(a) for a in row.get("authors") or []],
            abstract=clean(row.get("abstract")), published=f"{year}" if year else None,
            venue=f"{conference} {year}" if year else conference, url=row.get("paper_url"),
            origin=f"proceedings:{name}")


DBLP_RECORDS = frozenset({"article", "inproceedings", "proceedings", "book", "incollection", "phdthesis",
                          "mastersthesis"})
_DOI_LINK = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)
_CORR_KEY = re.compile(r"^journals/corr/abs-(\d{4})-(\d{4,5})$")


def _dblp_parser() -> ET.XMLParser:
    """An expat parser that knows dblp.dtd's character entities without reading the DTD: they are the HTML 4
    Latin-1, symbol and special sets (`&uuml;`, `&eacute;`, `&times;`), which the standard library ships as
    `html.entities`. Nothing is fetched from the network."""
    import html.entities

    parser = ET.XMLParser()
    parser.entity.update({name: chr(code) for name, code in html.entities.name2codepoint.items()})
    return parser


def read_dblp_xml(path: Path) -> Iterator[PaperRecord]:
    """DBLP's XML dump (`dblp.xml.gz` as published): ISO-8859-1 with DTD entities, one element per
    publication. Streamed: each record is cleared from the tree once read, so a 4+ GB dump builds in bounded
    memory. Person pages (`www`) are skipped; `ee` links give DOIs and arXiv ids; CoRR records (DBLP's
    arXiv mirror, key `journals/corr/abs-YYMM-NNNNN`) are preprints with their arXiv id."""
    try:
        with _open_binary(path) as handle:
            root: ET.Element | None = None
            for event, element in ET.iterparse(handle, events=("start", "end"), parser=_dblp_parser()):
                if root is None:
                    root = element
                    continue
                if event != "end" or element.tag not in DBLP_RECORDS:
                    continue
                record = _dblp_record(element)
                if record is not None:
                    yield record
                root.clear()  # drop finished records (and their children) from the tree
    except ET.ParseError as exc:
        raise FormatError(f"invalid XML: {exc}", exc.position[0]) from None
    except DAMAGED as exc:
        raise _damaged(exc) from None


def _dblp_record(element: ET.Element) -> PaperRecord | None:
    children: dict[str, list[ET.Element]] = {}
    for child in element:  # one pass over the fields (a findall per field walked them eight times)
        children.setdefault(child.tag, []).append(child)

    def texts(tag: str) -> list[str]:  # markup inside a field (`<i>`, `<sub>` in titles) is kept as its text
        return [clean(child.text if not len(child) else "".join(child.itertext())) for child in children.get(tag, ())]

    title = clean((texts("title") or [""])[0])
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # DBLP ends every title with a period
    if not title:
        return None
    key = element.get("key", "")
    links = texts("ee")
    doi = next((m.group(1) for m in map(_DOI_LINK.match, links) if m and not
                m.group(1).lower().startswith("10.48550/")), None)
    arxiv_id = next((found for found in (ids.from_text(link) or ids.from_doi(link) for link in links
                                         if "arxiv" in link.lower()) if found), None)
    corr = _CORR_KEY.match(key)
    if arxiv_id is None and corr:
        arxiv_id = f"{corr.group(1)}.{corr.group(2)}"
    venue = next(iter(texts("journal") or texts("booktitle") or texts("publisher")), None)
    year = next(iter(texts("year")), None)
    return PaperRecord(
        arxiv_id=arxiv_id, title=title, authors=[person(a) for a in texts("author") or texts("editor")],
        published=year, doi=doi, venue=venue, url=links[0] if links else None,
        comment=f"dblp key {key}" if key else None, origin="dblp")
