"""What the CLI commands do, as library calls: build objects from options and run them.

Kept apart from cli.py so that the CLI only parses and maps errors, and so the app can reuse the same
code (the report's add-a-claim form calls `add_claim`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.syntax import Syntax

from verifier.atomic import write_atomic
from verifier.audit import AuditOptions, exit_statuses, run_audit, select
from verifier.checkers.factory import CheckerOptions, build_checkers
from verifier.config import load_settings
from verifier.errors import (
    EmptySelectionError,
    ExitCode,
    InvalidInputError,
    Problem,
    StorageError,
    UsageError,
    VerifierError,
)
from verifier.execution.environment import host_environment
from verifier.registry import load_registry
from verifier.registry.models import KINDS
from verifier.registry.records import AnyClaim, ClaimRecord, Registry
from verifier.registry.writer import append_claim, build_claim, render, to_yaml_node
from verifier.results.evidence import RunEvidence
from verifier.results.formats import FORMATS, FormatName
from verifier.results.formats.table_format import TableFormat
from verifier.results.models import AuditRun, ClaimResult
from verifier.results.store import ResultStore, read_report
from verifier.verdicts import Status, parse_statuses

log = logging.getLogger(__name__)
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class AuditRequest:
    registry: Path
    only: str | None = None
    kind: str | None = None
    offline: bool = False
    jobs: int = 1
    device: str = "auto"
    fresh: bool = False
    seeds: int | None = None
    format: str = "table"
    output: Path | None = None
    fail_on: str | None = None
    snapshot: Path | None = None
    arxiv_url: str | None = None
    executor: str = "local"
    ray_address: str | None = None
    crossref: bool = False
    indexes: str | None = None


def _check_request(request: AuditRequest) -> tuple[FormatName, frozenset[Any]]:
    try:
        fmt = FormatName(request.format)
    except ValueError:
        raise UsageError(f"unknown --format {request.format!r}; use one of "
                         f"{', '.join(f.value for f in FormatName)}") from None
    if request.kind is not None and request.kind not in KINDS:
        raise UsageError(f"unknown --kind {request.kind!r}; use one of {', '.join(KINDS)}")
    if request.device not in DEVICES:
        raise UsageError(f"unknown --device {request.device!r}; use one of {', '.join(DEVICES)}")
    if request.executor not in ("local", "ray"):
        raise UsageError(f"unknown --executor {request.executor!r}; use local or ray")
    try:
        fail_on = parse_statuses(request.fail_on or "")
    except ValueError as exc:
        raise UsageError(f"--fail-on: {exc}") from None
    return fmt, fail_on


def run_audit_command(request: AuditRequest, out: Console, err: Console) -> ExitCode:
    fmt, fail_on = _check_request(request)
    registry = load_registry(request.registry)
    records = select(registry.records, request.only, request.kind)
    if not records:
        raise EmptySelectionError(f"no claim matches --only {request.only!r} --kind {request.kind!r}")
    settings = load_settings(registry.project_root, request.arxiv_url)
    store = ResultStore(settings.home)  # first: a store that cannot be opened stops before any work starts
    try:
        checkers = build_checkers(registry, settings, CheckerOptions(
            offline=request.offline, device=request.device, jobs=request.jobs, seeds=request.seeds,
            snapshot=request.snapshot, fresh=request.fresh, executor=request.executor,
            ray_address=request.ray_address, crossref=request.crossref, indexes=request.indexes))
        try:
            options = AuditOptions(only=request.only, kind=request.kind, jobs=request.jobs, fresh=request.fresh,
                                   offline=request.offline, device=request.device, environment=host_environment())
            run = _audit_with_progress(registry, records, checkers.by_kind, options, store, err)
            store.record_audit(run)
        finally:
            checkers.close()
    finally:
        store.close()
    _keep_latest(settings.reports / "latest.json", run, [r.claim.id for r in registry.records], err)
    if fmt is FormatName.TABLE and request.output is None:
        out.print(TableFormat().renderable(run))
    else:
        text = FORMATS[fmt].render(run)
        if request.output is None:
            out.file.write(text)
        else:
            write_atomic(request.output, text)
            err.print(f"wrote {request.output}", markup=False)
    failed = exit_statuses(run, fail_on)
    if failed:
        err.print(f"--fail-on: {', '.join(s.value for s in failed)} present")
        return ExitCode.FINDINGS
    return ExitCode.OK


def _keep_latest(path: Path, run: AuditRun, claim_ids: list[str], err: Console) -> None:
    """Write `reports/latest.json`: a filtered audit updates its claims there and keeps the others."""
    from verifier.results.merge import is_filtered, merge

    previous = None
    if is_filtered(run) and path.is_file():
        try:
            previous = read_report(path)
        except (StorageError, OSError, UnicodeDecodeError, ValueError) as exc:
            err.print(f"{path} could not be read ({exc}); it now holds only this audit", highlight=False)
    merged = merge(previous, run, claim_ids)
    write_atomic(path, FORMATS[FormatName.JSON].render(merged.run))
    if merged.kept:
        err.print(f"{path}: updated {merged.updated} claim(s), kept {merged.kept} from earlier audits "
                  "(a full audit re-checks them; --output FILE writes this audit alone)", highlight=False)


def _audit_with_progress(registry: Registry, records: list[ClaimRecord], checkers: Any,
                         options: AuditOptions, store: ResultStore, err: Console) -> AuditRun:
    progress = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err, transient=True)
    with progress:
        task = progress.add_task("", total=len(records))

        def advance(result: ClaimResult) -> None:
            progress.update(task, advance=1, description=f"{result.claim_id}: {result.status.value}")

        return run_audit(registry, records, checkers, options, cache=store, on_result=advance)


def latest_result(registry: Registry, claim_id: str) -> tuple[ClaimResult | None, str]:
    """The claim's result in reports/latest.json, or None with the reason (no audit yet, unreadable report)."""
    path = load_settings(registry.project_root).reports / "latest.json"
    if not path.exists():  # a FIFO or folder there is named by read_report
        return None, "no result yet: run `verifier audit`"
    try:
        run = read_report(path)
    except StorageError as exc:
        return None, f"no result shown: {exc}"
    found = next((r for r in run.results if r.claim_id == claim_id), None)
    return found, "" if found else "no result yet: run `verifier audit`"


