"""Keras semantics in torch, for faithful ports of the chat's Keras/TensorFlow snippets.

Each piece follows Keras 3 (the Keras bundled with TensorFlow >= 2.16) layer by layer:
- `Attention(use_scale=True)`: scores = scale * q @ k^T with a trainable scalar `scale` initialised to 1,
  softmax over the keys, output = weights @ v (score_mode "dot").
- `MultiHeadAttention(num_heads, key_dim)`: EinsumDense projections of query, key and value into
  (heads, key_dim) with bias, scores divided by sqrt(key_dim), softmax over keys, an output EinsumDense
  back to the query's feature size; kernels glorot-uniform (fans as Keras computes them for the einsum
  kernel shapes), biases zero.
- `Dense(units)`: glorot-uniform kernel, zero bias. `Dropout` outside `fit` (training unset): identity.
- `LayerNormalization()`: over the last axis, epsilon 1e-3, gamma 1 and beta 0.
- `keras.optimizers.Adam(learning_rate)`: beta_1 0.9, beta_2 0.999, epsilon 1e-7, Keras' update
  m_hat/(sqrt(v_hat)+eps) with the bias corrections folded into the step size.
- `keras.losses.MeanSquaredError()` of two scalars: their squared difference.
`tf.random.uniform` draws from TensorFlow's generator, which torch cannot reproduce: ports use
`torch.rand` and are run with several seeds."""

from __future__ import annotations

import math

import torch


def glorot_uniform(shape: tuple[int, ...], generator: torch.Generator | None = None) -> torch.Tensor:
    receptive = math.prod(shape[:-2]) if len(shape) > 2 else 1
    fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(shape, generator=generator, dtype=torch.float32) * 2 - 1) * limit


class KerasAdam:
    def __init__(self, params: list[torch.Tensor], learning_rate: float = 0.001) -> None:
        self.params, self.lr = params, learning_rate
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]
        self.t = 0

    @torch.no_grad()
    def apply_gradients(self, grads: list[torch.Tensor | None]) -> None:
        self.t += 1
        alpha = self.lr * math.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            if g is None:
                continue
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            p.sub_(alpha * m / (v.sqrt() + 1e-7))


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Keras `Attention(use_scale=True)([q, k, v])` with shapes (1, Tq, d), (1, Tv, d), (1, Tv, dv)."""
    scores = scale * torch.matmul(q, k.transpose(-1, -2))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


class MultiHeadAttention:
    """Keras `MultiHeadAttention(num_heads, key_dim)` for query/key/value of feature size 1."""

    def __init__(self, num_heads: int, key_dim: int, features: int = 1) -> None:
        self.h, self.d = num_heads, key_dim
        self.wq = glorot_uniform((features, num_heads, key_dim)).requires_grad_()
        self.wk = glorot_uniform((features, num_heads, key_dim)).requires_grad_()
        self.wv = glorot_uniform((features, num_heads, key_dim)).requires_grad_()
        self.bq, self.bk, self.bv = (torch.zeros(num_heads, key_dim, requires_grad=True) for _ in range(3))
        self.wo = glorot_uniform((num_heads, key_dim, features)).requires_grad_()
        self.bo = torch.zeros(features, requires_grad=True)

    @property
    def trainable_variables(self) -> list[torch.Tensor]:
        return [self.wq, self.bq, self.wk, self.bk, self.wv, self.bv, self.wo, self.bo]

    def __call__(self, query: torch.Tensor, value: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        q = torch.einsum("btf,fhd->bthd", query, self.wq) + self.bq
        k = torch.einsum("bsf,fhd->bshd", key, self.wk) + self.bk
        v = torch.einsum("bsf,fhd->bshd", value, self.wv) + self.bv
        scores = torch.einsum("bshd,bthd->bhts", k, q) / math.sqrt(self.d)
        weights = torch.softmax(scores, dim=-1)
        out = torch.einsum("bhts,bshd->bthd", weights, v)
        return torch.einsum("bthd,hdf->btf", out, self.wo) + self.bo


class Dense:
    def __init__(self, units: int, features: int = 1) -> None:
        self.kernel = glorot_uniform((features, units)).requires_grad_()
        self.bias = torch.zeros(units, requires_grad=True)

    @property
    def trainable_variables(self) -> list[torch.Tensor]:
        return [self.kernel, self.bias]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.kernel + self.bias


def layer_norm(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, epsilon: float = 1e-3) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    variance = x.var(dim=-1, unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(variance + epsilon) * gamma + beta
