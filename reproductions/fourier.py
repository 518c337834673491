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


def complex_arithmetic(device: torch.device, which: str = "product") -> dict[str, Any]:
    """Statements: (a0+i b0)(a1+i b1) = (a0 a1 - b0 b1) + i (a0 b1 + b0 a1); polar form a = r cos t,
    b = r sin t, r = sqrt(a^2+b^2), t = atan2(b, a); sqrt(r|t) = +-sqrt(r)|(t/2); e^(ix) = cos x + i sin x.
    Each is evaluated on 1,000 random complex numbers against Python's complex arithmetic; `which` names
    the statement of the claim (product, polar, sqrt or euler); the others are reported too."""
    rng = np.random.default_rng(1)
    worst = {"product": 0.0, "polar": 0.0, "sqrt": 0.0, "euler": 0.0}
    for _ in range(1000):
        a0, b0, a1, b1, x = rng.uniform(-10, 10, 5)
        c0, c1 = complex(a0, b0), complex(a1, b1)
        formula = complex(a0 * a1 - b0 * b1, a0 * b1 + b0 * a1)
        worst["product"] = max(worst["product"], abs(formula - c0 * c1))
        r, t = math.sqrt(a0 * a0 + b0 * b0), math.atan2(b0, a0)
        worst["polar"] = max(worst["polar"], abs(complex(r * math.cos(t), r * math.sin(t)) - c0))
        root = math.sqrt(r) * complex(math.cos(t / 2), math.sin(t / 2))
        worst["sqrt"] = max(worst["sqrt"], min(abs(root - cmath.sqrt(c0)), abs(-root - cmath.sqrt(c0))))
        worst["euler"] = max(worst["euler"], abs(cmath.exp(1j * x) - complex(math.cos(x), math.sin(x))))
    holds = worst[which] < 1e-9
    return {"holds": holds, "explanation": f"{which}: largest deviation {worst[which]:.1e} over 1,000 random "
                                           "numbers (all: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()) + ")",
            "measured": worst}


def _recursive_fft(x: np.ndarray) -> np.ndarray:
    """Unnormalised radix-2 Cooley-Tukey."""
    n = len(x)
    if n == 1:
        return x.astype(complex)
    even, odd = _recursive_fft(x[0::2]), _recursive_fft(x[1::2])
    twiddle = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate([even + twiddle, even - twiddle])


def fft_normalisation(device: torch.device, size: int = 64) -> dict[str, Any]:
    """Statement: the normalisation constant of the FFT recursion is "usually something like /=log2(N)".

    Runs an unnormalised recursive FFT forward and backward (conjugate trick) and finds which constant
    recovers the input: 1/N (the DFT's), or 1/log2(N) as stated."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal(size) + 1j * rng.standard_normal(size)
    round_trip = np.conj(_recursive_fft(np.conj(_recursive_fft(x))))
    by_n = float(np.abs(round_trip / size - x).max())
    by_log = float(np.abs(round_trip / math.log2(size) - x).max())
    return {"holds": by_log < 1e-9,
            "explanation": f"forward then inverse recursion divided by N = {size} recovers the input "
                           f"(error {by_n:.1e}); divided by log2(N) = {math.log2(size):g} it does not "
                           f"(error {by_log:.1f})",
            "measured": {"error_divided_by_n": by_n, "error_divided_by_log2n": by_log}}