def show_claim(registry_dir: Path, claim_id: str, around: int, out: Console) -> None:
    registry = load_registry(registry_dir)
    record = registry.by_id(claim_id)
    if record is None:
        raise UsageError(f"no claim with id {claim_id!r} in {registry_dir}")
    out.print(f"[bold]{escape(record.ref)}[/]")
    node = to_yaml_node(record.claim)
    if len(record.claim.model_dump_json()) > SHOW_MAX_CHARS:
        node = _shortened(node)
        out.print(f"(long values shortened for display; the full claim is at {record.location})",
                  markup=False, highlight=False)
    out.print(Syntax(render([node]), "yaml", word_wrap=True))
    doc = registry.sources[record.claim.source]
    for anchor in record.anchors:
        first = max(1, anchor.start_line - around)
        last = min(len(doc.text.lines), anchor.end_line + around)
        out.print(f"[bold]{escape(doc.path.name)}, lines {anchor.start_line}-{anchor.end_line}:[/]")
        for number in range(first, last + 1):
            marker = ">" if anchor.start_line <= number <= anchor.end_line else " "
            style = "bold yellow" if marker == ">" else "dim"
            out.print(f"{marker}{number:5d} | {doc.text.lines[number - 1]}", style=style,
                      markup=False, highlight=False)
    result, why = latest_result(registry, claim_id)
    damaged = _store_problem(load_settings(registry.project_root).home)
    if result is None:
        if damaged is not None:  # "run `verifier audit`" would only meet the same damaged store
            raise damaged
        out.print(why, markup=False, highlight=False)
        return
    out.print(f"[bold]latest verdict:[/] {result.status.value}: {escape(result.summary)}", highlight=False)
    for check in result.checks:
        manual = " (manual)" if check.manual else ""
        out.print(f"  {check.name}: {check.status.value}{manual}: {check.summary}", markup=False)
    if damaged is not None:
        raise damaged


