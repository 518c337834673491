"""Read claims/sources.yaml and the documents it lists."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from verifier.errors import Problem
from verifier.registry.anchor import SourceText
from verifier.registry.files import MAX_SOURCE_BYTES, MAX_SOURCE_LINES, Unreadable, read_text
from verifier.registry.models import Source
from verifier.registry.records import SourceDoc
from verifier.registry.yaml_io import locate, locate_in_item, read_yaml

SOURCES_FILE = "sources.yaml"
SOURCES_DIR = "sources"


def load_sources(root: Path, shown_root: Path) -> tuple[dict[str, SourceDoc], list[Problem]]:
    path = root / SOURCES_FILE
    shown = _shown(path, shown_root)
    if not path.is_file():
        return {}, [Problem(shown, None, None, "missing: the registry needs a sources.yaml")]
    data, tree, problems = read_yaml(path, shown, root)
    if problems:
        return {}, problems
    if not isinstance(data, list):
        return {}, [Problem(shown, 1, None, "expected a list of sources")]
    docs: dict[str, SourceDoc] = {}
    for index, item in enumerate(data):
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                line, field = locate_in_item(tree, index, error["loc"], None)
                problems.append(Problem(shown, line, field or None, error["msg"]))
            continue
        line, _ = locate(tree, (index,), None)
        if source.slug in docs:
            problems.append(Problem(shown, line, "slug", f"duplicate source slug {source.slug!r}"))
            continue
        text_path = root / SOURCES_DIR / source.file
        try:
            text = read_text(text_path, root, MAX_SOURCE_BYTES)
            lines = text.count("\n")
            if lines >= MAX_SOURCE_LINES:  # per-line indexes would take gigabytes (64 MB of newlines)
                raise Unreadable(f"too many lines: {lines:,} (at most {MAX_SOURCE_LINES:,})")
        except Unreadable as exc:
            where = f" (its line {exc.line})" if exc.line else ""
            problems.append(Problem(shown, locate_in_item(tree, index, ("file",), line)[0], "file",
                                    f"cannot read {SOURCES_DIR}/{source.file}{where}: {exc}"))
            continue
        docs[source.slug] = SourceDoc(source, text_path, SourceText(text))
    return docs, problems


def _shown(path: Path, shown_root: Path) -> str:
    try:
        return str(path.relative_to(shown_root))
    except ValueError:
        return str(path)
