"""The command line: parse options (typer validates the enums), call `Project` or the one-off functions, print
what they return (`cli_render.py`), prompt, draw the progress bar, map errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from verifier.config import (
    DEFAULT_REGISTRY,
    AuditConfig,
    BriefFormat,
    Device,
    ExecutorKind,
    OutputFormat,
    ReferenceConfig,
)
from verifier.errors import ExitCode, UsageError, VerifierError
from verifier.limits import MAX_SEEDS, MAX_TIMEOUT_S

if TYPE_CHECKING:  # the library is imported by the command that runs, so `--help` stays instant
    from verifier.project import Project
    from verifier.results.models import AuditRun

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Audit documents that cite papers, print program outputs and state math.")
index_app = typer.Typer(no_args_is_help=True, help="Build, update and describe offline indexes (arXiv, proceedings).")
app.add_typer(index_app, name="index")

err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 140)

RegistryOpt = Annotated[Path, typer.Option("--registry", help="Registry folder (claims/).")]


def project_at(registry: Path | None = None, arxiv_url: str | None = None) -> Project:
    """The project of a registry folder, or (None) the one at the working directory."""
    from verifier.project import Project

    return Project.here(arxiv_url) if registry is None else Project.open(registry, arxiv_url=arxiv_url)


def claim_kind(value: str | None) -> str | None:
    """`--kind`: one of the registry's claim kinds (read from the claim models only when the option is given)."""
    if value is None:
        return None
    from verifier.registry.models import KINDS

    if value not in KINDS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(KINDS)}")
    return value


def fail(error: VerifierError) -> NoReturn:
    err.print(f"[bold red]Error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(int(error.exit_code))


@contextmanager
def reported() -> Iterator[None]:
    """Turn a VerifierError into `Error: ...` on stderr and its exit code."""
    try:
        yield
    except VerifierError as exc:
        fail(exc)


@app.command()
def validate(registry: RegistryOpt = DEFAULT_REGISTRY) -> None:
    """Load the registry, anchor every quote, report every problem (exit 3 when there is one)."""
    from verifier.cli_render import print_validation

    with reported():
        validation = project_at(registry).validate()
    print_validation(validation, registry, out, err)


@app.command()
def audit(
    registry: RegistryOpt = DEFAULT_REGISTRY,
    only: Annotated[str | None, typer.Option(help="Glob on claim id or source slug.")] = None,
    kind: Annotated[str | None, typer.Option(help="citation, code, math, fact or api.", callback=claim_kind)] = None,
    offline: Annotated[bool, typer.Option(help="Use only the cache and the snapshot index.")] = False,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Claims checked in parallel.")] = 1,
    device: Annotated[Device, typer.Option(help="auto, cpu or cuda.")] = Device.AUTO,
    fresh: Annotated[bool, typer.Option(help="Ignore stored results and caches.")] = False,
    seeds: Annotated[int | None, typer.Option(min=1, max=MAX_SEEDS,
                                              help="Seeds for unseeded random snippets.")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", help="table, json, junit or markdown.")] = (
        OutputFormat.TABLE),
    output: Annotated[Path | None, typer.Option(help="Write the report here instead of stdout.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="Exit 1 if any claim has one of these statuses "
                                                "(comma-separated, or 'findings').")] = None,
    snapshot: Annotated[Path | None, typer.Option(help="Offline arXiv index to use.")] = None,
    arxiv_url: Annotated[str | None, typer.Option(help="arXiv API query endpoint.")] = None,
    executor: Annotated[ExecutorKind, typer.Option(help="Where code runs: local (warm pool) or ray.")] = (
        ExecutorKind.LOCAL),
    crossref: Annotated[bool, typer.Option(help="Also ask Crossref (DOIs, journal titles).")] = False,
    index: Annotated[str | None, typer.Option(help="Live indexes, comma-separated: arxiv, crossref, dblp, "
                                              "semantic-scholar, openreview, openalex; all (default) or none.")] = None,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: a local one).")] = None,
) -> None:
    """Check every selected claim and print the report; keep it in the store and reports/latest.json."""
    from verifier.cli_render import print_latest, progress_bar
    from verifier.verdicts import parse_statuses

    with reported():
        try:
            statuses = parse_statuses(fail_on or "")
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
        config = AuditConfig(only=only, kind=kind, offline=offline, jobs=jobs, device=device, fresh=fresh,
                             seeds=seeds, snapshot=snapshot, executor=executor, ray_address=ray_address,
                             crossref=crossref, indexes=index, format=format, output=output, fail_on=statuses)
        with progress_bar(err) as progress:
            outcome = project_at(registry, arxiv_url).audit(config, progress)
        print_latest(outcome.latest, err)
        _write_report(outcome.run, config)
    if outcome.failed:
        err.print(f"--fail-on: {', '.join(s.value for s in outcome.failed)} present")
        raise typer.Exit(int(ExitCode.FINDINGS))
    raise typer.Exit(int(ExitCode.OK))