SHOW_MAX_CHARS = 256 * 1024  # ruamel's emitter needs ~1 s per MB: a 30 MB claim (aliases allow it) took 32 s
SHOW_STRING_CHARS = 2000


def _shortened(value: Any, budget: list[int] | None = None) -> Any:
    """A copy of a claim's YAML tree cut to about SHOW_MAX_CHARS of text (long strings clipped, the rest of a
    collection elided once the budget is spent), for `show` only: never written back."""
    budget = [SHOW_MAX_CHARS] if budget is None else budget
    if isinstance(value, str):
        keep = min(len(value), SHOW_STRING_CHARS, max(budget[0], 0))
        budget[0] -= keep
        return value if keep == len(value) else f"{value[:keep]}... [{len(value):,} characters in all]"
    if isinstance(value, dict):
        pairs = []
        for key, item in value.items():
            if budget[0] <= 0:
                pairs.append(("...", f"[{len(value):,} entries in all]"))
                break
            budget[0] -= len(str(key))
            pairs.append((key, _shortened(item, budget)))
        return type(value)(pairs)
    if isinstance(value, list):
        items = []
        for item in value:
            if budget[0] <= 0:
                items.append(f"... [{len(value):,} items in all]")
                break
            items.append(_shortened(item, budget))
        return type(value)(items)
    budget[0] -= 8
    return value


def _store_problem(home: Path) -> StorageError | None:
    """Why the results store cannot be read, if it cannot: `show` reports it as `audit` would (exit 6 naming the
    file) after printing the claim, rather than hide it behind "no result yet". Opened read-only, so a read-only
    VERIFIER_HOME still shows."""
    if not (home / "store.sqlite").exists():
        return None
    try:
        store = ResultStore(home, read_only=True)
    except StorageError as exc:
        return exc
    store.close()
    return None


@dataclass(frozen=True)
class AddRequest:
    registry: Path
    from_yaml: Path | None
    fields: dict[str, Any]


def claim_data(fields: dict[str, Any]) -> dict[str, Any]:
    """Turn flat command-line fields into the nested claim mapping."""
    data = {k: fields.get(k) for k in ("id", "source", "kind", "quote", "statement")}
    kind = fields.get("kind")
    if kind == "citation":
        authors = fields.get("authors")
        data["reference"] = {
            "title": fields.get("title"), "name": fields.get("name"), "year": fields.get("year"),
            "url": fields.get("url"),
            "arxiv_id": fields.get("arxiv_id"),
            "authors": [a.strip() for a in authors.split(";") if a.strip()] if authors else [],
        }
        data["described_as"] = fields.get("described_as")
    elif kind == "code":
        for key, name in (("code", "code_file"), ("printed", "printed_file")):
            path = fields.get(name)
            if path is not None:
                data[key] = _read_input(Path(path), f"--{name.replace('_', '-')}")
        data["reproduction"] = fields.get("reproduction")
    elif kind == "math":
        data["check"] = fields.get("check")
    elif kind == "fact":
        data["about"] = fields.get("about")
    elif kind == "api":
        for key in ("package", "name", "argument", "version", "does", "check"):
            data[key] = fields.get(key)
    return {k: v for k, v in data.items() if v is not None}


REQUIRED = {"citation": ("title",), "code": ("code_file",), "math": ("check",), "fact": ()}


