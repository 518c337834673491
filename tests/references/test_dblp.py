"""DBLP's XML dump: the published format (ISO-8859-1, DTD entities, no DTD fetched), streamed in bounded
memory, detected by `verifier index build`, and `--complete` stored with the scope the dump holds."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from verifier.references.interface import Capability
from verifier.references.readers import FormatError, detect, read
from verifier.references.snapshot import SnapshotIndex

pytestmark = pytest.mark.timeout(120)
SAMPLE = DATA / "dblp" / "dblp_sample.xml"


def test_reads_the_dump_as_published() -> None:
    assert SAMPLE.read_bytes().startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert detect(SAMPLE) == "dblp-xml"
    records = list(read(SAMPLE))
    assert [r.title for r in records] == [
        "Long Short-Term Memory", "Deep Residual Learning for Image Recognition", "Generative Adversarial Nets",
        "Attention Is All You Need", "Attention is All you Need",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"]  # `www` skipped
    lstm, resnet, gan, corr, nips, _ = records
    assert lstm.authors == ["Sepp Hochreiter", "Jürgen Schmidhuber"]  # &uuml; from the DTD's entity set
    assert lstm.venue == "Neural Comput." and lstm.published == "1997" and lstm.doi == "10.1162/neco.1997.9.8.1735"
    assert resnet.authors[-1] == "Jian Sun"  # DBLP's homonym number dropped
    assert gan.doi is None and gan.url and gan.url.startswith("https://proceedings.neurips.cc/")
    assert corr.arxiv_id == "1706.03762" and corr.venue == "CoRR" and nips.arxiv_id is None
    assert all(r.origin == "dblp" for r in records)


def test_gzipped_dump_builds_a_complete_index_with_its_scope(tmp_path: Path) -> None:
    dump = tmp_path / "dblp.xml.gz"
    dump.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    index = tmp_path / "dblp.sqlite"
    result = run_cli("index", "build", str(dump), "--complete", "--output", str(index), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 records" in result.stdout and "complete" in result.stdout
    coverage = SnapshotIndex(index).coverage()
    assert coverage.complete and coverage.first == "1997" and coverage.last == "2018"
    assert coverage.venues == {"neurips", "cvpr", "preprint", "name:neural comput"}
    assert coverage.kinds == {"proceedings", "preprint", "other"}
    assert {Capability.DOI, Capability.ARXIV_ID, Capability.TITLE} <= coverage.capabilities
    assert SnapshotIndex(index).lookup_dois(["10.1109/cvpr.2016.90"])["10.1109/cvpr.2016.90"] is not None


def _record(n: int) -> str:
    return (f'<inproceedings mdate="2020-01-01" key="conf/x/A{n}"><author>Ann &Aacute;lvarez {n}</author>'
            f"<author>Bo Chen</author><title>Study number {n} of <i>streaming</i> parsers.</title>"
            f"<year>{2000 + n % 20}</year><booktitle>ICML</booktitle><ee>https://doi.org/10.1000/x.{n}</ee>"
            f"<note>{'long remark ' * 80}</note></inproceedings>\n")


def test_a_large_dump_streams_in_bounded_memory(tmp_path: Path) -> None:
    dump = tmp_path / "big.xml.gz"
    count = 10_000
    with gzip.open(dump, "wb") as handle:
        handle.write(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n')
        for start in range(0, count, 1000):
            handle.write("".join(_record(n) for n in range(start, start + 1000)).encode("iso-8859-1"))
        handle.write(b"</dblp>\n")
    size = len(gzip.decompress(dump.read_bytes()))
    tracemalloc.start()
    seen = 0
    for record in read(dump):
        seen += 1
        assert record.authors[0].startswith("Ann Álvarez")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seen == count and size > 8_000_000
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte dump: records are not released"


def test_a_damaged_dump_is_reported_with_its_line(tmp_path: Path) -> None:
    damaged = tmp_path / "dblp.xml"
    damaged.write_bytes(SAMPLE.read_bytes()[:1500] + b"<title>cut</inproceedings>")
    with pytest.raises(FormatError) as caught:
        list(read(damaged))
    assert caught.value.line is not None and caught.value.line > 1
    result = run_cli("index", "build", str(damaged), "--output", str(tmp_path / "x.sqlite"), cwd=tmp_path)
    assert result.returncode != 0 and "invalid XML" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()
