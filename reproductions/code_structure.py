"""Checks that read a snippet of the source (its code claim) and count what it builds and applies."""

from __future__ import annotations

import ast
from typing import Any

import torch

from verifier.mathcheck.observation import observe


def attention_blocks(device: torch.device, claims: dict[str, Any], claim_id: str) -> dict[str, Any]:
    """Statement: the snippet uses two transformer blocks (attention + feed-forward, each with residual and
    normalisation).

    Parses the snippet of the named code claim: counts the attention layers it creates
    (`layers.Attention`, `layers.MultiHeadAttention`) and how often the forward pass inside the training
    loop applies one. Two blocks need two attention applications per forward pass. The snippet comes from
    the loader (the claim names it under `reads:`), so the result is redone when that claim changes."""
    tree = ast.parse(claims[claim_id]["code"])
    kinds = ("Attention", "MultiHeadAttention")
    layers = {target.id for node in ast.walk(tree)
              if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Attribute) and node.value.func.attr in kinds
              for target in node.targets if isinstance(target, ast.Name)}
    loop = next(node for node in ast.walk(tree) if isinstance(node, ast.For))
    applications = sum(1 for node in ast.walk(loop) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                       and node.func.id in layers)
    return observe(applications >= 2, "{count} attention layer(s) created ({names}), applied {applications} "
                   "time(s) per training step", count=len(layers), names=", ".join(sorted(layers)),
                   applications=applications, attention_layers=sorted(layers))
