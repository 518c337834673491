"""A real audit of the test registry (offline, tiny snapshot), shared by the report tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, run_cli
from verifier.references.snapshot import build

EXTRA = """
- id: gan-paper
  source: demo
  kind: citation
  quote: Attention Is All You Need
  statement: the GAN paper exists
  reference: {title: Generative Adversarial Nets, authors: [Ian Goodfellow], year: 2014}
  tags: [gans]
- id: wrong-output
  source: demo
  kind: code
  quote: "The output is: 0.6667"
  statement: prints 0.6700
  code: print(round(2.0 / 3.0, 4))
  printed: "0.6700"
"""


@pytest.fixture(scope="session")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with an audit in reports/latest.json and the store."""
    root = tmp_path_factory.mktemp("report") / "project"
    shutil.copytree(DATA / "registry", root)
    path = root / "claims" / "demo.yaml"
    path.write_text(path.read_text() + EXTRA)
    snapshot = root / "snapshot.sqlite"
    build([DATA / "arxiv" / "bulk_sample.jsonl"], snapshot)
    home = {"VERIFIER_HOME": str(root / ".verifier")}
    result = run_cli("audit", "--offline", "--snapshot", str(snapshot), cwd=root, env=home)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def app_env(audited: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("VERIFIER_REGISTRY", str(audited / "claims"))
    monkeypatch.setenv("VERIFIER_HOME", str(audited / ".verifier"))
    yield audited


APP = str(ROOT / "app.py")