def _ask(fields: dict[str, Any], interactive: bool) -> dict[str, Any]:
    import typer

    fields = dict(fields)
    for name in ("source", "kind", "id", "quote", "statement"):
        if fields.get(name) is None and interactive:
            fields[name] = typer.prompt(name)
    for name in REQUIRED.get(fields.get("kind") or "", ()):
        if name == "title" and fields.get("name") is not None:
            continue
        if fields.get(name) is None and interactive:
            fields[name] = typer.prompt(name)
    missing = [n for n in ("source", "kind", "id", "quote", "statement") if fields.get(n) is None]
    if missing:
        raise UsageError(f"missing --{' --'.join(m.replace('_', '-') for m in missing)} "
                         "(or run in a terminal to be asked)")
    return fields


def add_claim(registry_dir: Path, data: dict[str, Any]) -> ClaimRecord:
    claim: AnyClaim = build_claim(data)
    return append_claim(registry_dir, claim)


def _read_claim_yaml(path: Path) -> Any:
    """The `--yaml` file, through the same bounded reader as the registry (alias bombs, deep nesting,
    control characters and bad UTF-8 are refused with their line)."""
    from verifier.registry.files import MAX_YAML_BYTES, Unreadable, read_text
    from verifier.registry.yaml_io import parse_yaml

    shown = str(path)
    try:
        text = read_text(path, path.resolve().parent, MAX_YAML_BYTES)
    except Unreadable as exc:
        raise InvalidInputError([Problem(shown, exc.line, None, f"cannot read: {exc}")]) from None
    data, _, problems = parse_yaml(text, shown)
    if problems:
        raise InvalidInputError(problems)
    return data


def add_claim_command(request: AddRequest, interactive: bool, console: Console) -> None:
    if request.from_yaml is not None:
        data = _read_claim_yaml(request.from_yaml)
        if not isinstance(data, dict):
            raise InvalidInputError([Problem(str(request.from_yaml), 1, None, "expected one claim mapping")])
    else:
        data = claim_data(_ask(request.fields, interactive))
    record = add_claim(request.registry, data)
    console.print(f"added {record.ref} (quote at line {record.anchors[0].start_line})")


@dataclass(frozen=True)
class RunRequest:
    file: Path
    printed: Path | None = None
    seeds: int | None = None
    timeout: float = 60.0
    device: str = "auto"
    format: str = "table"


def _read_input(path: Path, what: str) -> str:
    """A user-named file: a regular UTF-8 file of bounded size (`/dev/zero` or a FIFO would never end)."""
    from verifier.registry.files import MAX_SOURCE_BYTES, Unreadable, read_text

    try:
        return read_text(path, path.resolve().parent, MAX_SOURCE_BYTES)
    except Unreadable as exc:
        raise InvalidInputError([Problem(str(path), exc.line, None, f"cannot read {what}: {exc}")]) from None


def run_snippet_command(request: RunRequest, out: Console) -> None:
    """`verifier run`: the same sandbox and comparison as an audit, for one file."""
    from verifier.execution.pool import LocalPool
    from verifier.execution.runner import CodeRequest, SandboxRunner, choose_seeds

    if request.device not in DEVICES:
        raise UsageError(f"unknown --device {request.device!r}; use one of {', '.join(DEVICES)}")
    if request.format not in ("table", "json"):
        raise UsageError("--format must be table or json")
    if request.timeout <= 0:
        raise UsageError("--timeout must be positive")
    code = _read_input(request.file, "the snippet")
    printed = _read_input(request.printed, "the claimed output") if request.printed else None
    seeds = tuple(choose_seeds(code, [], request.seeds) if request.seeds is None else range(request.seeds))
    with LocalPool(size=1) as pool:
        runner = SandboxRunner(pool, str(Path.cwd()))
        result = runner.check("as_written", CodeRequest(code=code, printed=printed, seeds=seeds,
                                                        device=request.device, timeout_s=request.timeout),
                              ours=False)
    if request.format == "json":
        out.file.write(result.model_dump_json(indent=2) + "\n")
    else:
        out.print(f"[bold]{result.status.value}[/]: {escape(result.summary)}", highlight=False)
        for run in result.evidence.runs if isinstance(result.evidence, RunEvidence) else []:
            seed = f"seed {run.seed}, " if run.seed is not None else ""
            out.print(f"--- run ({seed}{run.duration_s:.3f} s, {run.status}) ---", highlight=False)
            out.print(run.stdout.rstrip() or "(no output)", markup=False, highlight=False)
            if run.exception:
                out.print((run.exception.traceback or "").rstrip(), markup=False, style="red")
    if result.status == Status.ERROR:  # for a snippet, only the sandbox fails this way: not a finding
        raise VerifierError(result.summary)


