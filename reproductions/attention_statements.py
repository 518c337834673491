"""Checks of what the attention-numerics chat says its attention constructions compute (prose, not code):
a weighted average as a derivative or an integral, attention weights as finite-difference coefficients,
the Gaussian-kernel attention as an approximation of the derivative, the number of heads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from verifier.mathcheck.observation import observe


def _gaussian_weights(q: float, x: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    s = np.exp(-0.5 * (q - x) ** 2 / sigma**2)
    return np.asarray(s / s.sum())


def weighted_average_as_derivative(device: torch.device, x0: float = 1.0, points: int = 10,
                                   width: float = 0.5, shifts: tuple[float, ...] = (0.0, 10.0, 100.0),
                                   tolerance: float = 0.1) -> dict[str, Any]:
    """Statement: "one could use a weighted average of the value vectors (representing the function values at
    each point) as an approximation of the derivative", the weights being attention weights.

    Attention weights (a softmax of similarities: positive, summing to 1) average the values. For
    f(x) = 2x + c the derivative is 2 whatever c; the weighted average of f over points near x0 (dot-product
    softmax weights with random query and keys, and Gaussian weights) is computed for several c. It
    approximates the derivative if it is within `tolerance` of 2 for every c."""
    rng = np.random.default_rng(0)
    x = np.linspace(x0 - width, x0 + width, points)
    logits = rng.normal() * rng.normal(size=points)
    dot_weights = np.exp(logits) / np.exp(logits).sum()
    rows = []
    for c in shifts:
        values = 2 * x + c
        rows.append({"c": c, "dot_product": float(dot_weights @ values),
                     "gaussian": float(_gaussian_weights(x0, x) @ values)})
    worst = max(abs(r[k] - 2.0) for r in rows for k in ("dot_product", "gaussian"))
    return observe(worst <= tolerance, "f(x) = 2x + c, derivative 2: attention-weighted averages of f over "
                   "{points} points near x0 = {x0}: {table}; weights sum to {weight_sum:.3f}",
                   points=points, x0=x0, weight_sum=float(dot_weights.sum()), largest_error=worst,
                   table="; ".join(f"c = {r['c']:g}: {r['dot_product']:.3f} (dot product), "
                                   f"{r['gaussian']:.3f} (Gaussian)" for r in rows))


def attention_weights_as_fd_coefficients(device: torch.device, h: float = 0.1, steps: int = 3000) -> dict[str, Any]:
    """Statement: "one could try to show that the attention weights are equivalent to some finite difference
    coefficients".

    The central difference f'(x) ~ (f(x+h) - f(x-h)) / 2h has coefficients (-1/2h, 0, 1/2h), summing to 0
    (as every first-derivative formula must, to give 0 on constants). Attention weights are a softmax. The
    softmax closest to the coefficients is searched by gradient descent on its logits; the distance can never
    fall below |sum of coefficients - 1| / sqrt(3), since softmax weights sum to 1."""
    target = torch.tensor([-1 / (2 * h), 0.0, 1 / (2 * h)], dtype=torch.float64)
    logits = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.Adam([logits], lr=0.05)
    for _ in range(steps):
        optimiser.zero_grad()
        distance = torch.linalg.norm(torch.softmax(logits, 0) - target)
        distance.backward()
        optimiser.step()
    weights = torch.softmax(logits, 0).detach()
    best = float(torch.linalg.norm(weights - target))
    bound = abs(float(target.sum()) - 1.0) / math.sqrt(3)
    return observe(best < 1e-6, "central-difference coefficients {coefficients} (sum {coefficient_sum:g}); "
                   "closest softmax weights found {weights}, distance {distance:.3f}; lower bound for any "
                   "softmax {bound:.3f}", coefficients=[round(float(c), 3) for c in target],
                   coefficient_sum=float(target.sum()), weights=[round(float(w), 3) for w in weights],
                   distance=best, bound=bound)


def weighted_average_as_integral(device: torch.device, a: float = 0.0, b: float = 3.14159, points: int = 10,
                                 draws: int = 2000) -> dict[str, Any]:
    """Statement: "The attention weights a_i are computed as the normalized similarity between q and k_i, and
    the output z is the weighted average of v_i. The output z is then used as an approximation of the
    integral."

    For f = sin on [a, b] (the chat's own example; the integral is 2), draws random locations and random
    normalised weights (and the best case, all weight on the largest value): a weighted average of values of
    f never exceeds max f. The statement holds if some draw comes within 0.01 of the integral (on [0, 1], where
    the integral 0.46 lies between values of sin, many do)."""
    import scipy.integrate

    rng = np.random.default_rng(0)
    integral = scipy.integrate.quad(math.sin, a, b)[0]
    outputs = []
    for _ in range(draws):
        x = rng.uniform(a, b, points)
        logits = rng.normal(scale=3.0, size=points)
        weights = np.exp(logits) / np.exp(logits).sum()
        outputs += [float(weights @ np.sin(x)), float(np.sin(x).max())]
    closest = min(outputs, key=lambda z: abs(z - integral))
    return observe(abs(closest - integral) < 0.01, "integral of sin over [{a}, {b}]: {integral:.4f}; weighted "
                   "averages of sin at {points} points over {draws} draws: largest {largest:.4f}, closest to the "
                   "integral {closest:.4f} (a weighted average is at most max sin)", a=a, b=b, integral=integral,
                   points=points, draws=draws, largest=max(outputs), closest=closest)


def gaussian_attention_approximates_derivative(device: torch.device, half_width: float = 3.0,
                                               queries: int = 61) -> dict[str, Any]:
    """Statement: "using a Gaussian kernel as the similarity function can be seen as a way of approximating
    the derivative function using an RBF network".

    The chat's own set-up: 10 points in [-5, 5], f(x) = x^2 + 2x - 3, Gaussian weights of width 1. The
    attention output z(q) (a normalised RBF network over the values) is evaluated on queries in
    [-half_width, half_width] and compared with f and with its derivative f' = 2x + 2 (mean absolute
    difference). It approximates the derivative function if it is closer to f' than to f."""
    x = np.linspace(-5, 5, 10)
    y = x**2 + 2 * x - 3
    grid = np.linspace(-half_width, half_width, queries)
    z = np.array([_gaussian_weights(q, x) @ y for q in grid])
    to_f = float(np.mean(np.abs(z - (grid**2 + 2 * grid - 3))))
    to_derivative = float(np.mean(np.abs(z - (2 * grid + 2))))
    return observe(to_derivative < to_f, "Gaussian attention output over {queries} queries in [-{w}, {w}]: mean "
                   "|z - f| {to_f:.3f}, mean |z - f'| {to_derivative:.3f}", queries=queries, w=half_width,
                   to_f=to_f, to_derivative=to_derivative)


