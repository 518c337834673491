"""`verifier extract` on small documents written for each pattern, and its draft through `verifier validate`."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import DATA, run_cli
from verifier.extraction.draft import extract
from verifier.registry import load_registry

CASES = DATA / "extract"


def by_kind(name: str, kind: str) -> list:  # type: ignore[type-arg]
    return [c for c in extract((CASES / name).read_text()) if c.kind == kind]


def test_fenced_blocks_join_into_one_program_with_its_output() -> None:
    (code,) = by_kind("fenced_code_with_output.md", "code")
    assert code.quote == "0.8415" and code.fields["printed"] == "0.8415\n"
    assert "def f(x):" in code.fields["code"] and 'print(f"{f(1.0):.4f}")' in code.fields["code"]
    assert code.fields["language"] == "python"


def test_unfenced_code_with_lost_indentation() -> None:
    (code,) = by_kind("unfenced_lost_indentation.txt", "code")
    assert code.fields["code"].splitlines() == ["model = Sequential()", "model.add(LSTM(32, input_shape=(50, 2)))",
                                                "model.add(Dense(2))"]
    assert code.quote == "model = Sequential()"


def test_log_lines_run_together_are_the_printed_output() -> None:
    (code,) = by_kind("merged_log.txt", "code")
    assert code.quote == "Epoch 0, Loss 1.0000 Epoch 1, Loss 0.5000 Epoch 2, Loss 0.3333"


def test_references_of_every_form() -> None:
    found = by_kind("references.txt", "citation")
    fields = {c.quote: c.fields for c in found}
    assert fields["https://arxiv.org/pdf/1706.03762.pdf"]["reference"]["arxiv_id"] == "1706.03762"
    assert fields["arXiv:1406.2661v1"]["reference"]["arxiv_id"] == "1406.2661"
    assert fields["https://arxiv.org/abs/quant-ph/0201082v1"]["reference"]["arxiv_id"] == "quant-ph/0201082"
    assert fields["10.1103/PhysRevD.76.013009"]["reference"]["doi"] == "10.1103/PhysRevD.76.013009"
    assert "Calculation of prompt diphoton production cross sections" in fields
    expected = {"title": "Attention is all you need", "year": 2017}
    assert fields["Attention is all you need (2017)"]["reference"] == expected
    sky = fields["Skyformer: Remodel Self-Attention with Gaussian Kernel and Nyström Method"]
    assert sky["reference"]["url"] == "arxiv.org" and sky["described_as"].startswith("This paper proposes")
    performers = fields["Performers: The Kernel Trick, Random Fourier Features, and Attention"]
    assert performers["reference"]["url"] == "teddykoker.com"
    parrots = fields["On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?"]
    assert parrots["reference"]["authors"][0] == "Emily M. Bender" and len(parrots["reference"]["authors"]) == 4
    assert any(c.fields["reference"].get("authors") == ["Müller"] for c in found)
    assert any(c.fields["reference"].get("title") == "Eureqa" for c in found)
    assert any(c.reason == "a work described but not named" for c in found)


def test_math_statements_and_worked_numbers() -> None:
    found = {c.quote: c for c in by_kind("math.txt", "math")}
    assert any("softmax((Q.transpose(K))/√dk)V" in q for q in found)
    assert "For all samples the DFT is O(N^2) which is slow." in found
    assert any("$\\frac{2}{\\|w\\|}$" in q for q in found)
    assert "The classifier reaches an accuracy of 97.5% on the test set." in found
    assert "The weather was nice today." not in found
    assert all(c.reason and 0 < c.confidence <= 1 for c in found.values())


def test_repeats_are_merged_with_every_place() -> None:
    text = "Intro.\n" + "See https://arxiv.org/abs/1406.2661 for details.\n\nMore text.\n" * 3
    (candidate,) = [c for c in extract(text) if c.kind == "citation"]
    assert candidate.places == [2, 5, 8]


def test_draft_validates_once_a_person_names_the_checks(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA / "registry", project)
    shutil.copy(CASES / "references.txt", project / "claims" / "sources" / "refs.txt")
    with (project / "claims" / "sources.yaml").open("a") as handle:
        handle.write("- slug: refs\n  file: refs.txt\n  title: refs\n  kind: other\n  language: en\n  origin: tests\n")
    result = run_cli("extract", "claims/sources/refs.txt", "--output", "claims/refs.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    draft = (project / "claims" / "refs.yaml").read_text()
    assert draft.startswith("# yaml-language-server: $schema=schema.json")
    assert "# citation candidate, confidence" in draft
    draft = draft.replace("TODO:write_a_check", "demo_checks:square_derivative")
    (project / "claims" / "refs.yaml").write_text(draft)
    registry = load_registry(project / "claims")
    assert len([r for r in registry.records if r.claim.source == "refs"]) >= 10


def test_extract_on_stdout_and_bad_input(tmp_path: Path) -> None:
    doc = tmp_path / "My Notes.md"
    doc.write_text((CASES / "math.txt").read_text())
    result = run_cli("extract", str(doc), cwd=tmp_path)
    assert result.returncode == 0 and "source: my-notes" in result.stdout and "candidates" in result.stderr
    assert run_cli("extract", str(tmp_path / "missing.txt"), cwd=tmp_path).returncode == 3
    assert run_cli("extract", str(doc), "--source-slug", "Bad Slug", cwd=tmp_path).returncode == 2


def test_named_models_without_titles() -> None:
    names = [c.fields["reference"]["name"] for c in by_kind("named_models.txt", "citation")
             if "name" in c.fields.get("reference", {})]
    assert names == ["StyleGAN", "BigGAN", "CLIP", "WaveNet", "VQ-VAE", "BERT", "GPT", "T5", "GPT-3", "Switch-C",
                     "ELMo"]


def test_latex_equations_are_math_not_code() -> None:
    code = by_kind("latex_equations.txt", "code")
    assert [c.quote for c in code] == ["model = Sequential()"]
    math = [c.quote for c in by_kind("latex_equations.txt", "math")]
    assert "h_t = tanh(W_{hh}\\cdot h_{t-1},W_{xh}\\cdot x_t)\\\\" in math
    assert "y_t = Q_{hy}\\cdot h_{t}" in math
