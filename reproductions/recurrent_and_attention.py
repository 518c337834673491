"""Checks of the derivations chat's neural-network formulas against torch's own layers and by experiment."""

from __future__ import annotations

import itertools
import math
from typing import Any

import torch
from torch import nn

from verifier.mathcheck.observation import observe


def gru_equations_vs_torch(device: torch.device, steps: int = 12, candidate: str = "tanh",
                           reset: str = "inside") -> dict[str, Any]:
    """Statement (the chat's GRU): z = sigma(W_z x + U_z h + b_z), r = sigma(W_r x + U_r h + b_r),
    h~ = tanh(W_h x + U_h (r * h) + b_h), h_t = (1 - z) * h_{t-1} + z * h~.

    The statement holds if these equations are the GRU of Cho et al. (2014): h~ = tanh(W x + U (r * h)),
    h_t = z' * h_{t-1} + (1 - z') * h~, up to the name of the update gate (z = 1 - z', i.e. its weights
    negated). Both are run with the same random weights and compared. For the record, the equations are
    also run against torch's nn.GRU, which puts the reset gate after the product (r * (U_h h + b)) and uses
    Cho's update convention: the deviations of each convention are reported.

    The chat's side is built from the stated formula given as params (`candidate`: the activation of h~,
    `reset`: "inside" for U_h (r * h), "outside" for r * (U_h h)); Cho's side is fixed (tanh, inside)."""
    activations = {"tanh": torch.tanh, "sigmoid": torch.sigmoid}
    torch.manual_seed(0)
    gru = nn.GRU(input_size=3, hidden_size=4, batch_first=True).double().to(device)
    x = torch.randn(1, steps, 3, dtype=torch.float64, device=device)
    expected, _ = gru(x)
    w_ir, w_iz, w_in = (w.detach().clone() for w in gru.weight_ih_l0.chunk(3))
    w_hr, w_hz, w_hn = (w.detach().clone() for w in gru.weight_hh_l0.chunk(3))
    b_ir, b_iz, b_in = (b.detach().clone() for b in gru.bias_ih_l0.chunk(3))
    b_hr, b_hz, b_hn = (b.detach().clone() for b in gru.bias_hh_l0.chunk(3))
    expected = expected.detach()

    def run(torch_update: bool, torch_reset: bool, activation: Any = torch.tanh) -> torch.Tensor:
        h = torch.zeros(4, dtype=torch.float64, device=device)
        states = []
        for t in range(steps):
            xt = x[0, t]
            z = torch.sigmoid(w_iz @ xt + w_hz @ h + b_iz + b_hz)
            r = torch.sigmoid(w_ir @ xt + w_hr @ h + b_ir + b_hr)
            recurrent = r * (w_hn @ h + b_hn) if torch_reset else w_hn @ (r * h) + b_hn
            h_candidate = activation(w_in @ xt + b_in + recurrent)
            h = z * h + (1 - z) * h_candidate if torch_update else (1 - z) * h + z * h_candidate
            states.append(h)
        return torch.stack(states)

    deviations = {f"update={'torch' if u else 'chat'}, reset={'torch' if r else 'chat'}":
                  float((run(u, r) - expected[0]).abs().max()) for u in (False, True) for r in (False, True)}
    chat = run(False, reset == "outside", activations[candidate])
    for weight in (w_iz, w_hz, b_iz, b_hz):  # Cho et al.: the update gate's weights negated
        weight.neg_()
    cho = run(True, False, torch.tanh)
    difference = float((chat - cho).abs().max())
    return observe(difference < 1e-12, "the stated equations (candidate {candidate}, reset {reset}) vs Cho et al.'s "
                   "GRU with the update gate's weights negated: max deviation {cho_deviation:.1e} over {steps} "
                   "steps; the conventions against torch's nn.GRU: {against_torch}", candidate=candidate,
                   reset=reset, cho_deviation=difference, steps=steps,
                   against_torch="; ".join(f"{k}: {v:.1e}" for k, v in deviations.items()), deviations=deviations)


