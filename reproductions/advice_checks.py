"""Checkable advice of the Q&A answers, decided by a computation."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def fft_overflow_on_big_datasets(device: torch.device, log2_sizes: tuple[int, ...] = (10, 16, 22),
                                 dtype: str = "float32") -> dict[str, Any]:
    """Advice: "beware FPU can overflow on big datasets (N is big)".

    An unnormalised FFT coefficient is a sum of N samples times unit phasors, so |X(k)| <= N * max|x|. The
    check runs FFTs of growing N in single precision on samples of magnitude <= 1, records the largest
    coefficient and whether any is infinite, and the N at which N * max|x| would reach the type's maximum."""
    rng = np.random.default_rng(0)
    real = np.float32 if dtype == "float32" else np.float64
    largest, overflowed = {}, False
    for log2 in log2_sizes:
        n = 1 << log2
        x = torch.from_numpy(rng.uniform(-1.0, 1.0, n).astype(real)).to(device)
        spectrum = torch.fft.fft(x)
        magnitude = float(spectrum.abs().max())
        overflowed |= not np.isfinite(magnitude)
        largest[str(n)] = magnitude
    limit = float(np.finfo(real).max)
    return {"holds": overflowed, "explanation": (
        f"{dtype} FFTs of N up to {1 << max(log2_sizes)} samples in [-1, 1]: largest |X(k)| "
        f"{max(largest.values()):.3g}, none infinite; overflow needs N * max|x| > {limit:.3g}, i.e. about "
        f"{limit:.1e} samples of magnitude 1"),
        "measured": {"largest_coefficient": largest, "overflow": overflowed, "dtype_max": limit}}
