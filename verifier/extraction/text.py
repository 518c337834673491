"""Text helpers for extraction: line offsets, sentences, fenced and unfenced code regions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
_CODE_LINE = re.compile(
    r"^\s*(?:import \w|from [\w.]+ import |def \w+\(|class \w+|for \w[\w, ]* in .+:|while .+:|if .+:\s*$|"
    r"elif .+:|else:|return\b|print\(|with .+:|try:|except\b|"
    r"[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*[-+*/]?=\s*[\w\[({'\"-].*|"
    r"[A-Za-z_]\w*(?:\.\w+)+\(.*\)\s*$|#\s.*)$"
)
#: LaTeX commands and sub/superscript groups: a line with them is a formula, not code (`h_t = \\tanh(W_{hh} ...)`).
LATEX = re.compile(r"\\(?:frac|sum|prod|int|partial|nabla|sqrt|mathbf|cdot|log|sigma|hat|left|right|rightarrow|"
                   r"times|phi|theta|alpha|lambda|exp|vec|rm|mathrm)\b|[_^]\{")
_PROSE = re.compile(r"\b(the|is|are|we|you|this|that|which|with|of)\b.*\b(the|is|are|a|an|of|to)\b", re.I)


class Spans:
    """Sorted, non-overlapping character ranges with a fast membership test."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._starts = [s for s, _ in merged]
        self._ranges = merged

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ranges[index][1]


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    text: str


class Document:
    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._fenced: list[Region] | None = None
        self._code: list[Region] | None = None

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def fenced(self) -> list[Region]:
        if self._fenced is None:
            self._fenced = [Region(m.start(1), m.end(), m.group(1)) for m in FENCE.finditer(self.text)]
        return self._fenced

    def code_regions(self) -> list[Region]:
        """Fenced blocks and unfenced code, in document order (computed once)."""
        if self._code is None:
            self._code = sorted(self.fenced() + self.unfenced_code(self.fenced()), key=lambda r: r.start)
        return self._code

    def code_spans(self) -> Spans:
        return Spans([(r.start, r.end) for r in self.code_regions()])

    def unfenced_code(self, fenced: list[Region]) -> list[Region]:
        """Runs of two or more code-like lines outside fences (indentation may have been lost)."""
        regions: list[Region] = []
        run: list[tuple[int, int]] = []
        inside = Spans([(r.start, r.end) for r in fenced])
        offset = 0
        for line in self.text.split("\n"):
            end = offset + len(line)
            is_code = bool(line.strip()) and _CODE_LINE.match(line) is not None and not _PROSE.search(line) \
                and not LATEX.search(line) and offset not in inside and not line.strip().startswith("```")
            if is_code:
                run.append((offset, end))
            elif line.strip():  # prose ends a run; blank lines may sit inside one
                self._flush(run, regions)
                run = []
            offset = end + 1
        self._flush(run, regions)
        return regions

    def _flush(self, run: list[tuple[int, int]], regions: list[Region]) -> None:
        if len(run) >= 2:
            regions.append(Region(run[0][0], run[-1][1], self.text[run[0][0]:run[-1][1]]))


def sentences(line: str) -> list[tuple[int, str]]:
    """(offset in line, sentence) for each sentence of a line."""
    found = []
    for match in re.finditer(r"(?:[^.!?]|[.!?](?=\S))+(?:[.!?](?=\s|$)|$)", line):
        text = match.group(0).strip()
        if text:
            found.append((match.start() + match.group(0).index(text), text))
    return found