def positional_encoding(device: torch.device, positions: int = 64, d: int = 16, base: float = 10000.0,
                        exponent_numerator: float = 2.0) -> dict[str, Any]:
    """Statement: PE_i = [sin(i / 10000^(2j/d)), cos(i / 10000^(2j/d))] injects the position of each token.

    Builds the encoding from the stated formula (its `base` and the `exponent_numerator` of 2j/d as params)
    and measures (a) whether every position gets a distinct vector (the injection) and (b) its distance to
    Vaswani et al.'s encoding (sin on even, cos on odd columns, frequencies 1 / 10000^(2i/d)) up to the order
    of the columns. It holds if both: the positions are distinct and the columns are the paper's."""
    i = torch.arange(positions, dtype=torch.float64)[:, None]
    j = torch.arange(d // 2, dtype=torch.float64)[None, :]
    angle = i / base ** (exponent_numerator * j / d)
    pe = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)
    closest = float(torch.cdist(pe, pe).add(torch.eye(positions) * 1e9).min())
    paper = torch.zeros(positions, d, dtype=torch.float64)
    even = torch.arange(0, d, 2, dtype=torch.float64)
    paper[:, 0::2] = torch.sin(i / 10000 ** (even / d))
    paper[:, 1::2] = torch.cos(i / 10000 ** (even / d))
    stated_columns = torch.cat([pe[:, : d // 2], pe[:, d // 2:]], dim=1)
    reordered = torch.stack([stated_columns[:, c // 2 + (d // 2 if c % 2 else 0)] for c in range(d)], dim=1)
    paper_error = float((reordered - paper).abs().max())
    holds = closest > 1e-6 and paper_error < 1e-12
    return observe(holds, "{positions} positions: smallest distance between two encodings {closest:.3g}; "
                   "largest difference from Vaswani et al.'s encoding (columns reordered) {paper_error:.1e}",
                   positions=positions, closest=closest, paper_error=paper_error)


def rnn_vanishing_gradients(device: torch.device, steps: int = 60) -> dict[str, Any]:
    """Statement: vanishing gradients limit a plain RNN's long-term memory; GRU gates address it.

    Simulation: the norm of d h_T / d h_0 for a tanh RNN (recurrent weights scaled to spectral radius 0.9)
    and for a GRU, over 60 steps, averaged over 20 random sequences: the RNN's decays geometrically, the GRU
    (update-gate bias set so the gate mostly keeps the state) does not."""
    torch.manual_seed(0)
    rnn = nn.RNN(8, 16, batch_first=True).double()
    with torch.no_grad():
        radius = torch.linalg.eigvals(rnn.weight_hh_l0).abs().max()
        rnn.weight_hh_l0.mul_(0.9 / radius)
    gru = nn.GRU(8, 16, batch_first=True).double()
    with torch.no_grad():
        gru.bias_hh_l0[16:32].fill_(4.0)  # torch's z keeps the old state when near 1

    def gradient_norms(model: nn.Module) -> list[float]:
        norms = []
        for _ in range(20):
            h0 = torch.zeros(1, 1, 16, dtype=torch.float64, requires_grad=True)
            out, _ = model(torch.randn(1, steps, 8, dtype=torch.float64), h0)
            per_step = []
            for t in (9, 29, 59):
                (grad,) = torch.autograd.grad(out[0, t].sum(), h0, retain_graph=True)
                per_step.append(float(grad.norm()))
            norms.append(per_step)
        return [sum(n[i] for n in norms) / len(norms) for i in range(3)]

    rnn_norms, gru_norms = gradient_norms(rnn), gradient_norms(gru)
    holds = rnn_norms[-1] < 1e-2 * rnn_norms[0] and gru_norms[-1] > 0.1 * gru_norms[0]
    return observe(holds, "|dh_t/dh_0| at t = 10, 30, 60: RNN {rnn_shown}; GRU {gru_shown}",
                   rnn_shown=", ".join(f"{v:.1e}" for v in rnn_norms),
                   gru_shown=", ".join(f"{v:.1e}" for v in gru_norms), rnn=rnn_norms, gru=gru_norms)


def gradient_descent_step(device: torch.device, eta: float = 0.1, steps: int = 50) -> dict[str, Any]:
    """Statement: w <- w - eta dL/dw with gradients from backpropagation reduces the loss.

    Fits a small network to random targets with exactly that update (autograd gradients) and records the
    loss at every step: it must decrease overall and at almost every step for a small learning rate."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1)).double().to(device)
    x = torch.randn(32, 3, dtype=torch.float64, device=device)
    target = torch.randn(32, 1, dtype=torch.float64, device=device)
    losses = []
    for _ in range(steps):
        loss = ((net(x) - target) ** 2).mean()
        losses.append(float(loss.detach()))
        grads = torch.autograd.grad(loss, list(net.parameters()))
        with torch.no_grad():
            for weight, grad in zip(net.parameters(), grads, strict=True):
                weight.sub_(eta * grad)
    decreasing = sum(b < a for a, b in itertools.pairwise(losses))
    return observe(losses[-1] < 0.8 * losses[0] and decreasing >= 0.9 * (steps - 1),
                   "loss {first:.4f} -> {last:.4f}; it decreased at {decreasing} of {updates} steps",
                   first=losses[0], last=losses[-1], decreasing=decreasing, updates=steps - 1, losses=losses)


def gan_minimax_value(device: torch.device) -> dict[str, Any]:
    """Statement: the GAN objective is min_G max_D E_data[log D(x)] + E_z[log(1 - D(G(z)))].

    For two 1-D densities (data N(0, 1), generator N(mu, 1)) the inner maximum is reached by
    D*(x) = p_data / (p_data + p_g) and equals -log 4 + 2 JSD(p_data, p_g); numerically (quadrature) the value
    is minimised, at -log 4, exactly when the generator matches the data (mu = 0) - the min-max game's aim."""
    x = torch.linspace(-12, 12, 48001, dtype=torch.float64)
    dx = float(x[1] - x[0])

    def density(mu: float) -> torch.Tensor:
        return torch.exp(-0.5 * (x - mu) ** 2) / (2 * math.pi) ** 0.5

    values = {}
    for mu in (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0):
        data, generated = density(0.0), density(mu)
        best = data / (data + generated)
        values[mu] = float((data * torch.log(best) + generated * torch.log(1 - best)).sum() * dx)
    minimiser = min(values, key=values.get)  # type: ignore[arg-type]
    return observe(minimiser == 0.0 and abs(values[0.0] + math.log(4)) < 1e-9,
                   "max over D of the objective for a generator N(mu, 1): {shown}; smallest at mu = {minimiser:g}, "
                   "value there {at_minimum:.6f} (-log 4 = {minus_log4:.6f})",
                   shown=", ".join(f"mu={mu:g}: {v:.4f}" for mu, v in values.items()), minimiser=minimiser,
                   at_minimum=values[minimiser], minus_log4=-math.log(4),
                   values={str(k): v for k, v in values.items()})
