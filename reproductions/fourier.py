"""Checks of DFT/FFT statements, computed."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


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
    return observe(not works, "non-power-of-two sizes {non_pow2} transformed by numpy's and torch's FFTs: largest "
                   "difference from the direct DFT per size {max_abs_error_by_size}; sizes agreeing within "
                   "1e-9 N: {agreeing}", non_pow2=non_pow2, max_abs_error_by_size=
                   {k: f"{v:.1e}" for k, v in errors.items()}, agreeing=works)


def _definition(x: np.ndarray) -> np.ndarray:
    """The definition, one output value at a time: X(k) = sum_n x(n) exp(-2 pi i k n / N)."""
    n = np.arange(len(x))
    return np.array([np.dot(x, np.exp(-2j * np.pi * k * n / len(x))) for k in range(len(x))])


def direct_dft_cost(device: torch.device, sizes: tuple[int, ...] = (512, 1024, 2048, 4096), repeats: int = 3,
                    stated_exponent: float = 2.0) -> dict[str, Any]:
    """Statement: computing all N values of the DFT from its definition costs O(N^2) (N operations per value).

    Measures the CPU time of this process (not wall-clock, so other load on the machine does not enter) of
    the definition computed one value at a time, for several N (median of `repeats` runs, results checked
    against numpy's FFT), and fits the growth exponent; numpy's FFT is timed for contrast. It holds if the
    fitted exponent is the stated one within 0.4."""
    import time

    rng = np.random.default_rng(0)
    direct_times, fft_times, errors = [], [], []
    for size in sizes:
        x = rng.standard_normal(size) + 1j * rng.standard_normal(size)
        runs, fast = [], []
        for _ in range(repeats):
            start = time.process_time()
            out = _definition(x)
            runs.append(time.process_time() - start)
            start = time.process_time()
            for _ in range(20):
                np.fft.fft(x)
            fast.append((time.process_time() - start) / 20)
        direct_times.append(float(np.median(runs)))
        fft_times.append(max(float(np.median(fast)), 1e-9))
        errors.append(float(np.abs(out - np.fft.fft(x)).max()))
    exponent = float(np.polyfit(np.log(sizes), np.log(direct_times), 1)[0])
    fft_exponent = float(np.polyfit(np.log(sizes), np.log(fft_times), 1)[0])
    holds = abs(exponent - stated_exponent) < 0.4 and max(errors) < 1e-6
    return observe(holds, "CPU time of the definition for N = {sizes}: {direct_ms} ms, growth N^{exponent:.2f} "
                   "(stated N^{stated_exponent:g}); numpy's FFT grows as N^{fft_exponent:.2f}; largest "
                   "difference from the FFT {max_error:.1e}",
                   sizes=", ".join(map(str, sizes)), direct_ms=", ".join(f"{t * 1000:.1f}" for t in direct_times),
                   exponent=exponent, stated_exponent=stated_exponent, fft_exponent=fft_exponent,
                   max_error=max(errors), seconds=direct_times)


def _recursive_fft(x: np.ndarray) -> np.ndarray:
    """Unnormalised radix-2 Cooley-Tukey."""
    n = len(x)
    if n == 1:
        return x.astype(complex)
    even, odd = _recursive_fft(x[0::2]), _recursive_fft(x[1::2])
    twiddle = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    return np.concatenate([even + twiddle, even - twiddle])
