"""Steps of the derivations chat (ml-derivations-chat) that need more than an identity: the SVM primal as
the margin maximiser and its decision rule, and what PCA's top components keep (variance, reconstruction,
noise reduction). Each reuses the separable data and solvers of svm_pca.py so all SVM steps see one problem."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import torch

from reproductions.svm_pca import _dual, _primal, _separable
from verifier.mathcheck.observation import observe


def _direction_margin(x: np.ndarray, y: np.ndarray, u: np.ndarray) -> float:
    """Largest geometric margin of a hyperplane with unit normal u (its best offset): half the gap between
    the classes' projections, negative when u does not separate them."""
    projected = x @ u
    return float((projected[y > 0].min() - projected[y < 0].max()) / 2)


def svm_primal_maximises_margin(device: torch.device, directions: int = 5000) -> dict[str, Any]:
    """Statement: maximising the margin is the primal min (1/2)||w||^2 s.t. y_i (w.x_i + b) >= 1.

    Solves that primal, measures the geometric margin of its hyperplane (distance of the closest point) and
    compares it with the best margin of `directions` random unit normals, each with its best offset: no
    random hyperplane may separate the data with a wider margin."""
    x, y = _separable()
    w, b = _primal(x, y)
    primal_margin = float((np.abs(x @ w + b) / np.linalg.norm(w)).min())
    rng = np.random.default_rng(0)
    normals = rng.standard_normal((directions, x.shape[1]))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    best_random = max(_direction_margin(x, y, u) for u in normals)
    holds = primal_margin >= best_random - 1e-6 and abs(primal_margin - 1 / np.linalg.norm(w)) < 1e-5
    return observe(holds, "the primal's hyperplane: closest point at {primal_margin:.6f} (1/||w|| = "
                   "{inverse_norm:.6f}); best of {directions} random separating directions: {best_random:.6f}",
                   primal_margin=primal_margin, inverse_norm=float(1 / np.linalg.norm(w)), directions=directions,
                   best_random=best_random)


def svm_decision_rule(device: torch.device, rule: str = "sign", test_points: int = 2000) -> dict[str, Any]:
    """Statement: with w = sum a_i* y_i x_i and b = y_s - w.x_s from a support vector, class(x) = sign(w.x + b).

    Builds w from the dual multipliers and b from the first support vector, applies the rule (`sign`, or
    `negated sign` to show the check can fail) to the training points and to random test points, and compares
    with the labels and with the primal solution's sign(w.x + b)."""
    x, y = _separable()
    alpha, w, support = _dual(x, y)
    s = int(support[0])
    b = float(y[s] - w @ x[s])
    w_primal, b_primal = _primal(x, y)
    flip = -1.0 if rule == "negated sign" else 1.0
    train = float((flip * np.sign(x @ w + b) == y).mean())
    rng = np.random.default_rng(1)
    test = rng.uniform(x.min(axis=0) - 1, x.max(axis=0) + 1, (test_points, x.shape[1]))
    agree = float((flip * np.sign(test @ w + b) == np.sign(test @ w_primal + b_primal)).mean())
    return observe(train == 1.0 and agree >= 0.999, "rule {rule}(w.x + b), w from the multipliers, b = {b:.5f} "
                   "from support vector {support_vector}: {train:.1%} of the training points get their label; "
                   "{agree:.2%} of {test_points} random points get the primal hyperplane's class", rule=rule, b=b,
                   support_vector=s, train=train, agree=agree, test_points=test_points,
                   alpha_support=alpha[support].tolist())


def _pca_data(seed: int = 0, n: int = 300) -> np.ndarray:
    """Correlated data with distinct variances along its axes (a rotated, scaled Gaussian cloud)."""
    rng = np.random.default_rng(seed)
    rotation, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    return (rng.standard_normal((n, 5)) * np.array([3.0, 2.0, 1.2, 0.6, 0.3])) @ rotation.T + rng.normal(0, 2, 5)


def pca_top_components_variance(device: torch.device, k: int = 1, order: str = "largest",
                                frames: int = 3000) -> dict[str, Any]:
    """Statement: the eigenvectors of the k largest eigenvalues of the covariance span the k-dimensional
    subspace of highest variance.

    Takes the k eigenvectors of the `order` (largest, or smallest to show the check can fail) eigenvalues,
    measures the variance of the centred data projected on them and compares it with `frames` random
    orthonormal k-frames: none may keep more."""
    x = _pca_data()
    centred = x - x.mean(axis=0)
    covariance = centred.T @ centred / (len(x) - 1)
    values, vectors = np.linalg.eigh(covariance)
    chosen = vectors[:, -k:] if order == "largest" else vectors[:, :k]
    kept = float(np.trace(chosen.T @ covariance @ chosen))
    rng = np.random.default_rng(0)
    best_random = 0.0
    for _ in range(frames):
        frame, _ = np.linalg.qr(rng.standard_normal((x.shape[1], k)))
        best_random = max(best_random, float(np.trace(frame.T @ covariance @ frame)))
    return observe(kept >= best_random - 1e-9, "variance on the {k} eigenvector(s) of the {order} eigenvalues: "
                   "{kept:.4f} (eigenvalues {eigenvalues}); most on {frames} random {k}-dimensional subspaces: "
                   "{best_random:.4f}", k=k, order=order, kept=kept, eigenvalues=np.round(values[::-1], 4).tolist(),
                   frames=frames, best_random=best_random)


