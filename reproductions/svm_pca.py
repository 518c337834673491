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
    alpha, w, support = _dual(x, y)
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
    x = _pca_data()
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


def _dual(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dual solution alpha, w = sum alpha_i y_i x_i and the support vectors' indices."""
    gram = (x @ x.T) * np.outer(y, y)
    result = minimize(lambda a: 0.5 * a @ gram @ a - a.sum(), np.zeros(len(y)), jac=lambda a: gram @ a - 1,
                      bounds=[(0, None)] * len(y), constraints=[{"type": "eq", "fun": lambda a: a @ y}],
                      method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})
    alpha = result.x
    return alpha, (alpha * y) @ x, np.flatnonzero(alpha > 1e-6 * alpha.max())


def svm_bias_and_decision_rule(device: torch.device) -> dict[str, Any]:
    """Statement: b = y_s - w.x_s for any support vector x_s (alpha_s > 0), and class(x) = sign(w.x + b).

    From the dual solution, computes b from every support vector separately (they must agree, and agree with
    the primal solution's b), then classifies the training points and 2,000 fresh points from the same two
    clusters with sign(w.x + b)."""
    x, y = _separable()
    _alpha, w, support = _dual(x, y)
    biases = y[support] - x[support] @ w
    _, b_primal = _primal(x, y)
    b = float(biases.mean())
    fresh_x, fresh_y = _separable(seed=1, n=1000)
    train_accuracy = float((np.sign(x @ w + b) == y).mean())
    fresh_accuracy = float((np.sign(fresh_x @ w + b) == fresh_y).mean())
    spread = float(biases.max() - biases.min())
    holds = spread < 1e-4 and abs(b - b_primal) < 1e-4 and train_accuracy == 1.0 and fresh_accuracy > 0.99
    return {"holds": bool(holds),
            "explanation": f"b from each of the {len(support)} support vectors: {np.round(biases, 5).tolist()} (spread "
                           f"{spread:.1e}; primal b {b_primal:.5f}); sign(w.x + b) right on {train_accuracy:.0%} of "
                           "the "
                           f"training points and {fresh_accuracy:.2%} of 2,000 fresh ones",
            "measured": {"biases": biases.tolist(), "train_accuracy": train_accuracy, "fresh_accuracy": fresh_accuracy}}


def _pca_data() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.standard_normal((200, 5)) @ rng.standard_normal((5, 5)) + rng.standard_normal(5)


def pca_projection_and_reconstruction(device: torch.device, k: int = 2) -> dict[str, Any]:
    """Statement: X_reduced = X_centered V_k; X_reconstructed = X_reduced V_k^T + mean.

    Evaluates both as written with the covariance eigenvectors and compares them with the SVD of the centred
    data: the projection with U_k S_k (up to the sign of each column) and the reconstruction with the best
    rank-k approximation (Eckart-Young) plus the mean."""
    x = _pca_data()
    mean = x.mean(axis=0)
    centred = x - mean
    values, vectors = np.linalg.eigh(centred.T @ centred / (len(x) - 1))
    vk = vectors[:, np.argsort(values)[::-1][:k]]
    reduced = centred @ vk
    reconstructed = reduced @ vk.T + mean
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    signs = np.sign(np.sum(reduced * (u[:, :k] * s[:k]), axis=0))
    projection_error = float(np.abs(reduced - signs * u[:, :k] * s[:k]).max())
    best = u[:, :k] * s[:k] @ vt[:k] + mean
    reconstruction_error = float(np.abs(reconstructed - best).max())
    return {"holds": projection_error < 1e-9 and reconstruction_error < 1e-9,
            "explanation": f"k = {k}: projection vs U_k S_k: {projection_error:.1e}; reconstruction vs the best "
                           f"rank-{k} "
                           f"approximation + mean: {reconstruction_error:.1e}",
            "measured": {"projection_error": projection_error, "reconstruction_error": reconstruction_error}}


def linear_autoencoder_matches_pca(device: torch.device, latent: int = 2, steps: int = 3000) -> dict[str, Any]:
    """Statement: an autoencoder z = f_enc(x), x^ = f_dec(z), trained to minimise ||x - x^||^2, learns a compact
    latent representation from which it reconstructs x (the source calls this loss the mean squared error).

    Trains a linear autoencoder (5 -> 2 -> 5, Adam, full batch) on the PCA data set: its reconstruction error
    must fall to the optimum any rank-2 reconstruction can reach, the PCA error from the same data (within
    1%), and not below it. ||x - x^||^2 is the sum over the 5 features, 5 times their mean (the MSE)."""
    torch.manual_seed(0)
    x = torch.tensor(_pca_data(), dtype=torch.float64, device=device)
    model = torch.nn.Sequential(torch.nn.Linear(5, latent), torch.nn.Linear(latent, 5)).double().to(device)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.02)
    first = None
    for _ in range(steps):
        loss = ((x - model(x)) ** 2).sum(dim=1).mean()
        first = first if first is not None else float(loss.detach())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    final = float(((x - model(x)) ** 2).sum(dim=1).mean().detach())
    centred = x - x.mean(dim=0)
    s = torch.linalg.svdvals(centred)
    optimum = float((s[latent:] ** 2).sum() / len(x))
    holds = optimum * (1 - 1e-9) <= final <= optimum * 1.01
    return {"holds": holds,
            "explanation": f"mean ||x - x^||^2 {first:.3f} -> {final:.4f} after {steps} steps; the best rank-{latent} "
                           f"reconstruction (PCA) {optimum:.4f}; as a mean over the 5 features (MSE) {final / 5:.4f}",
            "measured": {"initial": first, "final": final, "pca_optimum": optimum}}
