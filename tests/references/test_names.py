"""Named works: titles that carry the name, abstracts that introduce it, and the curated name table, online
against the loopback arXiv server (whose records are real metadata)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.arxiv_server import ArxivStub, Fault, records_from
from tests.conftest import DATA
from tests.semantic_scholar_server import SemanticScholarStub
from verifier.references import names
from verifier.references.arxiv_api import ArxivIndex
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.http import HttpPolicy
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.records import PaperRecord
from verifier.references.resolver import Resolver
from verifier.references.semantic_scholar import SemanticScholarIndex
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(60)
RECORDS = list(records_from([str(DATA / "arxiv" / name) for name in (
    "named_works_kaggle.jsonl", "named_works_oai_dc.jsonl", "bulk_sample.jsonl")]))
EXPECTED = {"StyleGAN": "1812.04948", "BigGAN": "1809.11096", "GPT-3": "2005.14165", "ELMo": "1802.05365",
            "DALL·E": "2102.12092", "VAE": "1312.6114", "AE-GANs": "1512.09300"}


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(RECORDS) as server:
        yield server


def online(stub: ArxivStub, tmp_path: Path) -> Resolver:
    api = ArxivIndex(stub.url, RateLimiter(0.0), sleep=lambda s: None, policy=RetryPolicy(delays=(0.0, 0.0)))
    return Resolver([CachedIndex(LookupCache(tmp_path / "cache.sqlite"), api)])


@pytest.mark.parametrize(("name", "arxiv_id"), sorted(EXPECTED.items()))
def test_bundled_names_resolve_online_through_the_curated_table(stub: ArxivStub, tmp_path: Path, name: str,
                                                                arxiv_id: str) -> None:
    result = online(stub, tmp_path).resolve(Reference(name=name), None)
    assert result.status is Status.CONFIRMED, result.summary
    assert result.record is not None and result.record.arxiv_id == arxiv_id and result.record.origin == "arxiv-api"
    curated = result.evidence().curated
    assert curated is not None
    assert curated.arxiv_id == arxiv_id and curated.table == "data/names.yaml (curated)" and curated.source
    assert any("curated mapping" in note for note in result.notes)
    asked = [dict(q) for q in stub.state.log]
    assert {"id_list": [arxiv_id]} in [{k: v for k, v in q.items() if k == "id_list"} for q in asked]


def test_a_title_carrying_the_name_comes_before_the_table(stub: ArxivStub, tmp_path: Path) -> None:
    result = online(stub, tmp_path).resolve(Reference(name="WaveNet"), None)
    assert result.status is Status.CONFIRMED and result.record is not None
    assert result.record.arxiv_id == "1609.03499" and result.evidence().curated is None


def test_an_outage_is_unreachable_not_a_guess(stub: ArxivStub, tmp_path: Path) -> None:
    stub.fault(*[Fault("status", 503)] * 20)
    result = online(stub, tmp_path).resolve(Reference(name="StyleGAN"), None)
    assert result.status is Status.UNREACHABLE and result.record is None


def test_a_row_whose_paper_has_another_title_is_not_used(stub: ArxivStub, tmp_path: Path) -> None:
    table = names.NameTable([names.NameRow("StyleGAN", "1812.04948", "Some Other Title", "a wrong row")])
    api = ArxivIndex(stub.url, RateLimiter(0.0), sleep=lambda s: None)
    resolver = Resolver([CachedIndex(LookupCache(tmp_path / "c.sqlite"), api)], name_table=table)
    result = resolver.resolve(Reference(name="StyleGAN"), None)
    assert result.status is Status.UNVERIFIABLE
    assert any("the row is not used" in note for note in result.notes)


def test_abstracts_that_introduce_a_name() -> None:
    wavenet = next(r for r in RECORDS if r.arxiv_id == "1609.03499").abstract
    assert wavenet.startswith("This paper introduces WaveNet, a deep neural network")
    assert names.introduces(wavenet, "WaveNet")
    assert names.introduces("We call this model the Skip-Former, and show ...", "Skip-Former")
    assert names.introduces("Our model, dubbed FooNet, reaches ...", "FooNet")
    assert names.introduces("We propose speech flow networks (SpeechFlows), a family of ...", "SpeechFlows")
    assert not names.introduces("We propose novel methods of conditioning generative adversarial networks (GANs) "
                                "that ...", "GAN")
    assert names.introduces("Results. FooNet is a new architecture for ...", "FooNet")
    assert not names.introduces("We fine-tune BERT, a pre-trained language model, on ...", "GPT-3")
    assert not names.introduces("Bidirectional Encoder Representations from Transformers (BERT) is strong; we "
                                "study it.", "BERT")
    assert not names.introduces("We use WaveNet, a popular vocoder, to synthesise speech.", "WaveNet")


def test_the_table_is_checked_when_loaded(tmp_path: Path) -> None:
    assert names.bundled().find("AE-GANs") is not None and names.bundled().find("dall-e") is not None
    assert all(row.source and row.title and row.arxiv_id for row in names.bundled().rows)
    bad = tmp_path / "names.yaml"
    bad.write_text("- name: X\n  arxiv_id: '1234.5678'\n  title: T\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 1 lacks source"):
        names.load(bad)


def _work(record: PaperRecord) -> dict[str, Any]:
    """The same real record as the loopback Semantic Scholar serves works (`tests/semantic_scholar_server.py`)."""
    return {"title": record.title, "authors": record.authors, "year": record.year, "arxiv_id": record.arxiv_id,
            "doi": record.doi, "abstract": record.abstract, "venue": "arXiv", "kind": "preprint"}


@pytest.mark.parametrize(("name", "arxiv_id"), sorted(EXPECTED.items()))
def test_bundled_names_resolve_against_semantic_scholar_alone(tmp_path: Path, name: str, arxiv_id: str) -> None:
    """With Semantic Scholar as the only index (its batch look-up by `ARXIV:` id confirms the table's row)."""
    with SemanticScholarStub([_work(r) for r in RECORDS]) as stub:
        index = SemanticScholarIndex(stub.url, limiter=RateLimiter(0.0), policy=HttpPolicy(min_interval=0.0),
                                     sleep=lambda s: None)
        result = Resolver([index]).resolve(Reference(name=name), None)
        index.close()
    assert result.status is Status.CONFIRMED, result.summary
    assert result.record is not None and result.record.arxiv_id == arxiv_id
    curated = result.evidence().curated
    assert curated is not None and curated.arxiv_id == arxiv_id
