"""What each index's protocol adds: dblp's author objects and paging, Semantic Scholar's batch, match and
bulk search, OpenReview's v2 content objects, OpenAlex's key and inverted abstracts; the cascade's index
selection and skipped indexes; the cache's per-index keys and DOI answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, run_cli
from tests.dblp_server import DblpStub
from tests.http_stub import Fault, load_works
from tests.openalex_server import OpenAlexStub
from tests.openreview_server import OpenReviewStub
from tests.semantic_scholar_server import SemanticScholarStub
from verifier.errors import ServiceError, UsageError
from verifier.references import cascade
from verifier.references.cache import CachedIndex, LookupCache
from verifier.references.dblp import DblpIndex
from verifier.references.http import HttpPolicy
from verifier.references.ids import arxiv_id_from_doi, normalize_doi
from verifier.references.limiter import RateLimiter, RetryPolicy
from verifier.references.openalex import OpenAlexIndex
from verifier.references.openreview import OpenReviewIndex
from verifier.references.semantic_scholar import SemanticScholarIndex

pytestmark = pytest.mark.timeout(120)
WORKS = load_works(str(DATA / "indexes" / "works.jsonl"))
FAST = HttpPolicy(min_interval=0.0, retry=RetryPolicy(delays=(0.05, 0.05), jitter=0.0), read_timeout=2.0)
ONE_AUTHOR = next(w for w in WORKS if len(w["authors"]) == 1)
PREPRINT = next(w for w in WORKS if w.get("arxiv_id"))
WITH_DOI = next(w for w in WORKS if w.get("doi"))


@pytest.fixture
def dblp() -> Iterator[tuple[DblpStub, DblpIndex]]:
    with DblpStub(WORKS) as stub:
        yield stub, DblpIndex(stub.url, RateLimiter(0.0), policy=FAST)


def test_dblp_reads_one_author_objects_full_stops_and_corr_links(dblp: tuple[DblpStub, DblpIndex]) -> None:
    stub, index = dblp
    single = index.search(ONE_AUTHOR["title"])
    assert single and single[0].authors == ONE_AUTHOR["authors"] and not single[0].title.endswith(".")
    preprint = index.search(PREPRINT["title"])
    assert preprint[0].arxiv_id == PREPRINT["arxiv_id"] and "Informal" in (preprint[0].comment or "")
    assert stub.log[0].arg("format") == "json" and stub.log[0].path == "/search/publ/api"


def test_dblp_changed_word_still_brings_the_paper_back(dblp: tuple[DblpStub, DblpIndex]) -> None:
    """All words must match in dblp; the second query (any of the words, ranked) finds the near-miss's original."""
    stub, index = dblp
    near_miss = WITH_DOI["title"].replace("Synthesis", "Generation")
    found = index.search(near_miss)
    assert found and found[0].title == WITH_DOI["title"].rstrip(".")
    assert len(stub.log) == 2


def test_dblp_pages_with_h_and_f(dblp: tuple[DblpStub, DblpIndex]) -> None:
    stub, index = dblp
    found = index.query("learning", limit=25)
    everything = index.query("learning", limit=1000)
    assert len(found) == 25 and len(everything) > 25
    small = DblpIndex(stub.url, RateLimiter(0.0), policy=FAST, rows=10)
    stub.log.clear()
    paged = small.query("learning", limit=25)
    assert [r.title for r in paged] == [r.title for r in found]


@pytest.fixture
def s2() -> Iterator[tuple[SemanticScholarStub, SemanticScholarIndex]]:
    with SemanticScholarStub(WORKS, key="good-key") as stub:
        yield stub, SemanticScholarIndex(stub.url, api_key="good-key", limiter=RateLimiter(0.0), policy=FAST)


def test_s2_batch_by_arxiv_id_and_doi(s2: tuple[SemanticScholarStub, SemanticScholarIndex]) -> None:
    stub, index = s2
    by_id = index.lookup_ids([PREPRINT["arxiv_id"], "2401.99999"])
    assert by_id[PREPRINT["arxiv_id"]] is not None and by_id["2401.99999"] is None
    arxiv_doi = f"https://doi.org/10.48550/arXiv.{PREPRINT['arxiv_id']}"
    by_doi = index.lookup_dois([WITH_DOI["doi"], arxiv_doi, "10.9999/not.there"])
    assert by_doi[WITH_DOI["doi"]].title == WITH_DOI["title"]  # type: ignore[union-attr]
    assert by_doi[arxiv_doi].arxiv_id == PREPRINT["arxiv_id"]  # type: ignore[union-attr]
    assert by_doi["10.9999/not.there"] is None
    sent = stub.log[-1]
    assert sent.method == "POST" and sent.body["ids"][1] == f"ARXIV:{PREPRINT['arxiv_id']}"
    assert sent.headers["x-api-key"] == "good-key" and "externalIds" in sent.arg("fields")


