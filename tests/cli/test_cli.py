"""The CLI through Typer's runner and through a real subprocess: outputs, formats and exit codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, run_cli
from verifier.cli import app
from verifier.errors import ExitCode
from verifier.results.formats import FORMATS, FormatName

runner = CliRunner()


def invoke(project: Path, *args: str) -> tuple[int, str, str]:
    import os

    old = Path.cwd()
    os.chdir(project)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_every_format_has_a_formatter() -> None:
    assert set(FORMATS) == set(FormatName)


def test_validate_counts_claims(project: Path) -> None:
    code, out, _ = invoke(project, "validate")
    assert code == 0
    assert "5 claims (1 citation, 1 code, 2 fact, 1 math) in 2 sources: valid" in out


def test_audit_json_report_and_latest(project: Path) -> None:
    code, out, _ = invoke(project, "audit", "--kind", "fact", "--format", "json")
    assert code == ExitCode.OK
    report = json.loads(out)
    by_id = {r["claim_id"]: r for r in report["results"]}
    assert set(by_id) == {"transformer-relies-on-attention", "other-sentence"}
    reviewed = by_id["transformer-relies-on-attention"]
    assert reviewed["status"] == "confirmed"
    assert any(c["manual"] for c in reviewed["checks"])
    assert by_id["other-sentence"]["status"] == "unverifiable"
    assert reviewed["location"] == "claims/demo.yaml:32"
    latest = json.loads((project / "reports" / "latest.json").read_text())
    assert latest["results"] == report["results"]


def test_audit_junit_is_valid_xml_with_one_case_per_claim(project: Path) -> None:
    code, out, _ = invoke(project, "audit", "--format", "junit")
    assert code == 0
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    assert len(cases) == 5
    assert root.get("tests") == "5"
    assert any(c.get("name", "").endswith("::transformer-paper") for c in cases)


def test_audit_markdown_and_output_file(project: Path) -> None:
    code, _, _ = invoke(project, "audit", "--format", "markdown", "--output", "out.md")
    assert code == 0
    text = (project / "out.md").read_text()
    assert text.startswith("# verifier audit")
    assert "## demo" in text and "| `derivative-of-square` |" in text


def test_audit_table_groups_by_source(project: Path) -> None:
    code, out, _ = invoke(project, "audit")
    assert code == 0
    assert "demo" in out and "other" in out and "5 claims audited" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["audit", "--only", "no-such-*"], ExitCode.EMPTY_SELECTION),
        (["audit", "--format", "yaml"], ExitCode.USAGE),
        (["audit", "--kind", "opinion"], ExitCode.USAGE),
        (["audit", "--device", "tpu"], ExitCode.USAGE),
        (["audit", "--fail-on", "nonsense"], ExitCode.USAGE),
        (["audit", "--jobs", "0"], ExitCode.USAGE),
        (["audit", "--only", "other-*", "--fail-on", "unverifiable"], ExitCode.FINDINGS),
        (["audit", "--only", "other-*", "--fail-on", "findings"], ExitCode.OK),
        (["show", "no-such-claim"], ExitCode.USAGE),
        (["frobnicate"], ExitCode.USAGE),
    ],
)
def test_exit_codes(project: Path, args: list[str], expected: ExitCode) -> None:
    code, _, _ = invoke(project, *args)
    assert code == expected


def test_only_matches_source_slug(project: Path) -> None:
    code, out, _ = invoke(project, "audit", "--only", "other", "--format", "json")
    assert code == 0
    assert [r["claim_id"] for r in json.loads(out)["results"]] == ["other-sentence"]


def test_subprocess_audit_invalid_registry_exit_3(project: Path) -> None:
    (project / "claims" / "other.yaml").write_text("- id: x\n  kind: fact\n", encoding="utf-8")
    result = run_cli("audit", cwd=project)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "claims/other.yaml:1" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "reports" / "latest.json").exists()


def test_subprocess_json_stdout_is_only_json(project: Path) -> None:
    result = run_cli("audit", "--kind", "fact", "--format", "json", cwd=project)
    assert result.returncode == 0
    assert json.loads(result.stdout)["audit"]["registry"] == "claims"


def test_show_prints_quote_in_context_and_latest_result(project: Path) -> None:
    invoke(project, "audit", "--kind", "fact")
    code, out, _ = invoke(project, "show", "transformer-relies-on-attention")
    assert code == 0
    assert ">    5 | a paper that relies solely on attention mechanisms, dispensing with recur-" in out
    assert ">    6 | rence and convolutions entirely." in out
    assert "     4 | Assistant: The transformer was introduced" in out
    assert "latest verdict: confirmed" in out


def test_schema_writes_and_checks(project: Path) -> None:
    code, _, _ = invoke(project, "schema", "--check")
    assert code == ExitCode.USAGE
    code, _, _ = invoke(project, "schema")
    assert code == 0
    code, _, _ = invoke(project, "schema", "--check")
    assert code == 0


def test_help_does_not_import_torch() -> None:
    import subprocess
    import sys

    probe = subprocess.run(
        [sys.executable, "-c", "import sys, verifier.cli; verifier.cli.app(['--help'], standalone_mode=False);"
         "print('torch' in sys.modules)"],
        capture_output=True, text=True, check=True)
    assert probe.stdout.strip().endswith("False")


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for name in names:
        assert f"verifier {name}" in readme, name
    assert "verifier index build" in readme


