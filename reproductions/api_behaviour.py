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


def mse_loss_is_mean_squared_error(device: torch.device) -> dict[str, Any]:
    """Is `torch.nn.MSELoss()` (default reduction) the mean squared error between output and target?"""
    generator = torch.Generator().manual_seed(1)
    output, target = torch.randn(7, generator=generator), torch.randn(7, generator=generator)
    loss = float(torch.nn.MSELoss()(output.to(device), target.to(device)))
    mean_sq, sum_sq = float(((output - target) ** 2).mean()), float(((output - target) ** 2).sum())
    holds = abs(loss - mean_sq) <= 1e-6 * max(1.0, abs(mean_sq))
    return {"holds": holds, "explanation": f"MSELoss gives {loss:.6f}; the mean of squared differences is "
            f"{mean_sq:.6f} (their sum {sum_sq:.6f})", "measured": {"loss": loss, "mean": mean_sq, "sum": sum_sq}}


def quad_true_integral(device: torch.device, a: float = 0.0, b: float = 3.14159) -> dict[str, Any]:
    """Does `scipy.integrate.quad(sin, a, b)[0]` give the true integral (1 - cos b + cos a - 1)?"""
    import math

    import scipy.integrate

    value, error_estimate = scipy.integrate.quad(math.sin, a, b)
    exact = math.cos(a) - math.cos(b)
    holds = abs(value - exact) <= 1e-9
    return {"holds": holds, "explanation": f"quad gives {value:.12f} (estimated error {error_estimate:.1e}); "
            f"the exact integral is {exact:.12f}", "measured": {"quad": value, "exact": exact}}


def linspace_equally_spaced(device: torch.device, start: float = -5.0, stop: float = 5.0,
                            count: int = 10) -> dict[str, Any]:
    """Does `numpy.linspace(start, stop, count)` give `count` equally spaced points covering [start, stop]?"""
    import numpy as np

    points = np.linspace(start, stop, count)
    steps = np.diff(points)
    holds = (len(points) == count and points[0] == start and points[-1] == stop
             and bool(np.allclose(steps, steps[0], rtol=1e-12, atol=0)))
    return {"holds": holds, "explanation": f"{len(points)} points from {points[0]} to {points[-1]}, "
            f"spacing {steps.min():.6f}..{steps.max():.6f}", "measured": {"points": points.tolist()}}


def adam_learns_query_and_keys(device: torch.device, steps: int = 5) -> dict[str, Any]:
    """Does `optim.Adam([q, k], lr=0.01)` learn q and k in the chat's quadrature code?

    Builds q, k, v, the attention layer, the optimiser and the loss exactly as the chat writes them and runs
    a few training steps; `holds` when q or k changed. The chat's own call `attention(q.unsqueeze(0), ...)`
    fails on shapes (its code claim records that), so the inputs are given the (length, batch, 1) shapes the
    layer accepts; nothing else changes."""
    torch.manual_seed(0)
    a, b, n = 0, 3.14159, 10
    q = torch.tensor([(a + b) / 2])
    k = torch.rand(n) * (b - a) + a
    v = torch.sin(k)
    attention = torch.nn.MultiheadAttention(embed_dim=1, num_heads=1, kdim=1, vdim=1)
    optimizer = torch.optim.Adam([q, k], lr=0.01)
    loss_fn = torch.nn.MSELoss()
    q0, k0 = q.clone(), k.clone()
    for _ in range(steps):
        optimizer.zero_grad()
        z, _ = attention(q.view(1, 1, 1), k.view(n, 1, 1), v.view(n, 1, 1))
        loss = loss_fn(z.squeeze(), torch.tensor(2.0))
        loss.backward()
        optimizer.step()
    changed = bool(not torch.equal(q, q0) or not torch.equal(k, k0))
    return {"holds": changed, "explanation": (
        f"after {steps} Adam steps q {'changed' if not torch.equal(q, q0) else 'is unchanged'} and k "
        f"{'changed' if not torch.equal(k, k0) else 'is unchanged'}: requires_grad is {q.requires_grad} and "
        f"{k.requires_grad}, so they get no gradient (q.grad is {q.grad})"),
        "measured": {"q_requires_grad": q.requires_grad, "k_requires_grad": k.requires_grad,
                     "q_changed": not torch.equal(q, q0), "k_changed": not torch.equal(k, k0)}}
