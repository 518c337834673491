"""Checks of the derivations chat (ml-derivations-chat): SVM in canonical form, its dual, and PCA."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from scipy.optimize import minimize

from verifier.mathcheck.observation import observe


def _separable(seed: int = 0, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal([2.0, 2.0], 0.6, (n, 2)), rng.normal([-2.0, -1.0], 0.6, (n, 2))])
    return x, np.hstack([np.ones(n), -np.ones(n)])


def _primal(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    constraints = [{"type": "ineq", "fun": lambda p, i=i: y[i] * (x[i] @ p[:2] + p[2]) - 1} for i in range(len(y))]
    result = minimize(lambda p: 0.5 * p[:2] @ p[:2], np.array([1.0, 1.0, 0.0]), constraints=constraints,
                      method="SLSQP", options={"ftol": 1e-12, "maxiter": 500})
    return result.x[:2], float(result.x[2])


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
    return observe(holds, "dual w = {w_dual}, primal w = {w_primal}; b {b:.5f} vs {b_primal:.5f}; points with "
                   "alpha > 0: {support}; closest points: {closest}", w_dual=np.round(w, 5).tolist(),
                   w_primal=np.round(w_primal, 5).tolist(), b=b, b_primal=b_primal, support=support.tolist(),
                   closest=closest.tolist(), alpha_nonzero=alpha[support].tolist())


def _dual(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dual solution alpha, w = sum alpha_i y_i x_i and the support vectors' indices."""
    gram = (x @ x.T) * np.outer(y, y)
    result = minimize(lambda a: 0.5 * a @ gram @ a - a.sum(), np.zeros(len(y)), jac=lambda a: gram @ a - 1,
                      bounds=[(0, None)] * len(y), constraints=[{"type": "eq", "fun": lambda a: a @ y}],
                      method="SLSQP", options={"ftol": 1e-14, "maxiter": 1000})
    alpha = result.x
    return alpha, (alpha * y) @ x, np.flatnonzero(alpha > 1e-6 * alpha.max())


def _pca_data() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.standard_normal((200, 5)) @ rng.standard_normal((5, 5)) + rng.standard_normal(5)


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
    return observe(holds, "mean ||x - x^||^2 {initial:.3f} -> {final:.4f} after {steps} steps; the best rank-{latent} "
                   "reconstruction (PCA) {pca_optimum:.4f}; as a mean over the 5 features (MSE) {mse:.4f}",
                   initial=first, final=final, steps=steps, latent=latent, pca_optimum=optimum, mse=final / 5)
