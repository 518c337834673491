"""Citations a source makes without a title: named results, `so called` methods, document link texts, link
lists after `Look here:`, names given as examples. Each finder is run on documents written for these tests,
both where it must draft a citation and where it must not."""

from __future__ import annotations

from verifier.extraction.draft import extract


def _citations(text: str) -> dict[str, dict[str, object]]:
    return {c.quote: c.fields["reference"] for c in extract(text) if c.kind == "citation"}


def test_named_results_are_drafted_with_their_name() -> None:
    found = _citations(
        "To smooth the estimates we used Oja's learning rule on each block.\n"
        "The bound follows from the Kuramoto-Sivashinsky theorem applied twice.\n"
        "Weights are then updated by the classical Widrow\nalgorithm, one sample at a time.\n")
    assert found["Oja's learning rule"] == {"name": "Oja's learning rule"}
    assert found["Kuramoto-Sivashinsky theorem"] == {"name": "Kuramoto-Sivashinsky theorem"}
    assert found["Widrow\nalgorithm"] == {"name": "Widrow algorithm"}  # the quote keeps the line break


def test_capitals_that_only_start_a_sentence_or_title_case_terms_are_not_named_results() -> None:
    text = ("Each method was run five times. This algorithm converges slowly.\n"
            "Options rule out the second case. A Recurrent Neural Network reads the text.\n"
            "Every rule of the game is known in advance.\n"
            "| tool | notes |\n| --- | --- |\n| timer | Two methods: a signal and a thread. |\n")
    named = [c.quote for c in extract(text) if c.reason == "named algorithm, rule, map, transform or theorem"]
    assert named == []


def test_methods_introduced_as_so_called_or_known_as() -> None:
    found = _citations("First apply a sparse embedding (the so called count sketch transform is cheap). "
                       "The trick is known as Bloom Hashing in older code.\n")
    assert found["count sketch transform"] == {"name": "count sketch transform"}
    assert found["Bloom Hashing"] == {"name": "Bloom Hashing"}
    # a lower-case phrase with no kind of result after the cue names nothing
    assert not [q for q in _citations("This value is known as the norm of the matrix here.\n")
                if "norm" in q]


def test_link_text_of_a_document_names_its_subject() -> None:
    found = _citations("I read a lot about it. For example, this paper concerning Nyquist-Shannon sampling "
                       "left me confused, and that tutorial on Gauss quadrature too.\n")
    assert found["this paper concerning Nyquist-Shannon"] == {"name": "Nyquist-Shannon"}
    assert found["that tutorial on Gauss"] == {"name": "Gauss"}
    assert not [q for q in _citations("What paper on the topic should I read first?\n"
                                      "This answer on my part is a guess.\n") if "paper" in q or "answer" in q]


def test_lines_after_a_line_that_introduces_links_are_link_texts() -> None:
    text = ("Padding to a power of two keeps the recursion simple. Look here:\n"
            "notes on splitting a radix four butterfly\n"
            "Complex numbers\n"
            "The rest of the answer explains the code.\n")
    found = _citations(text)
    assert found["notes on splitting a radix four butterfly"] == {"title": "notes on splitting a radix four butterfly"}
    assert "Complex numbers" not in found  # two words: a heading, and it ends the list of links
    assert "The rest of the answer explains the code." not in found
    # the same lines after a colon that introduces no links are not drafted
    plain = _citations("The steps are these:\nnotes on splitting a radix four butterfly\n")
    assert "notes on splitting a radix four butterfly" not in plain


def test_names_given_as_examples() -> None:
    found = _citations("Train it with an adaptive optimiser such as **Rprop** or **Adagrad**, on large corpora "
                       "such as Open Images (nine million pictures).\n")
    assert found["Rprop"] == {"name": "Rprop"}
    assert found["Adagrad"] == {"name": "Adagrad"}
    assert found["Open Images"] == {"name": "Open Images"}
    assert not [q for q in _citations("It fails in cases such as The first one, or including a few more.\n")
                if q.startswith("The first")]
    assert "X" not in _citations("Solve it for a variable such as **X** or **Y** first.\n")  # letters, no names