def test_s2_title_match_then_search_for_candidates(s2: tuple[SemanticScholarStub, SemanticScholarIndex]) -> None:
    stub, index = s2
    assert index.search(WITH_DOI["title"])[0].doi == WITH_DOI["doi"]
    assert [r.path for r in stub.log] == ["/graph/v1/paper/search/match"]
    stub.log.clear()
    candidates = index.search("Scene-aware Motion Fabricated Words Entirely Here")
    assert [r.path for r in stub.log] == ["/graph/v1/paper/search/match", "/graph/v1/paper/search"]
    assert WITH_DOI["title"] in [c.title for c in candidates]


def test_s2_names_oldest_first(s2: tuple[SemanticScholarStub, SemanticScholarIndex]) -> None:
    stub, index = s2
    found = index.search_name("Learning")
    assert found and [r.published for r in found] == sorted(r.published or "" for r in found)
    assert stub.log[0].arg("sort") == "publicationDate:asc" and stub.log[0].arg("query") == '"Learning"'


def test_s2_wrong_key_is_refused(s2: tuple[SemanticScholarStub, SemanticScholarIndex]) -> None:
    stub, _ = s2
    wrong = SemanticScholarIndex(stub.url, api_key="bad", limiter=RateLimiter(0.0), policy=FAST)
    with pytest.raises(ServiceError, match=r"HTTP 403.*API key"):
        wrong.search(WITH_DOI["title"])
    assert wrong.requests == 1


def test_openreview_v2_content_exact_title_then_search() -> None:
    iclr = next(w for w in WORKS if str(w.get("venue")).startswith("ICLR") and w["abstract"])
    with OpenReviewStub(WORKS) as stub:
        index = OpenReviewIndex(stub.url, RateLimiter(0.0), policy=FAST)
        exact = index.search(iclr["title"])
        assert exact[0].title == iclr["title"] and exact[0].authors == iclr["authors"]
        assert exact[0].venue == f"ICLR {iclr['year']} poster" and "accepted" in (exact[0].comment or "")
        assert exact[0].abstract and exact[0].year == iclr["year"] and len(stub.log) == 1
        changed = index.search(iclr["title"] + " Revisited")
        assert changed[0].title == iclr["title"]
        assert [r.path for r in stub.log] == ["/notes", "/notes", "/notes/search"]


def test_openalex_key_abstract_and_doi() -> None:
    with OpenAlexStub(WORKS, key="k1") as stub:
        index = OpenAlexIndex("k1", stub.url, RateLimiter(0.0), policy=FAST)
        hit = index.search(PREPRINT["title"])[0]
        assert hit.abstract.split()[:5] == PREPRINT["abstract"].split()[:5] and hit.arxiv_id == PREPRINT["arxiv_id"]
        assert index.lookup_dois([WITH_DOI["doi"]])[WITH_DOI["doi"]].title == WITH_DOI["title"]  # type: ignore[union-attr]
        assert index.lookup_dois(["10.9999/none"]) == {"10.9999/none": None}
        assert all(r.arg("api_key") == "k1" for r in stub.log)
        with pytest.raises(ServiceError, match=r"HTTP 401.*API key"):
            OpenAlexIndex("wrong", stub.url, RateLimiter(0.0), policy=FAST).search(PREPRINT["title"])


def test_selection_and_openalex_skipped_without_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cascade.parse_selection("dblp, crossref") == ("crossref", "dblp")
    assert cascade.parse_selection("none") == () and cascade.parse_selection(None) == cascade.NAMES
    with pytest.raises(UsageError, match="unknown index scholar"):
        cascade.parse_selection("dblp,scholar")
    cache = LookupCache(tmp_path / "cache.sqlite")
    closers: list[object] = []
    built = cascade.build_others(("dblp", "openalex"), cache, None, offline=False, fresh=False,
                                 closers=closers)  # type: ignore[arg-type]
    assert [i.name for i in built] == ["cache+dblp", "openalex"]
    skipped = built[1].coverage()
    assert skipped.skipped == "no OPENALEX_API_KEY in the environment" and not skipped.capabilities
    assert built[1].search("anything") is None
    monkeypatch.setenv("OPENALEX_API_KEY", "k")
    keyed = cascade.build_others(("openalex",), cache, None, offline=False, fresh=False, closers=closers)  # type: ignore[arg-type]
    assert keyed[0].name == "cache+openalex"


def test_cli_rejects_an_unknown_index(tmp_path: Path) -> None:
    result = run_cli("resolve", "--title", "Anything", "--index", "arxiv,scholar", cwd=tmp_path,
                     env={"VERIFIER_HOME": str(tmp_path / "home")})
    assert result.returncode == 2 and "unknown index scholar" in result.stderr


