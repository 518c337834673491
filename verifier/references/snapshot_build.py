"""Writing the offline snapshot index: the schema, a full build, and an update with new metadata.

Built for ten million records (full arXiv plus DBLP) on a small machine:
- records stream from the readers in batches of BATCH and go in with `executemany` inside one transaction,
  with the journal and fsync off while the index is a temporary file (it is moved into place only when
  complete, so a failed build never leaves a half-written index behind);
- the full-text indexes are filled once from the table at the end (`rebuild`) and merged into one segment
  (`optimize`), which costs far less than keeping them current row by row;
- secondary indexes are created after the load (a sort, not ten million random b-tree inserts).

Every record has an `identity` (its arXiv id, DBLP key, DOI, or for proceedings lists the file and the
normalised title), unique in the table: a later record with the same identity replaces the earlier one, in a
build and in `update`, which adds a month of metadata without a rebuild. An arXiv record and the journal
record of the same paper keep separate identities: both are evidence, of different kinds.

What was ingested is summarised in the `meta` table (counts per origin and kind, fields, venues, dates per
kind, the files read, whether the index was declared complete) so `SnapshotIndex.coverage()` and
`verifier index info` describe the index without scanning it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import signal
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier.errors import SnapshotError
from verifier.references import venues
from verifier.references.normalize import plural_stem, title_tokens
from verifier.references.readers import DAMAGED, FormatError, read
from verifier.references.records import PaperRecord
from verifier.references.spool import batches_in_order
from verifier.results.faults import storage_error

FORMAT_VERSION = "3"  # 3: the title-part keys (part0-5)
BATCH = 20_000
# Columns of `papers` that map to PaperRecord fields. The short, often-read ones come first and the abstract
# last, so reading a title never walks an abstract's overflow pages.
COLUMNS = ("arxiv_id", "title", "authors", "published", "version", "updated", "categories", "doi",
           "journal_ref", "venue", "comment", "url", "origin", "abstract")
PARTS, DEALS = 3, 2  # title partitions per deal, and deals (see title_parts)
PART_COLUMNS = tuple(f"part{n}" for n in range(PARTS * DEALS))
EXTRA = ("identity", "kind", "year", "title_hash", "doi_key", *PART_COLUMNS)

SCHEMA = """
CREATE TABLE papers (rowid INTEGER PRIMARY KEY, identity TEXT NOT NULL UNIQUE, title_hash INTEGER NOT NULL,
    kind TEXT NOT NULL, year INTEGER, doi_key TEXT, part0 INTEGER, part1 INTEGER, part2 INTEGER, part3 INTEGER,
    part4 INTEGER, part5 INTEGER, arxiv_id TEXT, title TEXT NOT NULL, authors TEXT NOT NULL,
    published TEXT, version TEXT, updated TEXT, categories TEXT NOT NULL, doi TEXT, journal_ref TEXT,
    venue TEXT, comment TEXT, url TEXT, origin TEXT NOT NULL, abstract TEXT NOT NULL);
