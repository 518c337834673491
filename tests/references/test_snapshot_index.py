"""The snapshot index: build, update and info through the real CLI; bounded retrieval on shipped records."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, run_cli
from verifier.errors import SnapshotError
from verifier.references.batch import offline, resolve_many
from verifier.references.interface import Capability
from verifier.references.normalize import surname, surnames, title_tokens
from verifier.references.snapshot import SnapshotIndex, build
from verifier.references.snapshot_build import title_key, update
from verifier.registry.models import Reference

pytestmark = pytest.mark.timeout(300)
ARXIV = DATA / "arxiv"
SHIPPED = ROOT / "data" / "snapshot"
KAGGLE = ARXIV / "kaggle_head50.jsonl"  # 50 real records of arXiv's JSON-lines snapshot, many with DOIs


def kaggle_rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in KAGGLE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> SnapshotIndex:
    """Two years of the shipped arXiv records and one year of shipped proceedings (about 21,000 records)."""
    path = tmp_path_factory.mktemp("shipped") / "index.sqlite"
    build([SHIPPED / "oai_dc_ml_na_2015.jsonl.gz", SHIPPED / "oai_dc_ml_na_2016.jsonl.gz",
           SHIPPED / "iclr_2021.json.gz"], path)
    return SnapshotIndex(path)


def rows(index: SnapshotIndex, sql: str, *args: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(index.path)
    try:
        return list(db.execute(sql, args).fetchall())
    finally:
        db.close()


# ---------------------------------------------------------------- the CLI: build, info, update
def test_build_and_info_through_the_cli(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    built = run_cli("index", "build", str(ARXIV / "bulk_sample.jsonl"), str(ARXIV / "iclr_2021_sample.json"),
                    str(KAGGLE), "--output", str(index), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    info = run_cli("index", "info", str(index), cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    text = info.stdout
    held = rows(SnapshotIndex(index), "SELECT origin, kind, COUNT(*) FROM papers GROUP BY origin, kind")
    total = sum(int(str(n)) for _, _, n in held)
    assert f"{total:,} records" in text
    for origin, _, count in held:
        assert f"{origin} {int(str(count)):,}" in text  # counts per origin, as the table holds them
    assert "complete: no" in text
    assert "kinds: " in text and "preprint" in text and "proceedings" in text
    dois = rows(SnapshotIndex(index), "SELECT COUNT(*) FROM papers WHERE doi IS NOT NULL")[0][0]
    assert f"{int(str(dois)):,} with DOIs" in text
    for name in ("bulk_sample.jsonl", "iclr_2021_sample.json", "kaggle_head50.jsonl"):
        assert name in text  # the sources read


def test_complete_is_only_what_the_build_declares(tmp_path: Path) -> None:
    plain, complete = tmp_path / "plain.sqlite", tmp_path / "complete.sqlite"
    assert run_cli("index", "build", str(KAGGLE), "--output", str(plain), cwd=tmp_path).returncode == 0
    assert run_cli("index", "build", str(KAGGLE), "--output", str(complete), "--complete",
                   cwd=tmp_path).returncode == 0
    assert not SnapshotIndex(plain).coverage().complete
    assert SnapshotIndex(complete).coverage().complete
    assert "complete: yes" in run_cli("index", "info", str(complete), cwd=tmp_path).stdout


def test_update_adds_and_replaces_without_a_rebuild(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    assert run_cli("index", "build", str(ARXIV / "bulk_sample.jsonl"), "--output", str(index),
                   cwd=tmp_path).returncode == 0
    before = SnapshotIndex(index).document_count()
    # A new month: the Kaggle records, one of them a revised version of a record already held.
    fresh = kaggle_rows()
    old_id = str(rows(SnapshotIndex(index), "SELECT arxiv_id FROM papers LIMIT 1")[0][0])
    old_title = str(rows(SnapshotIndex(index), "SELECT title FROM papers WHERE arxiv_id = ?", old_id)[0][0])
    revised = dict(fresh[0], id=old_id, title="Quasicrystalline Lattice Sieves for Sparse Spectral Estimation")
    month = tmp_path / "month.jsonl"
    month.write_text("\n".join(json.dumps(r) for r in [*fresh, revised]) + "\n", encoding="utf-8")
    done = run_cli("index", "update", str(index), str(month), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = SnapshotIndex(index)
    assert after.document_count() == before + len(fresh)  # the revision replaced its record, not added one
    assert rows(after, "SELECT COUNT(*) FROM papers")[0][0] == after.document_count()
    record = after.lookup_ids([old_id])[old_id]
    assert record is not None and record.title == revised["title"]
    # The full-text index followed: the new title is found, the replaced one no longer is.
    assert [r.arxiv_id for r in after.search(str(revised["title"]))][:1] == [old_id]
    assert all(r.arxiv_id != old_id for r in after.search(old_title))
    added = str(fresh[5]["id"])
    assert after.lookup_ids([added])[added] is not None
    assert "month.jsonl" in run_cli("index", "info", str(index), cwd=tmp_path).stdout


def test_a_failed_update_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    build([ARXIV / "bulk_sample.jsonl"], index)
    before = index.read_bytes()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(KAGGLE.read_text(encoding="utf-8") + '{"id": "2501.00001", "title": \n', encoding="utf-8")
    result = run_cli("index", "update", str(index), str(broken), cwd=tmp_path)
    assert result.returncode == 3
    assert "broken.jsonl" in result.stderr + result.stdout
    assert index.read_bytes() == before  # one transaction: nothing of the good lines went in
    with pytest.raises(SnapshotError):
        update(tmp_path / "absent.sqlite", [KAGGLE])


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "2501.00001", "title": "A"}\nnot json\n', encoding="utf-8")
    index = tmp_path / "out" / "index.sqlite"
    result = run_cli("index", "build", str(broken), "--output", str(index), cwd=tmp_path)
    assert result.returncode == 3
    assert "broken.jsonl:2" in result.stderr + result.stdout
    assert not index.exists() and list(index.parent.iterdir()) == []


def test_files_read_by_worker_processes_build_the_same_index(tmp_path: Path) -> None:
    """`--jobs`: files read in parallel are written in the order given, so the index is the one a single
    process builds, row for row, statistics included; a later file's record still replaces an earlier one."""
    fresh = kaggle_rows()
    revised = dict(fresh[3], title="Quasicrystalline Lattice Sieves for Sparse Spectral Estimation")
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(revised) + "\n", encoding="utf-8")
    files = [ARXIV / "bulk_sample.jsonl", KAGGLE, ARXIV / "iclr_2021_sample.json", later]
    one, three = tmp_path / "one.sqlite", tmp_path / "three.sqlite"
    build(files, one, jobs=1)
    build(files, three, jobs=3)
    table = "SELECT * FROM papers ORDER BY rowid"
    assert rows(SnapshotIndex(one), table) == rows(SnapshotIndex(three), table)
    assert SnapshotIndex(one).meta["stats"] == SnapshotIndex(three).meta["stats"]
    assert [f["records"] for f in SnapshotIndex(three).meta["files"]] == [f["records"] for f in
                                                                         SnapshotIndex(one).meta["files"]]
    identifier = str(revised["id"])
    record = SnapshotIndex(three).lookup_ids([identifier])[identifier]
    assert record is not None and record.title == revised["title"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["later.jsonl", "one.sqlite", "three.sqlite"]  # no spool


def test_update_with_files_read_by_worker_processes_matches_one_process(tmp_path: Path) -> None:
    fresh = kaggle_rows()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in fresh[:20]), encoding="utf-8")
    revised = dict(fresh[2], title="Quasicrystalline Lattice Sieves for Sparse Spectral Estimation")
    second.write_text("".join(json.dumps(r) + "\n" for r in [*fresh[20:], revised]), encoding="utf-8")
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    for index, jobs in ((one, 1), (two, 2)):
        build([ARXIV / "bulk_sample.jsonl"], index)
        update(index, [first, second], jobs=jobs)
    table = "SELECT * FROM papers ORDER BY rowid"
    assert rows(SnapshotIndex(one), table) == rows(SnapshotIndex(two), table)
    assert SnapshotIndex(two).meta["stats"] == SnapshotIndex(one).meta["stats"]
    identifier = str(revised["id"])
    record = SnapshotIndex(two).lookup_ids([identifier])[identifier]
    assert record is not None and record.title == revised["title"]  # the later file's record replaced it
    assert [r.arxiv_id for r in SnapshotIndex(two).search(str(revised["title"]))][:1] == [identifier]


