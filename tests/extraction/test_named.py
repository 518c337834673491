"""Citation candidates for works cited by number, methods introduced with an acronym, a person's work."""

from __future__ import annotations

from tests.conftest import DATA
from verifier.extraction.draft import extract

TEXT = (DATA / "extract" / "named_works.txt").read_text()


def test_named_works() -> None:
    found = {c.quote: c for c in extract(TEXT) if c.kind == "citation"}
    assert found["Root Mean Square Propagation (**RMSprop**)"].fields["reference"] == {
        "name": "Root Mean Square Propagation"}
    assert "Limited-memory Broyden Fletcher (LBF)" in found
    assert found["Large models cost energy: training one emitted as much as five cars [42]"].fields[
        "reference"] == {}
    assert "Surveys agree [3, 7]" in found
    assert found["Grace Hopper showed"].fields["reference"] == {"authors": ["Grace Hopper"]}
    assert not [q for q in found if "USD" in q]  # not an acronym of the words before it
