"""Quote anchoring tolerates what copy-paste does to text, and says where the nearest passage is."""

from __future__ import annotations

from verifier.registry.anchor import SourceText

TEXT = """Line one of the source.
The transformer relies solely on attention mechanisms, dispensing with recur-
rence and convolutions entirely.
It’s “quoted” with typographic marks – and a dash.
Repeated sentence here.
Repeated sentence here.
"""


def test_quote_across_line_break_and_hyphenation() -> None:
    anchors = SourceText(TEXT).find_all("dispensing with recurrence and convolutions entirely")
    assert [(a.start_line, a.end_line) for a in anchors] == [(2, 3)]


def test_whitespace_insensitive() -> None:
    anchors = SourceText(TEXT).find_all("relies   solely\n on attention")
    assert anchors and anchors[0].start_line == 2


def test_typographic_quotes_and_dashes_fold() -> None:
    anchors = SourceText(TEXT).find_all("It's \"quoted\" with typographic marks - and a dash.")
    assert [(a.start_line, a.end_line) for a in anchors] == [(4, 4)]


def test_every_occurrence_is_recorded() -> None:
    anchors = SourceText(TEXT).find_all("Repeated sentence here.")
    assert [a.start_line for a in anchors] == [5, 6]


def test_offsets_point_at_the_original_text() -> None:
    source = SourceText(TEXT)
    anchor = source.find_all("solely on attention")[0]
    assert TEXT[anchor.start:anchor.end] == "solely on attention"


def test_missing_quote_has_no_anchor_and_a_nearest_passage() -> None:
    source = SourceText(TEXT)
    assert source.find_all("relies mostly on attention mechanisms") == []
    line, excerpt, score = source.nearest("relies mostly on attention mechanisms")
    assert line == 2
    assert "attention mechanisms" in excerpt
    assert 0.5 < score < 1.0


def test_empty_quote_matches_nothing() -> None:
    assert SourceText(TEXT).find_all("   ") == []


def test_nearest_passage_of_a_long_misquote_in_a_long_source() -> None:
    """The sliding window keeps its score up to date: a long quote costs no more than a short one."""
    lines = [f"Sentence number {i} talks about topic {i * 7 % 13} and method {i * 11 % 17}." for i in range(3000)]
    source = SourceText("\n".join(lines))
    misquote = " ".join(lines[2000:2400]).replace("topic", "subject")
    line, excerpt, score = source.nearest(misquote)
    assert 2001 <= line <= 2020 and f"Sentence number {line - 1} " in excerpt
    assert 0.5 < score < 1.0
    assert source.nearest(lines[10])[0] == 11
