"""Checks of DFT/FFT statements, computed."""

from __future__ import annotations

import cmath
import math
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


def _counted_dft(x: list[complex]) -> tuple[list[complex], int]:
    """The definition, one output value at a time, counting complex multiply-adds."""
    n, count = len(x), 0
    out = []
    for k in range(n):
        total = 0j
        for m in range(n):
            total += x[m] * cmath.exp(-2j * math.pi * k * m / n)
            count += 1
        out.append(total)
    return out, count


def direct_dft_cost(device: torch.device, sizes: tuple[int, ...] = (16, 32, 64, 128)) -> dict[str, Any]:
    """Statement: computing all N values of the DFT from its definition costs O(N^2).

    Runs the definition with a counter of complex multiply-adds for several N (checking each result against
    numpy's FFT) and fits the growth exponent of the count; wall-clock times are recorded but do not decide
    (they depend on the machine's load)."""
    import time

    rng = np.random.default_rng(0)
    counts, seconds, errors = [], [], []
    for size in sizes:
        x = list(rng.standard_normal(size) + 1j * rng.standard_normal(size))
        start = time.perf_counter()
        out, count = _counted_dft(x)
        seconds.append(time.perf_counter() - start)
        counts.append(count)
        errors.append(float(np.abs(np.array(out) - np.fft.fft(np.array(x))).max()))
    exponent = float(np.polyfit(np.log(sizes), np.log(counts), 1)[0])
    return {"holds": abs(exponent - 2) < 0.05 and max(errors) < 1e-9,
            "explanation": f"multiply-adds for N = {', '.join(map(str, sizes))}: {', '.join(map(str, counts))} "
                           f"(growth N^{exponent:.2f}); results agree with numpy's FFT to {max(errors):.1e}",
            "measured": {"sizes": list(sizes), "multiply_adds": counts, "seconds": seconds, "exponent": exponent}}


def _recursive_fft(x: np.ndarray) -> np.ndarray:
    """Unnormalised radix-2 Cooley-Tukey."""
    n = len(x)
    if n == 1:
        return x.astype(complex)
    even, odd = _recursive_fft(x[0::2]), _recursive_fft(x[1::2])
    twiddle = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate([even + twiddle, even - twiddle])
