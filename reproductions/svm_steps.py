"""Each step of the chat's SVM derivation as its own computed check, on the same separable data as the
checks of svm_pca.py (whose primal and dual solvers are reused)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from reproductions.svm_pca import _dual, _primal, _separable
from verifier.mathcheck.observation import observe


def svm_constraints(device: torch.device) -> dict[str, Any]:
    """Statement: the constraints y_i (w.x_i + b) >= 1 make every point correctly classified, with a margin of
    at least 1 (the functional margin y_i (w.x_i + b); the distance to the hyperplane is that over ||w||).

    Solves the primal and measures, for every training point, y_i (w.x_i + b), its sign agreement, and the
    geometric distance of the closest point."""
    x, y = _separable()
    w, b = _primal(x, y)
    functional = y * (x @ w + b)
    correct = float((np.sign(x @ w + b) == y).mean())
    distance = float((np.abs(x @ w + b) / np.linalg.norm(w)).min())
    holds = bool(functional.min() >= 1 - 1e-6 and correct == 1.0)
    return observe(holds, "smallest y(w.x+b) = {min_functional_margin:.6f}; {accuracy:.0%} classified as labelled; "
                   "the closest point is {geometric_margin:.4f} from the hyperplane, 1/||w|| = {inverse_norm:.4f}",
                   min_functional_margin=float(functional.min()), accuracy=correct, geometric_margin=distance,
                   inverse_norm=float(1 / np.linalg.norm(w)))


def svm_lagrangian_stationarity(device: torch.device) -> dict[str, Any]:
    """Statement: L(w, b, a) = (1/2)||w||^2 - sum a_i [y_i (w.x_i + b) - 1] with a_i >= 0; setting its
    derivatives to zero gives dL/dw = w - sum a_i y_i x_i = 0 and dL/db = -sum a_i y_i = 0.

    Builds L exactly as written in torch and differentiates it by autograd at the optimum (w, b from the
    primal, a from the dual): both derivatives must vanish and the formulas for them must equal autograd's."""
    x_np, y_np = _separable()
    alpha_np, _, _ = _dual(x_np, y_np)
    w_np, b_np = _primal(x_np, y_np)
    x, y, alpha = (torch.tensor(v, dtype=torch.float64) for v in (x_np, y_np, alpha_np))
    w = torch.tensor(w_np, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b_np, dtype=torch.float64, requires_grad=True)
    lagrangian = 0.5 * w @ w - (alpha * (y * (x @ w + b) - 1)).sum()
    grad_w, grad_b = torch.autograd.grad(lagrangian, (w, b))
    stated_w = w.detach() - (alpha * y) @ x
    stated_b = -(alpha * y).sum()
    errors = {"dL_dw": float(grad_w.abs().max()), "dL_db": float(grad_b.abs()),
              "formula_vs_autograd_w": float((grad_w - stated_w).abs().max()),
              "formula_vs_autograd_b": float((grad_b - stated_b).abs())}
    holds = max(errors.values()) < 1e-4 and bool((alpha >= -1e-12).all())
    return observe(holds, "at the optimum |dL/dw| = {dL_dw:.1e}, |dL/db| = {dL_db:.1e}; the stated derivatives vs "
                   "autograd's: largest difference {formula_vs_autograd:.1e}", dL_dw=errors["dL_dw"],
                   dL_db=errors["dL_db"],
                   formula_vs_autograd=max(errors["formula_vs_autograd_w"], errors["formula_vs_autograd_b"]),
                   errors=errors)


def svm_strong_duality(device: torch.device) -> dict[str, Any]:
    """Statement: substituting w = sum a_i y_i x_i into the Lagrangian gives the dual: maximise
    sum a_i - (1/2) sum_ij a_i a_j y_i y_j x_i.x_j subject to a_i >= 0 and sum a_i y_i = 0.

    Solves that dual and the primal separately: the dual's optimum must equal the primal's (1/2)||w||^2, and
    the Lagrangian with w substituted must equal the dual objective for any feasible a (checked on the
    optimum and on 100 random feasible a)."""
    x, y = _separable()
    alpha, w_dual, _ = _dual(x, y)
    w, _ = _primal(x, y)
    gram = (x @ x.T) * np.outer(y, y)

    def dual_objective(a: np.ndarray) -> float:
        return float(a.sum() - 0.5 * a @ gram @ a)

    def substituted(a: np.ndarray) -> float:  # L(w(a), b, a) with sum a_i y_i = 0, so b drops out
        w_a = (a * y) @ x
        return float(0.5 * w_a @ w_a - (a * (y * (x @ w_a) - 1)).sum())

    rng = np.random.default_rng(0)
    gaps = []
    for _ in range(100):
        a = rng.uniform(0, 1, len(y))
        positive, negative = y > 0, y < 0
        a[negative] *= a[positive].sum() / a[negative].sum()  # sum a_i y_i = 0
        gaps.append(abs(substituted(a) - dual_objective(a)))
    primal_value, dual_value = 0.5 * float(w @ w), dual_objective(alpha)
    holds = abs(primal_value - dual_value) < 1e-4 and max(gaps) < 1e-8
    return observe(holds, "dual optimum {dual:.6f}, primal optimum (1/2)||w||^2 = {primal:.6f}; the substituted "
                   "Lagrangian vs the dual objective on 100 feasible multipliers: largest difference "
                   "{max_substitution_gap:.1e}", dual=dual_value, primal=primal_value, max_substitution_gap=max(gaps),
                   w_dual=w_dual.tolist())
