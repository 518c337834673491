"""The command line: parse options, build objects, call the library, map errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from verifier.errors import ExitCode, UsageError, VerifierError
from verifier.limits import MAX_SEEDS, MAX_TIMEOUT_S

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Audit documents that cite papers, print program outputs and state math.")
index_app = typer.Typer(no_args_is_help=True, help="Build, update and describe offline indexes (arXiv, proceedings).")
app.add_typer(index_app, name="index")

err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 140)

RegistryOpt = Annotated[Path, typer.Option("--registry", help="Registry folder (claims/).")]
DEFAULT_REGISTRY = Path("claims")


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
    from verifier.registry import load_registry

    with reported():
        loaded = load_registry(registry)
    kinds: dict[str, int] = {}
    for record in loaded.records:
        kinds[record.claim.kind] = kinds.get(record.claim.kind, 0) + 1
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    from verifier.registry.anchor import ambiguity

    warnings = [(record, ambiguity(record.anchors)) for record in loaded.records]
    for record, message in warnings:
        if message:
            err.print(f"warning: {record.location}: [quote] claim {record.claim.id!r}: {message}", markup=False,
                      highlight=False, soft_wrap=True)
    count = sum(1 for _, message in warnings if message)
    out.print(f"{registry}: {len(loaded.records)} claims ({detail or 'none'}) "
              f"in {len(loaded.sources)} sources: valid" + (f" ({count} warning(s))" if count else ""),
              markup=False)


@app.command()
def audit(
    registry: RegistryOpt = DEFAULT_REGISTRY,
    only: Annotated[str | None, typer.Option(help="Glob on claim id or source slug.")] = None,
    kind: Annotated[str | None, typer.Option(help="citation, code, math, fact or api.")] = None,
    offline: Annotated[bool, typer.Option(help="Use only the cache and the snapshot index.")] = False,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Claims checked in parallel.")] = 1,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    fresh: Annotated[bool, typer.Option(help="Ignore stored results and caches.")] = False,
    seeds: Annotated[int | None, typer.Option(min=1, max=MAX_SEEDS,
                                              help="Seeds for unseeded random snippets.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, json, junit or markdown.")] = "table",
    output: Annotated[Path | None, typer.Option(help="Write the report here instead of stdout.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="Exit 1 if any claim has one of these statuses "
                                                "(comma-separated, or 'findings').")] = None,
    snapshot: Annotated[Path | None, typer.Option(help="Offline arXiv index to use.")] = None,
    arxiv_url: Annotated[str | None, typer.Option(help="arXiv API query endpoint.")] = None,
    executor: Annotated[str, typer.Option(help="Where code runs: local (warm pool) or ray.")] = "local",
    crossref: Annotated[bool, typer.Option(help="Also ask Crossref (DOIs, journal titles).")] = False,
    index: Annotated[str | None, typer.Option(help="Live indexes, comma-separated: arxiv, crossref, dblp, "
                                              "semantic-scholar, openreview, openalex; all (default) or none.")] = None,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: a local one).")] = None,
) -> None:
    """Check every selected claim and print the report; keep it in the store and reports/latest.json."""
    from verifier.commands import AuditRequest, run_audit_command

    request = AuditRequest(registry=registry, only=only, kind=kind, offline=offline, jobs=jobs,
                           device=device, fresh=fresh, seeds=seeds, format=format, output=output,
                           fail_on=fail_on, snapshot=snapshot, arxiv_url=arxiv_url, executor=executor,
                           ray_address=ray_address, crossref=crossref, indexes=index)
    with reported():
        code = run_audit_command(request, out, err)
    raise typer.Exit(int(code))


@app.command()
def show(claim_id: Annotated[str, typer.Argument(help="Claim id.")], registry: RegistryOpt = DEFAULT_REGISTRY,
         around: Annotated[int, typer.Option(help="Lines of context.")] = 3) -> None:
    """Show a claim, its quote in context with line numbers, and its latest result."""
    from verifier.commands import show_claim

    with reported():
        show_claim(registry, claim_id, around, out)


@app.command("new-check")
def new_check(source: Annotated[str, typer.Argument(help="Source slug (the module is named after it).")],
              name: Annotated[str, typer.Argument(help="Function name of the check.")],
              registry: RegistryOpt = DEFAULT_REGISTRY) -> None:
    """Write a Python math check template into reproductions/ (for what no declarative check expresses)."""
    from verifier.mathcheck.template import write_check

    with reported():
        path, target = write_check(registry.resolve().parent / "reproductions", source, name)
    out.print(f"wrote {name} in {path}; name it in the claim as `check: {target}`")


@app.command()
def schema(registry: RegistryOpt = DEFAULT_REGISTRY,
           check: Annotated[bool, typer.Option(help="Only check that schema.json is current.")] = False,
           report: Annotated[bool, typer.Option(help="The JSON report's schema instead, in the registry's "
                                                     "project: reports/schema.json.")] = False) -> None:
    """Write the JSON Schema of claims files to <registry>/schema.json (with --report: of the JSON report)."""
    from verifier.atomic import write_atomic
    from verifier.registry.schema import SCHEMA_FILE, schema_text
    from verifier.results.schema import REPORT_SCHEMA, report_schema_text

    path, text = ((registry.resolve().parent / REPORT_SCHEMA, report_schema_text()) if report
                  else (registry / SCHEMA_FILE, schema_text()))
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            fail(UsageError(f"{path} is out of date: run `verifier schema{' --report' if report else ''}`"))
        out.print(f"{path} is current")
        return
    write_atomic(path, text)
    out.print(f"wrote {path}")


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
    from verifier.commands import AddRequest, add_claim_command

    request = AddRequest(registry=registry, from_yaml=from_yaml, fields={
        "id": id, "source": source, "kind": kind, "quote": quote, "statement": statement, "title": title,
        "name": name, "authors": authors, "year": year, "url": url, "arxiv_id": arxiv_id, "described_as": described_as,
        "code_file": code_file, "printed_file": printed_file, "reproduction": reproduction, "check": check,
        "about": about})
    with reported():
        add_claim_command(request, interactive=sys.stdin.isatty(), console=out)


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="A Python file to run as written.")],
    printed: Annotated[Path | None, typer.Option(help="File with the output it is claimed to print.")] = None,
    seeds: Annotated[int | None, typer.Option(min=1, max=MAX_SEEDS,
                                              help="Run with seeds 0..K-1 (judged against the range).")] = None,
    timeout: Annotated[float, typer.Option(max=MAX_TIMEOUT_S, help="Wall-clock limit per run, seconds.")] = 60.0,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Run one snippet in the sandbox and compare it with a claimed output (ad hoc)."""
    from verifier.commands import RunRequest, run_snippet_command

    request = RunRequest(file=file, printed=printed, seeds=seeds, timeout=timeout, device=device, format=format)
    with reported():
        run_snippet_command(request, out)


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
    from verifier.commands import ExtractRequest, extract_command

    with reported():
        extract_command(ExtractRequest(source, source_slug, output, into, title, kind, language), out, err)


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
    from verifier.commands import ExtractRequest, init_command

    if source is None:
        fail(UsageError("give the document: verifier init DIR --source FILE"))
    with reported():
        init_command(project, ExtractRequest(source, source_slug, None, None, title, kind, language), out, err)


