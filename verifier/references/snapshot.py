"""The offline snapshot index: arXiv metadata, DBLP and proceedings in SQLite with FTS5 full-text search.

Built by `verifier index build FILES... --output PATH` (see snapshot_build.py) from the forms real users
have (see readers.py); queried read-only here. Title search is built so its cost does not grow with the
index (ten million records answer about as fast as sixty thousand):
1. an exact normalised-title key (a 64-bit hash, verified against the title) answers most citations with one
   b-tree probe, and ends the search when the cited authors agree;
2. then title-part keys (snapshot_build.title_parts): a title cited with one word dropped, added, replaced
   or pluralised usually keeps one of the record's keys, so most near misses are answered by three or six
   more probes (the search ends when a record is close, or one slip away with a cited author);
3. otherwise bounded full-text queries, cheapest first, each with a LIMIT: the title's two rarest words
   with a cited surname (SQL-side filter), then any two of its three rarest words with a surname (a
   changed, added or dropped word); without a close answer, the four rarest words alone, then the pairs
   anywhere, those of the cited year -2/+1 first (SQL on the year column), then by bm25;
4. only the candidates are read and ranked; the resolver scores them.
Abstract words feed the summary check; document frequencies come from fts5vocab tables."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from verifier.errors import SnapshotError
from verifier.references.interface import Capability, Coverage
from verifier.references.normalize import main_title, plural_stem, surname, title_tokens, words
from verifier.references.records import PaperRecord
from verifier.references.snapshot_build import (
    ARXIV_DOI,
    COLUMNS,
    DEALS,
    FORMAT_VERSION,
    PARTS,
    doi_key,
    key_hash,
    title_key,
    title_parts,
)
from verifier.references.snapshot_build import build as _build

CLOSE_OVERLAP = 0.8  # word overlap (Jaccard) at which a candidate ends the search
EXACT_LIMIT = 20  # records sharing one title key read at most (duplicates across sources, reprints)
PART_LIMIT = 10  # records read per title-part key (a key two common words form is shared by many titles)
ALL_WORDS_LIMIT = 50  # candidates of the all-words query (best first by bm25: short titles with the words)
RARE_WORDS = 3  # the rarest title words whose pairs form the fallback query
ALL_WORDS = 4  # the rarest words that must all be in a title (more words filter little and cost doclist reads)
# ... when a cited surname filters too: two rare words and a surname leave a handful of records, and each
# further word is one more doclist FTS5 steps through (four words cost a third more at a million records)
AUTHOR_WORDS = 2
MAX_SURNAMES = 4  # cited surnames used as a filter (the rarest ones)
# The cited year's window for the year-filtered query: a paper is often cited by its venue's year while the
# index holds its arXiv preprint of a year or two before, or by the preprint's year while the index holds the
# venue record of the next year. The window orders, never filters: a paper outside it still comes, after.
YEARS_BEFORE, YEARS_AFTER = 2, 1

build = _build
__all__ = ["CLOSE_OVERLAP", "COLUMNS", "FORMAT_VERSION", "SnapshotIndex", "build"]


def _stems(title: str) -> frozenset[str]:
    """A title's stemmed words, computed once per candidate (a search compares each candidate several times)."""
    return frozenset(plural_stem(t) for t in title_tokens(title))


def _overlap(wanted: set[str], have: frozenset[str]) -> float:
    """Jaccard overlap of the cited title's stemmed words with a record title's."""
    return len(wanted & have) / len(wanted | have) if have else 0.0


def _close(wanted: set[str], have: frozenset[str], title: str) -> bool:
    """Near enough to end the search: most words shared (a word changed in a long title, reordered words),
    or the cited title is the record's main title (its subtitle dropped). A short title with one word
    changed or added is not: `Conditional Generative Adversarial Nets` must not end the search for
    `Generative Adversarial Nets`."""
    if _overlap(wanted, have) >= CLOSE_OVERLAP:
        return True
    return wanted <= have and _stems(main_title(title)) == wanted


def _near(wanted: set[str], have: frozenset[str]) -> bool:
    """One slip away: at most one cited word missing from the title (which may have more: with a cited author
    on the record, that is the paper cited with a word changed or dropped, or a more specific paper of
    theirs), or two cited words in place of at most one of the title's (a hyphenated word for a plain one:
    `Pressure-Correction` for `Linear`)."""
    missing = len(wanted - have)
    return missing <= 1 or (missing == 2 and len(have - wanted) <= 1)


def _contains(tokens: list[str], wanted: list[str]) -> bool:
    """Whether `wanted` occurs in `tokens` as a contiguous run."""
    size = len(wanted)
    return any(tokens[i:i + size] == wanted for i in range(len(tokens) - size + 1))


