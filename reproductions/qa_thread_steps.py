"""Assertions of the Q&A threads (attention-qa-threads) that a small computation decides: the asker's
derivative of self-attention, element-wise differentiation, the FFT's cost, the example matrix's rankings,
parameter counts, the nuclear norm against the rank, and what random projections preserve."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


def _row_softmax_differential(s: torch.Tensor, ds: torch.Tensor) -> torch.Tensor:
    """d softmax along rows at scores with softmax s, in direction ds: s * (ds - sum(s * ds))."""
    return s * (ds - (s * ds).sum(dim=-1, keepdim=True))


def self_attention_derivative_as_proposed(device: torch.device, ds: str = "2*Q*dQ^T",
                                          trials: int = 20) -> dict[str, Any]:
    """Statement: d/dQ [softmax(Q Q^T) Q] = softmax(Q Q^T) + Q . softmax'(Q Q^T) . (2 Q^T).

    Read as a directional derivative in a random direction E (the only way the sum of a matrix and a
    product of derivatives is well typed): softmax(S) E + softmax'(S)[dS] Q with dS as the asker derives it
    (`2*Q*dQ^T`, or `2*dQ*Q^T`; `dQ*Q^T+Q*dQ^T` is the product rule). Compares with autograd's
    directional derivative (torch.func.jvp) of the same function."""
    generator = torch.Generator().manual_seed(0)
    worst = 0.0
    for _ in range(trials):
        q = torch.randn(5, 3, generator=generator, dtype=torch.float64)
        e = torch.randn(5, 3, generator=generator, dtype=torch.float64)
        _, exact = torch.func.jvp(lambda m: torch.softmax(m @ m.T, dim=-1) @ m, (q,), (e,))
        s = torch.softmax(q @ q.T, dim=-1)
        d_scores = {"2*Q*dQ^T": 2 * q @ e.T, "2*dQ*Q^T": 2 * e @ q.T, "dQ*Q^T+Q*dQ^T": e @ q.T + q @ e.T}[ds]
        proposed = s @ e + _row_softmax_differential(s, d_scores) @ q
        worst = max(worst, float((proposed - exact).abs().max() / exact.abs().max()))
    return observe(worst < 1e-10, "softmax(S) E + softmax'(S)[{ds}] Q against autograd's derivative of "
                   "softmax(Q Q^T) Q in {trials} random directions: largest relative difference {worst:.3g}",
                   ds=ds, trials=trials, worst=worst)


def elementwise_derivative(device: torch.device, function: str = "softmax", size: int = 6) -> dict[str, Any]:
    """Statement: the function can be differentiated element-wise (output i depends on input i only).

    Computes the full Jacobian of `function` (softmax or sigmoid) at random points and the share of its
    magnitude off the diagonal, which element-wise differentiation leaves out."""
    generator = torch.Generator().manual_seed(0)
    functions = {"softmax": lambda z: torch.softmax(z, dim=-1), "sigmoid": torch.sigmoid}
    worst = 0.0
    for _ in range(20):
        z = torch.randn(size, generator=generator, dtype=torch.float64)
        jacobian = torch.autograd.functional.jacobian(functions[function], z)
        off = jacobian - torch.diag(torch.diagonal(jacobian))
        worst = max(worst, float(off.abs().sum() / jacobian.abs().sum()))
    return observe(worst < 1e-12, "Jacobian of {function} at 20 random points of size {size}: up to {off_share:.1%} "
                   "of its magnitude lies off the diagonal", function=function, size=size, off_share=worst)


def _counted_fft(x: np.ndarray, counter: list[int]) -> np.ndarray:
    """Radix-2 recursion on even and odd samples, counting complex multiplications by twiddle factors."""
    n = len(x)
    if n == 1:
        return x.astype(complex)
    even, odd = _counted_fft(x[0::2], counter), _counted_fft(x[1::2], counter)
    twiddled = np.exp(-2j * np.pi * np.arange(n // 2) / n) * odd
    counter[0] += n // 2
    return np.concatenate([even + twiddled, even - twiddled])


def recursive_fft_operation_count(device: torch.device, model: str = "N log N",
                                  sizes: tuple[int, ...] = (16, 64, 256, 1024, 4096)) -> dict[str, Any]:
    """Statement: splitting the DFT recursively into even and odd halves costs O(N log N) in all.

    Runs the recursion on random data of each size, checks its output against numpy's FFT and counts its
    multiplications; the ratio count / model(N) (`N log N`, or `N` and `N^2` to show the check can fail)
    must stay constant over the sizes."""
    rng = np.random.default_rng(0)
    models = {"N log N": lambda n: n * math.log2(n), "N": float, "N^2": lambda n: float(n * n)}
    ratios, worst_error = [], 0.0
    for n in sizes:
        x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
        counter = [0]
        out = _counted_fft(x, counter)
        worst_error = max(worst_error, float(np.abs(out - np.fft.fft(x)).max()))
        ratios.append(counter[0] / models[model](n))
    spread = max(ratios) / min(ratios)
    return observe(spread < 1.01 and worst_error < 1e-8, "multiplications / {model} for N = {sizes}: {ratios} "
                   "(largest/smallest {spread:.3f}); largest difference from numpy's FFT {error:.1e}", model=model,
                   sizes=list(sizes), ratios=[round(r, 4) for r in ratios], spread=spread, error=worst_error)


def rankings_in_table(device: torch.device, table: list[list[float | None]], users: list[int],
                      items: list[int]) -> dict[str, Any]:
    """Statement: the users' times are ordered as `users` (fastest first) in every competition, and the
    competitions as `items` (fastest first) for every user, on the known cells of the example table.

    Counts, over all pairs of known cells in a column (row), those in the stated order."""
    def ordered_pairs(sequences: list[list[float | None]]) -> tuple[int, int]:
        agree = total = 0
        for values in sequences:
            known = [v for v in values if v is not None]
            for earlier, later in itertools.pairwise(known):
                total += 1
                agree += int(earlier < later)
        return agree, total

    columns = [[table[u][c] for u in users] for c in range(len(table[0]))]
    rows = [[table[r][i] for i in items] for r in range(len(table))]
    user_agree, user_total = ordered_pairs(columns)
    item_agree, item_total = ordered_pairs(rows)
    return observe(user_agree == user_total and item_agree == item_total,
                   "users in the order {users}: {user_agree} of {user_total} neighbouring known times increase; "
                   "competitions in the order {items}: {item_agree} of {item_total}", users=users, items=items,
                   user_agree=user_agree, user_total=user_total, item_agree=item_agree, item_total=item_total)


def feature_vector_parameters(device: torch.device, races: int = 20, participants: int = 1000,
                              dims: int = 8) -> dict[str, Any]:
    """Statement: R races and P participants with one N-dimensional feature vector each give R+P vectors and
    N(R+P) parameters.

    Builds the model as two embedding tables and counts its vectors and trainable parameters."""
    tables = [torch.nn.Embedding(participants, dims), torch.nn.Embedding(races, dims)]
    vectors = sum(t.num_embeddings for t in tables)
    parameters = sum(p.numel() for t in tables for p in t.parameters())
    holds = vectors == races + participants and parameters == dims * (races + participants)
    return observe(holds, "{races} races, {participants} participants, N = {dims}: {vectors} feature vectors, "
                   "{parameters} parameters; N(R+P) = {formula}", races=races, participants=participants, dims=dims,
                   vectors=vectors, parameters=parameters, formula=dims * (races + participants))


def nuclear_norm_below_rank(device: torch.device, trials: int = 500, shape: tuple[int, int] = (6, 5)) -> dict[str, Any]:
    """Statement: the nuclear norm ||M||_* is the convex relaxation of rank(M).

    On random matrices of random rank scaled to spectral norm <= 1 (where the nuclear norm is rank's convex
    envelope) measures: ||M||_* <= rank(M) on every draw, equality on partial isometries (all singular values
    1), the nuclear norm's midpoint convexity on random pairs, and how often rank itself breaks convexity."""
    rng = np.random.default_rng(0)
    above, gap_isometry, convex_violations, rank_violations = 0, 0.0, 0, 0
    for _ in range(trials):
        pair = []
        for _ in range(2):
            r = int(rng.integers(1, min(shape) + 1))
            m = rng.standard_normal((shape[0], r)) @ rng.standard_normal((r, shape[1]))
            m /= np.linalg.norm(m, 2) * rng.uniform(1.0, 3.0)
            pair.append(m)
            above += int(np.linalg.norm(m, "nuc") > np.linalg.matrix_rank(m) + 1e-9)
            u, _, vt = np.linalg.svd(m, full_matrices=False)
            isometry = u[:, :r] @ vt[:r]
            gap_isometry = max(gap_isometry, abs(float(np.linalg.norm(isometry, "nuc")) - r))
        a, b = pair
        convex_violations += int(np.linalg.norm((a + b) / 2, "nuc")
                                 > (np.linalg.norm(a, "nuc") + np.linalg.norm(b, "nuc")) / 2 + 1e-9)
        rank_violations += int(np.linalg.matrix_rank((a + b) / 2)
                               > (np.linalg.matrix_rank(a) + np.linalg.matrix_rank(b)) / 2)
    holds = above == 0 and gap_isometry < 1e-9 and convex_violations == 0
    return observe(holds, "{trials} pairs of random {rows}x{cols} matrices with spectral norm <= 1: ||M||_* > rank(M) "
                   "on {above} matrices; largest | ||M||_* - rank | on partial isometries {gap:.1e}; nuclear-norm "
                   "convexity broken by {convex_violations} pairs, rank's by {rank_violations}", trials=trials,
                   rows=shape[0], cols=shape[1], above=above, gap=gap_isometry, convex_violations=convex_violations,
                   rank_violations=rank_violations)


