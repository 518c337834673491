"""Checks that read a snippet of the source (its code claim) and count what it builds and applies."""

from __future__ import annotations

import ast
from typing import Any

import torch

from verifier.mathcheck.grammar import dotted
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


def library_used(device: torch.device, claims: dict[str, Any], claim_id: str, module: str) -> dict[str, Any]:
    """Statement (the assistant about its own code): "I will use <module> as the library for ...".

    Parses the snippet of the named code claim, finds the import of `module` and the name it binds
    (`import torchquad`, `import scipy.special`, `import x as y`, `from x import f`), and counts the places
    after the import that use it: a name or attribute chain starting with the bound name and, for a dotted
    module, continuing with its submodule (`scipy.special.expit`, not `scipy.integrate.quad`)."""
    tree = ast.parse(claims[claim_id]["code"])
    prefixes: list[str] = []
    import_line = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module or alias.name.startswith(module + "."):
                    prefixes.append(alias.asname or alias.name)
                    import_line = import_line or node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module is not None and (
                node.module == module or node.module.startswith(module + ".")):
            prefixes.extend(alias.asname or alias.name for alias in node.names)
            import_line = import_line or node.lineno
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
            name = dotted(node)
            if name is not None and any(name == p or name.startswith(p + ".") for p in prefixes):
                uses.append((node.lineno, name))
    # an attribute chain is also walked through its inner parts: count each use once, by line and outer name
    outer = sorted({(line, name) for line, name in uses
                    if not any(line == other_line and other != name and other.startswith(name + ".")
                               for other_line, other in uses)})
    return observe(bool(outer), "{module} imported at line {import_line}; {count} use(s) after the import: "
                   "{uses_shown}", module=module, import_line=import_line, count=len(outer),
                   uses_shown=", ".join(f"line {line} {name}" for line, name in outer) or "none",
                   uses=[name for _, name in outer])


#: layer constructors that own trainable weights (Keras' Attention only with use_scale=True or score_mode concat)
_WEIGHTED = ("MultiheadAttention", "MultiHeadAttention", "Dense", "LayerNormalization", "Linear")
_ATTENTION = ("MultiheadAttention", "MultiHeadAttention", "Attention")


def _layers(tree: ast.AST) -> dict[str, str]:
    """Names bound to layer constructors that own weights, with the constructor's name."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(
                node.value.func, ast.Attribute | ast.Name):
            kind = node.value.func.attr if isinstance(node.value.func, ast.Attribute) else node.value.func.id
            scaled = kind == "Attention" and any(k.arg == "use_scale" and isinstance(k.value, ast.Constant)
                                                 and k.value.value is True for k in node.value.keywords)
            if kind in _WEIGHTED or scaled:
                found.update({t.id: kind for t in node.targets if isinstance(t, ast.Name)})
    return found


def _optimised(tree: ast.AST) -> set[str]:
    """Layer names whose weights the snippet gives to its optimiser: `optim.X([...])` / `X(model.parameters())`
    in torch, the `variables = [...] + layer.trainable_variables` list that Keras' `apply_gradients` updates."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(
                node.func.value, ast.Name) and node.func.value.id in ("optim", "torch"):
            for arg in node.args:
                names |= {dotted(n.func.value) or "" for n in ast.walk(arg) if isinstance(n, ast.Call)
                          and isinstance(n.func, ast.Attribute) and n.func.attr == "parameters"}
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "variables"
                                                for t in node.targets):
            names |= {dotted(n.value) or "" for n in ast.walk(node.value)
                      if isinstance(n, ast.Attribute) and n.attr == "trainable_variables"}
    return names


def trained_layers(device: torch.device, claims: dict[str, Any], claim_ids: list[str],
                   which: str = "attention") -> dict[str, Any]:
    """Statement (a code comment): "# train the attention layer" (`which` attention) or "# get the trainable
    variables" (`which` all): the optimiser updates the attention layer's weights / every trainable weight.

    Parses each named snippet: the layers it builds that own trainable weights (torch/Keras attention, Dense,
    LayerNormalization; Keras' Attention only with use_scale=True, its scale) and the layers whose weights the
    optimiser receives. A layer whose weights the optimiser is not given keeps its initial weights."""
    rows = []
    for claim_id in claim_ids:
        tree = ast.parse(claims[claim_id]["code"])
        layers = _layers(tree)
        wanted = {name for name, kind in layers.items() if which == "all" or kind in _ATTENTION}
        given = _optimised(tree)
        rows.append({"claim": claim_id, "layers": sorted(wanted), "optimised": sorted(wanted & given),
                     "not_optimised": sorted(wanted - given)})
    holds = all(row["layers"] and not row["not_optimised"] for row in rows)
    return observe(holds, "{shown}", rows=rows, shown="; ".join(
        f"{r['claim']}: layers with weights {', '.join(r['layers']) or 'none'}, given to the optimiser: "
        f"{', '.join(r['optimised']) or 'none'}" for r in rows))
