"""docs/architecture.md stays true to the code: every package or module its picture and table name exists, every
module the picture says a box holds is in that box's package, and nothing points at a document that is gone."""

from __future__ import annotations

import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "architecture.md"
PATH = re.compile(r"(?<![\w.])verifier/[\w/]*[\w.]+")  # not `.verifier/store.sqlite`, the home folder


def test_every_named_path_exists() -> None:
    named = set(PATH.findall(DOC.read_text(encoding="utf-8")))
    assert {"verifier/registry", "verifier/audit.py", "verifier/checkers", "verifier/references",
            "verifier/execution", "verifier/results", "verifier/report", "verifier/project.py"} <= named
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"docs/architecture.md names what the code does not have: {missing}"


def test_modules_named_in_a_box_live_in_its_package() -> None:
    """`data + state`, `views, decide, ordering` in the report box; `store`, `merge` in the results box; ..."""
    boxes = {"verifier/report/": ["data", "state", "views", "decide", "ordering"],
             "verifier/results/": ["models", "store", "merge", "margin", "formats"],
             "verifier/registry/": ["yaml_io", "models", "sources", "anchor"],
             "verifier/execution/": ["runner", "compare", "zygote"],
             "verifier/apicheck/": ["probe", "history"]}
    for package, modules in boxes.items():
        for module in modules:
            path = ROOT / package / module
            assert path.with_suffix(".py").is_file() or path.is_dir(), f"{package}{module}"


def test_no_reference_to_a_missing_architecture_document() -> None:
    """The docs used to point at an architecture document in the root that the repository never had."""
    gone = "ARCHITECTURE" + ".md"  # spelled in two parts so that this file does not name it
    folders = [ROOT / name for name in ("verifier", "tests", "benchmarks", "scripts", "reproductions", "docs")]
    files = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml", ROOT / "app.py"]
    files += [path for folder in folders for path in folder.rglob("*") if path.suffix in {".py", ".md", ".toml"}]
    citing = [str(path.relative_to(ROOT)) for path in files if path.is_file()
              and gone in path.read_text(encoding="utf-8", errors="replace")]
    assert not citing