def random_sign_vectors_orthogonality(device: torch.device, dims: int = 5000, vectors: int = 200,
                                      close: float = 0.1) -> dict[str, Any]:
    """Statement: random +-1 vectors in a high-dimensional space are nearly orthonormal; the dot product of
    any two (normalised) is close to 0.

    Draws `vectors` random sign vectors of length `dims`, normalises them and measures the largest |cosine|
    over all pairs, beside 1/sqrt(dims); `close` is the bound taken as "pretty close to 0"."""
    rng = np.random.default_rng(0)
    r = rng.choice([-1.0, 1.0], size=(vectors, dims)) / math.sqrt(dims)
    gram = r @ r.T
    largest = float(np.abs(gram - np.eye(vectors)).max())
    return observe(largest < close, "{vectors} random +-1 vectors of length {dims}, normalised: largest |dot| "
                   "between two of them {largest:.4f} (1/sqrt(d) = {scale:.4f}; bound {close})", vectors=vectors,
                   dims=dims, largest=largest, scale=1 / math.sqrt(dims), close=close)


def _pair_ratios(original: np.ndarray, embedded: np.ndarray) -> np.ndarray:
    """Distances after / before over all pairs of rows."""
    def distances(points: np.ndarray) -> np.ndarray:
        squared = (points ** 2).sum(axis=1)
        gram = squared[:, None] + squared[None, :] - 2 * points @ points.T
        upper = np.triu_indices(len(points), 1)
        return np.sqrt(np.maximum(gram[upper], 0))
    before = distances(original)
    kept = before > 0  # identical points (e.g. two empty sparse rows) have no ratio
    return distances(embedded)[kept] / before[kept]


