"""The Atom parser on recorded API answers of both backends, and the metadata readers on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from verifier.errors import SnapshotError
from verifier.references import atom, ids
from verifier.references.readers import FormatError, detect, read
from verifier.references.snapshot import SnapshotIndex, build

ATOM = DATA / "arxiv" / "atom"
ARXIV = DATA / "arxiv"


def test_current_backend_entry() -> None:
    feed = atom.parse((ATOM / "current_id_1605.08386.xml").read_bytes())
    assert feed.total == 1 and len(feed.records) == 1
    record = feed.records[0]
    assert record.arxiv_id == "1605.08386" and record.version
    assert record.title and "\n" not in record.title and record.authors
    assert record.published and len(record.published) == 10


def test_error_entry_is_not_a_paper() -> None:
    feed = atom.parse((ATOM / "current_error_abc.xml").read_bytes())
    assert feed.records == []
    assert feed.errors == ["incorrect id format for abc"]


def test_paper_titled_zero_and_old_style_ids() -> None:
    assert atom.parse((ATOM / "current_title_zero.xml").read_bytes()).records[0].title == "0"
    old = atom.parse((ATOM / "current_old_style.xml").read_bytes()).records[0]
    assert old.arxiv_id == "quant-ph/0201082" and old.version == "v1"


def test_nonexistent_id_gives_no_entry() -> None:
    feed = atom.parse((ATOM / "current_nonexistent.xml").read_bytes())
    assert feed.records == [] and feed.total == 0


def test_legacy_placeholder_entries_are_skipped() -> None:
    legacy = atom.parse((ATOM / "legacy_missing_ids.xml").read_bytes())
    new = atom.parse((ATOM / "new_missing_ids.xml").read_bytes())
    assert legacy.total == 4 and len(legacy.records) == 1
    assert [r.arxiv_id for r in legacy.records] == [r.arxiv_id for r in new.records]
    assert atom.parse((ATOM / "legacy_empty.xml").read_bytes()).records == []


def test_legacy_and_linkless_new_format_agree() -> None:
    legacy = atom.parse((ATOM / "legacy_doc.xml").read_bytes()).records[0]
    new = atom.parse((ATOM / "new_doc_linkless.xml").read_bytes()).records[0]
    assert legacy.arxiv_id == new.arxiv_id == "2206.06921"
    assert legacy.title == new.title  # hard-wrapped vs single-line, collapsed the same way
    assert legacy.abstract[:80] == new.abstract[:80]  # (the backends render some LaTeX differently later on)
    assert legacy.doi == new.doi and new.doi
    assert new.link == "https://arxiv.org/abs/2206.06921"


def test_search_page() -> None:
    feed = atom.parse((ATOM / "current_search_testing.xml").read_bytes())
    assert feed.total == 214881 and feed.start == 0 and len(feed.records) == 10


@pytest.mark.parametrize("body", [b"<feed", b"not xml at all", b"<html><body>Retry after 1 seconds</body></html>"])
def test_unusable_bodies_raise(body: bytes) -> None:
    with pytest.raises(atom.FeedError):
        atom.parse(body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1706.03762", ("1706.03762", None)), ("1706.03762v7", ("1706.03762", "v7")),
     ("quant-ph/0201082", ("quant-ph/0201082", None)), ("math.GT/0309136", ("math.GT/0309136", None)),
     ("0704.0001", ("0704.0001", None)), ("1713.00001", None), ("abc", None),
     ("https://arxiv.org/abs/2402.13284", None)],
)
def test_id_parsing(text: str, expected: tuple[str, str | None] | None) -> None:
    assert ids.parse(text) == expected


def test_ids_from_links() -> None:
    assert ids.extract(None, "https://arxiv.org/pdf/1706.03762.pdf") == "1706.03762"
    assert ids.extract(None, "arxiv.org/abs/1406.2661v1") == "1406.2661"
    assert ids.extract("arXiv:1609.03499", None) == "1609.03499"
    assert ids.extract(None, "arxiv.org") is None


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [("kaggle_head50.jsonl", "kaggle-jsonl", 50), ("bulk_sample.jsonl", "oai-dc-jsonl", 688),
     ("oai_dc_getrecord.xml", "oai-xml", 1), ("oai_arxiv_format_20.xml", "oai-xml", 20),
     ("iclr_2021_sample.json", "proceedings-json", 118)],
)
def test_readers(name: str, kind: str, count: int) -> None:
    path = ARXIV / name
    assert detect(path) == kind
    records = list(read(path))
    assert len(records) == count
    assert all(r.title and "\n" not in r.title for r in records)


def test_reader_details() -> None:
    kaggle = {r.arxiv_id: r for r in read(ARXIV / "kaggle_head50.jsonl")}
    first = kaggle["0704.0001"]
    assert first.published == "2007-04-02" and first.authors[0] == "C. Balázs"
    dc = {r.arxiv_id: r for r in read(ARXIV / "bulk_sample.jsonl")}
    gan = dc["1406.2661"]
    assert gan.title == "Generative Adversarial Networks" and gan.authors[0] == "Ian J. Goodfellow"
    assert gan.published == "2014-06-10"
    oai = next(read(ARXIV / "oai_dc_getrecord.xml"))
    assert oai.arxiv_id == "2107.10460" and oai.authors[0] == "Taichi Terashima"
    proceedings = {r.title: r for r in read(ARXIV / "iclr_2021_sample.json")}
    performers = proceedings["Rethinking Attention with Performers"]
    assert performers.arxiv_id is None and performers.venue == "ICLR 2021" and performers.year == 2021


def test_withdrawn_is_detected() -> None:
    (withdrawn,) = read(ARXIV / "kaggle_withdrawn.jsonl")  # 0704.0156, a real withdrawal notice
    assert withdrawn.arxiv_id == "0704.0156" and withdrawn.withdrawn
    assert not any(r.withdrawn for r in read(ARXIV / "kaggle_head50.jsonl"))


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "title": "t"}\n{broken\n')
    with pytest.raises(FormatError) as caught:
        list(read(bad))
    assert caught.value.line == 2
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(FormatError):
        detect(tmp_path / "x.txt")


def test_build_and_query_index(tmp_path: Path) -> None:
    output = tmp_path / "index.sqlite"
    stats = build([ARXIV / "bulk_sample.jsonl", ARXIV / "iclr_2021_sample.json", ARXIV / "kaggle_head50.jsonl"],
                  output)
    assert stats["records"] == 688 + 118 + 50 and stats["arxiv_records"] == 738
    index = SnapshotIndex(output)
    assert index.lookup_ids(["1406.2661", "1706.03762"])["1706.03762"] is None
    assert "1406.2661" in [r.arxiv_id for r in index.search("Generative Adversarial Nets")]
    assert index.search("rethinking attention with performers")[0].venue == "ICLR 2021"
    coverage = index.coverage()
    assert not coverage.complete and coverage.records == 856
    assert not list(tmp_path.glob(".*building"))


def test_failed_build_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n")
    with pytest.raises(SnapshotError):
        build([ARXIV / "kaggle_head50.jsonl", bad], tmp_path / "index.sqlite")
    assert list(tmp_path.iterdir()) == [bad]


def test_opening_a_non_index_fails_clearly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not sqlite")
    with pytest.raises(SnapshotError, match="not a snapshot index"):
        SnapshotIndex(junk)
    with pytest.raises(SnapshotError, match="no snapshot index here"):
        SnapshotIndex(tmp_path / "missing.sqlite")


@pytest.mark.parametrize("text", ["Mon, 2 Apr 2007 19:18:42 GMT", "Tue, 31 Dec 2019 23:59:59 GMT",
                                  "2 Apr 2007 19:18:42 GMT", "Mon, 31 Feb 2007 10:00:00 GMT",
                                  "Mon, 2 Apr 2007 23:30:00 -0700", "Wed, 1 Jan 2020 00:00 +0000", "2007-04-02",
                                  "", "Mon, 2 Foo 2007 10:00:00 GMT"])
def test_arxiv_version_dates_read_as_the_email_parser_reads_them(text: str) -> None:
    """The fast path for arXiv's own date form gives what the general RFC 2822 parser gives (or None)."""
    import email.utils

    from verifier.references.readers import _rfc2822_date

    try:
        expected: str | None = email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError):
        expected = None
    assert _rfc2822_date(text) == expected
