"""Quote anchoring: find a claim's quote in its source despite re-wrapped lines, hyphenation and quotes."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'",
        "\u2013": "", "\u2014": "", "\u2212": "", "-": "", "\u00ad": "", "\u2010": "", "\u2011": "",
    }
)


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in its source: 1-based inclusive line range and character offsets."""

    start_line: int
    end_line: int
    start: int
    end: int


def normalise(text: str) -> tuple[str, list[int]]:
    """Drop whitespace and hyphen/dash characters, fold typographic quotes; keep offsets back."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        folded = char.translate(_FOLD)
        if not folded:
            continue
        chars.append(folded)
        offsets.append(index)
    return "".join(chars), offsets


class SourceText:
    """A source document prepared for repeated quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines()
        self._norm, self._offsets = normalise(text)
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def find_all(self, quote: str) -> list[Anchor]:
        """Every place the quote occurs (a transcript may repeat a passage)."""
        needle, _ = normalise(quote)
        if not needle:
            return []
        anchors: list[Anchor] = []
        start = self._norm.find(needle)
        while start != -1:
            first = self._offsets[start]
            last = self._offsets[start + len(needle) - 1]
            anchors.append(Anchor(self.line_at(first), self.line_at(last), first, last + 1))
            start = self._norm.find(needle, start + len(needle))
        return anchors

    def nearest(self, quote: str) -> tuple[int, str, float]:
        """The passage most like the quote (line, excerpt, share of the quote's 4-grams it holds)."""
        needle, _ = normalise(quote)
        grams = {needle[i : i + 4] for i in range(max(1, len(needle) - 3))}
        norm_lines = [normalise(line)[0] for line in self.lines]
        best = (1, 1, -1.0)
        end, length = 0, 0
        for first in range(len(norm_lines)):
            while end < len(norm_lines) and (end <= first or length < len(needle)):
                length += len(norm_lines[end])
                end += 1
            window = "".join(norm_lines[first:end])
            have = {window[i : i + 4] for i in range(max(1, len(window) - 3))}
            score = len(grams & have) / max(1, len(grams))
            if score > best[2]:
                best = (first + 1, end, score)
            length -= len(norm_lines[first])
        line, last, score = best
        excerpt = " ".join(part.strip() for part in self.lines[line - 1 : last]).strip()
        if len(excerpt) > 160:
            excerpt = excerpt[:157] + "..."
        return line, excerpt, score