@index_app.command("build")
def index_build(
    files: Annotated[list[Path], typer.Argument(help="Metadata files: arXiv JSON-lines snapshot, OAI-PMH XML, "
                                                     "oai_dc JSON lines, proceedings JSON, dblp XML (.gz allowed).")],
    output: Annotated[Path | None, typer.Option(help="Index file (default <VERIFIER_HOME>/snapshot.sqlite).")] = None,
    complete: Annotated[bool, typer.Option(help="Declare the files complete for the scope they hold (venues, "
                                                "kinds of work, years): absence inside it is then evidence.")] = False,
) -> None:
    """Build the offline snapshot index (SQLite FTS5) from arXiv metadata files."""
    from verifier.commands import build_index_command

    with reported():
        build_index_command(files, output, complete, out, err)


@index_app.command("update")
def index_update(
    index: Annotated[Path, typer.Argument(help="The index to update.")],
    files: Annotated[list[Path], typer.Argument(help="New metadata files (a month of arXiv metadata, DBLP, ...).")],
) -> None:
    """Add new metadata to an index without rebuilding it (records with the same arXiv id, DBLP key, DOI or
    proceedings title replace the old ones)."""
    from verifier.commands import update_index_command

    with reported():
        update_index_command(index, files, out, err)


@index_app.command("info")
def index_info(
    index: Annotated[Path | None, typer.Argument(help="Index file (default <VERIFIER_HOME>/snapshot.sqlite).")] = None,
) -> None:
    """What an index covers: sources, counts per origin and kind, dates, complete or not, scope."""
    from verifier.commands import index_info_command

    with reported():
        index_info_command(index, out)


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
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    bib: Annotated[Path | None, typer.Option(help="A BibTeX file: resolve every entry (one result per key).")] = None,
) -> None:
    """Resolve one reference ad hoc, or every entry of a BibTeX file: the verdict, the record and candidates."""
    from verifier.commands import ResolveRequest, resolve_command

    request = ResolveRequest(title=title, authors=authors, year=year, arxiv_id=arxiv_id, described_as=described_as,
                             offline=offline, snapshot=snapshot, arxiv_url=arxiv_url, format=format, doi=doi,
                             crossref=crossref, name=name, indexes=index, bib=bib)
    with reported():
        resolve_command(request, out)


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

    if not registry.is_dir():
        fail(UsageError(f"registry folder {registry} not found: give --registry DIR (the folder with "
                        "sources.yaml)"))
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