def _jl_epsilon(points: int, dims: int) -> float:
    """The distortion eps that the Johnson-Lindenstrauss bound k >= 4 ln n / (eps^2/2 - eps^3/3) allows."""
    low, high = 1e-6, 0.999
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if 4 * math.log(points) / (mid ** 2 / 2 - mid ** 3 / 3) > dims else (low, mid)
    return high


def projection_distances(device: torch.device, method: str = "random", points: int = 100, dims: int = 2000,
                         k: int = 500) -> dict[str, Any]:
    """Statements: a random projection preserves the distances between all points (`random`); on sparse data
    with structure an SVD embedding preserves them better than a random projection (`svd`).

    `random`: dense data, a Gaussian projection to k dimensions scaled by 1/sqrt(k); every pair's distance
    ratio must lie within 1 +- eps of the Johnson-Lindenstrauss bound for n points and k. `svd`: sparse data of
    rank 10 plus sparse noise; the SVD's and a random projection's k-dimensional embeddings (k = 20), mean
    |ratio - 1| of each."""
    rng = np.random.default_rng(0)
    if method == "random":
        data = rng.standard_normal((points, dims))
        projected = data @ rng.standard_normal((dims, k)) / math.sqrt(k)
        ratios = _pair_ratios(data, projected)
        eps = _jl_epsilon(points, k)
        worst = float(np.abs(ratios - 1).max())
        return observe(worst <= eps, "{points} points in {dims} dimensions projected to {k}: distance ratios from "
                       "{low:.4f} to {high:.4f} over all pairs; the JL bound allows 1 +- {eps:.4f}", points=points,
                       dims=dims, k=k, low=float(ratios.min()), high=float(ratios.max()), eps=eps)
    k = 20
    membership = (rng.random((points, 10)) < 0.3) * rng.uniform(1, 3, (points, 10))
    membership[np.arange(points), rng.integers(0, 10, points)] += 1.0  # every point in at least one group
    basis = (rng.random((10, dims)) < 0.01) * rng.standard_normal((10, dims))
    noise = (rng.random((points, dims)) < 0.001) * rng.normal(0, 0.1, (points, dims))
    data = membership @ basis + noise
    _, _, vt = np.linalg.svd(data, full_matrices=False)
    svd_error = float(np.abs(_pair_ratios(data, data @ vt[:k].T) - 1).mean())
    rp_error = float(np.abs(_pair_ratios(data, data @ rng.standard_normal((dims, k)) / math.sqrt(k)) - 1).mean())
    density = float((data != 0).mean())
    return observe(svd_error < rp_error, "sparse data ({density:.2%} non-zero, rank-10 structure) embedded in {k} "
                   "dimensions: mean |distance ratio - 1| {svd_error:.4f} with the SVD, {rp_error:.4f} with a random "
                   "projection", density=density, k=k, svd_error=svd_error, rp_error=rp_error)


