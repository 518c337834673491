"""Text helpers for extraction: line offsets, sentences, fenced and unfenced code regions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```", re.S | re.M)
_CODE_LINE = re.compile(
    r"^\s*(?:"
    r"(?:import \w|from [\w.]+ import |def \w+\(|async def \w+\(|class \w+|return\b|print\(|raise \w|assert \w|"
    r"yield\b|except\b|@\w).*|"  # statements recognised by how they start
    r"(?:for \w[\w, ]* in .+|while .+|if .+|elif .+|else|with .+|try|finally)\s*:\s*(?:#.*)?|"  # block openers
    r"pass|break|continue|"
    r"[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\s*,\s*[A-Za-z_][\w.]*)*\s*(?:[-+*/@%]|//|\*\*)?=\s*[\w\[({'\"-].*|"
    r"[A-Za-z_]\w*(?:\.\w+)+\(.*\)\s*|[a-z]\w*_\w*\(.*\)\s*|\w+\(\)\s*|#\s.*)$"
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
    info: str = ""  # a fenced block's info string (```python -> "python")


class Document:
    """A text with its line offsets and code regions. `regions` gives the code (and output) regions when the
    format knows them (a notebook's cells); otherwise they are found in the text."""

    def __init__(self, text: str, regions: list[Region] | None = None) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self._fenced: list[Region] | None = None
        self._code: list[Region] | None = regions
        self._prose: list[tuple[int, str, bool]] | None = None  # see prose_sentences

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def fenced(self) -> list[Region]:
        if self._fenced is None:
            self._fenced = [Region(m.start(2), m.end(), m.group(2), m.group(1).strip().lower())
                            for m in FENCE.finditer(self.text)]
        return self._fenced

    def code_regions(self) -> list[Region]:
        """Fenced blocks and unfenced code, in document order (computed once)."""
        if self._code is None:
            self._code = sorted(self.fenced() + self.unfenced_code(self.fenced()), key=lambda r: r.start)
        return self._code

    def cell_markers(self) -> Spans:
        """The `In [n]:` and `Out[n]:` lines of notebook cells (rendered or copied)."""
        return Spans([(m.start(), m.end()) for m in CELL_MARKER.finditer(self.text)])

    def code_spans(self) -> Spans:
        return Spans([(r.start, r.end) for r in self.code_regions()])

    def unfenced_code(self, fenced: list[Region]) -> list[Region]:
        """Runs of two or more code-like lines outside fences (indentation may have been lost). A line inside
        an open bracket or triple-quoted string of the run, or indented under a line that opens a block
        (`def f():`), belongs to the run whatever it looks like, so a block is kept whole: its docstring, a
        `print` of a sentence and a call spread over several lines included."""
        regions: list[Region] = []
        run: list[tuple[int, int]] = []
        inside = Spans([(r.start, r.end) for r in fenced])
        offset = 0
        state = _Continuation()
        cell = False  # inside a copied notebook cell (after `In [3]:`): every line is code until `Out[3]:`
        after_blank = False
        for line in self.text.split("\n"):
            end = offset + len(line)
            if CELL_MARKER.match(line) and offset not in inside:
                self._flush(run, regions, cell)
                run, state = [], _Continuation()
                cell = line.strip().startswith("In")
                offset, after_blank = end + 1, False
                continue
            if cell and line.strip() and after_blank and not line[:1].isspace() and not is_code_line(line):
                self._flush(run, regions, cell)  # prose after a blank line ends a copied cell
                run, state, cell = [], _Continuation(), False
            continued = bool(run) and state.continues(line)
            is_code = offset not in inside and not line.strip().startswith("```") and (
                continued or (bool(line.strip()) and (cell or is_code_line(line))))
            if is_code:
                run.append((offset, end))
                state.feed(line)
            elif line.strip():  # prose ends a run; blank lines may sit inside one
                self._flush(run, regions, cell)
                run = []
                state = _Continuation()
            after_blank = not line.strip()
            offset = end + 1
        self._flush(run, regions, cell)
        return regions

    def _flush(self, run: list[tuple[int, int]], regions: list[Region], cell: bool = False) -> None:
        if len(run) >= 2 or (cell and run):
            regions.append(Region(run[0][0], run[-1][1], self.text[run[0][0]:run[-1][1]]))


CELL_MARKER = re.compile(r"^[ \t]*(?:In|Out)[ \t]*\[[ \t]*\d*[ \t]*\][ \t]*:[ \t]*$", re.M)
_STRING = re.compile(r"(?:[rbfuRBFU]{0,2})(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"
                     r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')")


def is_code_line(line: str) -> bool:
    """A line that reads as code: a statement form, with no sentence outside its string literals and no
    LaTeX (a formula)."""
    if _CODE_LINE.match(line) is None or LATEX.search(line):
        return False
    return not _PROSE.search(_STRING.sub('""', line))


class _Continuation:
    """Tracks open brackets, triple-quoted strings and block openers over the lines of a code run."""

    def __init__(self) -> None:
        self.depth = 0
        self.triple: str | None = None
        self.block = False  # the last code line opened a block (ends with ':')
        self.indented_block = False  # inside an indented block body

    def continues(self, line: str) -> bool:
        if self.depth > 0 or self.triple is not None:
            return True
        if not line.strip():
            return False
        indented = len(line) - len(line.lstrip()) > 0
        return indented and (self.block or self.indented_block)

    def feed(self, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        text = line
        if self.triple is not None:
            close = text.find(self.triple)
            if close < 0:
                return
            text, self.triple = text[close + 3:], None
        for quote in ('"""', "'''"):
            if text.count(quote) % 2 == 1:
                self.triple = quote
                text = text[: text.find(quote)]
        bare = _STRING.sub('""', text.split(" #")[0] if not text.lstrip().startswith("#") else "")
        self.depth = max(0, self.depth + sum(bare.count(c) for c in "([{") - sum(bare.count(c) for c in ")]}"))
        opener = bare.rstrip().endswith(":")
        indented = len(line) - len(line.lstrip()) > 0
        self.block = opener
        self.indented_block = opener or (indented and self.indented_block) or (indented and self.block)


def sentences(line: str) -> list[tuple[int, str]]:
    """(offset in line, sentence) for each sentence of a line."""
    found = []
    for match in re.finditer(r"(?:[^.!?]|[.!?](?=\S))+(?:[.!?](?=\s|$)|$)", line):
        text = match.group(0).strip()
        if text:
            found.append((match.start() + match.group(0).index(text), text))
    return found


HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s|={3,}\s*$|-{3,}\s*$)")


def is_question(sentence: str) -> bool:
    """A question states nothing: it ends with `?` (perhaps inside closing quotes or markup)."""
    return sentence.rstrip(" *_\"'”)").endswith("?")


def prose_lines(doc: Document) -> list[tuple[int, str]]:
    """(offset, line) of every non-blank line outside code and output regions that is not a heading."""
    exclude = doc.code_spans()
    found = []
    offset = 0
    for line in doc.text.split("\n"):
        if line.strip() and offset not in exclude and not HEADING.match(line):
            found.append((offset, line))
        offset += len(line) + 1
    return found


WRAP_WIDTH = 50  # a shorter line ends where its writer ended it, not where an editor wrapped it
_LIST_START = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")


def prose_sentences(doc: Document) -> list[tuple[int, str, bool]]:
    """(offset, sentence, in a list item) of the prose, each sentence exactly as the text has it. A sentence
    wrapped over several lines (a long line that does not end a sentence, followed by one that starts in lower
    case) is one sentence, line breaks included (quotes anchor whatever the whitespace)."""
    if doc._prose is not None:
        return doc._prose
    lines = prose_lines(doc)
    found: list[tuple[int, str, bool]] = []
    index = 0
    while index < len(lines):
        start, line = lines[index]
        item = _LIST_START.match(line)
        end = start + len(line)
        while index + 1 < len(lines):
            next_start, next_line = lines[index + 1]
            wraps = next_start == end + 1 and len(line) >= WRAP_WIDTH and not line.rstrip().endswith(
                (".", "!", "?", ":", ")")) and next_line.lstrip()[:1].islower() and not _LIST_START.match(next_line)
            if not wraps:
                break
            index += 1
            line, end = next_line, next_start + len(next_line)
        body_start = start + (item.end() if item else 0)
        for offset, sentence in sentences(doc.text[body_start:end]):
            found.append((body_start + offset, sentence, item is not None))
        index += 1
    doc._prose = found  # math and fact finders both read them
    return found
