"""Entry point of declarative math checks inside the sandbox.

The math checker runs `declarative:evaluate` through the ordinary runner API with this folder's parent as
project root, so a registry needs no file of ours in its own reproductions/. The evaluator walks the
validated expression trees (no eval) and returns measurements only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

from verifier.mathcheck.evaluator import run_checks


def evaluate(device: torch.device, checks: list[Mapping[str, Any]]) -> dict[str, Any]:
    return run_checks(checks)
