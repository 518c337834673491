"""Behaviour checks of library names (api claims): a small computation decides what the source says the
name does. Each returns an observation {holds, explanation, measured}; run only in the sandbox."""

from __future__ import annotations

from typing import Any

import torch


def multihead_attention_similarity(device: torch.device, similarity: str = "gaussian", embed_dim: int = 1,
                                   keys: int = 10, sigma: float = 1.0) -> dict[str, Any]:
    """Is `torch.nn.MultiheadAttention`'s similarity function the one the source names?

    Runs the real module with random weights and inputs, then recomputes its output from its own projection
    weights twice: with scaled dot-product scores softmax(q'k'^T / sqrt(d)) and with a Gaussian kernel
    exp(-|q'-k'|^2 / (2 sigma^2)) normalised over the keys. The module's similarity is the one whose
    recomputation matches its output; `holds` says whether that is the stated one."""
    generator = torch.Generator().manual_seed(0)
    module = torch.nn.MultiheadAttention(embed_dim=embed_dim, num_heads=1, kdim=embed_dim, vdim=embed_dim).to(device)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
        q = torch.randn(1, 1, embed_dim, generator=generator).to(device)
        k = torch.randn(keys, 1, embed_dim, generator=generator).to(device)
        v = torch.randn(keys, 1, embed_dim, generator=generator).to(device)
        output, _ = module(q, k, v)
        w_q, w_k, w_v = module.in_proj_weight.chunk(3)
        b_q, b_k, b_v = module.in_proj_bias.chunk(3)
        qp = q[:, 0] @ w_q.T + b_q
        kp = k[:, 0] @ w_k.T + b_k
        vp = v[:, 0] @ w_v.T + b_v
        out = module.out_proj

        def finish(weights: torch.Tensor) -> torch.Tensor:
            return (weights @ vp) @ out.weight.T + out.bias

        dot = finish(torch.softmax(qp @ kp.T / embed_dim ** 0.5, dim=-1))
        gaussian_scores = torch.exp(-((qp[:, None, :] - kp[None, :, :]) ** 2).sum(-1) / (2 * sigma**2))
        gaussian = finish(gaussian_scores / gaussian_scores.sum(-1, keepdim=True))
        observed = output[0]
        errors = {"dot_product": float((dot - observed).abs().max()),
                  "gaussian": float((gaussian - observed).abs().max())}
    matches = [name for name, error in errors.items() if error < 1e-5]
    holds = similarity in matches
    found = matches[0] if matches else "neither"
    return {"holds": holds, "explanation": (
        f"torch.nn.MultiheadAttention's output is recomputed by {found.replace('_', '-')} scores "
        f"(max error {errors.get(found, min(errors.values())):.1e}); the source says {similarity} "
        f"(max error {errors.get(similarity, float('nan')):.1e})"),
        "measured": {"max_abs_error": errors, "matches": matches, "torch": torch.__version__}}
