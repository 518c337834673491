"""Load a registry folder: every claim validated, anchored and cross-checked, every problem at once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from verifier.errors import InvalidInputError, Problem
from verifier.registry.models import (
    CHECK_TAGS,
    CLAIM_ADAPTER,
    KINDS,
    ApiClaim,
    CitationClaim,
    CodeClaim,
    FactClaim,
    MathClaim,
)
from verifier.registry.records import AnyClaim, ClaimRecord, Registry, SourceDoc
from verifier.registry.sources import SOURCES_FILE, load_sources
from verifier.registry.targets import target_problem
from verifier.registry.yaml_io import line_of, locate, locate_in_item, read_yaml

log = logging.getLogger(__name__)


def claim_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.yaml") if p.name != SOURCES_FILE)


def load_registry(root: Path) -> Registry:
    """Read `root` (e.g. `claims/`); raise InvalidInputError listing every problem found."""
    try:
        root = root.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise InvalidInputError([Problem(str(root), None, None, f"registry folder cannot be resolved: {exc}")]) \
            from None
    if not root.is_dir():
        raise InvalidInputError([Problem(str(root), None, None, "registry folder not found")])
    shown_root = root.parent
    sources, problems = load_sources(root, shown_root)
    registry = Registry(root=root, sources=sources, sources_ok=not problems)
    targets: dict[str, str | None] = {}  # each `module:function` is looked up once per load, not once per claim
    for path in claim_files(root):
        shown = str(path.relative_to(shown_root))
        records, file_problems = _load_file(path, shown, registry, targets)
        registry.records.extend(records)
        problems.extend(file_problems)
    problems.extend(_cross_check(registry.records))
    if problems:
        problems.sort(key=lambda p: (p.path, p.line or 0))
        raise InvalidInputError(problems)
    return registry


def _load_file(
    path: Path, shown: str, registry: Registry, targets: dict[str, str | None]
) -> tuple[list[ClaimRecord], list[Problem]]:
    data, tree, problems = read_yaml(path, shown, registry.root)
    if problems:
        return [], problems
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(shown, line_of(tree, 1), None, "expected a list of claims")]
    records: list[ClaimRecord] = []
    for index, item in enumerate(data):
        line = locate(tree, (index,), 1)[0] or 1
        claim, claim_problems = _validate(item, tree, index, shown, line)
        problems.extend(claim_problems)
        if claim is None:
            continue
        record, record_problems = _place(claim, shown, line, path.stem, registry, targets)
        problems.extend(record_problems)
        if record is not None:
            records.append(record)
    return records, problems


def _validate(
    node: Any, tree: Any, index: int, shown: str, line: int
) -> tuple[AnyClaim | None, list[Problem]]:
    if not isinstance(node, dict):
        return None, [Problem(shown, line, None, "each claim must be a mapping (key: value lines)")]
    kind = node.get("kind")
    if kind not in KINDS:
        field_line = locate(tree, (index, "kind"), line)[0]
        message = f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
        if kind is None:
            message = f"missing kind; expected one of {', '.join(KINDS)}"
        return None, [Problem(shown, field_line, "kind", message)]
    try:
        return CLAIM_ADAPTER.validate_python(node), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = error["loc"][1:] if error["loc"] and error["loc"][0] == kind else error["loc"]
            loc = tuple(part for part in loc if part not in CHECK_TAGS)
            if error["type"] == "json_value":  # points inside params: follow it to the offending line
                loc = (*loc, *error.get("ctx", {}).get("path", ()))
            err_line, field = locate_in_item(tree, index, loc, line)
            claim_id = node.get("id")
            prefix = f"claim {claim_id!r}: " if isinstance(claim_id, str) else ""
            problems.append(Problem(shown, err_line, field or None, prefix + error["msg"]))
        return None, problems


def _place(
    claim: AnyClaim, shown: str, line: int, stem: str, registry: Registry, targets: dict[str, str | None]
) -> tuple[ClaimRecord | None, list[Problem]]:
    problems: list[Problem] = []
    doc: SourceDoc | None = registry.sources.get(claim.source)
    if doc is None:
        if not registry.sources_ok:
            return None, []  # the broken sources.yaml is reported already; no cascade of errors
        known = ", ".join(sorted(registry.sources)) or "none"
        return None, [Problem(shown, line, "source", f"unknown source {claim.source!r} (known: {known})")]
    if stem != claim.source:
        problems.append(
            Problem(shown, line, "source", f"claims of {claim.source!r} belong in {claim.source}.yaml")
        )
    anchors = doc.text.find_all(claim.quote)
    if not anchors:
        near_line, excerpt, score = doc.text.nearest(claim.quote)
        problems.append(
            Problem(
                shown, line, "quote",
                f"claim {claim.id!r}: quote not found in {doc.path.name}; nearest passage "
                f"(line {near_line}, {score:.0%} alike): {excerpt!r}",
            )
        )
    for target_field in _targets(claim):
        if target_field[1] not in targets:
            targets[target_field[1]] = target_problem(registry.reproductions, target_field[1])
        message = targets[target_field[1]]
        if message:
            problems.append(Problem(shown, line, target_field[0], f"claim {claim.id!r}: {message}"))
    if problems:
        return None, problems
    return ClaimRecord(claim, shown, line, tuple(anchors)), []


def _targets(claim: AnyClaim) -> list[tuple[str, str]]:
    if isinstance(claim, CodeClaim) and claim.reproduction:
        return [("reproduction", claim.reproduction)]
    if isinstance(claim, MathClaim) and isinstance(claim.check, str):
        return [("check", claim.check)]
    if isinstance(claim, ApiClaim) and claim.check:
        return [("check", claim.check)]
    return []


def _cross_check(records: list[ClaimRecord]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, ClaimRecord] = {}
    for record in records:
        first = seen.setdefault(record.claim.id, record)
        if first is not record:
            problems.append(
                Problem(record.file, record.line, "id",
                        f"duplicate id {record.claim.id!r} (first at {first.location})")
            )
    for record in records:
        claim = record.claim
        if isinstance(claim, MathClaim):
            problems.extend(Problem(record.file, record.line, "reads", f"no claim with id {other!r}")
                            for other in claim.reads if other not in seen)
        if isinstance(claim, FactClaim) and claim.about is not None:
            target = seen.get(claim.about)
            if target is None:
                message = f"no claim with id {claim.about!r}"
                problems.append(Problem(record.file, record.line, "about", message))
            elif not isinstance(target.claim, CitationClaim):
                problems.append(
                    Problem(record.file, record.line, "about", f"{claim.about!r} is not a citation claim")
                )
    return problems
