"""Checkable advice of the Q&A answers, decided by a computation."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


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
    return observe(overflowed, "{dtype} FFTs of N up to {largest_n} samples in [-1, 1]: largest |X(k)| "
                   "{largest_value:.3g}, infinite: {overflow}; the largest finite {dtype} is {dtype_max:.3g}",
                   dtype=str(dtype), largest_n=1 << max(log2_sizes), largest_value=max(largest.values()),
                   overflow=overflowed, dtype_max=limit, largest_coefficient=largest)


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
    return observe(share >= 1 - missing - 0.01,
                   "with {missing:.0%} of a {rows}x{features} matrix removed at random, {complete_records} of "
                   "{rows} records ({share:.1%}; (1-{missing})^{features} = {formula:.1%}) are undamaged (stated "
                   "{stated:.0%}); if only {missing:.0%} of the entries are known, {complete_if_only_observed} "
                   "records are complete", missing=missing, rows=rows, features=features, complete_records=complete,
                   share=share, formula=expected, stated=1 - missing, complete_if_only_observed=complete_if_observed)


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
    return observe(error < 1e-3, "top {rank} singular values from a projection on {directions} random directions "
                   "vs the full SVD: relative difference {relative_error:.1e} ({projected_ms:.1f} ms vs "
                   "{full_ms:.1f} ms)", rank=rank, directions=rank + oversample, relative_error=error,
                   projected_ms=projected_s * 1000, full_ms=full_s * 1000)
