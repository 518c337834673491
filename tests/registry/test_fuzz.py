"""Property: whatever YAML a user writes, loading never crashes with a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from tests.conftest import DATA
from verifier.errors import InvalidInputError
from verifier.registry import load_registry

FIELDS = ["id", "source", "kind", "quote", "statement", "reference", "code", "printed", "check", "about",
          "review", "tags", "seeds", "compare", "device", "timeout_s", "title", "year", "verdict", "date"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["demo", "citation", "code", "math", "fact", "a-b"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5)),
    max_leaves=12)
claims = st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8), max_size=4)


def load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(DATA / "registry", root)
        (root / "claims" / "demo.yaml").write_text(text, encoding="utf-8")
        try:
            load_registry(root / "claims")
        except InvalidInputError as exc:
            assert exc.problems
            assert all(p.path.startswith("claims/") for p in exc.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    load_text(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims)
def test_arbitrary_claim_structures_never_crash(data: list[dict[str, object]]) -> None:
    from io import StringIO

    buffer = StringIO()
    YAML().dump(data, buffer)
    load_text(buffer.getvalue())
