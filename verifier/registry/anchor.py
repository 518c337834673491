"""Quote anchoring: find a claim's quote in its source despite re-wrapped lines, hyphenation and quotes.

Both texts are normalised the same way (whitespace and hyphen/dash characters dropped, typographic quotes
folded to ASCII) with `str.translate`, a whole source in one call, so a 10,000-claim registry anchors in
well under a second; a match is mapped back to lines and character offsets of the original text."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

_DROP = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'", "\u00b4": "'"}
_TABLE: dict[int, str | None] = {ord(c): None for c in _DROP}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_TABLE.update({code: None for code in range(0x3001) if chr(code).isspace()})  # all of Unicode's spaces
# A character survives `normalise` unless the table drops it (folds are one character for one), so where a
# line's k-th kept character stands follows from where its dropped characters are (fewer: mostly spaces).
_DROPPED = re.compile("[" + re.escape("".join(chr(code) for code, to in _TABLE.items() if to is None)) + "]")
# The same table keeping line ends: a whole source is normalised line by line in one C-level call.
_TABLE_BY_LINE = {code: to for code, to in _TABLE.items() if code != ord("\n")}


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in its source: 1-based inclusive line range and character offsets."""

    start_line: int
    end_line: int
    start: int
    end: int


NEAREST_CHARS = 1000
_NO_GRAMS: frozenset[str] = frozenset()


def normalise(text: str) -> str:
    return text.translate(_TABLE)


def _grams(text: str) -> set[str]:
    return {text[i : i + 4] for i in range(max(1, len(text) - 3))}


class SourceText:
    """A source document prepared for repeated quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        raw_lines = text.split("\n")
        self.lines = [line.rstrip("\r") for line in raw_lines]
        self._norm_lines = text.translate(_TABLE_BY_LINE).split("\n")  # normalise() of each line
        self._norm = "".join(self._norm_lines)
        self._grams_by_line: list[AbstractSet[str]] | None = None
        # offset of each line in the original text, and in the normalised text
        self._line_starts = list(itertools.accumulate((len(raw) + 1 for raw in raw_lines[:-1]), initial=0))
        self._norm_starts = list(itertools.accumulate(map(len, self._norm_lines[:-1]), initial=0))
        self._gaps: dict[int, list[int]] = {}  # per line used so far: see _original

    def _original(self, position: int) -> tuple[int, int]:
        """(1-based line, original offset) of the character at a normalised position.

        With d_0 < d_1 < ... the offsets of a line's dropped characters, d_i - i kept characters stand before
        the i-th; so the k-th kept character has bisect_right([d_i - i], k) dropped ones before it."""
        index = bisect.bisect_right(self._norm_starts, position) - 1
        while index + 1 < len(self._norm_lines) and not self._norm_lines[index]:
            index += 1
        wanted = position - self._norm_starts[index]
        if wanted >= len(self._norm_lines[index]):  # as before: no kept character there, the line start
            return index + 1, self._line_starts[index]
        gaps = self._gaps.get(index)
        if gaps is None:
            dropped = _DROPPED.finditer(self.lines[index])
            gaps = self._gaps[index] = [match.start() - i for i, match in enumerate(dropped)]
        return index + 1, self._line_starts[index] + wanted + bisect.bisect_right(gaps, wanted)

    def find_all(self, quote: str) -> list[Anchor]:
        """Every place the quote occurs (a transcript may repeat a passage)."""
        needle = normalise(quote)
        if not needle:
            return []
        anchors: list[Anchor] = []
        start = self._norm.find(needle)
        while start != -1:
            first_line, first = self._original(start)
            last_line, last = self._original(start + len(needle) - 1)
            anchors.append(Anchor(first_line, last_line, first, last + 1))
            start = self._norm.find(needle, start + len(needle))
        return anchors

    def nearest(self, quote: str) -> tuple[int, str, float]:
        """The passage most like the quote (line, excerpt, share of the quote's 4-grams it holds).

        A window of lines at least as long as the quote slides over the source; its score is kept up to
        date as lines enter and leave, from each line's 4-grams (including those running into the next
        line), so the cost grows with the source, not with source x quote (a 20 KB quote against a
        3,000-line source took 36 s when every window was re-joined and re-split). Only the quote's first
        NEAREST_CHARS characters are sought: enough to place it, and bounded whatever the YAML holds."""
        needle = normalise(quote)[:NEAREST_CHARS]
        grams = _grams(needle)
        norm_lines = self._norm_lines
        per_line = [found & grams if found else _NO_GRAMS for found in self._line_grams()]
        counts: dict[str, int] = {}
        present = 0
        best = (1, 1, -1.0)
        end, length = 0, 0
        for first in range(len(norm_lines)):
            while end < len(norm_lines) and (end <= first or length < len(needle)):
                length += len(norm_lines[end])
                for gram in per_line[end]:
                    counts[gram] = counts.get(gram, 0) + 1
                    present += counts[gram] == 1
                end += 1
            score = present / max(1, len(grams))
            if score > best[2]:
                best = (first + 1, end, score)
            length -= len(norm_lines[first])
            for gram in per_line[first]:
                counts[gram] -= 1
                present -= counts[gram] == 0
        line, last, score = best
        line = max(range(line, last + 1), key=lambda n: len(per_line[n - 1]))
        last = min(last, line + 2)
        excerpt = " ".join(part.strip() for part in self.lines[line - 1 : last]).strip()
        if len(excerpt) > 160:
            excerpt = excerpt[:157] + "..."
        return line, excerpt, min(1.0, score)

    def _line_grams(self) -> list[AbstractSet[str]]:
        """Each line's 4-grams, with those that run into the following lines (computed once)."""
        if self._grams_by_line is None:
            lines = self._norm_lines
            grams_by_line: list[AbstractSet[str]] = []
            for i, line in enumerate(lines):
                if not line:  # blank lines share one empty set
                    grams_by_line.append(_NO_GRAMS)
                    continue
                extended = line + "".join(lines[i + 1 : i + 4])[:3]
                grams_by_line.append({extended[j : j + 4] for j in range(min(len(line), len(extended) - 3))})
            self._grams_by_line = grams_by_line
        return self._grams_by_line


def ambiguity(anchors: tuple[Anchor, ...] | list[Anchor]) -> str | None:
    """A quote found in several places is shown at the first one: say so, with every place, so a person can
    lengthen the quote until it is unique (a warning, not an error: a transcript may repeat a passage)."""
    if len(anchors) < 2:
        return None
    places = ", ".join(str(a.start_line) for a in anchors[:8]) + (", ..." if len(anchors) > 8 else "")
    return (f"the quote occurs {len(anchors)} times (lines {places}); it is anchored at the first, line "
            f"{anchors[0].start_line}: lengthen it to pick another place")
