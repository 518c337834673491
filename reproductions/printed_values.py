"""Single printed values of the chat's logs, each checked as its own comparison: the value the code's own
expression computes, judged at the printed precision (half a unit of the last printed digit)."""

from __future__ import annotations

import math
from typing import Any

import torch

from reproductions.attention_training import scipy_misc_derivative_float32
from verifier.mathcheck.observation import observe


def _at_precision(printed: str, value: float) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10.0**-decimals + 1e-12


def true_derivative_value(device: torch.device, printed: str, x0: float = 1.0, dx: float = 1e-6) -> dict[str, Any]:
    """`true_value = scipy.misc.derivative(f, x0, dx=1e-6)` with `f = tf.math.sin`, printed with 4 decimals.

    TensorFlow evaluates sin in float32, so x0 +- dx are rounded to float32 before the central difference;
    the value the expression gives is compared with the printed one (cos(x0), the exact derivative, is shown
    beside it)."""
    computed = scipy_misc_derivative_float32(torch.sin, x0, dx)
    exact = math.cos(x0)
    return observe(_at_precision(printed, computed), "the code's expression gives {computed:.4f} (float32 central "
                   "difference, dx={dx}); printed {printed}; the exact derivative cos({x0}) is {exact:.4f}",
                   computed=computed, dx=dx, printed=printed, x0=x0, exact=exact)


def true_integral_value(device: torch.device, printed: str, a: float = 0.0, b: float = 3.14159) -> dict[str, Any]:
    """`true_value = scipy.integrate.quad(f, a, b)[0]` with f = sin, printed with 4 decimals."""
    import scipy.integrate

    computed = scipy.integrate.quad(math.sin, a, b)[0]
    return observe(_at_precision(printed, computed), "quad of sin over [{a}, {b}] gives {computed:.6f}; printed "
                   "{printed}", a=a, b=b, computed=computed, printed=printed)
