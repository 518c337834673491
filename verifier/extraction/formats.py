"""Documents in the formats people have, each turned into the text the registry keeps and the draft
candidates found in it. One reader per file suffix: a new format plugs in with one line in `READERS`.

A reader returns `Prepared`: the source text quotes anchor in, the bytes to keep under `claims/sources/`
(the file itself, byte for byte, when the format is text; a rendering when it is not, e.g. a notebook), the
suffix of the kept file, and the candidates. Plain text and Markdown go through the text finders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from verifier.errors import InvalidInputError, Problem
from verifier.extraction.candidates import Candidate


@dataclass(frozen=True)
class Prepared:
    text: str  # what the registry reads back from the kept file; quotes anchor in it
    kept: bytes  # the bytes written to claims/sources/<slug><suffix>
    suffix: str
    candidates: list[Candidate]
    how: str  # "copied byte for byte" or "rendered from ..." (said to the user)
    problems: list[Problem] = field(default_factory=list)  # parts that could not be read (file, line, message)


Reader = Callable[[Path], Prepared]


def read_text(path: Path) -> tuple[bytes, str]:
    """The file's bytes and its text exactly as the registry will read it back (a regular UTF-8 file of
    bounded size: `/dev/zero` or a FIFO would never end)."""
    from verifier.registry.files import MAX_SOURCE_BYTES, Unreadable, decode, read_bytes

    try:
        data = read_bytes(path, path.resolve().parent, MAX_SOURCE_BYTES)
        return data, decode(data)
    except Unreadable as exc:
        raise InvalidInputError([Problem(str(path), exc.line, None, f"cannot read the document: {exc}")]) from None


def plain(path: Path) -> Prepared:
    """Plain text and Markdown: kept as they are; every finder runs on the text."""
    from verifier.extraction.draft import extract

    data, text = read_text(path)
    suffix = path.suffix.lower() if path.suffix.lower() in (".md", ".markdown", ".txt", ".rst") else ".txt"
    # The finders read one newline convention; quotes still anchor in the kept text (whitespace-insensitive)
    # and lines keep their numbers.
    return Prepared(text, data, suffix, extract(text.replace("\r\n", "\n").replace("\r", "\n")),
                    "copied byte for byte")


def notebook(path: Path) -> Prepared:
    """A Jupyter notebook: rendered to text (see `verifier.extraction.notebook`); code from the cells."""
    from verifier.extraction import notebook as nb
    from verifier.extraction.draft import extract_prepared

    rendered = nb.render(nb.read(path))
    found = extract_prepared(rendered.text, nb.code_regions(rendered), nb.candidates(rendered))
    return Prepared(rendered.text, rendered.text.encode("utf-8"), ".txt", found,
                    f"rendered from the notebook {path.name}")


def bibtex(path: Path) -> Prepared:
    """A BibTeX file: kept as it is; one citation candidate per entry (`verifier/references/bib_command.py`)."""
    from verifier.references.bib_command import bib_candidates

    data, text = read_text(path)
    candidates, problems = bib_candidates(text, path)
    return Prepared(text, data, ".bib", candidates, "copied byte for byte", problems)


READERS: dict[str, Reader] = {
    ".ipynb": notebook,
    ".bib": bibtex,
}


def prepare(path: Path) -> Prepared:
    """Read a document with the reader of its suffix (plain text for any other)."""
    return READERS.get(path.suffix.lower(), plain)(path)
