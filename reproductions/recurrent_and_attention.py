"""Checks of the derivations chat's neural-network formulas against torch's own layers and by experiment."""

from __future__ import annotations

import itertools
import math
from typing import Any

import torch
from torch import nn


def activations_and_losses(device: torch.device, which: str = "activations") -> dict[str, Any]:
    """Statements: sigma(z) = 1/(1 + e^-z); ReLU(z) = max(0, z); softmax(z_i) = e^{z_i} / sum_j e^{z_j};
    MSE = (1/N) sum (y_i - y^_i)^2; cross-entropy = -sum y_i log(y^_i). Each formula, evaluated as written on
    random values, against torch's implementation; `which` (activations or losses) names the claim's part."""
    g = torch.Generator().manual_seed(0)
    z = torch.randn(1000, dtype=torch.float64, generator=g).to(device) * 5
    y, y_hat = torch.randn(50, dtype=torch.float64, generator=g), torch.randn(50, dtype=torch.float64, generator=g)
    logits = torch.randn(8, 5, dtype=torch.float64, generator=g)
    target = torch.randint(0, 5, (8,), generator=g)
    one_hot = torch.nn.functional.one_hot(target, 5).double()
    probabilities = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    errors = {
        "sigmoid": float((1 / (1 + torch.exp(-z)) - torch.sigmoid(z)).abs().max()),
        "relu": float((torch.maximum(torch.zeros_like(z), z) - torch.relu(z)).abs().max()),
        "softmax": float((probabilities - torch.softmax(logits, dim=1)).abs().max()),
        "mse": abs(float(((y - y_hat) ** 2).sum() / len(y)) - float(nn.functional.mse_loss(y_hat, y))),
        "cross_entropy": abs(float(-(one_hot * torch.log(probabilities)).sum(dim=1).mean())
                             - float(nn.functional.cross_entropy(logits, target))),
    }
    part = ("sigmoid", "relu", "softmax") if which == "activations" else ("mse", "cross_entropy")
    return {"holds": all(errors[name] < 1e-12 for name in part),
            "explanation": "largest deviation from torch: " + ", ".join(f"{k} {v:.1e}" for k, v in errors.items()),
            "measured": errors}


def rnn_cell_matches_torch(device: torch.device, steps: int = 12, bias: bool = True) -> dict[str, Any]:
    """Statement: h_t = tanh(W_hh h_{t-1} + W_hx x_t + b_h), y_t = W_hy h_t + b_y (with `bias=False`, the
    lecture's simplest RNN h_t = tanh(W_hh h_{t-1} + W_xh x_t), y_t = Q_hy h_t). Runs these equations with the
    weights of a torch nn.RNN (tanh) and compares every hidden state, and the outputs with an nn.Linear."""
    torch.manual_seed(0)
    rnn = nn.RNN(input_size=3, hidden_size=4, batch_first=True, bias=bias).double().to(device)
    readout = nn.Linear(4, 2, bias=bias).double().to(device)
    x = torch.randn(1, steps, 3, dtype=torch.float64, device=device)
    expected, _ = rnn(x)
    h = torch.zeros(4, dtype=torch.float64, device=device)
    # torch keeps two bias vectors; their sum is the equations' b_h
    b_h = rnn.bias_ih_l0 + rnn.bias_hh_l0 if bias else torch.zeros(4, dtype=torch.float64, device=device)
    b_y = readout.bias if bias else torch.zeros(2, dtype=torch.float64, device=device)
    states, outputs = [], []
    for t in range(steps):
        h = torch.tanh(rnn.weight_hh_l0 @ h + rnn.weight_ih_l0 @ x[0, t] + b_h)
        states.append(h)
        outputs.append(readout.weight @ h + b_y)
    error = float((torch.stack(states) - expected[0]).abs().max().detach())
    output_error = float((torch.stack(outputs) - readout(expected[0])).abs().max().detach())
    return {"holds": error < 1e-12 and output_error < 1e-12,
            "explanation": f"max deviation from nn.RNN{'' if bias else '(bias=False)'} over {steps} steps: "
                           f"{error:.1e}, "
                           f"outputs {output_error:.1e}" + (" (torch's two biases sum to b_h)" if bias else ""),
            "measured": {"max_error": error, "output_error": output_error}}