def test_a_damaged_file_read_by_a_worker_is_named_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(KAGGLE.read_text(encoding="utf-8").splitlines()[0] + "\nnot json\n", encoding="utf-8")
    output = tmp_path / "out" / "index.sqlite"
    with pytest.raises(SnapshotError) as raised:
        build([KAGGLE, broken, ARXIV / "bulk_sample.jsonl"], output, jobs=2)
    assert f"{broken}:2: " in str(raised.value) and "invalid JSON" in str(raised.value)  # the line crossed over
    assert list(output.parent.iterdir()) == []  # neither the index, its temporary, nor a spool


# ---------------------------------------------------------------- coverage and DOIs
def test_coverage_is_what_was_ingested(shipped: SnapshotIndex) -> None:
    coverage = shipped.coverage()
    assert coverage.kinds == {"preprint", "proceedings"}
    assert {"cs", "stat"} <= coverage.fields
    assert "iclr" in coverage.venues
    assert not coverage.complete
    assert coverage.records == shipped.document_count()
    spans = rows(shipped, "SELECT kind, MIN(published), MAX(published) FROM papers GROUP BY kind")
    assert shipped.spans() == {str(kind): (str(a), str(b)) for kind, a, b in spans}
    assert (coverage.first, coverage.last) == (shipped.spans()["preprint"][0], "2021")
    assert {Capability.DOI, Capability.ARXIV_ID} <= coverage.capabilities


