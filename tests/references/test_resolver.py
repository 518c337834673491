"""Verdicts for references, offline (snapshot) and online (loopback arXiv), with their evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivStub, Fault, records_from
from tests.conftest import DATA, run_cli
from verifier.references.arxiv_api import ArxivIndex
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.resolver import Resolver
from verifier.references.snapshot import SnapshotIndex, build
from verifier.registry.models import Reference
from verifier.verdicts import Status

pytestmark = pytest.mark.timeout(60)
SAMPLE = [DATA / "arxiv" / "bulk_sample.jsonl", DATA / "arxiv" / "iclr_2021_sample.json"]
RECORDS = list(records_from([str(p) for p in SAMPLE[:1]]))
KAGGLE = list(records_from([str(DATA / "arxiv" / "kaggle_head50.jsonl")]))  # on the stub, not in the snapshot
GAN_SUMMARY = ("a framework for estimating generative models via an adversarial process in which a generator "
               "and a discriminator are trained simultaneously in a minimax two-player game")
WAVENET_SUMMARY = ("a deep neural network for generating raw audio waveforms, fully probabilistic and "
                   "autoregressive, applied to text-to-speech and music")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> SnapshotIndex:
    path = tmp_path_factory.mktemp("snap") / "index.sqlite"
    build(SAMPLE, path)
    return SnapshotIndex(path)


@pytest.fixture
def offline(snapshot: SnapshotIndex, tmp_path: Path) -> Resolver:
    return Resolver([snapshot, CachedIndex(LookupCache(tmp_path / "cache.sqlite"), None)], snapshot)


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(RECORDS + KAGGLE) as server:
        yield server


def online(stub: ArxivStub, snapshot: SnapshotIndex | None, tmp_path: Path, **options: object) -> Resolver:
    limiter = RateLimiter(0.0)
    api = ArxivIndex(stub.url, limiter, sleep=lambda s: None, **options)  # type: ignore[arg-type]
    live = CachedIndex(LookupCache(tmp_path / "cache.sqlite"), api)
    return Resolver([snapshot, live] if snapshot else [live], snapshot)


def test_confirmed_from_the_snapshot(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Generative adversarial networks", authors=["Ian Goodfellow", "et al."],
                                       year=2014), GAN_SUMMARY)
    assert result.status is Status.CONFIRMED
    assert result.record is not None and result.record.arxiv_id == "1406.2661"
    evidence = result.evidence()
    assert evidence.consulted == ["snapshot"] and evidence.failed == []
    assert evidence.record is not None and evidence.record.link == "https://arxiv.org/abs/1406.2661"
    assert evidence.summary_check is not None and evidence.summary_check.verdict == "fits the cited paper"
    assert (evidence.candidates[0].score.title or 0) >= 0.93
    assert evidence.indexes[0].index == "snapshot" and evidence.indexes[0].answered


def test_a_changed_word_is_a_mismatch_that_names_the_paper(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Generative Adversarial Nets", authors=["Ian Goodfellow", "et al."],
                                       year=2014), None)
    assert result.status is Status.MISMATCH and result.record is not None and result.record.arxiv_id == "1406.2661"
    assert result.differences == ["title: cited as 'Generative Adversarial Nets', the record says 'Generative "
                                  "Adversarial Networks' ('networks' -> 'nets')"]


def test_wrong_details_are_a_mismatch(offline: Resolver) -> None:
    year = offline.resolve(Reference(title="Generative Adversarial Networks", year=2017), None)
    assert year.status is Status.MISMATCH and "year: cited as 2017" in year.summary
    cited = Reference(title="Generative Adversarial Networks", authors=["Yann LeCun", "Ian Goodfellow"])
    authors = offline.resolve(cited, None)
    assert authors.status is Status.MISMATCH and "not among the record's: Yann LeCun" in authors.summary


def test_id_pointing_at_another_paper(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Attention Is All You Need", arxiv_id="1406.2661"), None)
    assert result.status is Status.MISMATCH
    assert "arXiv id 1406.2661 belongs to another paper: 'Generative Adversarial Networks'" in result.summary


def test_proceedings_record(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Rethinking attention with performers", year=2021), None)
    assert result.status is Status.CONFIRMED and result.record is not None
    assert result.record.venue == "ICLR 2021" and result.record.origin == "proceedings:iclr_2021_sample"


def test_summary_of_another_paper_is_misattributed(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Generative Adversarial Networks", year=2014), WAVENET_SUMMARY)
    assert result.status is Status.MISATTRIBUTED
    check = result.summary_check
    assert check is not None and check.others[0].arxiv_id == "1609.03499"
    assert check.others[0].similarity > 1.5 * check.cited_similarity


def test_summary_that_fits_nothing_is_misattributed(offline: Resolver) -> None:
    result = offline.resolve(Reference(title="Generative Adversarial Networks"),
                             "a recipe for sourdough bread with rye flour and a long cold fermentation")
    assert result.status is Status.MISATTRIBUTED and "does not fit" in result.summary


def test_outside_the_snapshot_offline_is_unverifiable(offline: Resolver) -> None:
    result = offline.resolve(Reference(url="https://arxiv.org/pdf/1706.03762.pdf"), None)
    assert result.status is Status.UNVERIFIABLE
    assert result.summary.startswith("arXiv id 1706.03762 is not in snapshot (offline, partial")
    assert "no online index was consulted" in result.summary


def test_complete_snapshot_makes_absence_evidence(tmp_path: Path) -> None:
    path = tmp_path / "complete.sqlite"
    build(SAMPLE[:1], path, complete=True)
    index = SnapshotIndex(path)
    result = Resolver([index], index).resolve(Reference(arxiv_id="1406.99999"), None)
    assert result.status is Status.NOT_FOUND


def test_fabricated_arxiv_paper_is_not_found_online(stub: ArxivStub, tmp_path: Path) -> None:
    resolver = online(stub, None, tmp_path)
    result = resolver.resolve(Reference(title="Learning Numerical Integration Rules via Attention", url="arxiv.org"),
                              None)
    assert result.status is Status.NOT_FOUND
    assert result.evidence().consulted == ["cache+arxiv-api"]
    missing = resolver.resolve(Reference(arxiv_id="1406.99999"), None)
    assert missing.status is Status.NOT_FOUND and "arXiv has no paper 1406.99999" in missing.summary


def test_reference_not_claimed_on_arxiv_is_unverifiable(stub: ArxivStub, tmp_path: Path) -> None:
    result = online(stub, None, tmp_path).resolve(
        Reference(title="On the Dangers of Stochastic Parrots", authors=["Emily M. Bender"]), None)
    assert result.status is Status.UNVERIFIABLE
    assert "no index consulted covers it (no venue given, no year)" in result.summary


def test_outage_is_unreachable_never_not_found(stub: ArxivStub, tmp_path: Path) -> None:
    stub.fault(*[Fault("status", 503)] * 20)
    resolver = online(stub, None, tmp_path, policy=RetryPolicy(delays=(0.0, 0.0)))
    result = resolver.resolve(Reference(title="Learning Numerical Integration Rules via Attention", url="arxiv.org"),
                              None)
    assert result.status is Status.UNREACHABLE
    assert result.evidence().failed[0].index == "cache+arxiv-api"


def test_snapshot_answers_first_then_the_cache_spares_requests(stub: ArxivStub, snapshot: SnapshotIndex,
                                                                tmp_path: Path) -> None:
    resolver = online(stub, snapshot, tmp_path)
    assert resolver.resolve(Reference(title="Generative Adversarial Networks"), None).status is Status.CONFIRMED
    assert stub.state.log == []  # the snapshot answered
    record = KAGGLE[3]
    first = resolver.resolve(Reference(arxiv_id=record.arxiv_id, title=record.title), None)
    assert first.status is Status.CONFIRMED and first.record is not None and first.record.origin == "arxiv-api"
    assert len(stub.state.log) == 1
    again = online(stub, snapshot, tmp_path)  # a new run: same cache file
    second = again.resolve(Reference(arxiv_id=record.arxiv_id, title=record.title), None)
    assert second.status is Status.CONFIRMED and second.consulted == ["snapshot", "cache+arxiv-api"]
    assert len(stub.state.log) == 1


def test_named_model_resolves_to_the_paper_titled_after_it(offline: Resolver) -> None:
    result = offline.resolve(Reference(name="WaveNet"), WAVENET_SUMMARY)
    assert result.status is Status.CONFIRMED
    assert result.record is not None and result.record.arxiv_id == "1609.03499"
    assert any("earliest paper titled after it" in note for note in result.notes)
    assert result.summary_check is not None and result.summary_check.verdict == "fits the cited paper"


def test_named_model_with_a_wrong_summary_is_misattributed(offline: Resolver) -> None:
    result = offline.resolve(Reference(name="WaveNet"), GAN_SUMMARY)
    assert result.status is Status.MISATTRIBUTED and "1406.2661" in str(result.evidence().summary_check)


def test_name_only_mentioned_in_titles_stays_unverifiable(offline: Resolver) -> None:
    result = offline.resolve(Reference(name="Generative Adversarial"), None)
    assert result.status is Status.UNVERIFIABLE and result.record is None
    assert "gives no title; no paper is titled after it or introduces it in snapshot (offline" in result.summary
    assert any("'Conditional Generative Adversarial Nets' (2014)" in note for note in result.notes)


def test_name_introduced_by_an_abstract(offline: Resolver) -> None:
    result = offline.resolve(Reference(name="Performers"), None)  # "We introduce Performers, Transformer ..."
    assert result.status is Status.CONFIRMED and result.record is not None
    assert result.record.title == "Rethinking Attention with Performers"
    assert any("abstract introduces it" in note for note in result.notes)
    assert offline.resolve(Reference(name="GAN"), None).record is None  # abstracts only define the acronym


def test_named_model_through_the_live_api(stub: ArxivStub, tmp_path: Path) -> None:
    resolver = online(stub, None, tmp_path)
    result = resolver.resolve(Reference(name="WaveNet", year=2016), None)
    assert result.status is Status.CONFIRMED
    assert result.record is not None and result.record.arxiv_id == "1609.03499"
    assert result.evidence().consulted == ["cache+arxiv-api"]
    (request,) = stub.state.log
    assert request["search_query"] == ['ti:"wavenet"']
    assert request["sortBy"] == ["submittedDate"] and request["sortOrder"] == ["ascending"]
    again = resolver.resolve(Reference(name="WaveNet"), None)
    assert again.status is Status.CONFIRMED and len(stub.state.log) == 1  # answered by the cache


def test_snapshot_lists_titles_carrying_a_name_oldest_first(snapshot: SnapshotIndex) -> None:
    records = snapshot.search_name("Generative Adversarial")
    assert len(records) >= 2
    dates = [r.published or "" for r in records]
    assert dates == sorted(dates)
    assert all("generative adversarial" in f"{r.title} {r.abstract}".lower().replace("\n", " ") for r in records)
    assert snapshot.search_name("") == []


def test_resolve_command_takes_a_name(tmp_path: Path) -> None:
    index = tmp_path / "snapshot.sqlite"
    build(SAMPLE, index)
    result = run_cli("resolve", "--name", "WaveNet", "--offline", "--snapshot", str(index), "--format", "json",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "confirmed" and answer["record"]["arxiv_id"] == "1609.03499"
    table = run_cli("resolve", "--name", "WaveNet", "--offline", "--snapshot", str(index), cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith("confirmed: 'WaveNet: A Generative Model for Raw Audio', 1609.03499")
    assert "note: the source gives the name 'WaveNet', no title" in table.stdout


def test_reference_with_only_a_link_says_what_it_has(offline: Resolver) -> None:
    result = offline.resolve(Reference(url="https://www.youtube.com/watch?v=4Bdc55j80l8", year=2020), None)
    assert result.status is Status.UNVERIFIABLE and result.record is None
    assert result.summary == ("nothing to look up: the source gives no title, name, DOI or arXiv id (only link "
                              "https://www.youtube.com/watch?v=4Bdc55j80l8, year 2020)")