def _write_report(run: AuditRun, config: AuditConfig) -> None:
    """The table on a terminal, any format to stdout or (atomically) to --output."""
    from verifier.atomic import write_atomic
    from verifier.results.formats import FORMATS
    from verifier.results.formats.table_format import TableFormat

    if config.format is OutputFormat.TABLE and config.output is None:
        out.print(TableFormat().renderable(run))
        return
    text = FORMATS[config.format].render(run)
    if config.output is None:
        out.file.write(text)
    else:
        write_atomic(config.output, text)
        err.print(f"wrote {config.output}", markup=False)


@app.command()
def show(claim_id: Annotated[str, typer.Argument(help="Claim id.")], registry: RegistryOpt = DEFAULT_REGISTRY,
         around: Annotated[int, typer.Option(help="Lines of context.")] = 3) -> None:
    """Show a claim, its quote in context with line numbers, and its latest result."""
    from verifier.cli_render import print_claim, print_context, print_result

    with reported():
        view = project_at(registry).claim(claim_id)
        print_claim(view, out)
        print_context(view, around, out)
        if view.result is None:
            if view.damaged is not None:  # "run `verifier audit`" would only meet the same damaged store
                raise view.damaged
            out.print(view.why, markup=False, highlight=False)
            return
        print_result(view.result, out)
        if view.damaged is not None:
            raise view.damaged


@app.command("new-check")
def new_check(source: Annotated[str, typer.Argument(help="Source slug (the module is named after it).")],
              name: Annotated[str, typer.Argument(help="Function name of the check.")],
              registry: RegistryOpt = DEFAULT_REGISTRY) -> None:
    """Write a Python math check template into reproductions/ (for what no declarative check expresses)."""
    from verifier.mathcheck.template import write_check

    with reported():
        path, target = write_check(registry.resolve().parent / "reproductions", source, name)
    out.print(f"wrote {name} in {path}; name it in the claim as `check: {target}`")


def _report_schema(registry: Path, check: bool) -> None:
    """`verifier schema --report`: reports/schema.json beside the registry (results/schema.py)."""
    from verifier.atomic import write_atomic
    from verifier.results.schema import REPORT_SCHEMA, report_schema_text

    path, text = registry.resolve().parent / REPORT_SCHEMA, report_schema_text()
    if check:
        if (path.read_text(encoding="utf-8") if path.exists() else "") != text:
            fail(UsageError(f"{path} is out of date: run `verifier schema --report`"))
        out.print(f"{path} is current")
        return
    with reported():
        write_atomic(path, text)
    out.print(f"wrote {path}")


@app.command()
def schema(registry: RegistryOpt = DEFAULT_REGISTRY,
           check: Annotated[bool, typer.Option(help="Only check that schema.json is current.")] = False,
           report: Annotated[bool, typer.Option(help="The JSON report's schema instead, in the registry's "
                                                     "project: reports/schema.json.")] = False) -> None:
    """Write the JSON Schema of claims files to <registry>/schema.json (with --report: of the JSON report)."""
    if report:
        _report_schema(registry, check)
        return
    project = project_at(registry)
    if check:
        if not project.schema_current():
            fail(UsageError(f"{project.schema_path} is out of date: run `verifier schema`"))
        out.print(f"{project.schema_path} is current")
        return
    with reported():
        project.write_schema()
    out.print(f"wrote {project.schema_path}")


