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


def complete_records_from_sparsity(device: torch.device, rows: int = 1000, features: int = 20,
                                   missing: float = 0.08, seed: int = 0) -> dict[str, Any]:
    """Advice: "sparsity is 8%, that is you have enough data (92%) to train net on undamaged records".

    With a share `missing` of the entries missing, a record (row) is undamaged only when all its `features`
    entries are present. Masks a rows x features matrix at random (and, for the other reading of the asker's
    "sparseness of 8 %", with only that share present) and counts the complete rows; the formula
    (1 - missing)^features is shown beside the count."""
    rng = np.random.default_rng(seed)
    present = rng.random((rows, features)) >= missing
    complete = int(present.all(axis=1).sum())
    observed_only = rng.random((rows, features)) < missing
    complete_if_observed = int(observed_only.all(axis=1).sum())
    expected = (1 - missing) ** features
    share = complete / rows
    return {"holds": share >= 1 - missing - 0.01, "explanation": (
        f"with {missing:.0%} of a {rows}x{features} matrix missing at random, {complete} of {rows} records "
        f"({share:.1%}; (1-{missing})^{features} = {expected:.1%}) are undamaged, not {1 - missing:.0%}; if only "
        f"{missing:.0%} of the entries are known, {complete_if_observed} records are complete"),
        "measured": {"complete_records": complete, "share": share, "formula": expected,
                     "complete_if_only_observed": complete_if_observed}}


def randomized_svd_by_projection(device: torch.device, rows: int = 2000, columns: int = 400, rank: int = 10,
                                 oversample: int = 10, seed: int = 0) -> dict[str, Any]:
    """Statement: "people use random projections to compute the SVD on huge datasets".

    The method people use (randomised SVD): project the matrix on a few random directions, orthonormalise
    the image (Q), take the exact SVD of the small matrix Q^T A. On a rank-`rank` matrix with a little noise
    its top singular values are compared with those of the full SVD, and the time of both is recorded."""
    import time

    rng = np.random.default_rng(seed)
    a = rng.normal(size=(rows, rank)) @ rng.normal(size=(rank, columns)) + 1e-3 * rng.normal(size=(rows, columns))
    started = time.perf_counter()
    q, _ = np.linalg.qr(a @ rng.normal(size=(columns, rank + oversample)))
    approx = np.linalg.svd(q.T @ a, compute_uv=False)[:rank]
    projected_s = time.perf_counter() - started
    started = time.perf_counter()
    exact = np.linalg.svd(a, compute_uv=False)[:rank]
    full_s = time.perf_counter() - started
    error = float(np.max(np.abs(approx - exact) / exact))
    return {"holds": error < 1e-3, "explanation": (
        f"top {rank} singular values from a projection on {rank + oversample} random directions agree with the "
        f"full SVD to a relative {error:.1e} ({projected_s * 1000:.1f} ms vs {full_s * 1000:.1f} ms)"),
        "measured": {"relative_error": error, "projected_seconds": projected_s, "full_seconds": full_s}}
