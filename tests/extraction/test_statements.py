"""Source-list items, footnote-marked statements, link texts, printed reference values, self-statements."""

from __future__ import annotations

from tests.conftest import DATA
from verifier.extraction.draft import extract, render_draft

TEXT = (DATA / "extract" / "chat_sources.txt").read_text()


def test_source_lists_marked_statements_and_link_texts() -> None:
    found = {c.quote: c for c in extract(TEXT) if c.kind == "citation"}
    assert found["2. en.wikipedia.org"].fields["reference"] == {"url": "en.wikipedia.org"}
    assert found["3. math.example.edu"].fields["reference"] == {"url": "math.example.edu"}
    # the text before each group of footnote markers (the reference finder may propose the same quote as a title)
    assert "Heun's method is a two-stage Runge-Kutta method of order two. It averages two slopes" in found
    assert "footnote 3" in found["The midpoint rule integrates exactly every polynomial of degree one"].statement
    question = found["here How do I choose a step size for Heun's method?"]
    assert question.fields["reference"] == {"title": "How do I choose a step size for Heun's method?"}
    assert found["mine Adaptive Runge-Kutta in C++"].fields["reference"] == {"title": "Adaptive Runge-Kutta in C++"}
    assert "see the discussion above." not in found  # a sentence, not a link text


def test_printed_reference_values_and_self_statements() -> None:
    candidates = extract(TEXT)
    (value,) = [c for c in candidates if c.kind == "math" and c.quote.startswith("True value")]
    assert value.quote == "True value: 1.4142" and value.fields == {"check": "TODO:write_a_check"}
    facts = {c.quote: c.reason for c in candidates if c.kind == "fact"}
    assert {q for q, reason in facts.items() if "its own work" in reason} == {
        "I have provided a code example with two layers.", "I tested several step sizes and found that 0.01 works."}
    assert facts["Heun's method is a two-stage Runge-Kutta method of order two."] == "declarative item of a list"
    assert "kind: fact" in render_draft(candidates, "notes")