def test_cache_keeps_each_index_apart_and_caches_dois(tmp_path: Path) -> None:
    with SemanticScholarStub(WORKS) as stub:
        cache = LookupCache(tmp_path / "cache.sqlite")
        live = CachedIndex(cache, SemanticScholarIndex(stub.url, limiter=RateLimiter(0.0), policy=FAST))
        first = live.lookup_dois([WITH_DOI["doi"], "10.9999/absent"])
        again = live.lookup_dois([WITH_DOI["doi"].upper(), "10.9999/absent"])
        assert len(stub.log) == 1 and live.hits == 2  # the second look-up (any case) asked nothing
        assert first[WITH_DOI["doi"]] == again[WITH_DOI["doi"].upper()] and again["10.9999/absent"] is None
        offline = CachedIndex(cache, None, source="semantic-scholar", offline_coverage=live.coverage())
        assert offline.lookup_dois([WITH_DOI["doi"]])[WITH_DOI["doi"]] is not None
        assert not offline.coverage().online and "kept in the cache" in offline.coverage().description
        assert CachedIndex(cache, None, source="dblp").lookup_dois([WITH_DOI["doi"]]) == {}  # not dblp's answer
        assert CachedIndex(cache, None).lookup_ids(["1706.03762"]) == {}  # nor arXiv's


def test_doi_forms_and_arxiv_dois() -> None:
    assert normalize_doi("https://doi.org/10.1109/CVPR.2016.90") == "10.1109/cvpr.2016.90"
    assert normalize_doi("doi: 10.1000/xyz.") == "10.1000/xyz" and normalize_doi("not a doi") is None
    assert arxiv_id_from_doi("10.48550/arXiv.1706.03762") == "1706.03762"
    assert arxiv_id_from_doi("10.48550/arXiv.math.GT/0309136") == "math.GT/0309136"
    assert arxiv_id_from_doi("10.1109/CVPR.2016.90") is None and arxiv_id_from_doi("10.48550/arXiv.99") is None


def test_cli_resolve_asks_the_cascade_on_loopback_servers(tmp_path: Path) -> None:
    """`verifier resolve` in a real subprocess, every index pointed at its loopback server by its variable:
    a NeurIPS paper that arXiv lacks is found further down the cascade; with dblp down it is unreachable."""
    from tests.arxiv_server import ArxivStub
    from tests.crossref_server import CrossrefStub

    neurips = next(w for w in WORKS if w.get("venue") == "NeurIPS" and not w.get("doi"))
    with ArxivStub([]) as arxiv, CrossrefStub(WORKS) as crossref, DblpStub(WORKS) as dblp, \
            SemanticScholarStub(WORKS) as s2, OpenReviewStub(WORKS) as openreview:
        env = {"VERIFIER_HOME": str(tmp_path / "home"), "VERIFIER_SNAPSHOT": str(tmp_path / "none.sqlite"),
               "VERIFIER_ARXIV_URL": arxiv.url, "VERIFIER_ARXIV_MIN_INTERVAL": "0",
               "VERIFIER_CROSSREF_URL": crossref.url, "VERIFIER_DBLP_URL": dblp.url,
               "VERIFIER_SEMANTIC_SCHOLAR_URL": s2.url, "VERIFIER_OPENREVIEW_URL": openreview.url}
        env |= {f"VERIFIER_{name}_MIN_INTERVAL": "0" for name in ("CROSSREF", "DBLP", "SEMANTIC_SCHOLAR", "OPENREVIEW")}
        found = run_cli("resolve", "--title", neurips["title"], "--authors", "; ".join(neurips["authors"]),
                        "--year", str(neurips["year"]), "--format", "json", cwd=tmp_path, env=env)
        assert found.returncode == 0, found.stderr
        answer = json.loads(found.stdout)
        assert answer["status"] == "confirmed" and answer["record"]["origin"] == "dblp"
        assert answer["consulted"][:2] == ["cache+arxiv-api", "cache+dblp"]
        assert dblp.log and dblp.log[0].headers["user-agent"].startswith("verifier/")
        assert not s2.log and not openreview.log  # the cascade stopped at the first index that had it
        dblp.always = Fault("status", 503)
        other = run_cli("resolve", "--title", "Entirely Fabricated Study Of Nothing", "--format", "json",
                        "--index", "arxiv,dblp", cwd=tmp_path, env=env)
        assert other.returncode == 0, other.stderr
        down = json.loads(other.stdout)
        assert down["status"] == "unreachable" and [f["index"] for f in down["failed"]] == ["cache+dblp"]


def test_offline_each_index_answers_from_its_cached_answers(tmp_path: Path) -> None:
    """An online run keeps dblp's answers; offline, the cascade asks the cache for them and no server."""
    cache = LookupCache(tmp_path / "cache.sqlite")
    with DblpStub(WORKS) as stub:
        online = CachedIndex(cache, DblpIndex(stub.url, RateLimiter(0.0), policy=FAST))
        assert online.search(WITH_DOI["title"])
        asked = len(stub.log)
        closers: list[object] = []
        offline = cascade.build_others(("dblp",), cache, None, offline=True, fresh=False,
                                       closers=closers)  # type: ignore[arg-type]
        assert closers == [] and offline[0].name == "cache:dblp" and not offline[0].coverage().online
        assert offline[0].search(WITH_DOI["title"])[0].origin == "dblp"  # type: ignore[index]
        assert offline[0].search("A Title Never Asked Online") is None  # cannot say, not "absent"
        assert len(stub.log) == asked
