"""Checks of the derivations chat (ml-derivations-chat): SVM in canonical form, its dual, and PCA."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import torch
from scipy.optimize import minimize


def _separable(seed: int = 0, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal([2.0, 2.0], 0.6, (n, 2)), rng.normal([-2.0, -1.0], 0.6, (n, 2))])
    return x, np.hstack([np.ones(n), -np.ones(n)])


def _primal(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    constraints = [{"type": "ineq", "fun": lambda p, i=i: y[i] * (x[i] @ p[:2] + p[2]) - 1} for i in range(len(y))]
    result = minimize(lambda p: 0.5 * p[:2] @ p[:2], np.array([1.0, 1.0, 0.0]), constraints=constraints,
                      method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    return result.x[:2], float(result.x[2])


def svm_margin(device: torch.device) -> dict[str, Any]:
    """Statement: the margin is the distance between the hyperplane and the closest points, 1/||w|| in
    canonical form (y_i (w.x_i + b) >= 1), so maximising it is minimising (1/2)||w||^2.

    Solves the primal on separable data (SLSQP), then measures the distance of every point to the
    hyperplane: the closest ones are exactly 1/||w|| away and satisfy y_i (w.x_i + b) = 1."""
    x, y = _separable()
    w, b = _primal(x, y)
    distances = np.abs(x @ w + b) / np.linalg.norm(w)
    closest = float(distances.min())
    functional = float((y * (x @ w + b)).min())
    holds = abs(closest - 1 / np.linalg.norm(w)) < 1e-6 and abs(functional - 1) < 1e-6
    return {"holds": holds,
            "explanation": f"closest point at {closest:.6f}, 1/||w|| = {1 / np.linalg.norm(w):.6f}, smallest "
                           f"y(w.x+b) = {functional:.6f} (the margin between the classes is twice that distance)",
            "measured": {"w": w.tolist(), "b": b, "closest_distance": closest,
                         "inverse_norm": float(1 / np.linalg.norm(w))}}


def svm_dual(device: torch.device) -> dict[str, Any]:
    """Statement: the dual max sum(a) - (1/2) sum a_i a_j y_i y_j x_i.x_j (a >= 0, sum a_i y_i = 0) gives
    w = sum a_i y_i x_i; the points with a_i > 0 are the support vectors, closest to the hyperplane; b comes
    from any support vector.

    Solves the dual (SLSQP), rebuilds w and b as stated and compares them with the primal solution."""
    x, y = _separable()
    gram = (x @ x.T) * np.outer(y, y)
    result = minimize(lambda a: 0.5 * a @ gram @ a - a.sum(), np.zeros(len(y)), jac=lambda a: gram @ a - 1,
                      bounds=[(0, None)] * len(y), constraints=[{"type": "eq", "fun": lambda a: a @ y}],
                      method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})
    alpha = result.x
    w = (alpha * y) @ x
    support = np.flatnonzero(alpha > 1e-6 * alpha.max())
    b = float(np.mean(y[support] - x[support] @ w))
    w_primal, b_primal = _primal(x, y)
    distances = np.abs(x @ w + b) / np.linalg.norm(w)
    closest = np.flatnonzero(distances <= distances.min() + 1e-4)
    holds = np.allclose(w, w_primal, atol=1e-4) and abs(b - b_primal) < 1e-4 and set(support) == set(closest)
    return {"holds": bool(holds),
            "explanation": f"dual w = {np.round(w, 5).tolist()}, primal w = {np.round(w_primal, 5).tolist()}; "
                           f"b {b:.5f} vs {b_primal:.5f}; support vectors {support.tolist()} = closest points "
                           f"{closest.tolist()}",
            "measured": {"alpha_nonzero": alpha[support].tolist(), "support": support.tolist()}}


def pca_covariance_vs_svd(device: torch.device, k: int = 2) -> dict[str, Any]:
    """Statement: the eigenvectors of the covariance matrix C = Xc^T Xc / (N - 1) are the principal directions
    and its eigenvalues the variance along them; projecting on the top k and reconstructing approximates X,
    better with more components.

    Compares with the SVD of the centred data (directions up to sign, variances s^2/(N-1)), measures the
    variance of the projections and the reconstruction error for every k."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 5)) @ rng.standard_normal((5, 5)) + rng.standard_normal(5)
    centred = x - x.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T @ centred / (len(x) - 1))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    direction_error = float(np.abs(np.abs(vectors.T @ vt.T) - np.eye(5)).max())
    variance_error = float(np.abs(values - s**2 / (len(x) - 1)).max())
    projected_variance = np.var(centred @ vectors, axis=0, ddof=1)
    errors = [float(np.linalg.norm(centred - centred @ vectors[:, :m] @ vectors[:, :m].T)) for m in range(6)]
    holds = direction_error < 1e-8 and variance_error < 1e-8 and np.allclose(projected_variance, values) and \
        all(a >= b for a, b in itertools.pairwise(errors)) and errors[-1] < 1e-9
    return {"holds": bool(holds),
            "explanation": f"eigenvectors vs SVD directions: max deviation {direction_error:.1e}; eigenvalues vs "
                           f"s^2/(N-1): {variance_error:.1e}; reconstruction error for k = 0..5: "
                           + ", ".join(f"{e:.2f}" for e in errors),
            "measured": {"eigenvalues": values.tolist(), "reconstruction_error_by_k": errors}}
