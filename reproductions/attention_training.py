"""Faithful torch ports of the chat's attention-training snippets (attention-numerics-chat).

Each function runs the snippet's algorithm with the same shapes, layers, initialisers, optimiser, loss,
epochs and print statements, on the given device. Where the original cannot run as written, the docstring
names the line and what the port does instead (the evident intent); everything else is literal, even when
it defeats the purpose (variables that are never trained, a value tensor computed once). `epochs` (100 in every
snippet) lets a check of one early log line stop training after that epoch."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn, optim

from reproductions._keras_like import Dense, KerasAdam, MultiHeadAttention, attention, layer_norm


def _log(epoch: int, loss: float, output: float, outputs: list[float]) -> None:
    outputs.append(output)
    if epoch % 10 == 0:
        print(f"Epoch {epoch}, Loss {loss:.4f}, Output {output:.4f}")


def torch_multihead_quadrature(device: torch.device, epochs: int = 100) -> dict[str, Any]:
    """The PyTorch `nn.MultiheadAttention` quadrature of sin on [0, 3.14159].

    Not runnable as written: `scipy.integrate.quad(f, a, b)` calls `torch.sin` on a float (TypeError), so
    the port integrates `math.sin`, the evident intent; and `attention(q.unsqueeze(0), k.unsqueeze(0), ...)`
    passes the ten keys as one unbatched key of size 10 while `kdim=1` (a shape error), so the port passes
    them as a sequence of ten keys of size 1. Literal otherwise: `q` and `k` do not require gradients, so
    `Adam([q, k])` never changes them and the attention weights, which get gradients, are never updated."""
    import scipy.integrate

    a, b, n = 0, 3.14159, 10
    q = torch.tensor([(a + b) / 2], device=device)
    k = torch.rand(n, device=device) * (b - a) + a
    v = torch.sin(k)
    layer = nn.MultiheadAttention(embed_dim=1, num_heads=1, kdim=1, vdim=1).to(device)
    optimizer = optim.Adam([q, k], lr=0.01)
    loss_fn = nn.MSELoss()
    true_value = scipy.integrate.quad(math.sin, a, b)[0]
    outputs: list[float] = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        z, _ = layer(q.unsqueeze(0), k.unsqueeze(1), v.unsqueeze(1))
        loss = loss_fn(z.squeeze(), torch.tensor(true_value, device=device))
        _log(epoch, loss.item(), z.item(), outputs)
        loss.backward()
        optimizer.step()
    print(f"Final output: {z.item():.4f}")
    print(f"True value: {true_value:.4f}")
    return {"outputs": outputs, "true_value": true_value, "q_k_trained": False}


def _train(forward: Callable[[], torch.Tensor], variables: list[torch.Tensor], true_value: float,
           epochs: int = 100) -> list[float]:
    """The Keras snippets' loop: 100 epochs of a squared-error loss, gradients with respect to `variables` only
    (as the tape's `variables` list), Keras' Adam(0.01), the snippets' prints."""
    optimizer = KerasAdam(variables, learning_rate=0.01)
    outputs: list[float] = []
    z = torch.zeros(1, 1, 1)
    for epoch in range(epochs):
        z = forward()
        loss = (z[0, 0, 0] - true_value) ** 2
        _log(epoch, loss.item(), z[0, 0, 0].item(), outputs)
        optimizer.apply_gradients(list(torch.autograd.grad(loss, variables, allow_unused=True)))
    print(f"Final output: {z[0, 0, 0].item():.4f}")
    print(f"True value: {true_value:.4f}")
    return outputs


def _keras_attention_loop(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, true_value: float,
                          epochs: int = 100) -> list[float]:
    scale = torch.ones((), device=q.device, requires_grad=True)  # the layer's weight; not in `variables`
    return _train(lambda: attention(q[None, None, :], k[None, :, None], v[None, :, None], scale), [q, k], true_value,
                  epochs)


def keras_attention_quadrature(device: torch.device, epochs: int = 100) -> dict[str, Any]:
    """The Keras `layers.Attention(use_scale=True)` quadrature of sin on [0, 3.14159], in torch.

    Literal: `v = f(k)` is computed once, before training, so the output is always a softmax-weighted mean of
    ten values of sin (at most 1); q and k are trained with Adam(0.01) against the integral (2.0000)."""
    a, b, n = 0, 3.14159, 10
    q = torch.tensor([(a + b) / 2], device=device, requires_grad=True)
    k = (torch.rand(n, device=device) * (b - a) + a).requires_grad_()
    v = torch.sin(k).detach()
    true_value = -math.cos(b) + math.cos(a)  # scipy.integrate.quad of sin: 2.0000 to 4 decimals
    outputs = _keras_attention_loop(q, k, v, true_value, epochs)
    return {"outputs": outputs, "true_value": true_value, "max_possible_output": float(v.max())}


def scipy_misc_derivative_float32(f: Callable[[torch.Tensor], torch.Tensor], x0: float, dx: float) -> float:
    """`scipy.misc.derivative(f, x0, dx)` (removed in SciPy 1.12) with TensorFlow's float32 `tf.math.sin`:
    the 3-point central difference (f(x0+dx) - f(x0-dx)) / (2 dx), each evaluation in float32."""
    plus = f(torch.tensor(x0 + dx, dtype=torch.float32))
    minus = f(torch.tensor(x0 - dx, dtype=torch.float32))
    return float((plus - minus) / (2 * dx))


def keras_attention_derivative(device: torch.device, epochs: int = 100) -> dict[str, Any]:
    """The Keras `layers.Attention(use_scale=True)` derivative of sin at x0 = 1, in torch.

    Not runnable as written: `scipy.misc.derivative` no longer exists (SciPy >= 1.12), and
    `q = tf.Variable([x0])` with `x0 = 1` is an int32 variable that TensorFlow cannot multiply with the
    float32 keys. The port computes the removed function's central difference in float32, as it ran with
    `tf.math.sin`, and makes q float. Literal otherwise: v = sin(k) is computed once, for ten keys in
    [0.95, 1.05], so the output is a weighted mean of values of sin near 0.84."""
    x0, n = 1, 10
    q = torch.tensor([float(x0)], device=device, requires_grad=True)
    k = (torch.rand(n, device=device) * 0.1 + x0 - 0.05).requires_grad_()
    v = torch.sin(k).detach()
    true_value = scipy_misc_derivative_float32(torch.sin, x0, 1e-6)
    outputs = _keras_attention_loop(q, k, v, true_value, epochs)
    return {"outputs": outputs, "true_value": true_value, "cos_1": math.cos(1.0),
            "value_range": [float(v.min()), float(v.max())]}


def _keras_derivative_setup(device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]:
    x0, n = 1, 10
    q = torch.tensor([float(x0)], device=device, requires_grad=True)
    k = (torch.rand(n, device=device) * 0.1 + x0 - 0.05).requires_grad_()
    v = torch.sin(k).detach()
    return q, k, v, scipy_misc_derivative_float32(torch.sin, x0, 1e-6)


def keras_multihead_derivative(device: torch.device, epochs: int = 100) -> dict[str, Any]:
    """The Keras `MultiHeadAttention(num_heads=4, key_dim=1)` + `Dropout(0.1)` + `Dense(1)` derivative of sin.

    Not runnable as written: besides the two problems of the single-layer version, `attention([q, k, v])`
    passes a list where Keras' MultiHeadAttention expects `attention(query, value, key)`; the port calls it
    that way. Dropout called outside `fit` is the identity. q, k and the layers' weights are trained."""
    q, k, v, true_value = _keras_derivative_setup(device)
    mha, dense = MultiHeadAttention(4, 1), Dense(1)
    variables = [q, k, *mha.trainable_variables, *dense.trainable_variables]
    outputs = _train(lambda: dense(mha(q[None, None, :], v[None, :, None], k[None, :, None])), variables, true_value,
                     epochs)
    return {"outputs": outputs, "true_value": true_value}


def keras_transformer_blocks_derivative(device: torch.device, epochs: int = 100) -> dict[str, Any]:
    """The "two transformer blocks" version: attention, dropout, `layer_norm(q + z)`, Dense, dropout,
    `layer_norm(q + z)`, with one `LayerNormalization` layer used twice.

    Not runnable as written for the reasons of the multi-head version (plus `q + z` of an int32 and a
    float32 tensor); the port makes the same repairs. Literal otherwise, and that decides the result:
    LayerNormalization normalises over the last axis, which has size 1, so it returns its beta (0, and not
    trained: its weights are not in `variables`) whatever the input. The printed output is always 0."""
    q, k, v, true_value = _keras_derivative_setup(device)
    mha, feed_forward = MultiHeadAttention(4, 1), Dense(1)
    gamma, beta = torch.ones(1, device=device), torch.zeros(1, device=device)
    variables = [q, k, *mha.trainable_variables, *feed_forward.trainable_variables]

    def forward() -> torch.Tensor:
        z = mha(q[None, None, :], v[None, :, None], k[None, :, None])
        z = layer_norm(q + z, gamma, beta)
        z = feed_forward(z)
        return layer_norm(q + z, gamma, beta)

    outputs = _train(forward, variables, true_value, epochs)
    return {"outputs": outputs, "true_value": true_value}