@app.command()
def add(
    registry: RegistryOpt = DEFAULT_REGISTRY,
    from_yaml: Annotated[Path | None, typer.Option("--yaml", help="A YAML mapping with the claim.")] = None,
    id: Annotated[str | None, typer.Option("--id")] = None,
    source: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    quote: Annotated[str | None, typer.Option()] = None,
    statement: Annotated[str | None, typer.Option()] = None,
    title: Annotated[str | None, typer.Option(help="citation: title as the source gives it.")] = None,
    name: Annotated[str | None, typer.Option(help="citation: name of a model/method/dataset given instead.")] = None,
    authors: Annotated[str | None, typer.Option(help="citation: authors, separated by ';'.")] = None,
    year: Annotated[int | None, typer.Option(help="citation: year.")] = None,
    url: Annotated[str | None, typer.Option(help="citation: link or link domain.")] = None,
    arxiv_id: Annotated[str | None, typer.Option(help="citation: arXiv id shown by the source.")] = None,
    described_as: Annotated[str | None, typer.Option(help="citation: the source's summary.")] = None,
    code_file: Annotated[Path | None, typer.Option(help="code: file with the snippet.")] = None,
    printed_file: Annotated[Path | None, typer.Option(help="code: file with the claimed output.")] = None,
    reproduction: Annotated[str | None, typer.Option(help="code: module:function.")] = None,
    check: Annotated[str | None, typer.Option(help="math: module:function.")] = None,
    about: Annotated[str | None, typer.Option(help="fact: id of the citation claim.")] = None,
) -> None:
    """Append a claim to <registry>/<source>.yaml, keeping comments; validated before writing."""
    from verifier.inputs import claim_data, read_claim_yaml

    fields = {
        "id": id, "source": source, "kind": kind, "quote": quote, "statement": statement, "title": title,
        "name": name, "authors": authors, "year": year, "url": url, "arxiv_id": arxiv_id, "described_as": described_as,
        "code_file": code_file, "printed_file": printed_file, "reproduction": reproduction, "check": check,
        "about": about}
    with reported():
        data = read_claim_yaml(from_yaml) if from_yaml is not None else claim_data(
            _ask(fields, interactive=sys.stdin.isatty()))
        record = project_at(registry).add(data)
    out.print(f"added {record.ref} (quote at line {record.anchors[0].start_line})")


def _ask(fields: dict[str, Any], interactive: bool) -> dict[str, Any]:
    """In a terminal, prompt for the fields a claim of its kind needs and were not given as options."""
    from verifier.inputs import COMMON, REQUIRED, missing_fields

    fields = dict(fields)
    for name in COMMON:
        if fields.get(name) is None and interactive:
            fields[name] = typer.prompt(name)
    for name in REQUIRED.get(fields.get("kind") or "", ()):
        if name == "title" and fields.get("name") is not None:
            continue
        if fields.get(name) is None and interactive:
            fields[name] = typer.prompt(name)
    missing = missing_fields(fields)
    if missing:
        raise UsageError(f"missing --{' --'.join(m.replace('_', '-') for m in missing)} "
                         "(or run in a terminal to be asked)")
    return fields


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="A Python file to run as written.")],
    printed: Annotated[Path | None, typer.Option(help="File with the output it is claimed to print.")] = None,
    seeds: Annotated[int | None, typer.Option(min=1, max=MAX_SEEDS,
                                              help="Run with seeds 0..K-1 (judged against the range).")] = None,
    timeout: Annotated[float, typer.Option(max=MAX_TIMEOUT_S, help="Wall-clock limit per run, seconds.")] = 60.0,
    device: Annotated[Device, typer.Option(help="auto, cpu or cuda.")] = Device.AUTO,
    format: Annotated[BriefFormat, typer.Option("--format", help="table or json.")] = BriefFormat.TABLE,
) -> None:
    """Run one snippet in the sandbox and compare it with a claimed output (ad hoc)."""
    from verifier.cli_render import print_snippet
    from verifier.execution.adhoc import run_snippet
    from verifier.inputs import read_input
    from verifier.verdicts import Status

    with reported():
        if timeout <= 0:
            raise UsageError("--timeout must be positive")
        code = read_input(file, "the snippet")
        claimed = read_input(printed, "the claimed output") if printed else None
        result = run_snippet(code, claimed, seeds, device, timeout, Path.cwd())
        print_snippet(result, format, out)
        if result.status == Status.ERROR:  # for a snippet, only the sandbox fails this way: not a finding
            raise VerifierError(result.summary)


