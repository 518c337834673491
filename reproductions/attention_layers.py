"""Checks of the derivations chat's attention formulas: the attention weights and context vector, multi-head
attention as a concatenation of heads, and which positions self-attention and masked attention can see.
Each formula is evaluated as written and compared with torch's own attention."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from verifier.mathcheck.observation import observe

F64 = torch.float64


def attention_context_vector(device: torch.device, over: str = "inputs") -> dict[str, Any]:
    """Statements: alpha_i = exp(score(q, x_i)) / sum_j exp(score(q, x_j)) with score(q, x_i) = q^T W_k x_i,
    the weights sum to 1, and the context vector is c = sum_i alpha_i x_i; with `over="encoder"`, the
    decoder's c_t = sum_i alpha_ti h_i over the encoder states h_i of an RNN (here a GRU).

    Evaluates the formulas as written and compares c with torch's scaled_dot_product_attention (scale 1,
    keys x_i W_k^T, values x_i)."""
    torch.manual_seed(0)
    if over == "encoder":
        encoder = nn.GRU(3, 6, batch_first=True).double()
        with torch.no_grad():
            states, _ = encoder(torch.randn(1, 9, 3, dtype=F64))
        x = states[0]
    else:
        x = torch.randn(9, 6, dtype=F64)
    q, w_k = torch.randn(6, dtype=F64), torch.randn(6, 6, dtype=F64)
    scores = torch.stack([q @ w_k @ x_i for x_i in x])
    alpha = torch.exp(scores) / torch.exp(scores).sum()
    context = (alpha[:, None] * x).sum(dim=0)
    library = nn.functional.scaled_dot_product_attention(q[None, None, None, :], (x @ w_k.T)[None, None],
                                                         x[None, None], scale=1.0)[0, 0, 0]
    error = float((context - library).abs().max())
    total = float(alpha.sum())
    return observe(error < 1e-12 and abs(total - 1) < 1e-12 and bool((alpha >= 0).all()),
                   "weights over {count} {over_what} sum to {weight_sum:.15f}, smallest {smallest:.3g}; context "
                   "vector vs torch's scaled_dot_product_attention: max deviation {max_error:.1e}", count=len(x),
                   over_what="encoder states" if over == "encoder" else "inputs", weight_sum=total,
                   smallest=float(alpha.min()), max_error=error)


def attention_reach(device: torch.device, which: str = "masked") -> dict[str, Any]:
    """Statements: self-attention lets each token consider all other tokens (`which="all"`); the decoder's
    masked self-attention prevents attending to future positions (`which="masked"`).

    Perturbs one input position of a torch TransformerEncoderLayer (no mask) and of a TransformerDecoderLayer
    (causal mask) and records which output positions change: without the mask every output depends on every
    input after one layer; with it, the output at position t depends only on positions <= t."""
    torch.manual_seed(0)
    length, d_model = 8, 16
    if which == "all":
        layer: nn.Module = nn.TransformerEncoderLayer(d_model, 4, 32, dropout=0.0, batch_first=True).double().eval()

        def run(seq: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = layer(seq)
            return out
    else:
        layer = nn.TransformerDecoderLayer(d_model, 4, 32, dropout=0.0, batch_first=True).double().eval()
        memory = torch.randn(1, 5, d_model, dtype=F64)
        mask = nn.Transformer.generate_square_subsequent_mask(length, dtype=F64)

        def run(seq: torch.Tensor) -> torch.Tensor:
            out: torch.Tensor = layer(seq, memory, tgt_mask=mask, tgt_is_causal=True)
            return out
    seq = torch.randn(1, length, d_model, dtype=F64)
    influence = torch.zeros(length, length, dtype=torch.bool)  # [output t, input s]
    with torch.no_grad():
        base = run(seq)
        for s in range(length):
            changed = seq.clone()
            changed[0, s] += 1.0
            influence[:, s] = (run(changed) - base)[0].abs().amax(dim=-1) > 1e-12
    expected = torch.ones(length, length, dtype=torch.bool)
    if which != "all":
        expected = torch.tril(expected)
    future_seen = int((influence & ~torch.tril(torch.ones_like(influence))).sum())
    return observe(bool((influence == expected).all()),
                   "{layer}: {dependent} of {pairs} (output, input) pairs depend on each other; outputs that see a "
                   "later input: {future_seen}", layer="encoder layer, no mask" if which == "all"
                   else "decoder layer, causal mask", dependent=int(influence.sum()), pairs=length * length,
                   future_seen=future_seen, influence=influence.int().tolist())
