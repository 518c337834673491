"""How the CLI prints what `Project` and the one-off commands return (Rich markup escaped everywhere: a claim,
a title or a program's output is text, never markup). Kept beside `cli.py` so that file stays the options."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.syntax import Syntax

from verifier.config import BriefFormat
from verifier.results.evidence import RunEvidence
from verifier.results.models import CheckResult, ClaimResult

if TYPE_CHECKING:
    from pathlib import Path

    from verifier.project import ClaimView, LatestUpdate, Validation
    from verifier.references.bib_command import BibResolution
    from verifier.references.resolver import Resolution

SHOW_MAX_CHARS = 256 * 1024  # ruamel's emitter needs ~1 s per MB: a 30 MB claim (aliases allow it) took 32 s
SHOW_STRING_CHARS = 2000


class BarProgress:
    """The audit's progress bar on stderr (transient: gone once the audit ends)."""

    def __init__(self, err: Console) -> None:
        self.bar = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.description}"), console=err, transient=True)
        self.task: TaskID | None = None

    def started(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def finished(self, result: ClaimResult) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=f"{result.claim_id}: {result.status.value}")


@contextmanager
def progress_bar(err: Console) -> Iterator[BarProgress]:
    progress = BarProgress(err)
    try:
        yield progress
    finally:
        progress.bar.stop()


def print_validation(validation: Validation, shown: Path, out: Console, err: Console) -> None:
    for record, message in validation.warnings:
        err.print(f"warning: {record.location}: [quote] claim {record.claim.id!r}: {message}", markup=False,
                  highlight=False, soft_wrap=True)
    detail = ", ".join(f"{n} {k}" for k, n in sorted(validation.kinds.items()))
    count = len(validation.warnings)
    out.print(f"{shown}: {len(validation.registry.records)} claims ({detail or 'none'}) "
              f"in {len(validation.registry.sources)} sources: valid" + (f" ({count} warning(s))" if count else ""),
              markup=False)


def print_latest(latest: LatestUpdate, err: Console) -> None:
    if latest.unreadable is not None:
        err.print(f"{latest.path} could not be read ({latest.unreadable}); it now holds only this audit",
                  highlight=False)
    if latest.kept:
        err.print(f"{latest.path}: updated {latest.updated} claim(s), kept {latest.kept} from earlier audits "
                  "(a full audit re-checks them; --output FILE writes this audit alone)", highlight=False)


def print_claim(view: ClaimView, out: Console) -> None:
    """The claim as YAML (long values shortened), its quote in context with line numbers."""
    from verifier.registry.writer import render, to_yaml_node

    record = view.record
    out.print(f"[bold]{escape(record.ref)}[/]")
    node = to_yaml_node(record.claim)
    if len(record.claim.model_dump_json()) > SHOW_MAX_CHARS:
        node = shortened(node)
        out.print(f"(long values shortened for display; the full claim is at {record.location})",
                  markup=False, highlight=False)
    out.print(Syntax(render([node]), "yaml", word_wrap=True))


def print_context(view: ClaimView, around: int, out: Console) -> None:
    doc = view.document
    for anchor in view.record.anchors:
        first = max(1, anchor.start_line - around)
        last = min(len(doc.text.lines), anchor.end_line + around)
        out.print(f"[bold]{escape(doc.path.name)}, lines {anchor.start_line}-{anchor.end_line}:[/]")
        for number in range(first, last + 1):
            marker = ">" if anchor.start_line <= number <= anchor.end_line else " "
            style = "bold yellow" if marker == ">" else "dim"
            out.print(f"{marker}{number:5d} | {doc.text.lines[number - 1]}", style=style,
                      markup=False, highlight=False)


def print_result(result: ClaimResult, out: Console) -> None:
    out.print(f"[bold]latest verdict:[/] {result.status.value}: {escape(result.summary)}", highlight=False)
    for check in result.checks:
        manual = " (manual)" if check.manual else ""
        out.print(f"  {check.name}: {check.status.value}{manual}: {check.summary}", markup=False)


def shortened(value: Any, budget: list[int] | None = None) -> Any:
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
            pairs.append((key, shortened(item, budget)))
        return type(value)(pairs)
    if isinstance(value, list):
        items = []
        for item in value:
            if budget[0] <= 0:
                items.append(f"... [{len(value):,} items in all]")
                break
            items.append(shortened(item, budget))
        return type(value)(items)
    budget[0] -= 8
    return value


def print_snippet(result: CheckResult, fmt: BriefFormat, out: Console) -> None:
    if fmt is BriefFormat.JSON:
        out.file.write(result.model_dump_json(indent=2) + "\n")
        return
    out.print(f"[bold]{result.status.value}[/]: {escape(result.summary)}", highlight=False)
    for run in result.evidence.runs if isinstance(result.evidence, RunEvidence) else []:
        seed = f"seed {run.seed}, " if run.seed is not None else ""
        out.print(f"--- run ({seed}{run.duration_s:.3f} s, {run.status}) ---", highlight=False)
        out.print(run.stdout.rstrip() or "(no output)", markup=False, highlight=False)
        if run.exception:
            out.print((run.exception.traceback or "").rstrip(), markup=False, style="red")


def print_resolution(resolution: Resolution, fmt: BriefFormat, out: Console) -> None:
    if fmt is BriefFormat.JSON:
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


def print_bib(bib: BibResolution, fmt: BriefFormat, out: Console) -> None:
    results = bib.results
    if fmt is BriefFormat.JSON:
        out.file.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        return
    width = max((len(r["key"]) for r in results), default=0)
    for result in results:
        out.print(f"{escape(result['key']).ljust(width)}  [bold]{result['status']:<13}[/] "
                  f"{escape(result['summary'])}", highlight=False)
    counts: dict[str, int] = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    out.print(f"{len(results)} entries: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
              highlight=False)
