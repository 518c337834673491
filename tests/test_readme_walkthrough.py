"""The README's "Your own document" walkthrough, run as written: its fenced commands are read from the README
and executed step by step in an empty folder (real subprocesses), so the README and the tool cannot drift.

The walkthrough has two steps a person does; the test stands in for them and says how:
- `cp ~/NAME .` (the user's own document): the test writes NAME there, a notebook built by running its
  cells (tests/extraction/notebooks.py: a numpy attention cell with its output, then two answers);
- `$EDITOR FILE` (the review): the test deletes the math drafts, as a reviewer who writes no check now
  would, and keeps every other draft as extracted (no hand edit of drafted code)."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT
from tests.extraction.notebooks import attention_notebook

SECTION = "## Your own document, from an empty folder to the report"
pytestmark = pytest.mark.timeout(600)


def walkthrough() -> list[str]:
    """The commands of the section's first bash block, comments and continuation comments removed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(SECTION):]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None, "the walkthrough has no bash block"
    commands = []
    for line in block.group(1).split("\n"):
        command = re.sub(r"(^|\s)#.*$", "", line).strip()
        if command:
            commands.extend(part.strip() for part in command.split("&&"))
    return commands


def review(path: Path) -> None:
    """The reviewer's step: drop math drafts (no check written yet); keep the rest untouched."""
    yaml = YAML()
    yaml.preserve_quotes = True
    claims = yaml.load(path.read_text(encoding="utf-8"))
    for index in reversed(range(len(claims))):
        if claims[index]["kind"] == "math":
            del claims[index]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# yaml-language-server: $schema=schema.json\n")
        yaml.dump(claims, handle)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """`verifier report ...` as written, on a free loopback port without a browser; its health answer."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "verifier", *args, "--port", str(port), "--address",
                                "127.0.0.1", "--headless"], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read().decode()
            except OSError:
                time.sleep(0.3)
        raise AssertionError(process.stderr.read().decode() if process.stderr else "report did not start")
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VERIFIER_HOME", "VERIFIER_REGISTRY")}
    cwd = tmp_path
    ran: list[str] = []
    for command in walkthrough():
        words = shlex.split(command)
        if words[0] == "mkdir":
            (cwd / words[1]).mkdir()
        elif words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
        elif words[0] == "cp":
            assert words[1].startswith("~/") and words[2] == ".", command
            attention_notebook(cwd / words[1][2:])
        elif words[0] == "$EDITOR":
            review(cwd / words[1])
        elif words[:2] == ["verifier", "report"]:
            assert serve(words[1:], cwd, env) == "ok"
        else:
            assert words[0] == "verifier", f"the walkthrough may only use verifier commands: {command}"
            result = subprocess.run([sys.executable, "-m", "verifier", *words[1:]], cwd=cwd, env=env,
                                    capture_output=True, text=True, timeout=300, check=False)
            assert result.returncode == 0, f"{command}: {result.stderr}"
        ran.append(words[0] if words[0] != "verifier" else " ".join(words[:2]))
    assert ran.count("verifier audit") == 2 and "verifier init" in ran and "verifier report" in ran
    project = tmp_path / "my-audit"
    latest = json.loads((project / "reports" / "latest.json").read_text())
    statuses = {r["kind"]: r["status"] for r in latest["results"]}
    assert statuses["code"] == "confirmed"  # the drafted snippet, unedited, reproduces the notebook's output
    assert {"code", "fact"} <= {r["kind"] for r in latest["results"]}
    assert latest["audit"]["selection"]["kind"] == "code" and latest["audit"]["selection"]["kept"] >= 1