def gru_equations_vs_torch(device: torch.device, steps: int = 12) -> dict[str, Any]:
    """Statement (the chat's GRU): z = sigma(W_z x + U_z h + b_z), r = sigma(W_r x + U_r h + b_r),
    h~ = tanh(W_h x + U_h (r * h) + b_h), h_t = (1 - z) * h_{t-1} + z * h~.

    The statement holds if these equations are the GRU of Cho et al. (2014): h~ = tanh(W x + U (r * h)),
    h_t = z' * h_{t-1} + (1 - z') * h~, up to the name of the update gate (z = 1 - z', i.e. its weights
    negated). Both are run with the same random weights and compared. For the record, the equations are
    also run against torch's nn.GRU, which puts the reset gate after the product (r * (U_h h + b)) and uses
    Cho's update convention: the deviations of each convention are reported."""
    torch.manual_seed(0)
    gru = nn.GRU(input_size=3, hidden_size=4, batch_first=True).double().to(device)
    x = torch.randn(1, steps, 3, dtype=torch.float64, device=device)
    expected, _ = gru(x)
    w_ir, w_iz, w_in = (w.detach().clone() for w in gru.weight_ih_l0.chunk(3))
    w_hr, w_hz, w_hn = (w.detach().clone() for w in gru.weight_hh_l0.chunk(3))
    b_ir, b_iz, b_in = (b.detach().clone() for b in gru.bias_ih_l0.chunk(3))
    b_hr, b_hz, b_hn = (b.detach().clone() for b in gru.bias_hh_l0.chunk(3))
    expected = expected.detach()

    def run(torch_update: bool, torch_reset: bool) -> torch.Tensor:
        h = torch.zeros(4, dtype=torch.float64, device=device)
        states = []
        for t in range(steps):
            xt = x[0, t]
            z = torch.sigmoid(w_iz @ xt + w_hz @ h + b_iz + b_hz)
            r = torch.sigmoid(w_ir @ xt + w_hr @ h + b_ir + b_hr)
            recurrent = r * (w_hn @ h + b_hn) if torch_reset else w_hn @ (r * h) + b_hn
            candidate = torch.tanh(w_in @ xt + b_in + recurrent)
            h = z * h + (1 - z) * candidate if torch_update else (1 - z) * h + z * candidate
            states.append(h)
        return torch.stack(states)

    deviations = {f"update={'torch' if u else 'chat'}, reset={'torch' if r else 'chat'}":
                  float((run(u, r) - expected[0]).abs().max()) for u in (False, True) for r in (False, True)}
    chat = run(False, False)
    for weight in (w_iz, w_hz, b_iz, b_hz):  # Cho et al.: the update gate's weights negated
        weight.neg_()
    cho = run(True, False)
    difference = float((chat - cho).abs().max())
    return {"holds": difference < 1e-12,
            "explanation": f"the chat's equations equal Cho et al.'s GRU with z renamed 1 - z (max deviation "
                           f"{difference:.1e}); against torch's nn.GRU: " +
                           "; ".join(f"{k}: {v:.1e}" for k, v in deviations.items()),
            "measured": {"cho_deviation": difference, **deviations}}


def attention_scaling(device: torch.device, trials: int = 2000) -> dict[str, Any]:
    """Statement: scaled dot-product attention divides QK^T by sqrt(d_k).

    Experiment: for queries and keys with unit-variance entries, the variance of q.k grows as d_k, so the
    softmax saturates (one weight near 1) as d_k grows; dividing by sqrt(d_k) keeps the variance near 1 and
    the weights spread. Measured for d_k = 16, 64, 256, 1024 over 2,000 random 10-key rows."""
    g = torch.Generator().manual_seed(0)
    rows = []
    for d in (16, 64, 256, 1024):
        q = torch.randn(trials, 1, d, generator=g)
        k = torch.randn(trials, 10, d, generator=g)
        scores = (q @ k.transpose(1, 2)).squeeze(1)
        raw_max = torch.softmax(scores, dim=-1).max(dim=-1).values.mean()
        scaled_max = torch.softmax(scores / math.sqrt(d), dim=-1).max(dim=-1).values.mean()
        rows.append({"d_k": d, "var_qk": float(scores.var()), "var_scaled": float((scores / math.sqrt(d)).var()),
                     "mean_max_weight_raw": float(raw_max), "mean_max_weight_scaled": float(scaled_max)})
    grows = all(abs(r["var_qk"] / r["d_k"] - 1) < 0.1 for r in rows)
    steady = all(abs(r["var_scaled"] - 1) < 0.1 for r in rows)
    return {"holds": grows and steady and rows[-1]["mean_max_weight_raw"] > 0.9 > rows[-1]["mean_max_weight_scaled"],
            "explanation": "; ".join(f"d_k={r['d_k']}: var(q.k) {r['var_qk']:.0f}, scaled {r['var_scaled']:.2f}, "
                                     f"max weight {r['mean_max_weight_raw']:.2f} vs {r['mean_max_weight_scaled']:.2f}"
                                     for r in rows),
            "measured": {"rows": rows}}