SourceKindOpt = Annotated[str, typer.Option("--kind", help="Kind of document: chat, qa, slides or other.")]
LanguageOpt = Annotated[str, typer.Option(help="Main language of the document (ISO 639-1).")]
TitleOpt = Annotated[str | None, typer.Option(help="Title for sources.yaml (default: first heading or file name).")]
SlugOpt = Annotated[str | None, typer.Option(help="Slug of the source (default: from the file name).")]


@app.command()
def extract(
    source: Annotated[Path, typer.Argument(help="A document: plain text, Markdown, a Jupyter notebook (.ipynb) "
                                                "or a BibTeX file (.bib).")],
    source_slug: SlugOpt = None,
    output: Annotated[Path | None, typer.Option(help="Write the draft here instead of stdout.")] = None,
    into: Annotated[Path | None, typer.Option(help="Registry folder: keep the document there, add its entry to "
                                                   "sources.yaml and write its draft claims.")] = None,
    title: TitleOpt = None,
    kind: SourceKindOpt = "other",
    language: LanguageOpt = "en",
) -> None:
    """Draft claims from a document: references, code and printed output, math statements, facts."""
    from verifier.atomic import write_atomic
    from verifier.errors import InvalidInputError
    from verifier.extraction.document import ExtractRequest
    from verifier.extraction.document import extract as extract_document

    with reported():
        done = extract_document(ExtractRequest(source, source_slug, output, into, title, kind, language))
        if done.added is not None:
            err.print(f"{done.summary}; {source.name} {done.prepared.how} to {done.added.source}; drafts in "
                      f"{done.added.claims}; review them, then `verifier validate --registry {into}`",
                      highlight=False, markup=False)
            return
        if output is None:
            out.file.write(done.draft)
        else:
            write_atomic(output, done.draft)
        err.print(done.summary + (f"; wrote {output}" if output else ""), highlight=False, markup=False)
        if done.prepared.problems:
            raise InvalidInputError(done.prepared.problems)  # after the draft of every readable entry was written
        if done.prepared.how != "copied byte for byte":
            err.print(f"note: quotes anchor in the text {done.prepared.how}; use --into DIR to keep that text as "
                      "the source", highlight=False, markup=False)


@app.command()
def init(
    project: Annotated[Path, typer.Argument(help="Project folder (created when missing).")] = Path("."),
    source: Annotated[Path | None, typer.Option("--source", help="The document to audit.")] = None,
    source_slug: SlugOpt = None,
    title: TitleOpt = None,
    kind: SourceKindOpt = "other",
    language: LanguageOpt = "en",
) -> None:
    """Start a project: DIR/claims with the document, its entry, its draft claims and the schema."""
    from verifier.extraction.document import ExtractRequest, init_project

    if source is None:
        fail(UsageError("give the document: verifier init DIR --source FILE"))
    with reported():
        done = init_project(project, ExtractRequest(source, source_slug, None, None, title, kind, language))
    added = done.added
    err.print(f"{done.extracted.summary}; {source.name} {done.extracted.prepared.how} to {added.source}; drafts in "
              f"{added.claims}; review them, then `verifier validate --registry {done.registry}`", highlight=False,
              markup=False)
    out.print(f"created {done.registry} (sources.yaml, sources/, schema.json, the draft) and {done.reproductions}/",
              highlight=False, markup=False)


