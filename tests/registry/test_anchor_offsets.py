"""Anchors map back to the original text exactly, whatever whitespace, hyphens and typographic quotes it holds.

The normalised match is mapped back to original offsets through each line's dropped characters; the slice
of the original text an anchor names must be the quote again once normalised, start and end on kept
characters, and name the lines it spans."""

from __future__ import annotations

import random

from verifier.registry.anchor import SourceText, normalise

ALPHABET = list("abcde  \t\n\n\r-\u2013\u00ad\u2019\u201c\u3000\u2028xyz.")


def test_every_anchor_slices_back_to_the_quote() -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(400):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 300)))
        source = SourceText(text)
        for _ in range(8):
            start = rng.randrange(len(text))
            quote = text[start : start + rng.randint(1, 40)]
            for anchor in source.find_all(quote):
                piece = text[anchor.start : anchor.end]
                assert normalise(piece) == normalise(quote)
                assert normalise(piece[0]) and normalise(piece[-1])  # starts and ends on kept characters
                assert anchor.start_line == text.count("\n", 0, anchor.start) + 1
                assert anchor.end_line == text.count("\n", 0, anchor.end - 1) + 1
                checked += 1
    assert checked > 1000


def test_anchor_after_a_line_of_only_spaces_and_dashes() -> None:
    text = "first line\n  - \u2013 \nsecond\u00adpart here\n"
    [anchor] = SourceText(text).find_all("secondpart here")
    assert (anchor.start_line, anchor.end_line) == (3, 3)
    assert text[anchor.start : anchor.end] == "second\u00adpart here"