def heads_divide_dimension(device: torch.device, embed_dim: int = 8, heads: tuple[int, ...] = (1, 2, 3, 4, 8),
                           chat_query_dim: int = 1, chat_heads: int = 4) -> dict[str, Any]:
    """Statement: "The number of heads should be a factor of the dimension of the query and key vectors, as
    each head performs a scaled dot-product attention on a subspace of the vectors."

    Builds torch.nn.MultiheadAttention(embed_dim, h) for several h: which are accepted, and for the accepted
    ones the per-head size (the subspace) and whether the output is recomputed exactly by h scaled
    dot-product attentions over consecutive slices of embed_dim / h. Also records the chat's own choice
    (4 heads over queries of dimension 1, Keras' key_dim=1 per head)."""
    torch.manual_seed(0)
    accepted, errors = [], []
    for h in heads:
        try:
            module = torch.nn.MultiheadAttention(embed_dim, h, batch_first=True).double()
        except AssertionError:
            continue
        accepted.append(h)
        x = torch.randn(1, 5, embed_dim, dtype=torch.float64)
        with torch.no_grad():
            out, _ = module(x, x, x)
            q, k, v = (x[0] @ w.T + b for w, b in zip(module.in_proj_weight.chunk(3), module.in_proj_bias.chunk(3),
                                                       strict=True))
            size = embed_dim // h
            heads_out = []
            for i in range(h):
                part = slice(i * size, (i + 1) * size)
                scores = torch.softmax(q[:, part] @ k[:, part].T / math.sqrt(size), dim=-1)
                heads_out.append(scores @ v[:, part])
            recomputed = torch.cat(heads_out, dim=1) @ module.out_proj.weight.T + module.out_proj.bias
        errors.append(float((recomputed - out[0]).abs().max()))
    divisors = [h for h in heads if embed_dim % h == 0]
    holds = accepted == divisors and max(errors) < 1e-10
    return observe(holds, "nn.MultiheadAttention({embed_dim}, h) accepts h in {accepted} of {heads} (divisors: "
                   "{divisors}); per-head slices of embed_dim / h with scaled dot products recompute its output "
                   "to {error:.1e}; the chat's example uses {chat_heads} heads on queries of dimension "
                   "{chat_query_dim}", embed_dim=embed_dim, accepted=accepted, heads=list(heads), divisors=divisors,
                   error=max(errors), chat_heads=chat_heads, chat_query_dim=chat_query_dim)


def parameters_grow_with_heads_and_layers(device: torch.device, key_dim: int = 1,
                                          heads: tuple[int, ...] = (1, 4)) -> dict[str, Any]:
    """Statement: "using multihead attention and multiple layers also increases the number of parameters".

    Counts the weights of the chat's layers in their Keras form (the torch port of Keras' layers,
    `reproductions/_keras_like.py`; Keras itself is not installed here): `Attention(use_scale=True)` (one scale),
    `MultiHeadAttention(h, key_dim=1)` on 1-feature inputs for each h, and two such layers instead of one.
    Holds if the count grows from the single-head to the multi-head layer and from one layer to two."""
    from reproductions._keras_like import MultiHeadAttention

    counts = {h: sum(int(t.numel()) for t in MultiHeadAttention(h, key_dim).trainable_variables) for h in heads}
    single, multi = counts[min(heads)], counts[max(heads)]
    two_layers = 2 * multi
    return observe(single < multi < two_layers, "trainable weights: Attention(use_scale=True) 1; MultiHeadAttention "
                   "with {heads} heads (key_dim {key_dim}): {counts}; two {most}-head layers: {two_layers}",
                   heads=list(heads), key_dim=key_dim, counts=[counts[h] for h in heads], most=max(heads),
                   two_layers=two_layers)