def pca_reconstruction_error_by_k(device: torch.device) -> dict[str, Any]:
    """Statement: the reconstruction X_reduced V_k^T + mean is better the more components are retained.

    Reconstructs the data from the top k = 1..D eigenvectors and measures the mean squared error for each k:
    it must fall with every added component."""
    x = _pca_data()
    mean = x.mean(axis=0)
    centred = x - mean
    _, vectors = np.linalg.eigh(centred.T @ centred / (len(x) - 1))
    ranked = vectors[:, ::-1]
    errors = []
    for k in range(1, x.shape[1] + 1):
        vk = ranked[:, :k]
        errors.append(float(((centred @ vk @ vk.T + mean - x) ** 2).mean()))
    falling = all(later < earlier for earlier, later in itertools.pairwise(errors))
    return observe(falling and errors[-1] < 1e-20, "mean squared reconstruction error for the top k = "
                   "1..{dims} components: {errors}", dims=x.shape[1],
                   errors=[float(f"{e:.4g}") for e in errors])


def pca_noise_reduction(device: torch.device, rank: int = 3, dims: int = 50, noise: float = 0.5) -> dict[str, Any]:
    """Statement: PCA is used for noise reduction in high-dimensional data.

    Draws `dims`-dimensional data lying near a `rank`-dimensional subspace, adds isotropic noise, keeps the top
    `rank` components of the noisy data and measures how far the noisy and the reconstructed data are from the
    clean data (mean squared error)."""
    rng = np.random.default_rng(0)
    clean = rng.standard_normal((500, rank)) @ rng.standard_normal((rank, dims)) * 2.0
    noisy = clean + rng.normal(0, noise, clean.shape)
    mean = noisy.mean(axis=0)
    _, _, vt = np.linalg.svd(noisy - mean, full_matrices=False)
    vk = vt[:rank].T
    denoised = (noisy - mean) @ vk @ vk.T + mean
    noisy_error = float(((noisy - clean) ** 2).mean())
    denoised_error = float(((denoised - clean) ** 2).mean())
    return observe(denoised_error < noisy_error, "{dims}-dimensional data near a {rank}-dimensional subspace with "
                   "noise sd {noise}: squared error to the clean data {noisy_error:.4f} before, {denoised_error:.4f} "
                   "after keeping the top {rank} components", dims=dims, rank=rank, noise=noise,
                   noisy_error=noisy_error, denoised_error=denoised_error)


def svm_support_vectors_alone(device: torch.device, keep: str = "support") -> dict[str, Any]:
    """Statement: only the support vectors (alpha_i > 0) influence the final classifier.

    Solves the primal on all points, then again on the support vectors alone (`support`), or on all points
    but the support vectors (`others`, to show the check can fail), and compares the two hyperplanes."""
    x, y = _separable()
    _, _, support = _dual(x, y)
    w, b = _primal(x, y)
    chosen = support if keep == "support" else np.setdiff1d(np.arange(len(y)), support)
    w_kept, b_kept = _primal(x[chosen], y[chosen])
    difference = float(max(np.abs(w - w_kept).max(), abs(b - b_kept)))
    return observe(difference < 1e-4, "hyperplane from all {points} points: w = {w}, b = {b:.5f}; from the {kept} "
                   "{which} points: w = {w_kept}, b = {b_kept:.5f}; largest difference {difference:.1e}",
                   points=len(y), w=np.round(w, 5).tolist(), b=b, kept=len(chosen), which=keep,
                   w_kept=np.round(w_kept, 5).tolist(), b_kept=b_kept, difference=difference)


