"""The probe's reading of a package's own records, on a small package installed for the test (a real
dist-info and module on sys.path): a deprecation note in a docstring, a removal message of `__getattr__`."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.apicheck.probe import probe, removal_note

MODULE = '''
def old(x, scale=1.0):
    """Scale x.

    .. deprecated:: 1.2
        Use `new` instead.
    """
    return x * scale


def new(x):
    """Scale x, the current way."""
    return x


def __getattr__(name):
    if name == "gone":
        raise AttributeError("`gone` was removed in demo-dep 0.9; use `new`.")
    raise AttributeError(f"module 'demo_dep' has no attribute {name!r}")
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "demo_dep").mkdir(parents=True)
    (site / "demo_dep" / "__init__.py").write_text(MODULE)
    (site / "demo_dep-1.3.dist-info").mkdir()
    (site / "demo_dep-1.3.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: demo-dep\nVersion: 1.3\n")
    monkeypatch.syspath_prepend(str(site))


def test_deprecation_note_and_removal_record(installed: None) -> None:
    old = probe("demo-dep", "demo_dep.old", "scale")
    assert old["version"] == "1.3" and old["found"] and old["deprecated_doc"] == ".. deprecated:: 1.2"
    assert old["argument"] == {"name": "scale", "accepted": True, "via_kwargs": False, "known": True}
    assert "deprecated_doc" not in probe("demo-dep", "demo_dep.new")
    gone = probe("demo-dep", "demo_dep.gone")
    assert not gone["found"] and gone["removal"]["removed_in"] == "0.9"
    typo = probe("demo-dep", "demo_dep.nwe")
    assert typo["removal"] is None and typo["nearest"] == ["new"]
    assert probe("demo-dep", "demo_dep.sub.thing")["missing"] == "demo_dep.sub"


def test_removal_messages() -> None:
    assert removal_note("module 'numpy' has no attribute 'foo'") is None
    note = removal_note("`np.float` was a deprecated alias ... originally deprecated in NumPy 1.20; see notes")
    assert note is not None and note["deprecated_in"] == "1.20" and note["removed_in"] is None