def build_index_command(files: list[Path], output: Path | None, complete: bool, out: Console, err: Console) -> None:
    from verifier.checkers.factory import snapshot_path
    from verifier.references.snapshot import build

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise InvalidInputError([Problem(m, None, None, "no such file") for m in missing])
    target = output or snapshot_path(load_settings(Path.cwd()), None)
    stats = build(files, target, complete=complete,
                  progress=lambda name, n: err.print(f"  {name}: {n} records", markup=False))
    out.print(f"wrote {target}: {stats['records']} records ({stats['arxiv_records']} with arXiv ids, first "
              f"versions {stats['first']} to {stats['last']}){' complete' if complete else ''}", highlight=False,
              markup=False)


def update_index_command(index: Path | None, files: list[Path], out: Console, err: Console) -> None:
    """Add or replace records from new metadata files in an existing index (no rebuild)."""
    from verifier.checkers.factory import snapshot_path
    from verifier.references.snapshot_build import update

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise InvalidInputError([Problem(m, None, None, "no such file") for m in missing])
    target = index or snapshot_path(load_settings(Path.cwd()), None)
    stats = update(target, files, progress=lambda name, n: err.print(f"  {name}: {n} records", markup=False))
    out.print(f"updated {target}: now {stats['records']} records ({stats['arxiv_records']} with arXiv ids)",
              highlight=False, markup=False)