def projected_similarity(device: torch.device, points: int = 20, dims: int = 1000, k: int = 50,
                         draws: int = 200) -> dict[str, Any]:
    """Statement: random projections preserve similarity (dot products) while using less space, but add random
    fluctuations to the pairwise similarities.

    Projects the same points with `draws` independent Gaussian projections (scaled 1/sqrt(k)) and measures,
    per pair, the mean projected dot product against the original (in standard errors) and the spread of the
    projected ones relative to the original."""
    rng = np.random.default_rng(0)
    data = rng.standard_normal((points, dims)) + 1.0
    original = data @ data.T
    upper = np.triu_indices(points, 1)
    samples = []
    for _ in range(draws):
        projected = data @ rng.standard_normal((dims, k)) / math.sqrt(k)
        samples.append((projected @ projected.T)[upper])
    stacked = np.array(samples)
    mean, spread = stacked.mean(axis=0), stacked.std(axis=0)
    bias = float(np.abs((mean - original[upper]) / (spread / math.sqrt(draws))).max())
    fluctuation = float((spread / np.abs(original[upper])).mean())
    space = k / dims
    return observe(bias < 5 and fluctuation > 0 and space < 1, "{draws} projections of {points} points from {dims} "
                   "to {k} dimensions ({space:.0%} of the space): mean projected dot product within {bias:.2f} "
                   "standard errors of the original for every pair; fluctuation sd {fluctuation:.2%} of the "
                   "similarity on average", draws=draws, points=points, dims=dims, k=k, space=space, bias=bias,
                   fluctuation=fluctuation)


def projection_matrix_shape(device: torch.device, samples: int = 100, dims: int = 5000, target: int = 500,
                            r_shape: tuple[int, int] = (100, 500)) -> dict[str, Any]:
    """Statement: a random +-1 matrix of shape `r_shape` multiplied with the samples x dims data gives the
    samples x target reduced matrix.

    Multiplies a random data matrix by a random sign matrix of the stated shape (data @ R, the product the
    thread uses) and records the resulting shape, or the error when the shapes do not chain."""
    generator = torch.Generator().manual_seed(0)
    data = torch.randn(samples, dims, generator=generator)
    r = torch.randint(0, 2, tuple(r_shape), generator=generator).float() * 2 - 1
    try:
        shape = list((data @ r).shape)
        outcome = f"a {shape[0]}x{shape[1]} matrix"
    except RuntimeError as exc:
        shape = []
        outcome = f"an error: {str(exc).splitlines()[0]}"
    return observe(shape == [samples, target], "data {samples}x{dims} times a {rows}x{cols} sign matrix gives "
                   "{outcome} (wanted {samples}x{target})", samples=samples, dims=dims, rows=r_shape[0],
                   cols=r_shape[1], outcome=outcome, target=target)


def nuclear_norm_completion(device: torch.device, rows: int = 200, cols: int = 20, rank: int = 2,
                            missing: float = 0.3, lam: float = 0.1, iterations: int = 500) -> dict[str, Any]:
    """Statement: the relaxed problem min ||M||_* + lambda ||P(M - M')|| completes a low-rank matrix from its
    known entries.

    Hides a share `missing` of a random rank-`rank` matrix, solves the nuclear-norm problem by soft-impute
    (singular value thresholding at `lam` with the known entries restored each step) and measures the relative
    error on the hidden entries, beside filling them with column means."""
    rng = np.random.default_rng(0)
    truth = rng.standard_normal((rows, rank)) @ rng.standard_normal((rank, cols)) + 3.0
    known = rng.random((rows, cols)) >= missing
    column_means = np.nanmean(np.where(known, truth, np.nan), axis=0)
    filled = np.where(known, truth, column_means)
    estimate = filled.copy()
    for _ in range(iterations):
        u, s, vt = np.linalg.svd(estimate, full_matrices=False)
        low_rank = (u * np.maximum(s - lam, 0.0)) @ vt
        estimate = np.where(known, truth, low_rank)
    hidden = ~known
    scale = float(np.linalg.norm(truth[hidden]))
    error = float(np.linalg.norm(low_rank[hidden] - truth[hidden])) / scale
    baseline = float(np.linalg.norm(filled[hidden] - truth[hidden])) / scale
    return observe(error < 0.01, "rank-{rank} {rows}x{cols} matrix, {missing:.0%} hidden: relative error on the "
                   "hidden entries {error:.4f} after nuclear-norm completion (lambda {lam}), {baseline:.4f} with "
                   "column means", rank=rank, rows=rows, cols=cols, missing=missing, error=error, lam=lam,
                   baseline=baseline)
