"""Checks of the chat's numerical claims about attention as a differentiation or integration method."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


def _attention_derivative(f: Any, x0: float, n: int, width: float, sigma: float, h: float) -> float:
    x = np.linspace(x0 - width, x0 + width, n)
    y = f(x)

    def smooth(q: float) -> float:
        s = np.exp(-0.5 * (q - x) ** 2 / sigma**2)
        return float(np.sum(s / s.sum() * y))

    return (smooth(x0 + h) - smooth(x0 - h)) / (2 * h)


def _order(steps: list[float], errors: list[float]) -> float:
    """Slope of log(error) against log(step): the observed order of convergence."""
    return float(np.polyfit(np.log(steps), np.log(errors), 1)[0])


def attention_differentiation_order(device: torch.device, stated_order: float = 2.0, keys: int = 10,
                                    width: float = 5.0, sigma: float = 1.0) -> dict[str, Any]:
    """Statement: the attention method for differentiation is a second-order method.

    The order of a difference method is how its error falls as its step h shrinks. The chat's method
    (Gaussian-kernel attention with sigma = 1 over 10 keys on [x0 - 5, x0 + 5], then a central difference
    with step h) is run on f = sin at x0 = 1 for h = 0.4 .. 0.0125 and the slope of log(error) against
    log(h) is fitted: it holds if that slope is the stated order (within 0.3). For the record, the slope
    when the keys and sigma are refined together with h (a different method) is measured too."""
    steps = [0.4 / 2**k for k in range(6)]
    errors = [abs(_attention_derivative(np.sin, 1.0, keys, width, sigma, h) - math.cos(1.0)) for h in steps]
    order = _order(steps, errors)
    spacings, refined_errors = [], []
    for k in range(3, 10):
        n = 2**k + 1
        spacing = 2.0 / (n - 1)
        spacings.append(spacing)
        refined_errors.append(abs(_attention_derivative(np.sin, 1.0, n, 1.0, 2 * spacing, spacing / 10)
                                  - math.cos(1.0)))
    refined = _order(spacings, refined_errors)
    return observe(abs(order - stated_order) < 0.3,
                   "as the chat defines it (sigma {sigma:g}, {keys} keys): error {first_error:.2e} at h = "
                   "{first_step:g}, {last_error:.2e} at h = {last_step:g}, observed order {order:.2f} (stated "
                   "{stated_order:g}); refining keys and sigma with h instead: order {refined_order:.2f}",
                   sigma=sigma, keys=keys, first_error=errors[0], first_step=steps[0], last_error=errors[-1],
                   last_step=steps[-1], order=order, stated_order=stated_order, refined_order=refined,
                   errors=errors, steps=steps)


def attention_integration_order(device: torch.device, stated_order: float = 1.0) -> dict[str, Any]:
    """Statement: the attention method for integration is a first-order (one-stage Runge-Kutta) method.

    The chat's integration output is a softmax-weighted mean of f at the keys, sum_i a_i f(x_i). For
    f = sin on [0, pi] (integral 2), with a query at the midpoint and Gaussian similarity, the keys are
    refined (10 .. 10,000) and the error against the integral is measured: a method of order p has errors
    falling like n^-p; it holds if the fitted order is the stated one (within 0.3) and the last error is
    below 1e-3."""
    sizes = [10, 100, 1000, 10000]
    errors, weight_sums, outputs = [], [], []
    for n in sizes:
        x = np.linspace(0, math.pi, n)
        scores = -0.5 * (math.pi / 2 - x) ** 2
        weights = np.exp(scores) / np.exp(scores).sum()
        outputs.append(float(np.sum(weights * np.sin(x))))
        weight_sums.append(float(weights.sum()))
        errors.append(abs(outputs[-1] - 2.0))
    order = -_order([float(n) for n in sizes], errors)
    holds = abs(order - stated_order) < 0.3 and errors[-1] < 1e-3
    return observe(holds, "outputs for 10 .. 10,000 keys: {first_output:.4f} .. {last_output:.4f} against the "
                   "integral 2 (errors {first_error:.3f} .. {last_error:.3f}, fitted order {order:.2f}, stated "
                   "{stated_order:g}); the attention weights sum to {weight_sum:.4f}",
                   first_output=outputs[0], last_output=outputs[-1], first_error=errors[0],
                   last_error=errors[-1], order=order, stated_order=stated_order, weight_sum=weight_sums[-1],
                   errors=errors)