def positional_encoding(device: torch.device, positions: int = 64, d: int = 16) -> dict[str, Any]:
    """Statement: PE_i = [sin(i / 10000^(2j/d)), cos(i / 10000^(2j/d))] injects the position of each token.

    Builds the encoding as stated and checks that every position gets a distinct vector, that values stay in
    [-1, 1], and that a shift by k positions is the same linear map (a rotation per frequency) for every i,
    which is what lets attention use relative positions."""
    i = torch.arange(positions, dtype=torch.float64)[:, None]
    j = torch.arange(d // 2, dtype=torch.float64)[None, :]
    angle = i / 10000 ** (2 * j / d)
    pe = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)
    distinct = int(torch.cdist(pe, pe).add(torch.eye(positions) * 10).min() > 1e-6)
    k = 5
    rotation_error = 0.0
    for col in range(d // 2):
        w = 1 / 10000 ** (2 * col / d)
        c, s = math.cos(k * w), math.sin(k * w)
        sin_i, cos_i = pe[:-k, col], pe[:-k, d // 2 + col]
        rotation_error = max(rotation_error, float((pe[k:, col] - (sin_i * c + cos_i * s)).abs().max()),
                             float((pe[k:, d // 2 + col] - (cos_i * c - sin_i * s)).abs().max()))
    holds = bool(distinct) and float(pe.abs().max()) <= 1 and rotation_error < 1e-12
    return {"holds": holds, "explanation": f"{positions} positions all distinct: {bool(distinct)}; |PE| <= "
            f"{float(pe.abs().max()):.3f}; a shift by {k} is a fixed rotation (max error {rotation_error:.1e})",
            "measured": {"rotation_error": rotation_error}}


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
    return {"holds": holds,
            "explanation": f"|dh_t/dh_0| at t = 10, 30, 60: RNN {', '.join(f'{v:.1e}' for v in rnn_norms)}; "
                           f"GRU {', '.join(f'{v:.1e}' for v in gru_norms)}",
            "measured": {"rnn": rnn_norms, "gru": gru_norms}}


def feedforward_equations(device: torch.device) -> dict[str, Any]:
    """Statement: z1 = W1 x + b1, a1 = f(z1), z2 = W2 a1 + b2, y = g(z2) (f sigmoid, g softmax) is the forward
    pass of a one-hidden-layer network. Evaluated as written with the weights of a torch nn.Sequential."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 6), nn.Sigmoid(), nn.Linear(6, 3), nn.Softmax(dim=-1)).double().to(device)
    x = torch.randn(4, dtype=torch.float64, device=device)
    w1, b1, w2, b2 = net[0].weight, net[0].bias, net[2].weight, net[2].bias
    y = torch.softmax(w2 @ torch.sigmoid(w1 @ x + b1) + b2, dim=-1)
    error = float((y - net(x)).abs().max().detach())
    return {"holds": error < 1e-14, "explanation": f"max deviation from the torch network: {error:.1e}",
            "measured": {"max_error": error}}


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
    return {"holds": losses[-1] < 0.8 * losses[0] and decreasing >= 0.9 * (steps - 1),
            "explanation": f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; it decreased at {decreasing} of "
                           f"{steps - 1} steps",
            "measured": {"losses": losses}}


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
    return {"holds": minimiser == 0.0 and abs(values[0.0] + math.log(4)) < 1e-9,
            "explanation": "max over D of the objective for a generator N(mu, 1): " +
                           ", ".join(f"mu={mu:g}: {v:.4f}" for mu, v in values.items()) +
                           f"; smallest at mu = {minimiser:g}, where it is -log 4 = {-math.log(4):.4f}",
            "measured": {"values": {str(k): v for k, v in values.items()}}}