def _agreeing(exact: list[tuple[int, str, list[str]]], authors: Sequence[str]) -> list[int]:
    """The exact-title records whose authors include a cited surname (all of them when none is cited)."""
    cited = {s for a in authors if (s := surname(a))}
    return [rowid for rowid, _, names in exact if not cited or cited & {s for n in names if (s := surname(n))}]


class SnapshotIndex:
    """Read-only queries on a built index; safe to share between threads (one connection per thread), and
    cheap to open in each worker process of a batch (see batch.py)."""

    name = "snapshot"

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise SnapshotError(str(path), "no snapshot index here: build one with `verifier index build`")
        self.path = path
        self._local = threading.local()
        self._df_cache: dict[tuple[str, str], int] = {}
        try:
            self.meta: dict[str, Any] = {k: json.loads(v) for k, v in self._db().execute("SELECT key, value FROM meta")}
        except sqlite3.DatabaseError as exc:
            raise SnapshotError(str(path), f"not a snapshot index: {exc}") from None
        if self.meta.get("format") != FORMAT_VERSION:
            raise SnapshotError(str(path), "built by another version of verifier: rebuild it with "
                                           "`verifier index build`")
        self._coverage: Coverage | None = None

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            db.execute("PRAGMA cache_size = -65536")
            self._local.db = db
        return db

    def __getstate__(self) -> dict[str, Any]:
        """Picklable for worker processes: the connection is reopened on the other side."""
        return {"path": self.path, "meta": self.meta}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.meta = state["path"], state["meta"]
        self._local = threading.local()
        self._df_cache = {}
        self._coverage = None

    def coverage(self) -> Coverage:
        """What was ingested: counts, kinds, fields, venues and dates; `complete` only as declared at build.
        The date range is the one every kind of record spans (the intersection), so a complete index never
        speaks for years one of its sources lacks."""
        if self._coverage is not None:
            return self._coverage
        meta = self.meta
        stats: dict[str, Any] = dict(meta.get("stats", {}))
        first, last = self.date_range()
        kinds = frozenset(dict(stats.get("kinds", {})))
        capabilities = {Capability.TITLE, Capability.NAME, Capability.CORPUS}
        if meta.get("arxiv_records"):
            capabilities.add(Capability.ARXIV_ID)
        if int(stats.get("dois", 0)) > 0:
            capabilities.add(Capability.DOI)
        origins = ", ".join(f"{k} {v}" for k, v in sorted(dict(meta.get("origins", {})).items()))
        spans = "; ".join(f"{kind} {a} to {b}" for kind, (a, b) in sorted(self.spans().items()))
        state = "declared complete for what it holds" if meta.get("complete") else "not complete"
        description = (f"offline snapshot {self.path.name}: {meta.get('records')} records ({origins}); "
                       f"kinds {', '.join(sorted(kinds)) or 'none'}; dates {spans or 'none'}; {state}")
        self._coverage = Coverage(
            self.name, description, bool(meta.get("complete")), first, last, int(meta.get("records") or 0),
            capabilities=frozenset(capabilities), fields=frozenset(dict(stats.get("fields", {}))),
            venues=frozenset(dict(stats.get("venues", {}))), kinds=kinds)
        return self._coverage

    def spans(self) -> dict[str, tuple[str, str]]:
        """The first and last date (YYYY or YYYY-MM-DD) of the records of each kind ever ingested."""
        dates = dict(dict(self.meta.get("stats", {})).get("dates", {}))
        return {kind: (str(span[0]), str(span[1])) for kind, span in dates.items() if span}

    def date_range(self) -> tuple[str | None, str | None]:
        """The dates of the records held, first to last over every kind (what `--complete` declares the index
        complete for, with its venues and kinds; each kind's own span is in the description)."""
        spans = self.spans()
        if not spans:
            return None, None
        return min(s[0] for s in spans.values()), max(s[1] for s in spans.values())

    def _rows(self, where: str, args: Sequence[object]) -> list[tuple[Any, ...]]:
        sql = f"SELECT rowid, kind, doi_key, {', '.join(COLUMNS)} FROM papers WHERE {where}"
        return list(self._db().execute(sql, tuple(args)).fetchall())

    @staticmethod
    def _record(row: Sequence[object]) -> PaperRecord:
        data = dict(zip(COLUMNS, row, strict=True))
        data["authors"] = json.loads(str(data["authors"]))
        data["categories"] = json.loads(str(data["categories"]))
        return PaperRecord.model_validate(data)

    def lookup_ids(self, arxiv_ids: Sequence[str]) -> dict[str, PaperRecord | None]:
        """The arXiv record of each id (a proceedings record linking the id only when arXiv's is absent)."""
        found: dict[str, PaperRecord | None] = dict.fromkeys(arxiv_ids)
        for start in range(0, len(arxiv_ids), 500):
            chunk = list(arxiv_ids[start:start + 500])
            rows = self._rows(f"arxiv_id IN ({', '.join('?' for _ in chunk)})", chunk)
            for row in sorted(rows, key=lambda r: r[1] != "preprint", reverse=True):
                found[str(row[3])] = self._record(row[3:])
        return found

    def lookup_dois(self, dois: Sequence[str]) -> dict[str, PaperRecord | None]:
        """The record registered under each DOI (a journal or proceedings record before an arXiv record that
        names the DOI); arXiv DOIs (10.48550/arXiv.X) are arXiv ids. Answered (None when absent) only by an
        index that holds DOIs at all; what an absence means is the resolver's call, from the coverage."""
        if Capability.DOI not in self.coverage().capabilities:
            return {}
        keys = {doi: doi_key(doi) for doi in dois}
        arxiv = {doi: m.group(1) for doi, key in keys.items() if key and (m := ARXIV_DOI.match(key))}
        found: dict[str, PaperRecord | None] = dict.fromkeys(dois)
        if arxiv:
            by_id = self.lookup_ids(sorted(set(arxiv.values())))
            found.update({doi: by_id.get(arxiv_id) for doi, arxiv_id in arxiv.items()})
        wanted = sorted({key for doi, key in keys.items() if key and doi not in arxiv})
        records: dict[str, PaperRecord] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self._rows(f"doi_key IN ({', '.join('?' for _ in chunk)})", chunk)
            for row in sorted(rows, key=lambda r: r[1] == "preprint", reverse=True):
                records[str(row[2])] = self._record(row[3:])
        for doi, key in keys.items():
            if doi not in arxiv:
                found[doi] = records.get(key or "")
        return found

    def _match(self, query: str, order: bool, limit: int,
               years: tuple[int, int] | None = None) -> list[tuple[int, str]]:
        """(rowid, title) of titles matching an FTS5 query, at most `limit`: best first by bm25 (title words
        weigh most), or in index order when any match will do; `years` puts the records of those years
        first (SQL on the table's year), the others after them, so a year cited wrongly narrows nothing
        away. bm25 counts the documents of every term in the query (a doclist read), so it is only asked for
        on queries made of rare title words, never on surnames or years."""
        rank = "bm25(titles_fts, 10.0, 1.0, 0.0)"
        if years is None:
            order_by = f"ORDER BY {rank}" if order else ""
            sql = f"SELECT rowid, title FROM titles_fts WHERE titles_fts MATCH ? {order_by} LIMIT {int(limit)}"
            args: tuple[object, ...] = (query,)
        else:
            order_by = "ORDER BY p.year BETWEEN ? AND ? DESC" + (f", {rank}" if order else "")
            sql = ("SELECT titles_fts.rowid, titles_fts.title FROM titles_fts JOIN papers AS p ON p.rowid = "
                   f"titles_fts.rowid WHERE titles_fts MATCH ? {order_by} LIMIT {int(limit)}")
            args = (query, *years)
        return [(int(r), str(t)) for r, t in self._db().execute(sql, args).fetchall()]

    def _by_rowid(self, rowids: Sequence[int]) -> list[PaperRecord]:
        if not rowids:
            return []
        rows = self._rows(f"rowid IN ({', '.join('?' for _ in rowids)})", list(rowids))
        records = {row[0]: self._record(row[3:]) for row in rows}
        return [records[r] for r in rowids if r in records]

    def exact(self, title: str, limit: int = EXACT_LIMIT) -> list[tuple[int, str, list[str]]]:
        """(rowid, title, authors) of the records whose normalised title is the cited one's: one probe of
        the title-key index, the hash verified against each title."""
        key = title_key(title)
        if not key:
            return []
        rows = self._db().execute("SELECT rowid, title, authors FROM papers WHERE title_hash = ? LIMIT ?",
                                  (key_hash(key), int(limit))).fetchall()
        return [(int(r), str(t), list(json.loads(a))) for r, t, a in rows if title_key(str(t)) == key]

    def by_parts(self, keys: Sequence[int | None], deal: int = 0,
                 limit: int = PART_LIMIT) -> list[tuple[int, str, list[str]]]:
        """(rowid, title, authors) of the records sharing a key of one deal of the cited title's part keys
        (`snapshot_build.title_parts`): at most PARTS probes of b-tree indexes, `limit` records each."""
        found: dict[int, tuple[str, list[str]]] = {}
        db = self._db()
        for number in range(deal * PARTS, (deal + 1) * PARTS):
            key = keys[number]
            if key is None:
                continue
            for rowid, text, names in db.execute(f"SELECT rowid, title, authors FROM papers WHERE part{number} = ? "
                                                 "LIMIT ?", (key, int(limit))):
                found.setdefault(int(rowid), (str(text), list(json.loads(names))))
        return [(rowid, text, names) for rowid, (text, names) in found.items()]

    def _author_clause(self, authors: Sequence[str]) -> str:
        """` AND authors : (...)` with the rarest cited surnames the index knows, or "" (none cited or none
        known: a fabricated author list must not hide the paper)."""
        names: list[str] = []
        for author in authors:
            name = surname(author)
            if name and name not in names:
                names.append(name)
        tokens = [t for t in dict.fromkeys(w for n in names for w in words(n)) if len(t) > 1]
        if not tokens:
            return ""
        df = self.document_frequencies(tokens, column="authors", table="titles")
        known = sorted((t for t in tokens if df.get(t)), key=lambda t: df[t])[:MAX_SURNAMES]
        return " AND authors : (" + " OR ".join(f'"{t}"' for t in known) + ")" if known else ""

    def _plan(self, tokens: list[str], authors: Sequence[str], year: int | None,
              limit: int) -> list[tuple[str, bool, int, tuple[int, int] | None, bool]]:
        """The bounded FTS queries to try in turn: (query, ranked by bm25?, LIMIT, years, filtered by a cited
        author?). Words the index does not hold are left out (they are the changed words). Queries with a
        surname are small intersections and need no ranking; the unfiltered pairs query is ranked."""
        df = self.document_frequencies(tokens, column="title", table="titles")
        present = sorted((t for t in tokens if df.get(t)), key=lambda t: df[t])
        if not present:
            return []

        def term(token: str) -> str:  # a plural also finds the singular (exact terms: a prefix query would
            # merge the doclists of every word it expands to, a cost that grows with the index)
            stem = plural_stem(token)
            return f'("{token}" OR "{stem}")' if stem != token else f'"{token}"'

        all_words = "title : (" + " AND ".join(term(t) for t in present[:ALL_WORDS]) + ")"
        rare_words = "title : (" + " AND ".join(term(t) for t in present[:AUTHOR_WORDS]) + ")"
        terms = [term(t) for t in present[:RARE_WORDS]]
        pairs = ("title : (" + " OR ".join(f"({a} AND {b})" for a, b in combinations(terms, 2)) + ")"
                 if len(terms) >= 2 else f"title : ({terms[0]})")
        by_author = self._author_clause(authors)
        plan: list[tuple[str, bool, int, tuple[int, int] | None, bool]] = []
        if by_author:  # a cited author and (nearly) every cited word: the paper, or a more specific one of theirs
            plan += [(rare_words + by_author, False, ALL_WORDS_LIMIT, None, True),
                     (pairs + by_author, False, ALL_WORDS_LIMIT, None, True)]
        plan.append((all_words, True, ALL_WORDS_LIMIT, None, False))
        window = (year - YEARS_BEFORE, year + YEARS_AFTER) if year else None
        plan.append((pairs, True, 3 * limit, window, False))  # one query: the cited years first, then the rest
        return plan

    def search(self, title: str, authors: Sequence[str] = (), limit: int = 10,
               year: int | None = None) -> list[PaperRecord]:
        """Candidates for a cited title, best first by word overlap (see the module docstring)."""
        tokens = list(dict.fromkeys(title_tokens(title)))[:16]
        if not tokens:
            return []
        exact = self.exact(title)
        agree = _agreeing(exact, authors)
        if agree:
            return self._by_rowid(agree[:limit])
        found = {rowid: _stems(text) for rowid, text, _ in exact}  # same title, other authors: kept, search on
        wanted = {plural_stem(t) for t in tokens}
        if answers := self._one_slip(title, authors, wanted, found):
            return self._best(wanted, found, limit, answers)
        for query, order, bound, years, by_author in self._plan(tokens, authors, year, limit):
            answer = self._match(query, order, bound, years)
            new = [(rowid, text) for rowid, text in answer if rowid not in found]
            found.update((rowid, _stems(text)) for rowid, text in new)
            if by_author and any(_near(wanted, found[rowid]) for rowid, _ in answer):
                break
            if any(_close(wanted, found[rowid], text) for rowid, text in new):
                break
        return self._best(wanted, found, limit)

    def _one_slip(self, title: str, authors: Sequence[str], wanted: set[str],
                  found: dict[int, frozenset[str]]) -> list[int]:
        """The records sharing a title-part key that end the search (deal by deal): close to the cited title,
        or one slip away with a cited author on it, the tests the full-text steps apply, so ending here never
        answers what they would not. When some do, they join `found` with the other records of that deal one
        slip away from the cited title (by other authors: the alternatives the resolver weighs); records
        merely sharing two words are never added (at ten million records they are many, and they would crowd
        the candidates out of the top `limit` and cost the resolver a score each)."""
        cited = any(surname(a) for a in authors)
        keys = title_parts(title)  # once: both deals' keys come from one pass over the words
        for deal in range(DEALS):
            parts = [(rowid, text, names) for rowid, text, names in self.by_parts(keys, deal) if rowid not in found]
            stems = {rowid: _stems(text) for rowid, text, _ in parts}
            agree = set(_agreeing(parts, authors)) if cited else set()
            answers = [rowid for rowid, text, _ in parts
                       if _close(wanted, stems[rowid], text) or (rowid in agree and _near(wanted, stems[rowid]))]
            if answers:
                found.update((rowid, have) for rowid, have in stems.items() if rowid in answers or _near(wanted, have))
                return answers
        return []

    def _best(self, wanted: set[str], found: dict[int, frozenset[str]], limit: int,
              first: Sequence[int] = ()) -> list[PaperRecord]:
        """The `limit` best candidates: those that ended the search first, then by word overlap."""
        ended = set(first)
        ranked = sorted(found, key=lambda rowid: (rowid in ended, _overlap(wanted, found[rowid])), reverse=True)
        return self._by_rowid(ranked[:limit])

    def search_name(self, name: str, limit: int = 20) -> list[PaperRecord]:
        """Papers whose titles contain the name's words as a phrase, then papers whose abstracts do (the
        name or its plural), each oldest first: the resolver tells a title carrying the name from an
        abstract introducing it or merely using it. Two queries, so abstract mentions never crowd out titles.
        The abstract index keeps no positions (a third of the size): its matches hold every word of the name
        and are kept when the words stand together."""
        tokens = words(name)
        if not tokens:
            return []
        phrase = " ".join(tokens).replace('"', "")
        db = self._db()
        titled = [int(r[0]) for r in db.execute(
            "SELECT p.rowid FROM titles_fts JOIN papers AS p ON p.rowid = titles_fts.rowid "
            "WHERE titles_fts MATCH ? ORDER BY p.published, p.arxiv_id LIMIT ?",
            (f'title : "{phrase}"', int(limit))).fetchall()]
        last = tokens[-1]
        query = " AND ".join(f'"{t}"' for t in tokens[:-1]) + (" AND " if len(tokens) > 1 else "") + \
            f'("{last}" OR "{last}s")'
        rows = db.execute(
            "SELECT p.rowid, p.abstract FROM abstracts_fts JOIN papers AS p ON p.rowid = abstracts_fts.rowid "
            "WHERE abstracts_fts MATCH ? ORDER BY p.published, p.arxiv_id LIMIT ?",
            (f"abstract : ({query})", int(limit) * 5)).fetchall()
        plural = [*tokens[:-1], last + "s"]
        introduced = [int(r) for r, text in rows if int(r) not in titled
                      and (_contains(words(str(text)), tokens) or _contains(words(str(text)), plural))][:limit]
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
        rows = self._db().execute(
            "SELECT rowid FROM abstracts_fts WHERE abstracts_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, int(limit))).fetchall()
        return self._by_rowid([int(r[0]) for r in rows])

    def document_frequencies(self, terms: Sequence[str], column: str = "abstract",
                             table: str = "abstracts") -> dict[str, int]:
        """How many records hold each term in a column (`abstract` of `abstracts`; `title` or `authors` of
        `titles`); cached per index object. fts5vocab counts a term's documents by reading its doclist, so a
        common word costs more the bigger the index: the cache makes that a once-per-process cost."""
        vocab = {"abstracts": "abstracts_vocab", "titles": "titles_vocab"}[table]
        cache = self._df_cache
        found: dict[str, int] = {t: cache[(column, t)] for t in terms if (column, t) in cache}
        unique = [t for t in dict.fromkeys(terms) if (column, t) not in cache]
        db = self._db()
        for term in unique:  # one equality probe per term: fts5vocab answers `term IN (...)` far slower
            row = db.execute(f"SELECT doc FROM {vocab} WHERE term = ? AND col = ?", (term, column)).fetchone()
            cache[(column, term)] = found[term] = int(row[0]) if row else 0
        return found

    def document_count(self) -> int:
        return int(self.meta.get("records") or 0)