BUILD_JOBS_HELP = "Processes reading the files, one file each at a time (default: the cores available, at most 4)."


@index_app.command("build")
def index_build(
    files: Annotated[list[Path], typer.Argument(help="Metadata files: arXiv JSON-lines snapshot, OAI-PMH XML, "
                                                     "oai_dc JSON lines, proceedings JSON, dblp XML (.gz allowed).")],
    output: Annotated[Path | None, typer.Option(help="Index file (default <VERIFIER_HOME>/snapshot.sqlite).")] = None,
    complete: Annotated[bool, typer.Option(help="Declare the files complete for the scope they hold (venues, "
                                                "kinds of work, years): absence inside it is then evidence.")] = False,
    jobs: Annotated[int | None, typer.Option(min=1, max=64, help=BUILD_JOBS_HELP)] = None,
) -> None:
    """Build the offline snapshot index (SQLite FTS5) from arXiv metadata files."""
    from verifier.inputs import require_files
    from verifier.references.snapshot import build
    from verifier.references.spool import default_jobs

    with reported():
        require_files(files)
        target = output or project_at().snapshot_path
        stats = build(files, target, complete=complete, jobs=jobs or default_jobs(),
                      progress=lambda name, n: err.print(f"  {name}: {n} records", markup=False))
    out.print(f"wrote {target}: {stats['records']} records ({stats['arxiv_records']} with arXiv ids, first "
              f"versions {stats['first']} to {stats['last']}){' complete' if complete else ''}", highlight=False,
              markup=False)


@index_app.command("update")
def index_update(
    index: Annotated[Path, typer.Argument(help="The index to update.")],
    files: Annotated[list[Path], typer.Argument(help="New metadata files (a month of arXiv metadata, DBLP, ...).")],
    jobs: Annotated[int | None, typer.Option(min=1, max=64, help=BUILD_JOBS_HELP)] = None,
) -> None:
    """Add new metadata to an index without rebuilding it (records with the same arXiv id, DBLP key, DOI or
    proceedings title replace the old ones)."""
    from verifier.inputs import require_files
    from verifier.references.snapshot_build import update
    from verifier.references.spool import default_jobs

    with reported():
        require_files(files)
        stats = update(index, files, jobs=jobs or default_jobs(),
                       progress=lambda name, n: err.print(f"  {name}: {n} records", markup=False))
    out.print(f"updated {index}: now {stats['records']} records ({stats['arxiv_records']} with arXiv ids)",
              highlight=False, markup=False)


@index_app.command("info")
def index_info(
    index: Annotated[Path | None, typer.Argument(help="Index file (default <VERIFIER_HOME>/snapshot.sqlite).")] = None,
) -> None:
    """What an index covers: sources, counts per origin and kind, dates, complete or not, scope."""
    from verifier.references.snapshot import SnapshotIndex
    from verifier.references.snapshot_info import describe

    with reported():
        for line in describe(SnapshotIndex(index or project_at().snapshot_path)):
            out.print(line, markup=False, highlight=False, soft_wrap=True)


class BibProgress:
    """`resolved K of N entries` on stderr, at most about once a second and at the end (a bibliography of
    thousands of entries takes a while even offline)."""

    def __init__(self, console: Console) -> None:
        self.console, self.shown = console, 0.0

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if done == total or now - self.shown >= 1.0:
            self.shown = now
            self.console.print(f"resolved {done} of {total} entries", highlight=False, markup=False)


