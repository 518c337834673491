"""Checks of matrix-calculus statements, computed with autograd."""

from __future__ import annotations

from typing import Any

import torch


def qq_transpose_derivative(device: torch.device, q: float = 3.0, rows: int = 3, cols: int = 2) -> dict[str, Any]:
    """Statement: the derivative of Q Q^T with respect to Q is 2 Q Q^T.

    In the only case where both sides have the same shape (Q a 1x1 matrix [[q]]), autograd gives
    d(q^2)/dq = 2q while the statement gives 2q^2. For a general Q the derivative is the linear map
    E -> E Q^T + Q E^T (a 4-index tensor), which is checked against autograd on a random Q too."""
    scalar = torch.tensor([[q]], dtype=torch.float64, device=device, requires_grad=True)
    (scalar @ scalar.T).sum().backward()
    assert scalar.grad is not None
    autograd_scalar = scalar.grad.item()
    claimed_scalar = 2 * q * q
    generator = torch.Generator(device="cpu").manual_seed(0)
    matrix = torch.randn(rows, cols, dtype=torch.float64, generator=generator).to(device)
    jacobian = torch.autograd.functional.jacobian(lambda m: m @ m.T, matrix)
    direction = torch.randn(rows, cols, dtype=torch.float64, generator=generator).to(device)
    directional = torch.einsum("ijkl,kl->ij", jacobian, direction)
    formula = direction @ matrix.T + matrix @ direction.T
    holds = abs(autograd_scalar - claimed_scalar) < 1e-9
    return {
        "holds": holds,
        "explanation": (
            f"for Q=[[{q}]] autograd gives {autograd_scalar:g}, the statement gives {claimed_scalar:g}; "
            f"the derivative is E -> E Q^T + Q E^T (max deviation from autograd "
            f"{(directional - formula).abs().max().item():.1e}), a {tuple(jacobian.shape)} tensor"
        ),
        "measured": {
            "autograd_scalar": autograd_scalar,
            "claimed_scalar": claimed_scalar,
            "jacobian_shape": list(jacobian.shape),
            "correct_formula_max_error": (directional - formula).abs().max().item(),
        },
    }
