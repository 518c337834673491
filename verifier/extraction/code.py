"""Code candidates: fenced and unfenced snippets, joined when one program is split over several blocks,
paired with the output the document shows right after them.

The output of a snippet is what a reader would take for it: the text after a marker ("The output is:",
"Output:", `Out[3]:`), a fenced block without a programming language right after the code, a log line, or
lines right after unfenced code that repeat what its `print` calls write or are mostly numbers."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.notebook import display_last
from verifier.extraction.text import Document, Region, is_code_line

MARKER = (r"(?:(?:The |the )?[Oo]utput(?: is| will be| should be| looks like)?|It prints|This prints|which prints|"
          r"[Ii]t outputs|Result|Results|Out\s*\[\s*\d*\s*\])")
OUTPUT = re.compile(rf"^\s*{MARKER}\s*:[ \t]*$|^\s*{MARKER}\s*:[ \t]*(?P<inline>\S.*)$", re.M)
IN_MARKER = re.compile(r"(?:^|\n)\s*In\s*\[\s*\d*\s*\]\s*:\s*\n\s*$")
DISPLAYED = re.compile(r"Out\s*\[\s*\d*\s*\]\s*:")
LOG_LINE = re.compile(r"^\s*(?:Epoch|Step|Iteration|Iter)\s*\d+[,:]?\s+\w+", re.I | re.M)
PYTHON = re.compile(r"\b(import|def|print|return|for|lambda|np\.|torch\.|tf\.)\b")
OUTPUT_INFO = frozenset({"", "text", "txt", "output", "out", "console", "plaintext", "stdout", "log", "shell-session"})
PRINTED_LITERAL = re.compile(r"print\(\s*f?(['\"])(?P<text>[^'\"{\\]{3,})")
NUMERIC = re.compile(r"^[\s\[\]().,:;=+\-eE0-9a-z_]*\d[\s\[\]().,:;=+\-eE0-9]*$")


def _fenced_after(doc: Document, start: int) -> tuple[int, str] | None:
    """A fenced block starting at `start` (after blank lines): (offset of its content, content)."""
    match = re.compile(r"[ \t]*\n?(?:[ \t]*\n)*```([^\n`]*)\n(.*?)^```", re.S | re.M).match(doc.text, start)
    if match is None or match.group(1).strip().lower() not in OUTPUT_INFO:
        return None
    return match.start(2), match.group(2).rstrip("\n")


def _output_after(doc: Document, offset: int, code: str) -> tuple[int, str] | None:
    """The claimed output right after a snippet ending at `offset`: a marker and the text or fenced block
    that follows it, a fenced output block, a log line, or bare output lines (see the module docstring)."""
    window = doc.text[offset: offset + 3000]
    marker = OUTPUT.search(window)
    bare = _bare_output(doc, offset, code)
    if bare is not None and marker is not None and bare[0] <= offset + marker.start() < bare[0] + len(bare[1]):
        return bare  # "Output: [[1.66 ...]]" printed by the code itself, inside its output
    if marker is not None and window[: marker.start()].count("\n") <= 6 and "```" not in window[: marker.start()]:
        if marker.group("inline"):
            return offset + marker.start("inline"), marker.group("inline").strip()
        fenced = _fenced_after(doc, offset + marker.end())
        if fenced is not None:
            return fenced
        rest = window[marker.end():]
        stripped = rest.lstrip("\n")
        start = marker.end() + (len(rest) - len(stripped))
        end = stripped.find("\n\n")
        text = stripped[: end if end >= 0 else len(stripped)].rstrip()
        return (offset + start, text) if text else None
    fenced = _fenced_after(doc, offset)
    if fenced is not None and not PYTHON.search(fenced[1]) and _prints(code):
        return fenced
    log = LOG_LINE.search(window)
    if log and window[: log.start()].count("\n") <= 3:
        line_end = window.find("\n", log.start())
        return offset + log.start(), window[log.start(): line_end if line_end > 0 else None].strip()
    return bare


def _prints(code: str) -> bool:
    """The snippet writes something: a print/display call, or a final bare expression (a notebook shows it)."""
    if re.search(r"\b(?:print|display|pprint)\s*\(|\.show\(\)|\.to_string\(", code):
        return True
    last = [line for line in code.rstrip().split("\n") if line.strip()][-1:]
    return bool(last) and not last[0][:1].isspace() and re.fullmatch(r"[A-Za-z_][\w.\[\]()'\", ]*", last[0].strip()) \
        is not None and not re.match(r"(?:import|from|return|pass|break|continue)\b", last[0].strip())


def _bare_output(doc: Document, offset: int, code: str) -> tuple[int, str] | None:
    """Lines right after unfenced code (at most one blank line between) up to the next blank line, taken as
    its output when they repeat text its `print` calls write or are mostly numbers and are not prose."""
    match = re.compile(r"[^\n]*\n(?:[ \t]*\n)?").match(doc.text, offset)
    if match is None or not _prints(code):
        return None
    start = match.end()
    end = doc.text.find("\n\n", start)
    block = doc.text[start: end if end >= 0 else len(doc.text)].rstrip()
    lines = [line for line in block.split("\n") if line.strip()]
    if not lines or len(lines) > 60 or block.lstrip().startswith("```"):
        return None
    literals = [m.group("text").strip() for m in PRINTED_LITERAL.finditer(code)]
    echoed = sum(1 for line in lines if any(lit and line.strip().startswith(lit[:20]) for lit in literals))
    numeric = sum(1 for line in lines if NUMERIC.match(line.strip()))
    prose = sum(1 for line in lines if len(line.split()) >= 8 and line.rstrip().endswith((".", "?", "!")))
    if prose or any(is_code_line(line) and not NUMERIC.match(line.strip()) for line in lines):
        return None
    if echoed + numeric >= max(1, (len(lines) + 1) // 2):
        return start, block
    return None


def _groups(regions: list[Region], doc: Document) -> list[list[Region]]:
    """Consecutive blocks with prose between them but no claimed output form one program."""
    groups: list[list[Region]] = []
    for region in regions:
        if groups:
            last = groups[-1][-1]
            gap = doc.text[last.end: region.start]
            if gap.count("\n") <= 12 and not OUTPUT.search(gap):
                groups[-1].append(region)
                continue
        groups.append([region])
    return groups


def _is_output_fence(region: Region, previous: Region | None, doc: Document) -> bool:
    """A fenced block without a language, right after a code block that prints, holding no code: its output."""
    if previous is None or region.info not in OUTPUT_INFO or PYTHON.search(region.text):
        return False
    gap = doc.text[previous.end: region.start]
    between = gap.strip().strip("`").strip()
    return (not between or OUTPUT.fullmatch(between.split("\n")[-1]) is not None) and gap.count("\n") <= 6 \
        and _prints(previous.text)


def find(doc: Document) -> list[Candidate]:
    regions: list[Region] = []
    previous: Region | None = None
    for region in doc.code_regions():
        if _is_output_fence(region, previous, doc):
            previous = None
            continue
        if PYTHON.search(region.text) or "=" in region.text or "(" in region.text:
            regions.append(region)
            previous = region
    found = []
    cells: list[str] = []  # code of the copied notebook cells so far (`In [n]:` blocks)
    for group in _groups(regions, doc):
        code = "\n".join(r.text.rstrip("\n") for r in group) + "\n"
        language = "python" if PYTHON.search(code) else "text"
        output = _output_after(doc, group[-1].end, code)
        earlier = ""
        if IN_MARKER.search(doc.text[max(0, group[0].start - 40): group[0].start]):
            earlier = "".join(cell + "\n" for cell in cells)  # a notebook cell runs after the cells before it
            cells.append(code)
        fields: dict[str, object] = {"code": earlier + code, "language": language}
        reason = f"{len(group)} code block(s)" + (f" after {len(cells) - 1} earlier notebook cell(s)" if earlier
                                                  else "")
        if output is not None and output[1].strip():
            start, printed = output
            if DISPLAYED.search(doc.text[group[-1].end: start]):  # `Out[n]:` shows the final expression's value
                fields["code"] = earlier + display_last(code)
            fields["printed"] = printed + "\n"
            found.append(Candidate("code", printed, start, "The snippet prints the output shown.",
                                   f"{reason} followed by a claimed output", 0.9, fields))
        else:
            first = group[0]
            line = first.text.strip().split("\n")[0]
            found.append(Candidate("code", line, first.start + first.text.index(line),
                                   "The snippet runs as shown.", f"{reason}, no claimed output", 0.6, fields))
    return found
