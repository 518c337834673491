"""Checks of statements in the Q&A threads: SPH kernel derivatives, matrix completion, random projections."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


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
    return observe(abs(float(stated.mean()) - 1) < 0.1,
                   "projected / original distance with 1/sqrt(k): mean {stated_scaling_mean:.3f}; with sqrt(3/k): "
                   "mean {achlioptas_mean:.3f} (range {low:.3f}..{high:.3f})",
                   stated_scaling_mean=float(stated.mean()), achlioptas_mean=float(achlioptas.mean()),
                   low=float(achlioptas.min()), high=float(achlioptas.max()))


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
    return observe(holds, "{table}", table=text, results=results)


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
    return observe(worst >= 1.5 * spreads["dense gaussian"],
                   "spread (std) of projected/original distance ratios: {shown}",
                   shown=", ".join(f"{name} {value:.3f}" for name, value in spreads.items()), spreads=spreads)
