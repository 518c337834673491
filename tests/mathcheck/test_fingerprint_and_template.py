"""What a math claim's result depends on (so it is redone exactly when that changes), and the template
that `verifier new-check` writes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT, run_cli
from verifier.checkers.interface import CheckContext
from verifier.checkers.math import MathChecker
from verifier.execution.pool import LocalPool
from verifier.mathcheck.dependencies import module_files
from verifier.registry import load_registry
from verifier.registry.models import MathClaim


def test_module_files_follow_real_imports_only(tmp_path: Path) -> None:
    folder = tmp_path / "reproductions"
    folder.mkdir()
    (folder / "_helper.py").write_text("def h():\n    return 1\n")
    (folder / "_unrelated.py").write_text("X = 1\n")
    (folder / "plain_helper.py").write_text("from reproductions._helper import h\n")
    (folder / "checks.py").write_text("from reproductions import plain_helper\nimport math\n")
    names = [p.name for p in module_files(folder, "checks")]
    assert names == ["_helper.py", "checks.py", "plain_helper.py"]
    bundled = [p.name for p in module_files(ROOT / "reproductions", "attention_training")]
    assert bundled == ["_keras_like.py", "attention_training.py"]


def fingerprints(project: Path) -> dict[str, dict[str, str]]:
    registry = load_registry(project / "claims")
    pool = LocalPool(size=1)
    try:
        checker = MathChecker(pool)
        context = CheckContext(registry)
        return {r.claim.id: dict(checker.fingerprint(r.claim, context)) for r in registry.records
                if isinstance(r.claim, MathClaim)}
    finally:
        pool.shutdown()


def test_fingerprint_covers_imports_and_the_claims_a_check_reads(project: Path) -> None:
    folder = project / "reproductions"
    (folder / "reader.py").write_text("def count(device, claims, claim_id):\n"
                                      "    return {'holds': True, 'template': 'n {n}', 'measured': {'n': 1}}\n")
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + (
        "\n- id: reads-the-snippet\n  source: demo\n  kind: math\n  quote: the derivative of x^2 is 2x.\n"
        "  statement: s\n  check: reader:count\n  params: {claim_id: two-thirds-output}\n"
        "  reads: [two-thirds-output]\n"))
    before = fingerprints(project)
    (folder / "_unrelated.py").write_text("X = 2\n")  # imported by no check: no result is redone
    assert fingerprints(project) == before
    path.write_text(path.read_text().replace("print(round(2.0 / 3.0, 4))", "print(round(2.0 / 3.0, 5))"))
    after = fingerprints(project)
    assert after["reads-the-snippet"]["reads"] != before["reads-the-snippet"]["reads"]
    assert after["derivative-of-square"] == before["derivative-of-square"]
    (folder / "reader.py").write_text((folder / "reader.py").read_text() + "\n# changed\n")
    assert fingerprints(project)["reads-the-snippet"]["check"] != after["reads-the-snippet"]["check"]


def test_reads_must_name_an_existing_claim(project: Path) -> None:
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + (
        "\n- id: reads-nothing\n  source: demo\n  kind: math\n  quote: the derivative of x^2 is 2x.\n"
        "  statement: s\n  check: demo_checks:square_derivative\n  reads: [no-such-claim]\n"))
    result = run_cli("validate", cwd=project)
    assert result.returncode == 3
    assert "[reads]" in result.stderr and "no claim with id 'no-such-claim'" in result.stderr


def test_new_check_writes_a_template_that_runs(project: Path) -> None:
    result = run_cli("new-check", "demo-notes", "my_statement", cwd=project)
    assert result.returncode == 0, result.stderr
    written = project / "reproductions" / "demo_notes.py"
    assert "def my_statement(device" in written.read_text() and "observe(" in written.read_text()
    assert "check: demo_notes:my_statement" in result.stdout
    again = run_cli("new-check", "demo-notes", "my_statement", cwd=project)
    assert again.returncode == 2 and "already has a function 'my_statement'" in again.stderr
    path = project / "claims" / "demo.yaml"
    path.write_text(path.read_text() + (
        "\n- id: from-the-template\n  source: demo\n  kind: math\n  quote: the derivative of x^2 is 2x.\n"
        "  statement: s\n  check: demo_notes:my_statement\n  params: {stated: 1.5}\n"))
    audit = run_cli("audit", "--kind", "math", "--only", "from-the-template", "--format", "json", cwd=project)
    assert audit.returncode == 0, audit.stderr
    (claim,) = json.loads(audit.stdout)["results"]
    assert claim["status"] == "refuted"  # the template measures 0 until it is filled in
    assert claim["summary"] == "stated 1.5, measured 0 (difference 1.5)"