def test_coverage_of_a_complete_index_with_two_sources(tmp_path: Path) -> None:
    proceedings = tmp_path / "conf_2007.json"
    proceedings.write_text(json.dumps([
        {"title": "Sparse Kernel Quadrature on Manifolds", "authors": ["Ada Lovelace"], "conference": "COLT",
         "year": 2006},
        {"title": "Boosting with Spectral Margins", "authors": ["Alan Turing"], "conference": "COLT", "year": 2009},
    ]), encoding="utf-8")
    path = tmp_path / "index.sqlite"
    build([KAGGLE, proceedings], path, complete=True)
    coverage = SnapshotIndex(path).coverage()
    preprint = SnapshotIndex(path).spans()["preprint"]
    assert preprint[0].startswith("2007") and (coverage.first, coverage.last) == ("2006", "2009")
    assert coverage.complete and coverage.covers_year(2008) and not coverage.covers_year(2010)
    assert {"colt", "preprint"} <= coverage.venues and "cs" in coverage.fields
    assert coverage.kinds == {"preprint", "proceedings"}


def test_lookup_dois(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    build([KAGGLE], path)
    index = SnapshotIndex(path)
    with_doi = [r for r in kaggle_rows() if r.get("doi")]
    doi, arxiv_id = str(with_doi[0]["doi"]), str(with_doi[0]["id"])
    answers = index.lookup_dois([f"https://doi.org/{doi.upper()}", "10.9999/not-a-real-doi",
                                 f"10.48550/arXiv.{arxiv_id}"])
    found = answers[f"https://doi.org/{doi.upper()}"]
    assert found is not None and found.arxiv_id == arxiv_id
    by_arxiv_doi = answers[f"10.48550/arXiv.{arxiv_id}"]
    assert by_arxiv_doi is not None and by_arxiv_doi.arxiv_id == arxiv_id
    assert answers["10.9999/not-a-real-doi"] is None  # absent here; what that means depends on the coverage
    without = tmp_path / "without.sqlite"
    build([ARXIV / "iclr_2021_sample.json"], without)  # no DOIs held: it cannot answer for any
    assert SnapshotIndex(without).lookup_dois(["10.9999/not-a-real-doi"]) == {}


# ---------------------------------------------------------------- retrieval on the shipped records
def test_exact_title_key_answers_alone(shipped: SnapshotIndex) -> None:
    rng = random.Random(5)
    sample = rng.sample(rows(shipped, "SELECT arxiv_id, title FROM papers WHERE arxiv_id IS NOT NULL"), 200)
    for arxiv_id, title in sample:
        key = title_key(str(title))
        for cited in (str(title), str(title).upper().replace(":", " ").replace(",", "")):
            found = shipped.search(cited)
            assert arxiv_id in [r.arxiv_id for r in found]
            assert all(title_key(r.title) == key for r in found)  # early exit: only the same title


def test_same_title_other_papers_told_apart_by_authors(shipped: SnapshotIndex) -> None:
    duplicates = rows(shipped, "SELECT title_hash FROM papers GROUP BY title_hash HAVING COUNT(*) > 1 LIMIT 20")
    checked = 0
    for (digest,) in duplicates:
        group = rows(shipped, "SELECT arxiv_id, title, authors FROM papers WHERE title_hash = ?", digest)
        for arxiv_id, title, authors in group:
            names = json.loads(str(authors))
            others = set(surnames([str(a) for other in group if other[0] != arxiv_id
                                   for a in json.loads(str(other[2]))]))
            if not names or surname(names[0]) in others:
                continue  # the same author on both: the title and that name cannot tell them apart
            found = shipped.search(str(title), [names[0]])
            assert found and found[0].arxiv_id == arxiv_id
            checked += 1
    assert checked >= 2


def test_near_miss_titles_find_the_paper_within_the_bound(shipped: SnapshotIndex) -> None:
    rng = random.Random(6)
    pool = rows(shipped, "SELECT arxiv_id, title, authors FROM papers WHERE arxiv_id IS NOT NULL")
    sample = [r for r in rng.sample(pool, 400) if len(title_tokens(str(r[1]))) >= 5][:150]
    hits = 0
    for arxiv_id, title, authors in sample:
        words = str(title).split()
        del words[len(words) // 2]  # a dropped word
        found = shipped.search(" ".join(words), json.loads(str(authors))[:1], limit=10)
        assert len(found) <= 10
        hits += arxiv_id in [r.arxiv_id for r in found]
    assert hits >= 0.97 * len(sample)


def test_surname_and_year_filters_narrow_in_sql(shipped: SnapshotIndex) -> None:
    arxiv_id, _, authors, year = rows(
        shipped, "SELECT arxiv_id, title, authors, year FROM papers WHERE arxiv_id IS NOT NULL "
                 "AND title LIKE '%neural network%' LIMIT 1")[0]
    first = json.loads(str(authors))[0]
    # A vague citation (two common words) with the right surname and year: the filters bring the paper up.
    found = shipped.search("neural network", [first], year=int(str(year)))
    assert arxiv_id in [r.arxiv_id for r in found]
    # The year column of the title index holds the record's year.
    matched = shipped._match(f'year : "{year}"', False, 50)
    years = {r[0] for r in rows(shipped, f"SELECT year FROM papers WHERE rowid IN ({','.join('?' * len(matched))})",
                                *[rowid for rowid, _ in matched])}
    assert years == {year}


def test_a_common_words_title_stays_bounded(shipped: SnapshotIndex) -> None:
    found = shipped.search("learning learning deep networks models", limit=10)
    assert len(found) <= 10


# ---------------------------------------------------------------- batches across processes
def test_resolve_many_in_worker_processes_matches_one_process(shipped: SnapshotIndex) -> None:
    rng = random.Random(7)
    sample = rng.sample(rows(shipped, "SELECT arxiv_id, title, authors FROM papers WHERE arxiv_id IS NOT NULL"), 40)
    items: list[tuple[Reference, str | None]] = [
        (Reference(title=str(t), authors=json.loads(str(a))[:2]), None) for _, t, a in sample]
    items.append((Reference(arxiv_id=str(sample[0][0])), None))
    alone = resolve_many(items, offline(shipped.path), jobs=1)
    pooled = resolve_many(items, offline(shipped.path), jobs=2)
    assert [(r.status, r.record.arxiv_id if r.record else None) for r in pooled] == \
           [(r.status, r.record.arxiv_id if r.record else None) for r in alone]
    assert [r.record.arxiv_id for r in alone[:-1] if r.record] == [str(s[0]) for s in sample]


# ---------------------------------------------------------------- the cited year, through the resolver
def test_a_year_cited_off_by_one_or_more_never_loses_the_paper(shipped: SnapshotIndex) -> None:
    """The resolver passes the cited year to the snapshot, which narrows one of its queries to the years
    around it; a year cited one off (a preprint's year for the published paper, or the reverse) or far off
    (a wrong year) still finds the paper, by the unfiltered queries."""
    rng = random.Random(11)
    pool = rows(shipped, "SELECT arxiv_id, title, authors, year FROM papers WHERE arxiv_id IS NOT NULL")
    sample = [r for r in rng.sample(pool, 300) if len(title_tokens(str(r[1]))) >= 5][:60]
    resolver = offline(shipped.path)()
    for offset in (-1, 1):
        resolved = retrieved = 0
        for arxiv_id, title, authors, year in sample:
            words = str(title).split()
            del words[len(words) // 2]  # a dropped word: no exact-title key, the full-text queries answer
            cited = Reference(title=" ".join(words), authors=json.loads(str(authors))[:1],
                              year=int(str(year)) + offset)
            answer = resolver.resolve(cited, None)
            resolved += answer.record is not None and answer.record.arxiv_id == arxiv_id
            retrieved += arxiv_id in [r.arxiv_id for r, _ in answer.candidates]
        assert retrieved == len(sample), offset
        assert resolved >= 0.95 * len(sample), offset
    # A year far off, and no author to narrow the search: the paper is still among the candidates.
    for arxiv_id, title, _, year in sample[:30]:
        words = str(title).split()
        del words[len(words) // 2]
        for wrong in (int(str(year)) - 6, int(str(year)) + 6):
            answer = resolver.resolve(Reference(title=" ".join(words), year=wrong), None)
            assert arxiv_id in [r.arxiv_id for r, _ in answer.candidates], (title, wrong)