CREATE VIRTUAL TABLE titles_fts USING fts5(title, authors, year, content='papers', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE abstracts_fts USING fts5(abstract, content='papers', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', detail=column);
CREATE VIRTUAL TABLE titles_vocab USING fts5vocab(titles_fts, 'col');
CREATE VIRTUAL TABLE abstracts_vocab USING fts5vocab(abstracts_fts, 'col');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS papers_title_hash ON papers(title_hash);
CREATE INDEX IF NOT EXISTS papers_arxiv_id ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS papers_doi_key ON papers(doi_key) WHERE doi_key IS NOT NULL;
""" + "".join(f"CREATE INDEX IF NOT EXISTS papers_{c} ON papers({c}) WHERE {c} IS NOT NULL;\n" for c in PART_COLUMNS)
# Keep the full-text indexes current while `update` changes rows (external-content FTS5 tables are not
# maintained by SQLite itself). TEMP triggers: they exist only on the updating connection.
TRIGGERS = """
CREATE TEMP TRIGGER papers_ai AFTER INSERT ON main.papers BEGIN
  INSERT INTO titles_fts(rowid, title, authors, year) VALUES (new.rowid, new.title, new.authors, new.year);
  INSERT INTO abstracts_fts(rowid, abstract) VALUES (new.rowid, new.abstract);
END;
CREATE TEMP TRIGGER papers_ad AFTER DELETE ON main.papers BEGIN
  INSERT INTO titles_fts(titles_fts, rowid, title, authors, year)
    VALUES ('delete', old.rowid, old.title, old.authors, old.year);
  INSERT INTO abstracts_fts(abstracts_fts, rowid, abstract) VALUES ('delete', old.rowid, old.abstract);
END;
"""
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
DBLP_KEY = re.compile(r"\bdblp key (\S+)")


def title_key(title: str) -> str:
    """The normalised title two citations of the same paper share: folded words without stop words."""
    return " ".join(title_tokens(title))


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a title key (8 bytes per row in the index instead of the key's text)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def title_parts(title: str) -> tuple[int | None, ...]:
    """Keys of a title that survive one slip in a citation, for b-tree look-ups whose cost does not grow with
    the index (a full-text query's does: at ten million records the rarest words of a title are each in
    thousands of titles, its cited surnames in up to hundreds of thousands of author lists).

    The title's words (folded, stop words out, plural-stemmed) are dealt into PARTS partitions by a stable
    hash of the word; a partition of two words or more is keyed by the hash of its sorted words (a single
    word would be shared by too many titles), else None. A word dropped, added or pluralised changes one
    partition and a word replaced at most two, so a title cited with one slip keeps one of the record's keys
    unless the partitions left hold fewer than two words each. The words are dealt DEALS times, each time by
    another hash, so a slip that breaks every key of one deal (a short title, a hyphenated replacement
    touching three partitions) usually leaves a key of the other: PARTS * DEALS keys, deal by deal."""
    keys: list[int | None] = []
    stems = {plural_stem(token) for token in title_tokens(title)}
    for deal in range(DEALS):
        partitions: list[list[str]] = [[] for _ in range(PARTS)]
        for stem in stems:
            partitions[zlib.crc32(stem.encode(), deal) % PARTS].append(stem)
        keys += [key_hash(" ".join(sorted(words))) if len(words) >= 2 else None for words in partitions]
    return tuple(keys)


def doi_key(doi: str | None) -> str | None:
    """A DOI as compared: lower case, without resolver prefix (`https://doi.org/10.1/X` -> `10.1/x`)."""
    if not doi:
        return None
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE)
    return text.lower() or None


# The alias table's answers per venue string, remembered: a DBLP dump names a few tens of thousands of venues
# over seven million records, and each look-up tries every alias (it was 80% of a DBLP build's time).
_venue_kind = lru_cache(maxsize=1 << 17)(venues.kind)
_venue_key = lru_cache(maxsize=1 << 17)(venues.key)


def kind_of(record: PaperRecord) -> str:
    """`preprint`, `journal`, `proceedings`, `series` or `other`: the venue table's kind of the record's venue
    (DBLP's `CoRR` is a preprint), else a proceedings list's records are proceedings, an arXiv record a
    preprint."""
    known = _venue_kind(record.venue) if record.venue else None
    if known:
        return known
    if record.origin.startswith("proceedings"):
        return "proceedings"
    return "preprint" if record.arxiv_id else "other"


def identity_of(record: PaperRecord, key: str) -> str:
    """What makes two records the same entry of their source (see the module docstring)."""
    if record.origin.startswith("dblp"):  # DBLP's own key (the reader keeps it in the comment)
        found = DBLP_KEY.search(record.comment or "")
        return f"dblp:{found.group(1)}" if found else f"dblp:{doi_key(record.doi) or key}"
    if record.arxiv_id and not record.origin.startswith("proceedings"):
        return f"arxiv:{record.arxiv_id}"
    doi = doi_key(record.doi)
    if doi and not record.origin.startswith("proceedings"):
        return f"doi:{doi}"
    return f"{record.origin}:{key}"


def venue_key(venue: str | None, arxiv_id: str | None = None) -> str | None:
    """A venue as counted in the coverage: its canonical key in the alias table (`NIPS 2017` -> `neurips`),
    `name:...` for a venue outside it; an arXiv record without a venue counts as `preprint`."""
    found = _venue_key(venue)
    if found is None and arxiv_id:
        return venues.PREPRINT
    return found


# arXiv's archives, and the names OAI `oai_dc` subjects give them ("Computer Science - Learning").
ARXIV_FIELD = re.compile(r"^(cs|math|stat|physics|q-bio|q-fin|eess|econ|astro-ph|cond-mat|gr-qc|hep-[a-z]+|math-ph|"
                         r"nlin|nucl-[a-z]+|quant-ph)(\.[A-Za-z-]+)?$")
SUBJECT_FIELDS = {"computer science": "cs", "mathematics": "math", "statistics": "stat", "physics": "physics",
                  "quantitative biology": "q-bio", "quantitative finance": "q-fin", "condensed matter": "cond-mat",
                  "nonlinear sciences": "nlin", "astrophysics": "astro-ph", "high energy physics": "hep",
                  "electrical engineering and systems science": "eess", "economics": "econ",
                  "general relativity and quantum cosmology": "gr-qc", "quantum physics": "quant-ph",
                  "mathematical physics": "math-ph", "nuclear theory": "nucl-th", "nuclear experiment": "nucl-ex"}


def fields_of(origin: str, categories: Iterable[str]) -> list[str]:
    """See _fields_of (cached: a few thousand distinct category lists over millions of records)."""
    return list(_fields_of(origin.startswith(("proceedings", "dblp")), tuple(categories)))


@lru_cache(maxsize=1 << 14)
def _fields_of(listed: bool, categories: tuple[str, ...]) -> tuple[str, ...]:
    """Subject areas: arXiv archives from category codes (`cs.LG` -> `cs`) or OAI subject names (`Computer
    Science - Learning` -> `cs`); other subject strings (MSC codes, free text) are not fields. Proceedings and
    DBLP records, which carry no categories, are computer science."""
    found: set[str] = set()
    for category in categories:
        text = category.strip()
        if match := ARXIV_FIELD.match(text):
            found.add(match.group(1))
        elif " - " in text and (name := SUBJECT_FIELDS.get(text.split(" - ", 1)[0].strip().lower())):
            found.add(name)
    if not found and listed:
        found.add("cs")
    return tuple(sorted(found))


@dataclass
class Stats:
    """What an index holds, kept current through builds and updates (replaced records are subtracted)."""

    origins: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    venues: Counter[str] = field(default_factory=Counter)
    dois: int = 0
    dates: dict[str, list[str]] = field(default_factory=dict)  # kind -> [first, last] of records ever ingested

    def add(self, origin: str, kind: str, categories: Iterable[str], venue: str | None, has_doi: bool,
            sign: int = 1) -> None:
        self.origins[origin] += sign
        self.kinds[kind] += sign
        for name in categories:
            self.fields[name] += sign
        if venue:
            self.venues[venue] += sign
        self.dois += sign if has_doi else 0

    def date(self, kind: str, published: str | None) -> None:
        if not published:
            return
        span = self.dates.setdefault(kind, [published, published])
        span[0], span[1] = min(span[0], published), max(span[1], published)

    def as_json(self) -> dict[str, Any]:
        def positive(counter: Counter[str]) -> dict[str, int]:
            return {k: v for k, v in sorted(counter.items()) if v > 0}

        return {"origins": positive(self.origins), "kinds": positive(self.kinds), "fields": positive(self.fields),
                "venues": positive(self.venues), "dois": self.dois, "dates": self.dates}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stats:
        return cls(Counter(data.get("origins", {})), Counter(data.get("kinds", {})), Counter(data.get("fields", {})),
                   Counter(data.get("venues", {})), int(data.get("dois", 0)),
                   {k: list(v) for k, v in dict(data.get("dates", {})).items()})


_as_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps with options builds an encoder per call


def _row(record: PaperRecord) -> tuple[tuple[object, ...], str, list[str], str | None]:
    """The table row of a record (its identity first), and what the statistics need of it."""
    key = title_key(record.title)
    kind = kind_of(record)
    identity = identity_of(record, key)
    doi = doi_key(record.doi)
    values: list[object] = [identity, kind, record.year, key_hash(key), doi, *title_parts(record.title)]
    data = record.__dict__  # the validated field values, read without pydantic's attribute machinery
    for column in COLUMNS:
        value = data[column]
        values.append((_as_json(value) if value else "[]") if column in ("authors", "categories") else value)
    return tuple(values), kind, fields_of(record.origin, record.categories), venue_key(record.venue, record.arxiv_id)


_INSERT = (f"INSERT OR REPLACE INTO papers ({', '.join(EXTRA + COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in EXTRA + COLUMNS)})")


# What the statistics need of a record: origin, kind, fields, venue key, has a DOI, first published.
Described = tuple[str, str, list[str], str | None, bool, str | None]
Row = tuple[tuple[object, ...], Described]  # the table row (identity first) and its description


def _batches(path: Path) -> Iterator[list[Row]]:
    """The rows of one file, BATCH at a time; what a build's worker processes run (see spool.py)."""
    batch: list[Row] = []
    for record in read(path):
        values, kind, record_fields, venue = _row(record)
        batch.append((values, (record.origin, kind, record_fields, venue, values[4] is not None, record.published)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(db: sqlite3.Connection, rows: list[Row], stats: Stats) -> None:
    """Upsert one batch: the records it replaces are taken out of the statistics first. A repeat inside the
    batch: the later record wins, counted once."""
    batch: dict[str, tuple[object, ...]] = {}
    described: dict[str, Described] = {}
    for values, description in rows:
        identity = str(values[0])
        batch[identity] = values
        described[identity] = description
    identities = list(batch)
    for start in range(0, len(identities), 900):
        chunk = identities[start:start + 900]
        marks = ", ".join("?" for _ in chunk)
        for origin, kind, categories, venue, doi, arxiv_id in db.execute(
                "SELECT origin, kind, categories, venue, doi_key, arxiv_id FROM papers "
                f"WHERE identity IN ({marks})", chunk):
            stats.add(origin, kind, fields_of(origin, json.loads(categories)), venue_key(venue, arxiv_id),
                      doi is not None, sign=-1)
    for origin, kind, record_fields, venue, has_doi, published in described.values():
        stats.add(origin, kind, record_fields, venue, has_doi)
        stats.date(kind, published)
    db.executemany(_INSERT, batch.values())


def _tune_fts(db: sqlite3.Connection) -> None:
    """Merge fewer, larger segments while loading (the final `optimize` makes one)."""
    for table in ("titles_fts", "abstracts_fts"):
        db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 16)")
        db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('crisismerge', 64)")


def _write_meta(db: sqlite3.Connection, meta: dict[str, Any]) -> None:
    db.execute("DELETE FROM meta")
    db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])


def _file_entry(path: Path, count: int, when: str) -> dict[str, Any]:
    return {"file": path.name, "records": count, "bytes": path.stat().st_size, "read": when}


Progress = Callable[[str, int], None]


def _load_all(db: sqlite3.Connection, paths: Sequence[Path], stats: Stats, files: list[dict[str, Any]], when: str,
              progress: Progress | None, jobs: int, beside: Path) -> None:
    """Load every file in the order given, read by `jobs` processes; a file that is not metadata (or is
    damaged) is named with its line."""
    with batches_in_order(paths, _batches, jobs, beside) as loaded:
        for path, batches in loaded:
            count = 0
            try:
                for rows in batches:
                    _insert(db, rows, stats)
                    count += len(rows)
            except (FormatError, *DAMAGED) as exc:
                raise SnapshotError(str(path), str(exc), getattr(exc, "line", None)) from None
            files.append(_file_entry(path, count, when))
            if progress:
                progress(path.name, count)


@contextmanager
def _stoppable() -> Iterator[None]:
    """SIGTERM (`kill`, a job scheduler's stop) ends a build or an update as Ctrl-C does, by an exception, so
    the temporary index and the spools are removed and the workers stopped; Python's default is to die on
    the spot and leave them behind (gigabytes, for a full index). It takes effect when the SQL statement
    running ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build(paths: Sequence[Path], output: Path, complete: bool = False,
          progress: Progress | None = None, jobs: int = 1) -> dict[str, Any]:
    """Read every file into a new index at `output` (written beside it, then moved into place), the files
    read by `jobs` processes (see spool.py: the index is the same for any number)."""
    with _stoppable():
        return _build(paths, output, complete, progress, jobs)


def _build(paths: Sequence[Path], output: Path, complete: bool, progress: Progress | None,
           jobs: int) -> dict[str, Any]:
    temporary = output.with_name(f".{output.name}.building")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        db = sqlite3.connect(temporary, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise storage_error(output, "build the index", exc) from None
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -262144", "temp_store = FILE",
                       "locking_mode = EXCLUSIVE"):
            db.execute(f"PRAGMA {pragma}")
        db.executescript(SCHEMA)
        _tune_fts(db)
        stats = Stats()
        files: list[dict[str, Any]] = []
        db.execute("BEGIN")
        _load_all(db, paths, stats, files, now, progress, jobs, output.parent)
        for statement in filter(str.strip, INDEXES.split(";")):
            db.execute(statement)
        for table in ("titles_fts", "abstracts_fts"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        meta = _meta(db, stats, files, complete, built=now)
        _write_meta(db, meta)
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode = DELETE")
    except SnapshotError:
        db.close()
        temporary.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:  # the index cannot be written (read-only folder, full disk)
        db.close()
        temporary.unlink(missing_ok=True)
        raise storage_error(output, "build the index", exc) from None
    except BaseException:
        db.close()
        temporary.unlink(missing_ok=True)
        raise
    db.close()
    try:
        os.replace(temporary, output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise storage_error(output, "build the index", exc) from None
    return meta


def update(index: Path, paths: Sequence[Path], progress: Progress | None = None, jobs: int = 1) -> dict[str, Any]:
    """Add or replace records from new files (a new month of arXiv metadata, a DBLP diff) in place, in one
    transaction: a failure leaves the index as it was. Records replace those with the same identity."""
    with _stoppable():
        return _update(index, paths, progress, jobs)


def _update(index: Path, paths: Sequence[Path], progress: Progress | None, jobs: int) -> dict[str, Any]:
    if not index.is_file():
        raise SnapshotError(str(index), "no snapshot index here: build one with `verifier index build`")
    try:
        db = sqlite3.connect(index, isolation_level=None)
    except sqlite3.Error as exc:
        raise storage_error(index, "update the index", exc) from None
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        old = _read_meta(db, index)
        db.execute("PRAGMA cache_size = -262144")
        db.execute("PRAGMA recursive_triggers = ON")  # REPLACE's deletions fire the delete trigger
        db.executescript(TRIGGERS)
        stats = Stats.from_json(dict(old.get("stats", {})))
        files = list(old.get("files", []))
        db.execute("BEGIN IMMEDIATE")
        _load_all(db, paths, stats, files, now, progress, jobs, index.parent)
        meta = _meta(db, stats, files, bool(old.get("complete")), built=str(old.get("built")), updated=now)
        _write_meta(db, meta)
        db.execute("COMMIT")
    except SnapshotError:
        _rollback(db)
        raise
    except (OSError, sqlite3.Error) as exc:
        _rollback(db)
        raise storage_error(index, "update the index", exc) from None
    except BaseException:
        _rollback(db)
        raise
    db.close()
    return meta


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        db.execute("ROLLBACK")
    db.close()


def _read_meta(db: sqlite3.Connection, path: Path) -> dict[str, Any]:
    try:
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise SnapshotError(str(path), f"not a snapshot index: {exc}") from None
    if meta.get("format") != FORMAT_VERSION:
        raise SnapshotError(str(path), "built by another version of verifier: rebuild it with `verifier index build`")
    return meta


def _meta(db: sqlite3.Connection, stats: Stats, files: list[dict[str, Any]], complete: bool, built: str,
          updated: str | None = None) -> dict[str, Any]:
    counts = stats.as_json()
    total = sum(counts["origins"].values())
    arxiv = db.execute("SELECT COUNT(*) FROM papers WHERE arxiv_id IS NOT NULL").fetchone()[0]
    preprints = stats.dates.get("preprint")
    return {
        "format": FORMAT_VERSION, "records": total, "arxiv_records": int(arxiv), "complete": complete,
        "first": preprints[0] if preprints else None, "last": preprints[1] if preprints else None,
        "origins": counts["origins"], "stats": counts, "files": files, "built": built, "updated": updated,
    }
