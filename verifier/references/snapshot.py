"""The offline snapshot index: arXiv metadata (and proceedings) in SQLite with FTS5 full-text search.

Built by `verifier index build FILES... --output PATH` from the forms real users have (see readers.py);
queried read-only. Titles are searched first with all their words (exact-ish), then with any of them;
abstract words feed the summary check; document frequencies come from an fts5vocab table."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from verifier.errors import SnapshotError
from verifier.references.interface import Capability, Coverage
from verifier.references.normalize import title_tokens, words
from verifier.references.readers import DAMAGED, FormatError, read
from verifier.references.records import PaperRecord
from verifier.results.faults import storage_error

SCHEMA = """
CREATE TABLE papers (rowid INTEGER PRIMARY KEY, arxiv_id TEXT UNIQUE, version TEXT, title TEXT NOT NULL,
    authors TEXT NOT NULL, abstract TEXT NOT NULL, published TEXT, updated TEXT, categories TEXT NOT NULL,
    doi TEXT, journal_ref TEXT, venue TEXT, comment TEXT, url TEXT, origin TEXT NOT NULL);
CREATE VIRTUAL TABLE papers_fts USING fts5(title, authors, abstract, content='papers', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE papers_vocab USING fts5vocab(papers_fts, 'col');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
COLUMNS = ("arxiv_id", "version", "title", "authors", "abstract", "published", "updated", "categories", "doi",
           "journal_ref", "venue", "comment", "url", "origin")
FORMAT_VERSION = "1"
CLOSE_OVERLAP = 0.8  # word overlap (Jaccard) at which the cheap query's best candidate is taken as close


def _row(record: PaperRecord) -> tuple[object, ...]:
    data = record.model_dump()
    data["authors"] = json.dumps(record.authors, ensure_ascii=False)
    data["categories"] = json.dumps(record.categories, ensure_ascii=False)
    return tuple(data[c] for c in COLUMNS)


def build(paths: Sequence[Path], output: Path, complete: bool = False,
          progress: Callable[[str, int], None] | None = None) -> dict[str, object]:
    """Read every file into a new index at `output` (written beside it, then moved into place)."""
    temporary = output.with_name(f".{output.name}.building")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        db = sqlite3.connect(temporary)
    except (OSError, sqlite3.Error) as exc:
        raise storage_error(output, "build the index", exc) from None
    try:
        db.executescript(SCHEMA)
        counts: dict[str, int] = {}
        for path in paths:
            try:
                counts[path.name] = _load_file(db, path)
            except (FormatError, *DAMAGED) as exc:  # name the input file (and line) that is at fault
                raise SnapshotError(str(path), str(exc), getattr(exc, "line", None)) from None
            if progress:
                progress(path.name, counts[path.name])
        db.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
        stats = _meta(db, paths, counts, complete)
        stats["scope"] = _scope(db)
        db.commit()
        db.execute("VACUUM")
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
    return stats


def _load_file(db: sqlite3.Connection, path: Path) -> int:
    placeholders = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT OR REPLACE INTO papers ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    batch: list[tuple[object, ...]] = []
    count = 0
    for record in read(path):
        batch.append(_row(record))
        count += 1
        if len(batch) >= 5000:
            db.executemany(statement, batch)
            batch.clear()
    db.executemany(statement, batch)
    return count


def _meta(db: sqlite3.Connection, paths: Sequence[Path], counts: dict[str, int], complete: bool) -> dict[str, object]:
    total, with_id = db.execute("SELECT COUNT(*), COUNT(arxiv_id) FROM papers").fetchone()
    first, last = db.execute(
        "SELECT MIN(published), MAX(published) FROM papers WHERE arxiv_id IS NOT NULL").fetchone()
    origins = dict(db.execute("SELECT origin, COUNT(*) FROM papers GROUP BY origin").fetchall())
    stats: dict[str, object] = {
        "format": FORMAT_VERSION, "records": total, "arxiv_records": with_id, "first": first, "last": last,
        "complete": complete, "origins": origins, "files": counts,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in stats.items()])
    return stats


def _scope(db: sqlite3.Connection) -> dict[str, object]:
    """What the index holds, stored so `--complete` means complete for THIS scope: the venues (canonical keys,
    `name:...` for venues outside the alias table; arXiv records count as `preprint`), the kinds of work,
    the years of all records, and how many records carry a DOI (a DOI look-up then answers)."""
    from verifier.references import venues

    db.execute("CREATE INDEX IF NOT EXISTS papers_doi ON papers(lower(doi))")
    found: dict[str, int] = {}
    kinds: set[str] = set()
    for venue, arxiv_count, total in db.execute(
            "SELECT venue, COUNT(arxiv_id), COUNT(*) FROM papers GROUP BY venue"):
        key = venues.key(venue)
        if key is None and arxiv_count:
            key = venues.PREPRINT
        if key is None:
            kinds.add("other")
            continue
        found[key] = found.get(key, 0) + int(total)
        kinds.add(venues.BY_KEY[key].kind if key in venues.BY_KEY else "other")
    low, high = db.execute("SELECT MIN(substr(published, 1, 4)), MAX(substr(published, 1, 4)) FROM papers "
                           "WHERE published IS NOT NULL").fetchone()
    dois = db.execute("SELECT COUNT(doi) FROM papers").fetchone()[0]
    scope = {"venues": dict(sorted(found.items())), "kinds": sorted(kinds), "years": [low, high], "dois": dois}
    db.execute("INSERT OR REPLACE INTO meta VALUES ('scope', ?)", (json.dumps(scope),))
    return scope


