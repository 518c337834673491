"""Figure: arXiv requests made by `verifier audit` for N citation claims that carry arXiv ids
(target <= N/50 + 1), and by a second audit of the same registry (target 0). Second figure: requests per
reference and per index when the whole online cascade (arXiv, Crossref, dblp, Semantic Scholar, OpenReview,
OpenAlex with a key) answers from the loopback servers of the test suite, for real titles, near-miss
titles, fabricated (chimeric) titles and DOIs, through the same index assembly as the audit (`references/indexes.py`).

A temporary project holds N = 500 claims citing real records by arXiv id (the ids come from the shipped
metadata); the loopback arXiv server of the test suite serves those records; the audit runs as a real
subprocess with `VERIFIER_ARXIV_URL` pointing at it and no snapshot, so every id goes to the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.arxiv_server import ArxivStub, records_from  # noqa: E402

N = 500


def project(root: Path, records: list) -> None:  # type: ignore[type-arg]
    claims = root / "claims"
    (claims / "sources").mkdir(parents=True)
    (root / "reproductions").mkdir()
    (claims / "sources" / "refs.txt").write_text("A reference list.\n")
    (claims / "sources.yaml").write_text("- slug: refs\n  file: refs.txt\n  title: refs\n  kind: other\n"
                                         "  language: en\n  origin: generated\n")
    lines = []
    for n, record in enumerate(records):
        lines.append(f"- id: ref-{n}\n  source: refs\n  kind: citation\n  quote: A reference list.\n"
                     f"  statement: s\n  reference: {{arxiv_id: '{record.arxiv_id}'}}\n")
    (claims / "refs.yaml").write_text("".join(lines))


def audit(root: Path, url: str) -> float:
    env = {**os.environ, "VERIFIER_ARXIV_URL": url, "VERIFIER_ARXIV_MIN_INTERVAL": "0",
           "VERIFIER_SNAPSHOT": str(root / "no-snapshot.sqlite"), "VERIFIER_INDEXES": "arxiv"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "verifier", "audit", "--format", "json"], cwd=root, env=env,
                            capture_output=True, text=True, check=True)
    statuses = {r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses == {"confirmed"}, statuses
    return time.perf_counter() - start


def cascade_requests() -> dict[str, dict[str, float]]:
    """Mean requests per reference, per kind of reference and per index, all indexes on loopback servers."""
    from tests.crossref_server import CrossrefStub
    from tests.dblp_server import DblpStub
    from tests.http_stub import load_works
    from tests.openalex_server import OpenAlexStub
    from tests.openreview_server import OpenReviewStub
    from tests.semantic_scholar_server import SemanticScholarStub
    from verifier.config import ReferenceConfig, load_settings
    from verifier.references.indexes import build_resolver
    from verifier.references.records import PaperRecord
    from verifier.registry.models import Reference

    works = load_works(str(ROOT / "tests" / "data" / "indexes" / "works.jsonl"))
    preprints = [PaperRecord(arxiv_id=w["arxiv_id"], title=w["title"], authors=w["authors"], abstract=w["abstract"],
                             published=f"{w['year']}-01-01", origin="arxiv-api") for w in works if w.get("arxiv_id")]
    published = [w for w in works if not w.get("arxiv_id")]
    kinds = {
        "real title": [Reference(title=w["title"], authors=w["authors"], year=w["year"]) for w in published[:20]],
        "near-miss title": [Reference(title=w["title"] + " Revisited", authors=w["authors"], year=w["year"])
                            for w in published[20:40]],
        "fabricated title": [Reference(title=" ".join(a["title"].split()[:3] + b["title"].split()[-3:]),
                                       authors=a["authors"][:2], year=a["year"])
                             for a, b in zip(published[40:60], published[60:80], strict=False)],
        "doi": [Reference(doi=w["doi"], title=w["title"]) for w in works if w.get("doi")][:10],
    }
    stubs = {"crossref": CrossrefStub(works), "dblp": DblpStub(works), "semantic-scholar": SemanticScholarStub(works),
             "openreview": OpenReviewStub(works), "openalex": OpenAlexStub(works, key="bench")}
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, ArxivStub(preprints) as arxiv:
        for stub in stubs.values():
            stub.__enter__()
        saved = dict(os.environ)
        os.environ.update({"VERIFIER_ARXIV_URL": arxiv.url, "VERIFIER_ARXIV_MIN_INTERVAL": "0",
                           "VERIFIER_HOME": str(Path(tmp) / "home"), "VERIFIER_SNAPSHOT": str(Path(tmp) / "none"),
                           "OPENALEX_API_KEY": "bench", "VERIFIER_INDEXES": "all"})
        for name, stub in stubs.items():
            variable = name.upper().replace("-", "_")
            os.environ[f"VERIFIER_{variable}_URL"] = stub.url
            os.environ[f"VERIFIER_{variable}_MIN_INTERVAL"] = "0"
        try:
            closers: list = []  # type: ignore[type-arg]
            resolver = build_resolver(load_settings(Path(tmp)), ReferenceConfig(fresh=True), closers).resolver
            logs = {"arxiv": arxiv.state.log, **{name: stub.log for name, stub in stubs.items()}}
            for kind, references in kinds.items():
                before = {name: len(log) for name, log in logs.items()}
                statuses = [resolver.resolve(reference, None).status.value for reference in references]
                figures[kind] = {name: (len(log) - before[name]) / len(references) for name, log in logs.items()}
                figures[kind]["total"] = sum(figures[kind].values())
                figures[kind]["statuses"] = statuses  # type: ignore[assignment]
            for close in closers:
                close()
        finally:
            os.environ.clear()
            os.environ.update(saved)
            for stub in stubs.values():
                stub.__exit__()
    return figures


def hanging(references: int = 20, seconds: float = 1.0) -> tuple[float, int]:
    """Wall time and requests for `references` id look-ups against an arXiv that accepts and never answers,
    with the arXiv policy but `seconds` as the read timeout and request deadline (the default is 20 s)."""
    import contextlib
    import dataclasses

    from tests.http_stub import Answer, Fault, StubServer
    from verifier.errors import ServiceError
    from verifier.references.arxiv_api import ARXIV_POLICY, ArxivIndex
    from verifier.references.limiter import RateLimiter

    policy = dataclasses.replace(ARXIV_POLICY, min_interval=0.0, read_timeout=seconds, request_deadline=seconds)
    with StubServer(lambda request: Answer(200, {})) as stub:
        stub.always = Fault("hang", seconds=600)
        index = ArxivIndex(f"{stub.url}/api/query", RateLimiter(0.0), policy=policy)
        start = time.perf_counter()
        for n in range(references):
            with contextlib.suppress(ServiceError):
                index.lookup_ids([f"1406.{2661 + n}"])
        return time.perf_counter() - start, index.requests


def main() -> int:
    spent, asked = hanging()
    print(f"hanging arXiv: 20 references in {spent:.1f} s, {asked} requests (1-s timeouts; breaker after 4)")
    figures = cascade_requests()
    for kind, counts in figures.items():
        statuses = counts.pop("statuses")
        per_index = ", ".join(f"{name} {value:.2f}" for name, value in counts.items() if name != "total")
        tally = ", ".join(f"{s} {statuses.count(s)}" for s in sorted(set(statuses)))  # type: ignore[union-attr]
        print(f"cascade: {kind}: {counts['total']:.2f} requests per reference ({per_index}); verdicts: {tally}")
    records = [r for r in records_from([str(ROOT / "data" / "snapshot" / "oai_dc_ml_na_2013.jsonl.gz")])][:N]
    with tempfile.TemporaryDirectory() as tmp, ArxivStub(records) as stub:
        root = Path(tmp)
        project(root, records)
        first_time = audit(root, stub.url)
        first = len(stub.state.log)
        second_time = audit(root, stub.url)
        second = len(stub.state.log) - first
    target = N // 50 + 1
    print(f"references_live: {N} citations with arXiv ids: first audit {first} requests ({first_time:.1f} s), "
          f"second audit {second} requests ({second_time:.1f} s); targets <= {target} and 0")
    return 0 if first <= target and second == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
