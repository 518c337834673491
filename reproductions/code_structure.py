"""Checks that read a snippet of the source (its code claim) and count what it builds and applies."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import torch
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _code(source: str, claim_id: str) -> str:
    claims = yaml.safe_load((ROOT / "claims" / f"{source}.yaml").read_text(encoding="utf-8"))
    return next(c["code"] for c in claims if c["id"] == claim_id)


def attention_blocks(device: torch.device, source: str, claim_id: str) -> dict[str, Any]:
    """Statement: the snippet uses two transformer blocks (attention + feed-forward, each with residual and
    normalisation).

    Parses the snippet of the named code claim: counts the attention layers it creates
    (`layers.Attention`, `layers.MultiHeadAttention`) and how often the forward pass inside the training
    loop applies one. Two blocks need two attention applications per forward pass."""
    tree = ast.parse(_code(source, claim_id))
    kinds = ("Attention", "MultiHeadAttention")
    layers = {target.id for node in ast.walk(tree)
              if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Attribute) and node.value.func.attr in kinds
              for target in node.targets if isinstance(target, ast.Name)}
    loop = next(node for node in ast.walk(tree) if isinstance(node, ast.For))
    applications = sum(1 for node in ast.walk(loop) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                       and node.func.id in layers)
    return {"holds": applications >= 2,
            "explanation": f"{len(layers)} attention layer(s) created ({', '.join(sorted(layers))}), applied "
                           f"{applications} time(s) per training step: {applications} attention block(s)",
            "measured": {"attention_layers": sorted(layers), "applications_per_step": applications}}