@app.command()
def resolve(
    title: Annotated[str | None, typer.Option(help="Title as cited.")] = None,
    name: Annotated[str | None, typer.Option(help="Name of a model, method or dataset cited without a title.")] = None,
    authors: Annotated[str | None, typer.Option(help="Authors, separated by ';'.")] = None,
    year: Annotated[int | None, typer.Option(help="Year as cited.")] = None,
    arxiv_id: Annotated[str | None, typer.Option(help="arXiv id or link.")] = None,
    doi: Annotated[str | None, typer.Option(help="DOI (looked up in Crossref with --crossref).")] = None,
    crossref: Annotated[bool, typer.Option(help="Also ask Crossref.")] = False,
    index: Annotated[str | None, typer.Option(help="Live indexes, comma-separated: arxiv, crossref, dblp, "
                                              "semantic-scholar, openreview, openalex; all (default) or none.")] = None,
    described_as: Annotated[str | None, typer.Option(help="The summary the source gives.")] = None,
    offline: Annotated[bool, typer.Option(help="Only the cache and the snapshot.")] = False,
    snapshot: Annotated[Path | None, typer.Option(help="Offline index to use.")] = None,
    arxiv_url: Annotated[str | None, typer.Option(help="arXiv API query endpoint.")] = None,
    format: Annotated[BriefFormat, typer.Option("--format", help="table or json.")] = BriefFormat.TABLE,
    bib: Annotated[Path | None, typer.Option(help="A BibTeX file: resolve every entry (one result per key).")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="With --bib --offline: entries resolved in parallel "
                                      "processes.")] = 1,
) -> None:
    """Resolve one reference ad hoc, or every entry of a BibTeX file: the verdict, the record and candidates."""
    from verifier.cli_render import print_bib, print_resolution
    from verifier.errors import InvalidInputError
    from verifier.registry.models import Reference

    config = ReferenceConfig(offline=offline, snapshot=snapshot, crossref=crossref, indexes=index)
    with reported():
        if jobs > 1 and bib is None:
            raise UsageError("--jobs applies to --bib (one reference resolves in one process)")
        if bib is not None:
            resolved = project_at(None, arxiv_url).resolve_bib(bib, config, jobs, BibProgress(err))
            print_bib(resolved, format, out)
            if resolved.problems:
                raise InvalidInputError(resolved.problems)
            return
        if not (title or arxiv_id or doi or name):
            raise UsageError("give --title, --name, --arxiv-id, --doi or --bib")
        cited = [a.strip() for a in (authors or "").split(";") if a.strip()]
        reference = Reference(title=title, name=name, authors=cited, year=year, arxiv_id=arxiv_id, doi=doi)
        print_resolution(project_at(None, arxiv_url).resolve(reference, described_as, config), format, out)


@app.command()
def report(
    registry: RegistryOpt = DEFAULT_REGISTRY,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str | None, typer.Option(help="Address to listen on (default: Streamlit's).")] = None,
    headless: Annotated[bool, typer.Option(help="Do not open a browser.")] = False,
) -> None:
    """Start the Streamlit report of a registry (open the printed URL in a browser)."""
    import os
    from importlib.util import find_spec

    if not registry.is_dir():  # the same answer (exit 3) as every other command given a missing registry
        from verifier.errors import InvalidInputError, Problem

        fail(InvalidInputError([Problem(str(registry), None, None, "registry folder not found: give --registry DIR "
                                        "(the folder with sources.yaml)")]))
    spec = find_spec("verifier.report.app")  # the entry point installed with the package, not imported here
    if spec is None or spec.origin is None:
        fail(UsageError("the report app is not installed with verifier (reinstall the package)"))
    command = [sys.executable, "-m", "streamlit", "run", spec.origin, "--server.port", str(port),
               "--browser.gatherUsageStats", "false"]
    if address is not None:
        command += ["--server.address", address]
    if headless:
        command += ["--server.headless", "true"]
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit replaces this process, so a signal to `verifier report` (Ctrl-C, kill) reaches the server.
    os.execv(sys.executable, [*command, "--", "--registry", str(registry.resolve())])


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: any unexpected exception is exit 5 with a one-line message."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return app(argv, standalone_mode=True)
    except KeyboardInterrupt:
        err.print("interrupted: finished claims are kept in the store; the previous report is intact")
        sys.exit(130)
    except VerifierError as exc:
        err.print(f"Error: {exc}", markup=False)
        sys.exit(int(exc.exit_code))
    except SystemExit:
        raise
    except Exception as exc:
        err.print(f"Internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(int(ExitCode.INTERNAL))
