"""Code candidates: fenced and unfenced snippets, joined when one program is split over several blocks,
paired with the output the document says they print."""

from __future__ import annotations

import re

from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Document, Region

OUTPUT = re.compile(r"^\s*(?:The output is|Output|It prints|This prints|Result)\s*:\s*$"
                    r"|^\s*(?:The output is|Output)\s*:\s*(?P<inline>\S.*)$", re.I | re.M)
LOG_LINE = re.compile(r"^\s*(?:Epoch|Step|Iteration|Iter)\s*\d+[,:]?\s+\w+", re.I | re.M)
PYTHON = re.compile(r"\b(import|def|print|return|for|lambda|np\.|torch\.|tf\.)\b")


def _output_after(doc: Document, offset: int) -> tuple[int, str] | None:
    """The claimed output right after a snippet: "The output is:" and the text that follows, up to a blank
    line after it (logs pasted as one long line included)."""
    window = doc.text[offset: offset + 1500]
    marker = OUTPUT.search(window)
    if marker is None or window[: marker.start()].count("\n") > 6 or "```" in window[: marker.start()]:
        log = LOG_LINE.search(window)
        if log and window[: log.start()].count("\n") <= 3:
            line_end = window.find("\n", log.start())
            return offset + log.start(), window[log.start(): line_end if line_end > 0 else None].strip()
        return None
    if marker.group("inline"):
        return offset + marker.start("inline"), marker.group("inline").strip()
    rest = window[marker.end():]
    stripped = rest.lstrip("\n")
    start = marker.end() + (len(rest) - len(stripped))
    end = stripped.find("\n\n")
    text = stripped[: end if end >= 0 else len(stripped)].rstrip()
    return (offset + start, text) if text else None


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


def find(doc: Document) -> list[Candidate]:
    regions = [r for r in doc.code_regions() if PYTHON.search(r.text) or "=" in r.text or "(" in r.text]
    found = []
    for group in _groups(regions, doc):
        code = "\n".join(r.text.rstrip("\n") for r in group) + "\n"
        language = "python" if PYTHON.search(code) else "text"
        output = _output_after(doc, group[-1].end)
        fields: dict[str, object] = {"code": code, "language": language}
        if output is not None and output[1].strip():
            start, printed = output
            fields["printed"] = printed + "\n"
            found.append(Candidate("code", printed, start, "The snippet prints the output shown.",
                                   f"{len(group)} code block(s) followed by a claimed output", 0.9, fields))
        else:
            first = group[0]
            line = first.text.strip().split("\n")[0]
            found.append(Candidate("code", line, first.start + first.text.index(line),
                                   "The snippet runs as shown.", f"{len(group)} code block(s), no claimed output",
                                   0.6, fields))
    return found
