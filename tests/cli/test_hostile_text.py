"""Text from claims, sources and snippet output is shown as text: never read as Rich markup, never written
into invalid XML, and a named input that never ends (/dev/zero) is refused instead of read for ever.

Before: a review note containing `[/bold]` made `verifier audit` (table) and `verifier show` end in
"Internal error: MarkupError" (exit 5); `verifier run /dev/zero` and `verifier extract /dev/zero` never ended."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import run_cli
from verifier.errors import ExitCode

NOTE = "The abstract says so [/bold] [red]not red[/red] [link=https://example.org]x[/link]."


@pytest.fixture
def marked_up(project: Path) -> Path:
    claims = project / "claims" / "demo.yaml"
    text = claims.read_text(encoding="utf-8").replace("note: The abstract says so.", f'note: "{NOTE} bell\\a"')
    claims.write_text(text, encoding="utf-8")
    return project


def test_markup_in_claims_is_printed_as_text(marked_up: Path) -> None:
    table = run_cli("audit", "--kind", "fact", cwd=marked_up)
    assert table.returncode == 0, table.stderr
    assert all(part in table.stdout for part in ("[/bold]", "[red]not", "red[/red]"))  # the column wraps
    show = run_cli("show", "transformer-relies-on-attention", cwd=marked_up)
    assert show.returncode == 0, show.stderr
    assert "[/bold] [red]not red[/red]" in " ".join(show.stdout.split())


def test_junit_stays_valid_xml_with_control_characters(marked_up: Path) -> None:
    result = run_cli("audit", "--kind", "fact", "--format", "junit", cwd=marked_up)
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)  # a raw \x07 would make this raise
    texts = " ".join(node.text or "" for node in root.iter("system-out"))
    assert "bell\\x07" in texts and "[/bold]" in texts


@pytest.mark.parametrize("args", [
    ["run", "/dev/zero"], ["extract", "/dev/zero"],
    ["add", "--source", "demo", "--kind", "code", "--id", "zero", "--quote", "well-known fact",
     "--statement", "x", "--code-file", "/dev/zero"],
    ["add", "--yaml", "/dev/zero"],
])
def test_endless_inputs_are_refused(project: Path, args: list[str]) -> None:
    result = run_cli(*args, cwd=project, timeout=60)  # before: read until memory ran out
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert "/dev/zero" in result.stderr and "not a regular file" in result.stderr


def test_long_misquote_against_a_long_source_is_reported_promptly(project: Path) -> None:
    lines = [f"Sentence number {i} talks about topic {i * 7 % 13} and method {i * 11 % 17}." for i in range(3000)]
    (project / "claims" / "sources" / "demo.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    quote = " ".join(lines[1000:1700]).replace("topic", "subject")
    (project / "claims" / "demo.yaml").write_text(
        f'- id: long-misquote\n  source: demo\n  kind: fact\n  quote: "{quote}"\n  statement: x\n', encoding="utf-8")
    result = run_cli("validate", cwd=project, timeout=60)  # before: minutes (window re-joined per line)
    assert result.returncode == ExitCode.INVALID_INPUT
    found = re.search(r"claims/demo.yaml:1: \[quote\] claim 'long-misquote': quote not found in demo.txt; "
                      r"nearest passage \(line (\d+), (\d+)% alike\)", result.stderr)
    assert found is not None, result.stderr
    assert 1001 <= int(found.group(1)) <= 1020 and 50 <= int(found.group(2)) < 100
