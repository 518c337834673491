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


def _projection(rng: np.random.Generator, d: int, k: int, s: float | None) -> np.ndarray:
    """A d x k random projection scaled so E||xR||^2 = ||x||^2: Gaussian (`s` None) or sparse with
    entries sqrt(s/k) * {+1, 0, -1} at probabilities 1/(2s), 1 - 1/s, 1/(2s) (Achlioptas 2003: s = 3;
    Li, Hastie & Church 2006: s = sqrt(d))."""
    if s is None:
        return rng.standard_normal((d, k)) / math.sqrt(k)
    u = rng.random((d, k), dtype=np.float32)
    signs: np.ndarray = (u < 1 / (2 * s)).astype(float) - (u > 1 - 1 / (2 * s))
    return signs * math.sqrt(s / k)


def _sparse_rows(rng: np.random.Generator, n: int, d: int, density: float) -> Any:
    """n points with round(d * density) non-zero Gaussian features at random positions, as a CSR
    matrix (so projecting costs the non-zeros, not n * d)."""
    from scipy import sparse

    nonzero = max(1, round(d * density))
    columns = np.concatenate([rng.choice(d, nonzero, replace=False) for _ in range(n)])
    rows = np.repeat(np.arange(n), nonzero)
    return sparse.csr_matrix((rng.standard_normal(n * nonzero), (rows, columns)), shape=(n, d))


def _pair_distances(points: Any) -> np.ndarray:
    """Squared distances of all pairs i < j, from the Gram matrix (no n^2 x d difference array)."""
    product = points @ points.T
    gram = np.asarray(product.toarray() if hasattr(product, "toarray") else product)
    norms = np.diag(gram)
    i, j = np.triu_indices(points.shape[0], 1)
    return np.asarray(norms[i] + norms[j] - 2 * gram[i, j])


def _interval(values: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Mean and two-sided Student t confidence interval of the mean over seeds."""
    from scipy import stats

    mean = float(values.mean())
    half = float(stats.t.ppf(0.5 + confidence / 2, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    return mean, mean - half, mean + half


def sparse_projection_on_sparse_data(device: torch.device, n: int = 100, d: int = 5000, k: int = 500,
                                     densities: tuple[float, ...] = (0.002, 0.01), eps: float = 0.2,
                                     seeds: int = 6, sparsities: tuple[str, ...] = ("3", "sqrt(d)"),
                                     confidence: float = 0.95) -> dict[str, Any]:
    """Statement: if the dataset is sparse, sparse random projections will not work well.

    "Work well" for a random projection is the Johnson-Lindenstrauss guarantee: each pairwise squared
    distance kept within 1 +- eps except with probability at most delta = 2 exp(-k (eps^2/2 - eps^3/3) / 2)
    (Dasgupta & Gupta 2003; the dense Gaussian projection meets it on any data). Over `seeds` draws of
    data and projections, measures the fraction of pairs outside 1 +- eps for the dense Gaussian R and for
    each sparse R (`sparsities`: "3" is Achlioptas' R, the one the thread's asker uses; "sqrt(d)" the very
    sparse R of Li et al.) on sparse data (each of `densities`) and, as a control, on dense Gaussian data.
    A sparse R does not work well on a sparse data set if, at `confidence`, its failure rate is above
    delta (t interval over seeds) and above the Gaussian's on the same points (paired t interval of the
    difference). The quote names no particular sparse R or sparsity, so the statement holds if that is so
    for every sparse R and every density measured."""
    rng = np.random.default_rng(0)
    scales: dict[str, float | None] = {"gaussian": None}
    scales.update({f"s={name}": math.sqrt(d) if name == "sqrt(d)" else float(name) for name in sparsities})
    sets = [f"density {rho:g}" for rho in densities] + ["dense data"]
    rates = {(p, ds): np.zeros(seeds) for p in scales for ds in sets}
    for seed in range(seeds):
        data = [_sparse_rows(rng, n, d, rho) for rho in densities] + [rng.standard_normal((n, d))]
        before = [_pair_distances(x) for x in data]
        for p, s in scales.items():
            r = _projection(rng, d, k, s)
            for name, x, original in zip(sets, data, before, strict=True):
                ratio = _pair_distances(np.asarray(x @ r)) / original
                rates[p, name][seed] = float(np.mean(np.abs(ratio - 1) > eps))
    delta = 2 * math.exp(-k * (eps**2 / 2 - eps**3 / 3) / 2)
    rows: list[dict[str, Any]] = []
    fails: list[bool] = []
    for p in scales:
        for name in sets:
            mean, low, high = _interval(rates[p, name], confidence)
            excess = _interval(rates[p, name] - rates["gaussian", name], confidence)
            rows.append({"projection": p, "data": name, "failure": mean, "failure_ci": [low, high],
                         "excess_over_gaussian": excess[0], "excess_ci": [excess[1], excess[2]]})
            if p != "gaussian" and name != "dense data":
                fails.append(low > delta and excess[1] > 0)
    table = "; ".join(
        f"{r['projection']} on {r['data']}: {r['failure']:.4f} [{r['failure_ci'][0]:.4f}, {r['failure_ci'][1]:.4f}]"
        + ("" if r["projection"] == "gaussian" else f", minus gaussian {r['excess_over_gaussian']:+.4f} "
           f"[{r['excess_ci'][0]:+.4f}, {r['excess_ci'][1]:+.4f}]") for r in rows)
    return observe(all(fails),
                   "fraction of pairs whose squared distance leaves 1 +- {eps} after projecting {n} points from "
                   "{d} to {k} dimensions, mean and {confidence} interval over {seeds} seeds: {table}; "
                   "Johnson-Lindenstrauss per-pair bound delta = {delta:.4f}; (sparse R, sparse data) pairs above "
                   "both delta and the gaussian: {above} of {combinations}",
                   eps=eps, n=n, d=d, k=k, confidence=confidence, seeds=seeds, table=table, delta=delta,
                   above=sum(fails), combinations=len(fails), rows=rows)
