"""Checks of statements in the Q&A threads: SPH kernel derivatives, matrix completion, random projections."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch


def sph_laplacian_is_divergence_of_gradient(device: torch.device, h: float = 1.0) -> dict[str, Any]:
    """Statement: the gradient of the kernel W is a vector field, while its Laplacian, the divergence of the
    gradient, is a scalar field.

    Uses Müller et al.'s poly6 kernel W(r) = 315/(64 pi h^9) (h^2 - |r|^2)^3 in 3-D: autograd gives the
    gradient (3 components per point) and the divergence of that gradient (1 value per point), compared with
    the closed-form Laplacian -945/(32 pi h^9) (h^2 - r^2)(3 h^2 - 7 r^2)."""
    generator = torch.Generator().manual_seed(0)
    points = (torch.rand(50, 3, generator=generator, dtype=torch.float64) - 0.5) * h
    points = points.to(device).requires_grad_()
    r2 = (points**2).sum(dim=1)
    w = 315 / (64 * math.pi * h**9) * (h**2 - r2) ** 3
    (gradient,) = torch.autograd.grad(w.sum(), points, create_graph=True)
    divergence = sum(torch.autograd.grad(gradient[:, i].sum(), points, retain_graph=True)[0][:, i] for i in range(3))
    closed = -945 / (32 * math.pi * h**9) * (h**2 - r2) * (3 * h**2 - 7 * r2)
    error = float((divergence - closed).abs().max().detach())
    return {"holds": gradient.shape == (50, 3) and divergence.shape == (50,) and error < 1e-9,
            "explanation": f"gradient shape {tuple(gradient.shape)} (a vector per point), divergence of the "
                           f"gradient shape {tuple(divergence.shape)} (a scalar per point), equal to the "
                           f"closed-form Laplacian to {error:.1e}",
            "measured": {"max_error": error}}


def matrix_completion_gradient(device: torch.device) -> dict[str, Any]:
    """Statement: for f(u, v) = sum_ij (u_i v_j - y_ij)^2 the gradients are df/du_i = sum_j (u_i v_j - y_ij) v_j
    and df/dv_j = sum_i (u_i v_j - y_ij) u_i.

    Autograd on random data (observed entries only) against the stated formulas: the ratio shows the
    factor 2 the formulas leave out."""
    generator = torch.Generator().manual_seed(0)
    u = torch.rand(7, generator=generator, dtype=torch.float64).to(device).requires_grad_()
    v = torch.rand(5, generator=generator, dtype=torch.float64).to(device).requires_grad_()
    y = torch.rand(7, 5, generator=generator, dtype=torch.float64).to(device)
    mask = (torch.rand(7, 5, generator=generator) > 0.3).to(device)
    residual = (u[:, None] * v[None, :] - y) * mask
    (residual**2).sum().backward()
    assert u.grad is not None and v.grad is not None
    stated_u = (residual * v[None, :]).sum(dim=1).detach()
    stated_v = (residual * u[:, None]).sum(dim=0).detach()
    ratio_u = float((u.grad / stated_u).mean())
    ratio_v = float((v.grad / stated_v).mean())
    holds = torch.allclose(u.grad, stated_u) and torch.allclose(v.grad, stated_v)
    return {"holds": bool(holds),
            "explanation": f"autograd / stated formula = {ratio_u:.4f} for u and {ratio_v:.4f} for v: the "
                           "stated gradients are half the true ones (the factor 2 from the square is missing)",
            "measured": {"ratio_u": ratio_u, "ratio_v": ratio_v}}


def _distortion(data: np.ndarray, projected: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(len(data), 1)
    before = np.linalg.norm(data[i] - data[j], axis=1)
    after = np.linalg.norm(projected[i] - projected[j], axis=1)
    return after / before


def sparse_projection_scaling(device: torch.device, n: int = 100, d: int = 5000, k: int = 500) -> dict[str, Any]:
    """Statement: with R filled with 0, -1, +1 at probabilities 2/3, 1/6, 1/6, normalising by 1/sqrt(k) makes the
    projection (nearly) preserve distances.

    Projects 100 random points from 5000 to 500 dimensions (the thread's sizes) with that R and measures
    the ratio of projected to original pairwise distances: 1/sqrt(k) gives about sqrt(1/3) = 0.577, since
    each entry has variance 1/3; Achlioptas' scaling sqrt(3/k) gives about 1."""
    rng = np.random.default_rng(0)
    data = rng.standard_normal((n, d))
    r = rng.choice([0.0, -1.0, 1.0], size=(d, k), p=[2 / 3, 1 / 6, 1 / 6])
    stated = _distortion(data, data @ r / math.sqrt(k))
    achlioptas = _distortion(data, data @ r * math.sqrt(3 / k))
    return {"holds": abs(float(stated.mean()) - 1) < 0.1,
            "explanation": f"distance ratio with 1/sqrt(k): mean {stated.mean():.3f}; with sqrt(3/k): mean "
                           f"{achlioptas.mean():.3f} (range {achlioptas.min():.3f}..{achlioptas.max():.3f})",
            "measured": {"stated_scaling_mean": float(stated.mean()), "achlioptas_mean": float(achlioptas.mean())}}


def jl_dimensions_for_distortion(device: torch.device, eps: float = 0.1, sizes: tuple[int, ...] = (50, 100),
                                 trials: int = 5) -> dict[str, Any]:
    """Statement: for fluctuations of 0.1 (eps) you need about 100 log(n) dimensions.

    Compares 100 ln(n) with the published sufficient dimension of the Johnson-Lindenstrauss lemma
    (Dasgupta & Gupta 2003: k >= 4 ln n / (eps^2/2 - eps^3/3)) and with an experiment: the smallest k (on a
    grid) at which Gaussian random projections of n random points keep every pairwise squared distance
    within 1 +- eps in all trials. The statement holds if 100 ln n dimensions suffice in the experiment.
    (The distortion of a Gaussian projection does not depend on the original dimension, so the points
    live in n dimensions, which keeps the experiment to seconds.)"""
    rng = np.random.default_rng(0)
    results = []
    for n in sizes:
        data = rng.standard_normal((n, n))
        bound = 4 * math.log(n) / (eps**2 / 2 - eps**3 / 3)
        stated = 100 * math.log(n)
        needed = None
        for k in range(250, 8001, 250):
            ok = all(np.all(np.abs(_distortion(data, data @ rng.standard_normal((n, k)) / math.sqrt(k)) ** 2 - 1)
                            <= eps) for _ in range(trials))
            if ok:
                needed = k
                break
        results.append({"n": n, "stated_100_ln_n": round(stated), "dasgupta_gupta_bound": round(bound),
                        "experiment_needed": needed})
    holds = all(r["experiment_needed"] is not None and r["stated_100_ln_n"] >= r["experiment_needed"] for r in results)
    text = "; ".join(f"n={r['n']}: 100 ln n = {r['stated_100_ln_n']}, bound {r['dasgupta_gupta_bound']}, "
                     f"experiment {r['experiment_needed']}" for r in results)
    return {"holds": holds, "explanation": text, "measured": {"results": results}}


def sparse_projection_on_sparse_data(device: torch.device, n: int = 60, d: int = 20000, k: int = 400,
                                     density: float = 0.002) -> dict[str, Any]:
    """Statement: if the dataset is sparse, sparse random projections will not work well.

    Points with 0.2% non-zero features (40 of 20,000), projected to 400 dimensions with a dense Gaussian R,
    Achlioptas' sparse R (2/3 zeros) and a very sparse R (1 - 1/sqrt(d) zeros, Li et al. 2006). The
    statement holds if the sparse projections distort pairwise distances clearly more (spread of the
    distance ratio at least 1.5 times the dense one's)."""
    rng = np.random.default_rng(3)
    data = np.zeros((n, d))
    for row in data:
        row[rng.choice(d, int(d * density), replace=False)] = rng.standard_normal(int(d * density))
    spreads: dict[str, float] = {}
    dense = rng.standard_normal((d, k)) / math.sqrt(k)
    spreads["dense gaussian"] = float(_distortion(data, data @ dense).std())
    for name, s in (("achlioptas s=3", 3.0), ("very sparse s=sqrt(d)", math.sqrt(d))):
        r = rng.choice([0.0, -1.0, 1.0], size=(d, k), p=[1 - 1 / s, 1 / (2 * s), 1 / (2 * s)]) * math.sqrt(s / k)
        spreads[name] = float(_distortion(data, data @ r).std())
    worst = max(spreads["achlioptas s=3"], spreads["very sparse s=sqrt(d)"])
    return {"holds": worst >= 1.5 * spreads["dense gaussian"],
            "explanation": "spread (std) of projected/original distance ratios: "
                           + ", ".join(f"{name} {value:.3f}" for name, value in spreads.items()),
            "measured": spreads}
