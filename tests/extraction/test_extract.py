"""`verifier extract` on small documents written for each pattern, and its draft through `verifier validate`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
    citations = by_kind("named_models.txt", "citation")
    names = [c.fields["reference"]["name"] for c in citations if c.reason == "named model, method or data set"]
    assert names == ["StyleGAN", "BigGAN", "CLIP", "WaveNet", "VQ-VAE", "BERT", "GPT", "T5", "GPT-3", "Switch-C",
                     "ELMo"]
    # `Runge-Kutta` is no coined model name, but `the Runge-Kutta method` names an algorithm (a low-confidence
    # draft of the named-result finder, for a person to keep or delete)
    others = {c.fields["reference"].get("name") for c in citations if c.reason != "named model, method or data set"}
    assert "Runge-Kutta method" in others and "Cross-Entropy" not in others


def test_latex_equations_are_math_not_code() -> None:
    code = by_kind("latex_equations.txt", "code")
    assert [c.quote for c in code] == ["model = Sequential()"]
    math = [c.quote for c in by_kind("latex_equations.txt", "math")]
    assert "h_t = tanh(W_{hh}\\cdot h_{t-1},W_{xh}\\cdot x_t)\\\\" in math
    assert "y_t = Q_{hy}\\cdot h_{t}" in math


FLATTENED = '''Attention by hand

import numpy as np

def attend(q, k):
    """Weights of one query: a softmax over the scaled scores."""
    scores = k @ q / np.sqrt(q.shape[0])
    weights = np.exp(scores) / np.exp(scores).sum()
    print("The weights are the following:")
    return weights

keys = np.array([[1.0, 0.0],
                 [0.0, 1.0]])
print(np.round(attend(np.array([1.0, 0.0]), keys), 4))

The weights are the following:
[0.6698 0.3302]

Why scale by the square root of the dimension?

Scaling keeps the scores small, which prevents the softmax from saturating.
'''


def test_a_flattened_block_is_kept_whole_with_the_output_after_it() -> None:
    (code,) = [c for c in extract(FLATTENED) if c.kind == "code"]
    lines = code.fields["code"].splitlines()
    assert lines[0] == "import numpy as np" and lines[2] == "def attend(q, k):"
    assert '    """Weights of one query: a softmax over the scaled scores."""' in lines
    assert '    print("The weights are the following:")' in lines and "    return weights" in lines
    assert lines[-1] == "print(np.round(attend(np.array([1.0, 0.0]), keys), 4))"
    compile(code.fields["code"], "snippet", "exec")
    assert code.fields["printed"] == "The weights are the following:\n[0.6698 0.3302]\n"


@pytest.mark.parametrize("after", [
    "Out[7]:\n\n0.75\n",
    "The output is:\n\n```\n0.75\n```\n",
    "```\n0.75\n```\n",
    "```text\n0.75\n```\n",
])
def test_output_right_after_a_fenced_block(after: str) -> None:
    text = f"Compute it:\n\n```python\nx = 3 / 4\nprint(x)\n```\n{after}\nThat is all.\n"
    (code,) = [c for c in extract(text) if c.kind == "code"]
    assert code.fields["printed"] == "0.75\n" and code.quote == "0.75"
    assert code.fields["code"] == "x = 3 / 4\nprint(x)\n"


def test_a_second_code_block_is_not_taken_for_output() -> None:
    text = "First:\n\n```python\nx = 2\n```\n\n```python\nprint(x * 3)\n```\n\nThe output is: 6\n"
    (code,) = [c for c in extract(text) if c.kind == "code"]
    assert code.fields["code"] == "x = 2\nprint(x * 3)\n" and code.fields["printed"] == "6\n"


def test_facts_from_declarative_answers_only() -> None:
    text = ("## How does it help?\n\n"
            "- Residual connections let gradients flow through many layers.\n"
            "- **Normalisation**: Layer normalisation keeps the activations in a stable range of values.\n"
            "- Dropout is a kind of regularisation applied during training.\n\n"
            "Does batch size matter for the final accuracy?\n\n"
            "I hope this helps you with your training runs.\n"
            "Try a smaller learning rate before anything else.\n")
    facts = {c.quote: c for c in extract(text) if c.kind == "fact"}
    assert set(facts) == {"Residual connections let gradients flow through many layers.",
                          "Layer normalisation keeps the activations in a stable range of values.",
                          "Dropout is a kind of regularisation applied during training."}
    assert all(0 < c.confidence <= 1 and c.reason for c in facts.values())


def test_a_quoted_example_sentence_is_not_a_citation_but_a_quoted_title_is() -> None:
    text = ('For example, in "The cat that chased the mouse was hungry," the verb agrees with "cat".\n'
            'The paper "Deep residual learning for image recognition" introduced skip connections.\n'
            'See "Attention Is All You Need" for the architecture.\n')
    titles = {c.fields["reference"].get("title") for c in extract(text) if c.kind == "citation"}
    assert "The cat that chased the mouse was hungry," not in titles
    assert {"Deep residual learning for image recognition", "Attention Is All You Need"} <= titles


def test_no_math_from_questions_or_headings() -> None:
    text = ("## Why is the gradient of softmax(x) bounded by 1/4?\n\n"
            "What is the derivative of x^2 + 3x at x = 1?\n\n"
            "The derivative of x^2 + 3x is 2x + 3, so it equals 5 at x = 1.\n")
    math = [c.quote for c in extract(text) if c.kind == "math"]
    assert math == ["The derivative of x^2 + 3x is 2x + 3, so it equals 5 at x = 1."]
    (draft,) = [c for c in extract(text) if c.kind == "math"]
    assert draft.fields["check"] == "TODO:write_a_check"  # a stub a person (or a drafted check) replaces


def test_a_sentence_wrapped_over_lines_is_one_draft() -> None:
    text = ("The gradient of the loss with respect to the weights is the outer product of the error\n"
            "and the input, so its rank is at most one.\n")
    (math,) = [c for c in extract(text) if c.kind == "math"]
    assert math.quote == text.strip() and "\n" not in math.statement


def test_cells_copied_from_a_notebook_page_run_in_order_and_show_their_values() -> None:
    text = ("From the notebook:\n\nIn [1]:\nimport math\nangle = math.pi / 2\nmath.sin(angle)\nOut[1]:\n1.0\n\n"
            "In [2]:\nround(math.cos(angle), 6)\nOut[2]:\n0.0\n\nThat is the whole thing.\n")
    first, second = [c for c in extract(text) if c.kind == "code"]
    assert first.fields["code"] == "import math\nangle = math.pi / 2\nprint(repr(math.sin(angle)))\n"
    assert first.fields["printed"] == "1.0\n" and second.fields["printed"] == "0.0\n"
    assert second.fields["code"] == ("import math\nangle = math.pi / 2\nmath.sin(angle)\n\n"
                                     "print(repr(round(math.cos(angle), 6)))\n")
    ran = subprocess.run([sys.executable, "-c", second.fields["code"]], capture_output=True, text=True, check=True)
    assert ran.stdout == "0.0\n"
