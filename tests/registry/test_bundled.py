"""Invariants of the bundled registry: it validates, every file is in step with the schema and sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from verifier.registry import load_registry
from verifier.registry.loader import claim_files
from verifier.registry.schema import EDITOR_HEADER, schema_text

CLAIMS = ROOT / "claims"
SEEDS = ROOT.parent / "shared" / "seeds"


def test_bundled_registry_validates() -> None:
    registry = load_registry(CLAIMS)
    assert registry.records
    assert {r.claim.source for r in registry.records} == set(registry.sources)


@pytest.mark.parametrize("path", claim_files(CLAIMS), ids=lambda p: p.name)
def test_each_claims_file_points_editors_at_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith(EDITOR_HEADER)


def test_schema_json_is_current() -> None:
    assert (CLAIMS / "schema.json").read_text(encoding="utf-8") == schema_text(), "run `verifier schema`"
    assert json.loads(schema_text())["type"] == "array"


def test_every_source_has_a_claims_file() -> None:
    registry = load_registry(CLAIMS)
    assert {p.stem for p in claim_files(CLAIMS)} == set(registry.sources)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_sources_are_byte_for_byte_copies_of_the_seeds() -> None:
    seed_bytes = {p.read_bytes() for p in SEEDS.glob("*.txt")}
    for path in (CLAIMS / "sources").glob("*.txt"):
        assert path.read_bytes() in seed_bytes, path.name
