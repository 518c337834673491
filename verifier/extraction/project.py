"""Put a document into a registry folder (`verifier extract --into DIR`, `verifier init`): the source kept
byte for byte (or its rendering, for a notebook), its entry in `sources.yaml`, the draft claims file and the
schema the drafts point at. Everything is checked before the first write, and a failure while writing
removes what this call wrote, so a registry is never left half-updated."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from verifier.atomic import write_atomic
from verifier.errors import InvalidInputError, Problem, UsageError
from verifier.extraction.formats import Prepared
from verifier.registry.models import Source
from verifier.registry.schema import SCHEMA_FILE, schema_text
from verifier.registry.sources import SOURCES_DIR, SOURCES_FILE

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Added:
    source: Path
    claims: Path
    created: list[Path]


def slug_of(path: Path, slug: str | None) -> str:
    slug = slug or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "source"
    if not SLUG.fullmatch(slug):
        raise UsageError(f"--source-slug must be kebab-case, not {slug!r}")
    return slug


def title_of(prepared: Prepared, path: Path) -> str:
    """The document's first Markdown heading, else its file name."""
    heading = re.search(r"^#{1,6}\s+(\S.*)$", prepared.text, re.M)
    return heading.group(1).strip() if heading else path.name


def _existing_slugs(sources_file: Path) -> set[str]:
    from yaml import YAMLError, safe_load

    if not sources_file.is_file():
        return set()
    try:
        data = safe_load(sources_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise InvalidInputError([Problem(str(sources_file), None, None, f"cannot read: {exc}")]) from None
    if data is None:
        return set()
    if not isinstance(data, list):
        raise InvalidInputError([Problem(str(sources_file), 1, None, "expected a list of sources")])
    return {str(item.get("slug")) for item in data if isinstance(item, dict)}


def existing_ids(registry: Path) -> set[str]:
    """Ids of the claims already in a registry folder (so a new draft's ids differ from them)."""
    from yaml import YAMLError, safe_load

    ids: set[str] = set()
    for path in sorted(registry.glob("*.yaml")) if registry.is_dir() else []:
        if path.name == SOURCES_FILE:
            continue
        try:
            data = safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError):
            continue  # `verifier validate` reports a broken file; a draft only needs the ids it can read
        if isinstance(data, list):
            ids.update(str(item["id"]) for item in data if isinstance(item, dict) and "id" in item)
    return ids


def _entry(source: Source) -> str:
    from verifier.registry.yaml_io import round_trip_yaml

    buffer = StringIO()
    round_trip_yaml().dump([source.model_dump()], buffer)
    return buffer.getvalue()


def _write_bytes(path: Path, data: bytes) -> None:
    """The source exactly as given (byte for byte): temp file, fsync, os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_document(registry: Path, document: Path, prepared: Prepared, draft: str, source: Source) -> Added:
    """Write the kept source, append its entry, write the draft and (when missing) the schema."""
    sources_file = registry / SOURCES_FILE
    kept = registry / SOURCES_DIR / source.file
    claims = registry / f"{source.slug}.yaml"
    if registry.exists() and not registry.is_dir():
        raise UsageError(f"{registry} exists and is not a folder")
    if source.slug in _existing_slugs(sources_file):
        raise UsageError(f"{sources_file} already has a source {source.slug!r}: choose another --source-slug")
    for path in (kept, claims):
        if path.exists():
            raise UsageError(f"{path} already exists: choose another --source-slug, or remove it first")
    previous = sources_file.read_text(encoding="utf-8") if sources_file.is_file() else None
    created: list[Path] = []
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes(kept, prepared.kept)
        created.append(kept)
        write_atomic(claims, draft)
        created.append(claims)
        schema = registry / SCHEMA_FILE
        if not schema.exists():
            write_atomic(schema, schema_text())
            created.append(schema)
        prefix = previous if previous is None or previous.endswith("\n") or not previous else previous + "\n"
        write_atomic(sources_file, (prefix or "") + _entry(source))
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return Added(kept, claims, created)
