"""Jupyter notebooks: a stable text rendering the registry keeps as the source, and one code candidate per
executed cell, paired with the output the notebook shows.

Quotes must anchor in a text file, so a notebook is rendered once (`render`) and that rendering is what
`claims/sources/<slug>.txt` holds: markdown and raw cells verbatim; each code cell as `In [n]:` and a fenced
`python` block; its outputs as `Out[n]:` and a fenced block (stream text, `text/plain` of results and
displays, `[image/png]` for a picture without text, `Name: message` for an error). The rendering depends only
on the notebook's cells, so rendering the same notebook twice gives the same bytes.

A cell of a notebook is not a program on its own: it uses what the cells before it defined. The drafted
snippet of a cell is therefore every earlier code cell that ran without an error, in order, then the cell
itself; IPython magics (`%matplotlib inline`, `!pip install`) become comments, a final expression whose
value the notebook displays (`Out[n]:` of an `execute_result`) is printed with `repr`, as IPython shows it,
and IPython's built-in `display()` is bound to `print` when the code calls it without importing it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import InvalidInputError, Problem
from verifier.extraction.candidates import Candidate
from verifier.extraction.text import Region

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAGIC = re.compile(r"^(\s*)([%!].*)$")
USES_DISPLAY = re.compile(r"(?<![\w.])display\(")
DEFINES_DISPLAY = re.compile(r"\bimport\b.*\bdisplay\b|\bdef display\(|^display\s*=", re.M)
DISPLAY_SHIM = "display = print  # IPython's display() outside IPython (its output is not part of `printed`)\n\n"
QUOTED_LINES = 12
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")


@dataclass
class RenderedCell:
    """Where one code cell stands in the rendering, and what the notebook shows it printed."""

    index: int  # 1-based position among all cells
    count: int | None  # execution count (In [n]), None when never run
    code: str
    code_start: int
    printed: str  # stdout streams and `text/plain` of the execute_result, in order
    output: Region | None  # the rendered Out block (text between its fences)
    error: str | None  # `Name: message` when the cell raised
    has_result: bool  # an execute_result is among the outputs


@dataclass
class RenderedNotebook:
    text: str
    language: str
    cells: list[RenderedCell] = field(default_factory=list)


def read(path: Path) -> Any:
    """The notebook as nbformat's v4 node; a file that is not a notebook is invalid input naming it."""
    import nbformat

    from verifier.extraction.formats import read_text

    _, text = read_text(path)
    try:
        notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        raise InvalidInputError([Problem(str(path), None, None, f"not a readable Jupyter notebook: {exc}")]) \
            from None
    except Exception as exc:  # nbformat raises its own reader errors (NotJSONError, ValidationError, ...)
        raise InvalidInputError([Problem(str(path), None, None,
                                         f"not a valid Jupyter notebook: {type(exc).__name__}: {exc}")]) from None
    return notebook


def _lines(text: str) -> str:
    """One newline convention (the registry reads sources with universal newlines)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return _lines("".join(source) if isinstance(source, list) else str(source))


def _text(value: Any) -> str:
    return _lines("".join(value) if isinstance(value, list) else str(value))


def _fence(body: str, info: str = "") -> tuple[str, str]:
    """A fence longer than any run of backticks in the body (CommonMark), so the block cannot end early."""
    longest = max((len(m.group(0)) for m in re.finditer(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return ticks + info, ticks


def _outputs(cell: Any) -> tuple[list[str], str, str | None, bool]:
    """(rendered parts, printed text, error, has execute_result) of a code cell's outputs."""
    parts: list[str] = []
    printed: list[str] = []
    error: str | None = None
    has_result = False
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            text = ANSI.sub("", _text(output.get("text", "")))
            parts.append(text)
            if output.get("name", "stdout") == "stdout":
                printed.append(text)
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data:
                plain = _text(data["text/plain"])
                parts.append(plain + "\n")
                if kind == "execute_result":
                    printed.append(plain + "\n")
                    has_result = True
            else:
                shown = [t for t in data if t in IMAGE_TYPES or t.startswith("text/")]
                parts.append(f"[{shown[0] if shown else 'output'}]\n")
        elif kind == "error":
            error = f"{output.get('ename', 'Error')}: {ANSI.sub('', str(output.get('evalue', '')))}"
            parts.append(error + "\n")
    return parts, "".join(printed), error, has_result


def render(notebook: Any) -> RenderedNotebook:
    """The deterministic text of a notebook (see the module docstring) and where each code cell lies in it."""
    metadata = notebook.get("metadata", {})
    language = str(metadata.get("language_info", {}).get("name")
                   or metadata.get("kernelspec", {}).get("language") or "python").lower()
    chunks: list[str] = []
    offset = 0
    cells: list[RenderedCell] = []

    def emit(text: str) -> int:
        nonlocal offset
        start = offset
        chunks.append(text)
        offset += len(text)
        return start

    for index, cell in enumerate(notebook.get("cells", []), start=1):
        source = _source(cell).rstrip("\n")
        if cell.get("cell_type") != "code":
            if source.strip():
                emit(source + "\n\n")
            continue
        count = cell.get("execution_count")
        label = str(count) if count is not None else " "
        opening, closing = _fence(source, language)
        emit(f"In [{label}]:\n{opening}\n")
        code_start = emit(source + "\n")
        emit(f"{closing}\n")
        parts, printed, error, has_result = _outputs(cell)
        region = None
        if parts:
            body = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
            opening, closing = _fence(body)
            emit(f"Out[{label}]:\n{opening}\n")
            body_start = emit(body)
            region = Region(body_start, body_start + len(body), body)
            emit(f"{closing}\n")
        emit("\n")
        cells.append(RenderedCell(index, count, source + "\n", code_start, printed, region, error, has_result))
    return RenderedNotebook("".join(chunks).rstrip("\n") + "\n", language, cells)