def svm_minimise_stated_objective(device: torch.device, objective: str = "1/||w||",
                                  directions: int = 2000) -> dict[str, Any]:
    """Statement: to maximise the margin, minimise the objective "Margin = 1/||w||" (over hyperplanes meeting
    y_i (w.x_i + b) >= 1).

    Every separating hyperplane, rescaled, meets the constraints, and scaling w up keeps them met. Evaluates
    the objective (`1/||w||`, or `(1/2)||w||^2` to show the check can pass) on the primal's maximum-margin
    (w, b) and on feasible rescalings of random separating hyperplanes, and records whether the maximum-margin
    hyperplane has the smallest value and the geometric margin of the one that has."""
    x, y = _separable()
    w, b = _primal(x, y)
    value = {"1/||w||": lambda v: 1 / float(np.linalg.norm(v)), "(1/2)||w||^2": lambda v: 0.5 * float(v @ v)}[objective]
    best_margin = float((np.abs(x @ w + b) / np.linalg.norm(w)).min())
    rng = np.random.default_rng(0)
    best = (value(w), best_margin)
    for _ in range(directions):
        u = rng.standard_normal(x.shape[1])
        u /= np.linalg.norm(u)
        margin = _direction_margin(x, y, u)
        if margin <= 0:
            continue
        for scale in (1.0, 10.0):  # canonical rescaling (closest point at y(w.x+b) = 1), then 10 times that
            best = min(best, (value(u / margin * scale), margin))
    return observe(abs(best[1] - best_margin) < 1e-6, "objective {objective}: {value_at_max_margin:.5f} at the "
                   "maximum-margin hyperplane (margin {best_margin:.5f}); smallest over feasible rescaled random "
                   "hyperplanes {smallest:.5f}, whose margin is {margin_of_smallest:.5f}", objective=objective,
                   value_at_max_margin=value(w), best_margin=best_margin, smallest=best[0], margin_of_smallest=best[1])


def decoder_cross_attention_reach(device: torch.device, memory_length: int = 5, length: int = 6,
                                  use_memory: bool = True) -> dict[str, Any]:
    """Statement: in cross-attention the decoder attends to the encoder's output.

    Perturbs each position of the encoder output (memory) given to a torch TransformerDecoderLayer and
    records how many of the decoder's output positions change; `use_memory=False` feeds the perturbed
    memory to a decoder layer whose cross-attention weights are zero (no path from the memory), to show the
    check can fail."""
    torch.manual_seed(0)
    layer = torch.nn.TransformerDecoderLayer(16, 4, 32, dropout=0.0, batch_first=True).double().eval()
    if not use_memory:
        with torch.no_grad():
            layer.multihead_attn.in_proj_weight.zero_()
            layer.multihead_attn.in_proj_bias.zero_()
    target = torch.randn(1, length, 16, dtype=torch.float64)
    memory = torch.randn(1, memory_length, 16, dtype=torch.float64)
    reached = 0
    with torch.no_grad():
        base = layer(target, memory)
        for s in range(memory_length):
            changed = memory.clone()
            changed[0, s] += 1.0
            reached += int(((layer(target, changed) - base)[0].abs().amax(dim=-1) > 1e-12).sum())
    return observe(reached == length * memory_length, "perturbing each of {memory_length} encoder-output positions "
                   "changes {reached} of {pairs} (decoder output, encoder position) pairs", memory_length=memory_length,
                   reached=reached, pairs=length * memory_length)


def activation_nonlinearity_xor(device: torch.device, activation: str = "relu", steps: int = 1500) -> dict[str, Any]:
    """Statement: activation functions introduce non-linearity, letting the network model relationships a
    linear model cannot.

    Trains the same one-hidden-layer network (8 hidden units, Adam, 5 restarts) on XOR with the hidden
    `activation` (relu, sigmoid, tanh, or identity for no activation) and records its best mean squared error,
    beside the best error of any linear model (least squares, 0.25 on XOR)."""
    inputs = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    targets = torch.tensor([[0.0], [1.0], [1.0], [0.0]], dtype=torch.float64)
    functions = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda t: t}
    best = float("inf")
    for seed in range(5):
        torch.manual_seed(seed)
        hidden, output = torch.nn.Linear(2, 8).double(), torch.nn.Linear(8, 1).double()
        optimizer = torch.optim.Adam([*hidden.parameters(), *output.parameters()], lr=0.05)
        for _ in range(steps):
            optimizer.zero_grad()
            loss = ((output(functions[activation](hidden(inputs))) - targets) ** 2).mean()
            loss.backward()
            optimizer.step()
        best = min(best, float(loss.detach()))
    design = torch.cat([inputs, torch.ones(4, 1, dtype=torch.float64)], dim=1)
    solution = torch.linalg.lstsq(design, targets).solution
    linear = float(((design @ solution - targets) ** 2).mean())
    return observe(best < 0.01 and linear > 0.2, "XOR, one hidden layer of 8 units with {activation}: best mean "
                   "squared error {best:.2e} over 5 trainings; best linear model {linear:.4f}", activation=activation,
                   best=best, linear=linear)
