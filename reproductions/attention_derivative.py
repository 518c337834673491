"""Ports of the attention-as-numerical-differentiation snippets (attention-numerics-chat)."""

from __future__ import annotations

import torch


def gaussian_attention_derivative(device: torch.device) -> dict[str, float]:
    """The Gaussian-kernel attention derivative of f(x) = x^2 + 2x - 3 at x0 = 1.

    Same algorithm as the chat's numpy code: 10 points on [-5, 5], similarity exp(-(q-k)^2 / 2 sigma^2)
    with sigma = 1, weights normalised to sum 1, output = weighted mean of f, then a central difference
    with h = 0.01 of that output. Changed: numpy -> torch float64 on the given device (numpy's default
    dtype is float64 too, so the arithmetic is the same); the chat's lost indentation is restored."""
    x = torch.linspace(-5, 5, 10, dtype=torch.float64, device=device)
    y = x**2 + 2 * x - 3

    def attention(q: float, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        sigma = 1
        s = torch.exp(-0.5 * (q - k) ** 2 / sigma**2)
        a = s / torch.sum(s)
        return torch.sum(a * v)

    x0, h = 1, 0.01
    dydx = (attention(x0 + h, x, y) - attention(x0 - h, x, y)) / (2 * h)
    print(f"The derivative at x = {x0} is approximately {dydx.item():.4f}")
    return {"derivative": dydx.item(), "exact_derivative_of_f": 2 * x0 + 2}