def _stem(token: str) -> str:
    """A crude plural stem for prefix queries: `nets` -> `net` (finds `networks` too)."""
    return token[:-1] if len(token) >= 4 and token.endswith("s") and not token.endswith("ss") else token


class SnapshotIndex:
    """Read-only queries on a built index; safe to share between threads."""

    name = "snapshot"

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise SnapshotError(str(path), "no snapshot index here: build one with `verifier index build`")
        self.path = path
        self._local = threading.local()
        self._df_cache: dict[tuple[str, str], int] = {}
        try:
            self.meta = {k: json.loads(v) for k, v in self._db().execute("SELECT key, value FROM meta")}
        except sqlite3.DatabaseError as exc:
            raise SnapshotError(str(path), f"not a snapshot index: {exc}") from None
        if self.meta.get("format") != FORMAT_VERSION:
            raise SnapshotError(str(path), "built by another version of verifier: rebuild it")

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def coverage(self) -> Coverage:
        meta = self.meta
        origins = ", ".join(f"{k} {v}" for k, v in sorted(dict(meta.get("origins", {})).items()))
        description = (f"offline snapshot {self.path.name}: {meta.get('records')} records ({origins}); arXiv "
                       f"first versions {meta.get('first')} to {meta.get('last')}; "
                       f"{'complete' if meta.get('complete') else 'a subset of arXiv'}")
        scope = dict(meta.get("scope") or {})
        capabilities = {Capability.TITLE, Capability.NAME, Capability.CORPUS}
        if meta.get("arxiv_records"):
            capabilities.add(Capability.ARXIV_ID)
        if scope.get("dois"):
            capabilities.add(Capability.DOI)
        first, last = meta.get("first"), meta.get("last")
        years = list(scope.get("years") or [None, None])
        if scope and years[0]:  # the dates of every record held, not only of those with arXiv ids
            first = min(filter(None, [first, years[0]]))
            last = max(filter(None, [last, years[1]]))
        held = frozenset(dict(scope.get("venues") or {}))
        if scope:
            description += (f"; scope: {len(held)} venues ({', '.join(sorted(held)[:8])}"
                            f"{', ...' if len(held) > 8 else ''}), years {years[0]}-{years[1]}")
        return Coverage(self.name, description, bool(meta.get("complete")), first, last,
                        int(meta.get("records") or 0), capabilities=frozenset(capabilities), venues=held,
                        kinds=frozenset(scope.get("kinds") or ["preprint"]))

    def _records(self, where: str, args: Iterable[object]) -> list[PaperRecord]:
        rows = self._db().execute(f"SELECT {', '.join(COLUMNS)} FROM papers WHERE {where}", tuple(args)).fetchall()
        return [self._record(row) for row in rows]

    @staticmethod
    def _record(row: Sequence[object]) -> PaperRecord:
        data = dict(zip(COLUMNS, row, strict=True))
        data["authors"] = json.loads(str(data["authors"]))
        data["categories"] = json.loads(str(data["categories"]))
        return PaperRecord.model_validate(data)

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """Records by DOI (case-insensitive); answered only when the index holds DOIs at all."""
        if Capability.DOI not in self.coverage().capabilities:
            return {}
        keys = {doi: doi.strip().lower() for doi in dois}
        found: dict[str, PaperRecord | None] = dict.fromkeys(dois)
        wanted = sorted(set(keys.values()))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for record in self._records(f"lower(doi) IN ({marks})", chunk):
                for doi, key in keys.items():
                    if record.doi and record.doi.lower() == key:
                        found[doi] = record
        return found

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        found: dict[str, PaperRecord | None] = dict.fromkeys(arxiv_ids)
        for start in range(0, len(arxiv_ids), 500):
            chunk = list(arxiv_ids[start:start + 500])
            marks = ", ".join("?" for _ in chunk)
            for record in self._records(f"arxiv_id IN ({marks})", chunk):
                found[str(record.arxiv_id)] = record
        return found

    def _match(self, query: str, order: str | None, limit: int) -> list[tuple[int, str]]:
        """(rowid, title) of matching papers; ordered by bm25 with these column weights, or unordered."""
        order_by = f"ORDER BY bm25(papers_fts, {order})" if order else ""
        sql = f"SELECT rowid, title FROM papers_fts WHERE papers_fts MATCH ? {order_by} LIMIT {int(limit)}"
        return [(int(r), str(t)) for r, t in self._db().execute(sql, (query,)).fetchall()]

    def _by_rowid(self, rowids: Sequence[int]) -> list[PaperRecord]:
        if not rowids:
            return []
        marks = ", ".join("?" for _ in rowids)
        rows = self._db().execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM papers WHERE rowid IN ({marks})",
                                  list(rowids)).fetchall()
        records = {row[0]: self._record(row[1:]) for row in rows}
        return [records[r] for r in rowids]

    def search(self, title: str, authors: Sequence[str] = (), limit: int = 10) -> list[PaperRecord]:
        """Candidates for a cited title, best first by word overlap. Cheapest query first: titles with all
        the words; only when none is close, titles with all the words as plural-stemmed prefixes (`Nets`
        finds `Networks`) and titles with any of the three rarest words (a changed or missing word)."""
        tokens = list(dict.fromkeys(title_tokens(title)))[:16]
        if not tokens:
            return []
        wanted = {_stem(t) for t in tokens}

        def overlap(item: tuple[int, str]) -> float:
            have = {_stem(t) for t in title_tokens(item[1])}
            return len(wanted & have) / len(wanted | have) if have else 0.0

        found = dict(self._match("title : (" + " AND ".join(f'"{t}"' for t in tokens) + ")", None, 50))
        ranked = sorted(found.items(), key=overlap, reverse=True)
        if not ranked or overlap(ranked[0]) < CLOSE_OVERLAP:
            found.update(self._match("title : (" + " AND ".join(f'"{_stem(t)}"*' for t in tokens) + ")", None, 200))
            df = self.document_frequencies(tokens, column="title")
            rare = sorted((t for t in tokens if df.get(t)), key=lambda t: df[t])[:3]
            if rare:
                query = "title : (" + " OR ".join(f'"{t}"' for t in rare) + ")"
                found.update(self._match(query, "10.0, 1.0, 0.0", 3 * limit))
            ranked = sorted(found.items(), key=overlap, reverse=True)
        return self._by_rowid([rowid for rowid, _ in ranked[:limit]])

    def search_name(self, name: str, limit: int = 20) -> list[PaperRecord]:
        """Papers whose titles contain the name's words as a phrase, then papers whose abstracts do (the
        name or its plural), each oldest first: the resolver tells a title carrying the name from an
        abstract introducing it or merely using it. Two queries, so abstract mentions never crowd out titles."""
        tokens = words(name)
        if not tokens:
            return []
        phrase = " ".join(tokens).replace('"', "")
        sql = ("SELECT p.rowid FROM papers_fts JOIN papers AS p ON p.rowid = papers_fts.rowid "
               "WHERE papers_fts MATCH ? ORDER BY p.published, p.arxiv_id LIMIT ?")
        db = self._db()
        titled = [int(r[0]) for r in db.execute(sql, (f'title : "{phrase}"', int(limit))).fetchall()]
        introduced = [int(r[0]) for r in db.execute(sql, (f'abstract : ("{phrase}" OR "{phrase}s")', int(limit)))
                      if int(r[0]) not in titled]
        records = self._by_rowid(titled + introduced)
        return sorted(records, key=lambda r: (r.published or "9999", r.arxiv_id or ""))

    def search_text(self, text: str, limit: int = 10) -> list[PaperRecord]:
        """Papers whose abstracts share the rarest words of a summary (for the summary check)."""
        terms = [t for t in dict.fromkeys(words(text)) if len(t) > 3 and not re.fullmatch(r"\d+", t)]
        if not terms:
            return []
        df = self.document_frequencies(terms)
        rare = sorted((t for t in terms if df.get(t)), key=lambda t: df[t])[:12]
        if not rare:
            return []
        query = "abstract : (" + " OR ".join(f'"{t}"' for t in rare) + ")"
        return self._by_rowid([rowid for rowid, _ in self._match(query, "0.0, 0.0, 1.0", limit)])

    def document_frequencies(self, terms: Sequence[str], column: str = "abstract") -> dict[str, int]:
        cache: dict[tuple[str, str], int] = self._df_cache
        found: dict[str, int] = {t: cache[(column, t)] for t in terms if (column, t) in cache}
        unique = [t for t in dict.fromkeys(terms) if (column, t) not in cache]
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = dict(self._db().execute(
                f"SELECT term, doc FROM papers_vocab WHERE col = ? AND term IN ({marks})", [column, *chunk]))
            for term in chunk:
                cache[(column, term)] = found[term] = int(rows.get(term, 0))
        return found

    def document_count(self) -> int:
        return int(self.meta.get("records") or 0)