def runnable(code: str) -> str:
    """A cell's code as plain Python: IPython magics and shell escapes commented out (their lines kept)."""
    lines = []
    for line in code.split("\n"):
        match = MAGIC.match(line)
        if match and not _parses(line.strip()):
            lines.append(f"{match.group(1)}# {match.group(2)}  (IPython only)")
        else:
            lines.append(line)
    return "\n".join(lines)


def _parses(line: str) -> bool:
    try:
        ast.parse(line)
    except SyntaxError:
        return False
    return True


def display_last(code: str) -> str:
    """Print the value of a cell's final expression with `repr`, as IPython displays it in `Out[n]:`.
    Code that does not parse, ends in a statement or in a `print` call, is returned unchanged."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return code
    last = tree.body[-1]
    call = last.value
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("print", "display"):
        return code  # returns None: IPython shows no value
    lines = code.split("\n")
    assert last.end_lineno is not None and last.end_col_offset is not None
    first, end = last.lineno - 1, last.end_lineno - 1
    segment = ast.get_source_segment(code, last) or ""
    before = lines[first][: last.col_offset]
    after = lines[end][last.end_col_offset:]
    return "\n".join([*lines[:first], f"{before}print(repr({segment}))" + after, *lines[end + 1:]])


def candidates(rendered: RenderedNotebook) -> list[Candidate]:
    """One code candidate per code cell that shows output (or raised), and one for the last code cell when
    no output follows it (the whole program "runs as shown"); each carries the program up to its cell."""
    found: list[Candidate] = []
    program: list[str] = []
    skipped: list[str] = []
    with_output = [cell for cell in rendered.cells if cell.printed.strip() or cell.error]
    last_output = with_output[-1].index if with_output else 0
    last_code = max((cell.index for cell in rendered.cells if cell.code.strip()), default=0)
    for cell in rendered.cells:
        if not cell.code.strip():
            continue
        plain = runnable(cell.code.rstrip("\n"))
        own = display_last(plain) if cell.has_result else plain
        code = "\n\n".join([*program, own]) + "\n"
        if USES_DISPLAY.search(code) and not DEFINES_DISPLAY.search(code):
            code = DISPLAY_SHIM + code
        label = f"In [{cell.count}]" if cell.count is not None else f"cell {cell.index}"
        earlier = f"; runs after {len(program)} earlier code cell(s)" if program else ""
        left_out = f"; leaves out failing cell(s) {', '.join(skipped)}" if skipped else ""
        fields: dict[str, object] = {"code": code, "language": rendered.language}
        if cell.printed.strip() and cell.output is not None:
            shown = cell.printed.strip()
            quote = "\n".join(shown.split("\n")[:QUOTED_LINES])  # a long log is quoted by its first lines
            found_at = cell.output.text.find(quote)
            if found_at < 0:  # stdout interleaved with stderr: quote the block's first lines
                quote = "\n".join(cell.output.text.strip().split("\n")[:QUOTED_LINES])
                found_at = cell.output.text.find(quote)
            start = cell.output.start + max(0, found_at)
            fields["printed"] = cell.printed
            statement = f"The code of {label} prints the output the notebook shows."
            reason = f"notebook {label} with its output{earlier}{left_out}"
            confidence = 0.9
        else:
            first = next(line for line in cell.code.split("\n") if line.strip())
            start, quote = cell.code_start + cell.code.index(first), first.strip()
            statement = f"The code of {label} runs as shown."
            reason = f"notebook {label}, {'an error' if cell.error else 'no output'} shown{earlier}{left_out}"
            confidence = 0.5
        if cell.error:
            statement = f"The code of {label} fails with {cell.error} (the notebook shows the error)."
            reason += f"; the notebook shows it failing ({cell.error}): delete this claim unless the failure is " \
                      "the point"
            confidence = 0.4
        if cell.printed.strip() or cell.error or cell.index == last_code > last_output:
            found.append(Candidate("code", quote, start, statement, reason, confidence, fields))
        if cell.error:
            skipped.append(label)
        else:
            program.append(plain)  # earlier cells run for their definitions; their results are not shown
    return found


def code_regions(rendered: RenderedNotebook) -> list[Region]:
    """Code and output blocks of the rendering: no citation, math or fact is drafted from inside them."""
    regions = [Region(c.code_start, c.code_start + len(c.code), c.code) for c in rendered.cells]
    regions += [c.output for c in rendered.cells if c.output is not None]
    return sorted(regions, key=lambda r: r.start)
