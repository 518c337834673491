"""Checks of DFT/FFT statements, computed."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def direct_dft(x: np.ndarray) -> np.ndarray:
    """The O(N^2) definition X(k) = sum_n x(n) exp(-2 pi i k n / N)."""
    n = np.arange(len(x))
    return np.exp(-2j * np.pi * np.outer(n, n) / len(x)) @ x


def fft_sizes(device: torch.device, sizes: tuple[int, ...] = (12, 97, 100, 128)) -> dict[str, Any]:
    """Statement: every fast DFT needs an input whose size is a power of two.

    Runs numpy's and torch's FFTs (mixed-radix and Bluestein algorithms) on sizes that are and are not
    powers of two and compares each with the direct DFT. The statement holds only if every
    non-power-of-two size fails or disagrees."""
    rng = np.random.default_rng(0)
    errors: dict[str, float] = {}
    for size in sizes:
        x = rng.standard_normal(size) + 1j * rng.standard_normal(size)
        reference = direct_dft(x)
        numpy_error = float(np.abs(np.fft.fft(x) - reference).max())
        torch_error = float((torch.fft.fft(torch.from_numpy(x).to(device)).cpu().numpy() - reference).__abs__().max())
        errors[str(size)] = max(numpy_error, torch_error)
    non_pow2 = [s for s in sizes if s & (s - 1)]
    works = [s for s in non_pow2 if errors[str(s)] < 1e-9 * s]
    return {
        "holds": not works,
        "explanation": (
            f"FFTs of non-power-of-two sizes {works} agree with the direct DFT "
            f"(max error {max(errors[str(s)] for s in works):.1e})" if works
            else "no non-power-of-two size could be transformed"
        ),
        "measured": {"max_abs_error_by_size": errors},
    }
