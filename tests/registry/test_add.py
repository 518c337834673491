"""`verifier add`: appends to the right file, keeps comments, validates before writing, loses nothing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from verifier.errors import ExitCode, InvalidInputError
from verifier.project import Project
from verifier.registry import load_registry


def test_add_keeps_comments_and_order(project: Path) -> None:
    path = project / "claims" / "demo.yaml"
    before = path.read_text(encoding="utf-8")
    result = run_cli(
        "add", "--source", "demo", "--kind", "citation", "--id", "transformer-paper-again",
        "--quote", "Attention Is All You Need", "--statement", "The paper exists.",
        "--title", "Attention Is All You Need", "--authors", "Vaswani; Shazeer", "--year", "2017", cwd=project)
    assert result.returncode == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert "# A comment that `verifier add` must keep." in after
    assert "# A second comment, between claims." in after
    registry = load_registry(project / "claims")
    ids = [r.claim.id for r in registry.records if r.claim.source == "demo"]
    assert ids[-1] == "transformer-paper-again"
    record = registry.by_id("transformer-paper-again")
    assert record is not None and record.claim.kind == "citation"
    assert record.claim.reference.authors == ["Vaswani", "Shazeer"]


def test_add_code_claim_with_multiline_snippet(project: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text("x = 2.0 / 3.0\nprint(round(x, 4))\n", encoding="utf-8")
    record = Project.open(project / "claims").add({
        "id": "two-thirds-again", "source": "demo", "kind": "code", "quote": "The output is: 0.6667",
        "statement": "prints 0.6667", "code": snippet.read_text(), "printed": "0.6667"})
    text = (project / "claims" / "demo.yaml").read_text(encoding="utf-8")
    assert "  code: |\n    x = 2.0 / 3.0\n    print(round(x, 4))\n" in text
    assert record.claim.code == snippet.read_text()


def test_add_to_a_source_without_a_file_creates_it_with_the_schema_header(project: Path) -> None:
    (project / "claims" / "other.yaml").unlink()
    Project.open(project / "claims").add({"id": "new-fact", "source": "other", "kind": "fact",
                                   "quote": "worth quoting", "statement": "s"})
    text = (project / "claims" / "other.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json\n- id: new-fact")


def test_add_rejects_unanchored_quote_and_writes_nothing(project: Path) -> None:
    path = project / "claims" / "demo.yaml"
    before = path.read_bytes()
    result = run_cli("add", "--source", "demo", "--kind", "fact", "--id", "bad-quote",
                     "--quote", "text that is not in the source", "--statement", "s", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "quote not found in demo.txt" in result.stderr
    assert path.read_bytes() == before
    assert not list((project / "claims").glob(".*.tmp"))


def test_add_rejects_duplicate_id(project: Path) -> None:
    try:
        Project.open(project / "claims").add({"id": "transformer-paper", "source": "demo", "kind": "fact",
                                       "quote": "Here it is", "statement": "s"})
    except InvalidInputError as exc:
        assert "duplicate id 'transformer-paper' (claims/demo.yaml:3)" in str(exc)
    else:
        raise AssertionError("duplicate id accepted")


def test_add_without_a_terminal_names_missing_flags(project: Path) -> None:
    result = run_cli("add", "--source", "demo", cwd=project)
    assert result.returncode == ExitCode.USAGE
    assert "missing --kind --id --quote --statement" in result.stderr


def test_add_from_yaml_file(project: Path, tmp_path: Path) -> None:
    spec = tmp_path / "claim.yaml"
    spec.write_text("id: from-file\nsource: demo\nkind: math\nquote: derivative of x^2\n"
                    "statement: s\ncheck: demo_checks:square_derivative\nparams: {x: 5}\n", encoding="utf-8")
    result = run_cli("add", "--yaml", str(spec), cwd=project)
    assert result.returncode == 0, result.stderr
    record = load_registry(project / "claims").by_id("from-file")
    assert record is not None and record.claim.kind == "math"


def test_add_a_named_model_without_a_title(project: Path) -> None:
    result = run_cli(
        "add", "--source", "demo", "--kind", "citation", "--id", "wavenet-named",
        "--quote", "Attention Is All You Need", "--statement", "Names WaveNet.", "--name", "WaveNet", cwd=project)
    assert result.returncode == 0, result.stderr
    record = load_registry(project / "claims").by_id("wavenet-named")
    assert record is not None and record.claim.kind == "citation"
    assert record.claim.reference.name == "WaveNet" and record.claim.reference.title is None