def index_info_command(index: Path | None, out: Console) -> None:
    from verifier.checkers.factory import snapshot_path
    from verifier.references.snapshot import SnapshotIndex
    from verifier.references.snapshot_info import describe

    target = index or snapshot_path(load_settings(Path.cwd()), None)
    for line in describe(SnapshotIndex(target)):
        out.print(line, markup=False, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class ResolveRequest:
    title: str | None = None
    authors: str | None = None
    year: int | None = None
    arxiv_id: str | None = None
    described_as: str | None = None
    offline: bool = False
    name: str | None = None
    snapshot: Path | None = None
    arxiv_url: str | None = None
    format: str = "table"
    doi: str | None = None
    crossref: bool = False
    indexes: str | None = None
    bib: Path | None = None


def resolve_command(request: ResolveRequest, out: Console) -> None:
    from verifier.checkers.factory import build_references
    from verifier.registry.models import Reference

    if request.format not in ("table", "json"):
        raise UsageError("--format must be table or json")
    if request.bib is not None:
        from verifier.references.bib_command import resolve_bib

        resolve_bib(request.bib, request, out)
        return
    if not (request.title or request.arxiv_id or request.doi or request.name):
        raise UsageError("give --title, --name, --arxiv-id, --doi or --bib")
    authors = [a.strip() for a in (request.authors or "").split(";") if a.strip()]
    reference = Reference(title=request.title, name=request.name, authors=authors, year=request.year,
                          arxiv_id=request.arxiv_id, doi=request.doi)
    settings = load_settings(Path.cwd(), request.arxiv_url)
    closers: list[Any] = []
    try:
        options = CheckerOptions(offline=request.offline, snapshot=request.snapshot, crossref=request.crossref,
                                 indexes=request.indexes)
        resolver, _, _ = build_references(settings, options, closers)
        resolution = resolver.resolve(reference, request.described_as)
    finally:
        for close in closers:
            close()
    if request.format == "json":
        import json

        out.file.write(json.dumps({"status": resolution.status.value, "summary": resolution.summary,
                                   **resolution.evidence().model_dump(mode="json", exclude={"kind"})},
                                  indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{resolution.status.value}[/]: {escape(resolution.summary)}", highlight=False)
    out.print(f"consulted: {', '.join(resolution.consulted) or 'none'}; failed: "
              f"{', '.join(f.index for f in resolution.failed) or 'none'}", highlight=False)
    for record, result in resolution.candidates[:3]:
        out.print(f"  {result.total:.2f}  {record.arxiv_id or record.venue or '-'}  {record.title}", markup=False)
    for note in resolution.notes:
        out.print(f"note: {note}", markup=False, highlight=False)


@dataclass(frozen=True)
class ExtractRequest:
    source: Path
    slug: str | None = None
    output: Path | None = None
    into: Path | None = None  # a registry folder: keep the source, add its entry and its draft there
    title: str | None = None
    kind: str = "other"
    language: str = "en"


def extract_command(request: ExtractRequest, out: Console, err: Console) -> None:
    """`verifier extract`: read the document with the reader of its format (`extraction/formats.py`), draft
    its claims, and print them, write them to `--output`, or add the document to the registry `--into`."""
    from collections import Counter

    from verifier.extraction.draft import render_draft
    from verifier.extraction.formats import prepare
    from verifier.extraction.project import add_document, existing_ids, slug_of, title_of
    from verifier.registry.models import Source

    if request.into is not None and request.output is not None:
        raise UsageError("give --output or --into, not both")
    slug = slug_of(request.source, request.slug)
    prepared = prepare(request.source)
    draft = render_draft(prepared.candidates, slug, existing_ids(request.into) if request.into else None)
    counts = Counter(c.kind for c in prepared.candidates)
    summary = f"{len(prepared.candidates)} candidates ({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))})"
    if request.into is not None:
        if prepared.problems:
            raise InvalidInputError(prepared.problems)  # nothing joins a registry from a document read in part
        try:
            entry = Source(slug=slug, file=f"{slug}{prepared.suffix}", title=request.title or title_of(
                prepared, request.source), kind=request.kind, language=request.language,
                origin=f"{request.source.name}, {prepared.how}")
        except ValueError as exc:
            raise UsageError(f"invalid source entry: {exc}") from None
        added = add_document(request.into, request.source, prepared, draft, entry)
        err.print(f"{summary}; {request.source.name} {prepared.how} to {added.source}; drafts in {added.claims}; "
                  f"review them, then `verifier validate --registry {request.into}`", highlight=False, markup=False)
        return
    if request.output is None:
        out.file.write(draft)
    else:
        write_atomic(request.output, draft)
    err.print(summary + (f"; wrote {request.output}" if request.output else ""), highlight=False, markup=False)
    if prepared.problems:
        raise InvalidInputError(prepared.problems)  # after the draft of every readable entry was written
    if prepared.how != "copied byte for byte":
        err.print(f"note: quotes anchor in the text {prepared.how}; use --into DIR to keep that text as the "
                  "source", highlight=False, markup=False)


def init_command(project: Path, request: ExtractRequest, out: Console, err: Console) -> None:
    """`verifier init DIR --source FILE`: a new project folder with its registry (DIR/claims) holding the
    document and its drafts, and an empty reproductions/ for the checks a person writes."""
    from verifier.registry.sources import SOURCES_FILE

    registry = project / "claims"
    if (registry / SOURCES_FILE).exists():
        raise UsageError(f"{registry / SOURCES_FILE} exists already: add documents with "
                         f"`verifier extract FILE --into {registry}`")
    extract_command(ExtractRequest(request.source, request.slug, None, registry, request.title, request.kind,
                                   request.language), out, err)
    reproductions = project / "reproductions"
    reproductions.mkdir(exist_ok=True)
    init_file = reproductions / "__init__.py"
    if not init_file.exists():
        write_atomic(init_file, '"""Checks and ports written for this project\'s claims (`module:function`)."""\n')
    out.print(f"created {registry} (sources.yaml, sources/, schema.json, the draft) and {reproductions}/",
              highlight=False, markup=False)
