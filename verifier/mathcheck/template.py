"""`verifier new-check SOURCE NAME`: write a Python math check that follows the contract, ready to fill in.

Used when no declarative primitive can express a statement (a simulation, an optimisation, a count).
The function goes into reproductions/<source as a module name>.py (created when missing); an existing
function of that name is an error, never overwritten."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from verifier.errors import UsageError

HEADER = '''"""Python math checks of {source} (run only in the sandbox)."""

from __future__ import annotations

from typing import Any

import torch

from verifier.mathcheck.observation import observe
'''

FUNCTION = '''

def {name}(device: torch.device, stated: float = 0.0) -> dict[str, Any]:
    """Statement: <quote the statement here>.

    <How it is computed: what is measured, and why that decides the statement.>"""
    measured_value = float(torch.tensor(0.0, dtype=torch.float64, device=device))  # TODO: compute it
    difference = abs(measured_value - stated)
    return observe(difference < 1e-9, "stated {{stated}}, measured {{measured_value:.6g}} "
                   "(difference {{difference:.2g}})", stated=stated, measured_value=measured_value,
                   difference=difference)
'''


def module_name(source: str) -> str:
    name = re.sub(r"\W", "_", source.replace("-", "_")).strip("_").lower()
    if not name or not name.isidentifier() or name[0].isdigit():
        raise UsageError(f"cannot make a module name from {source!r}")
    return name


def write_check(reproductions: Path, source: str, name: str) -> tuple[Path, str]:
    """Append the template; returns (file, `module:function` for the claim's `check:`)."""
    if not name.isidentifier() or name.startswith("_"):
        raise UsageError(f"{name!r} is not a valid public function name")
    module = module_name(source)
    path = reproductions / f"{module}.py"
    reproductions.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER.format(source=source)
    tree = ast.parse(text)
    if any(isinstance(node, ast.FunctionDef) and node.name == name for node in tree.body):
        raise UsageError(f"{path} already has a function {name!r}")
    if "from verifier.mathcheck.observation import observe" not in text:
        text = text.rstrip("\n") + "\n\nfrom verifier.mathcheck.observation import observe  # noqa: E402\n"
    path.write_text(text.rstrip("\n") + "\n" + FUNCTION.format(name=name), encoding="utf-8")
    return path, f"{module}:{name}"
