"""Abstract sentences that speak to a fact, on a real arXiv abstract (WaveNet, from the bundled snapshot
metadata) and through a real offline audit of the bundled registry's fact about it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from verifier.checkers.abstract_support import abstract_sentences, supporting_sentences
from verifier.references.snapshot import SnapshotIndex

pytestmark = pytest.mark.timeout(300)
SNAPSHOT = ROOT / ".verifier" / "snapshot.sqlite"


def test_sentences_ranked_by_shared_content_words() -> None:
    (record,) = SnapshotIndex(SNAPSHOT).lookup_ids(["1609.03499"]).values()
    assert len(abstract_sentences(record.abstract)) == 6
    support = supporting_sentences("WaveNet generates raw audio waveforms with a deep neural network",
                                   record.abstract)
    best = support.sentences[0]
    assert best.sentence.startswith("This paper introduces WaveNet")
    assert {"raw", "audio", "waveforms", "wavenet"} <= set(best.shared)
    unrelated = supporting_sentences("Gradient boosting of decision trees for tabular churn data", record.abstract)
    assert best.score > 0.3
    assert all(s.score < 0.1 for s in unrelated.sentences)  # one shared word ("data") weighs little


def test_fact_about_a_resolved_citation_carries_the_sentences(tmp_path: Path) -> None:
    result = run_cli("audit", "--offline", "--only", "wavenet-*", "--format", "json", "--snapshot", str(SNAPSHOT),
                     cwd=ROOT, env={"VERIFIER_HOME": str(tmp_path / ".verifier")})
    assert result.returncode == 0, result.stderr
    fact = next(r for r in json.loads(result.stdout)["results"]
                if r["claim_id"] == "wavenet-and-vq-vae-called-transformers")
    about = next(c for c in fact["checks"] if c["name"] == "about")
    assert about["status"] == "unverifiable"  # evidence, not a verdict: the review decides
    assert about["evidence"]["abstract_support"]["sentences"][0]["sentence"].startswith("This paper introduces")
    assert fact["status"] == "refuted"  # the reviewer's verdict
