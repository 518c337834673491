"""Figure: arXiv requests made by `verifier audit` for N citation claims that carry arXiv ids
(target <= N/50 + 1), and by a second audit of the same registry (target 0).

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
           "VERIFIER_SNAPSHOT": str(root / "no-snapshot.sqlite")}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "verifier", "audit", "--format", "json"], cwd=root, env=env,
                            capture_output=True, text=True, check=True)
    statuses = {r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses == {"confirmed"}, statuses
    return time.perf_counter() - start


def main() -> int:
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
