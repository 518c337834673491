"""Api candidates of `verifier extract` on a document written for the patterns (not a bundled source)."""

from __future__ import annotations

from tests.conftest import DATA
from verifier.extraction.draft import extract, render_draft

TEXT = (DATA / "extract" / "library_names.md").read_text()


def test_library_calls_in_code_resolve_aliases_across_blocks() -> None:
    found = {c.fields["name"]: c for c in extract(TEXT) if c.kind == "api"}
    assert found["numpy.arange"].fields["does"] == "ten sample points"
    svd = found["scipy.linalg.svd"]
    assert svd.fields["package"] == "scipy" and svd.fields["argument"] == "full_matrices"
    assert found["numpy.polyfit"].fields == {"package": "numpy", "name": "numpy.polyfit", "argument": "deg",
                                             "does": "a polynomial fit of degree two"}
    assert found["numpy.outer"].quote == "u, s, vt = linalg.svd(np.outer(x, x), full_matrices=False)"
    assert "scipy.linalg" in found  # the import itself
    assert not [name for name in found if name.startswith("os")]  # the standard library is not proposed


def test_library_functions_named_in_prose() -> None:
    candidates = extract(TEXT)
    names = {c.fields["name"] for c in candidates if c.kind == "api"}
    assert {"scipy.optimize.curve_fit", "scipy.optimize.least_squares", "statsmodels"} <= names
    assert {"keras.losses.categorical_crosentropy", "keras.losses.sparse_categorical_crossentropy"} <= names
    assert "keras.losses.the" not in names and "pandas" not in names  # only "as the library for" names a tool
    (nls,) = [c for c in candidates if c.kind == "citation" and c.quote == "R's nls"]
    assert nls.fields["reference"] == {"name": "nls", "venue": "R"}


def test_api_candidates_render_as_valid_claims() -> None:
    draft = render_draft(extract(TEXT), "notes")  # every claim passes the model's validation on the way
    assert "kind: api" in draft and "name: scipy.linalg.svd" in draft and "argument: full_matrices" in draft
