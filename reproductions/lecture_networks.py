"""Checks of the lecture's neural-network slides: loss formulas, the deep network as matrix products, the
RNN and its back-propagation through time, vanishing gradients, the LSTM equations, and scaled attention.

Each check evaluates the slide's formula as written (typesetting slips such as a comma or "=" for "+" are
read as the sum they stand for, and said so) against torch's own layers, autograd or a simulation."""

from __future__ import annotations

import itertools
import math
import statistics
from typing import Any

import torch
from torch import nn

from verifier.mathcheck.observation import observe

F64 = torch.float64


class _ElmanRnn:
    """The slides' RNN, h_t = W_h phi(h_{t-1}) + W_x x_t, y_t = W_y phi(h_t), phi = tanh."""

    def __init__(self, hidden: int = 4, inputs: int = 3, outputs: int = 2, seed: int = 0) -> None:
        g = torch.Generator().manual_seed(seed)
        self.w_h = (torch.randn(hidden, hidden, generator=g, dtype=F64) * 0.6).requires_grad_()
        self.w_x = torch.randn(hidden, inputs, generator=g, dtype=F64).requires_grad_()
        self.w_y = torch.randn(outputs, hidden, generator=g, dtype=F64).requires_grad_()
        self.x = torch.randn(8, inputs, generator=g, dtype=F64)
        self.target = torch.randn(8, outputs, generator=g, dtype=F64)
        self.h0 = torch.randn(hidden, generator=g, dtype=F64)  # the state before the sequence (non-zero)

    def states(self, w_h_per_step: list[torch.Tensor] | None = None) -> list[torch.Tensor]:
        h = self.h0
        states = []
        for t in range(len(self.x)):
            w_h = self.w_h if w_h_per_step is None else w_h_per_step[t]
            h = w_h @ torch.tanh(h) + self.w_x @ self.x[t]
            states.append(h)
        return states

    def losses(self, states: list[torch.Tensor]) -> list[torch.Tensor]:
        return [0.5 * ((self.w_y @ torch.tanh(h) - self.target[t]) ** 2).sum() for t, h in enumerate(states)]


def _slide_terms(model: _ElmanRnn, t: int) -> list[torch.Tensor]:
    """The slide's terms for step t, each evaluated as written: (de_t/dy_t)(dy_t/dh_t)(dh_t/dh_k) times the
    immediate partial d+h_k/dW_h (h_k = W_h phi(h_(k-1)) + ..., so d+h_k/dW_h[i, j] = phi(h_(k-1))_j on row
    i), for k = 1..t. Jacobians from autograd on the forward pass; nothing here is the gradient itself."""
    w_h, w_x, w_y = model.w_h.detach(), model.w_x.detach(), model.w_y.detach()
    states = [s.detach() for s in model.states()]
    previous = [model.h0, *states[:-1]]
    y_t = w_y @ torch.tanh(states[t])
    de_dy = y_t - model.target[t]
    dy_dh = w_y @ torch.diag(1 - torch.tanh(states[t]) ** 2)

    def forward(k: int, h_k: torch.Tensor) -> torch.Tensor:
        h = h_k
        for step in range(k + 1, t + 1):
            h = w_h @ torch.tanh(h) + w_x @ model.x[step]
        return h

    terms = []
    for k in range(t + 1):
        dh_t_dh_k: torch.Tensor = torch.autograd.functional.jacobian(  # type: ignore[no-untyped-call]
            lambda h, k=k: forward(k, h), states[k])
        row = de_dy @ dy_dh @ dh_t_dh_k
        terms.append(torch.outer(row, torch.tanh(previous[k])))
    return terms


def bptt_gradient_sums(device: torch.device, part: str = "sums") -> dict[str, Any]:
    """Statements (slides): dE/dtheta = sum_t de_t/dtheta (each output has its own loss), and
    de_t/dtheta = sum_{k<=t} (de_t/dy_t)(dy_t/dh_t)(dh_t/dh_k)(d+h_k/dW): the gradient of the shared weight
    is the sum of one contribution per earlier step. With `part="sharing"`: the same W_hh and W_hy serve
    every step. With `part="total"`: only dE/dtheta = sum_t de_t/dtheta.

    On the slides' RNN (8 steps): the slide's sum for de_t/dW_h is evaluated term by term from its factors
    (`_slide_terms`) and compared with autograd's gradient of e_t; dE/dW_h is compared with the sum of the
    de_t/dW_h. For "sharing": torch's nn.RNN has the same number of parameters whatever the sequence length,
    and giving each step its own copy of W_h, every copy receives a non-zero share of the gradient."""
    model = _ElmanRnn()
    states = model.states()
    losses = model.losses(states)
    last = len(model.x) - 1
    if part == "sharing":
        copies = [model.w_h.detach().clone().requires_grad_() for _ in range(len(model.x))]
        terms = torch.autograd.grad(model.losses(model.states(copies))[last], copies)
        term_norms = [float(term.norm()) for term in terms]
        rnn = nn.RNN(3, 4).double()
        counts = {}
        for steps in (5, 50, 500):  # parameters that a run of this length uses (receive a gradient)
            rnn.zero_grad()
            rnn(torch.randn(steps, 1, 3, dtype=F64))[0].sum().backward()
            counts[steps] = sum(p.numel() for p in rnn.parameters() if p.grad is not None and p.grad.abs().sum() > 0)
        holds = len(set(counts.values())) == 1 and min(term_norms) > 0
        return observe(holds, "parameters of nn.RNN(3, 4) used by runs of 5, 50, 500 steps: {counts}; gradient "
                       "shares of per-step copies of W_h: smallest norm {smallest:.2e}, largest {largest:.2e}",
                       counts=list(counts.values()), smallest=min(term_norms), largest=max(term_norms))
    (total,) = torch.autograd.grad(sum(losses), model.w_h, retain_graph=True)
    per_loss = [torch.autograd.grad(e, model.w_h, retain_graph=True)[0] for e in losses]
    sum_error = float((total - sum(per_loss)).abs().max())
    slide = sum(_slide_terms(model, last))
    slide_error = float((slide - per_loss[last]).abs().max())
    scale = float(per_loss[last].abs().max())
    sums_agree = sum_error <= 1e-12 * max(1.0, float(total.abs().max()))
    if part == "total":
        return observe(sums_agree, "dE/dW_h vs the sum over the {steps} steps of de_t/dW_h: max deviation "
                       "{sum_error:.1e} (largest entry {largest:.3g})", steps=len(losses), sum_error=sum_error,
                       largest=float(total.abs().max()))
    return observe(sums_agree and slide_error <= 1e-9 * scale,
                   "dE/dW_h vs the sum of de_t/dW_h: max deviation {sum_error:.1e}; the slide's sum over k of "
                   "(de_t/dy_t)(dy_t/dh_t)(dh_t/dh_k)(d+h_k/dW_h) at t = {t} vs autograd: max deviation "
                   "{slide_error:.1e} (largest entry {scale:.3g})",
                   sum_error=sum_error, t=last + 1, slide_error=slide_error, scale=scale)


def bptt_jacobian_product(device: torch.device, t: int = 7, k: int = 3) -> dict[str, Any]:
    """Statement (slide): dh_t/dh_k = prod_{i=1}^{k} dh_t/dh_{k-i}.

    Computes every Jacobian of the slides' RNN by autograd. The chain rule gives
    dh_t/dh_k = prod_{i=k+1}^{t} dh_i/dh_{i-1} (t - k factors, each one step apart); the slide's product has
    k factors, each from h_t back to h_{k-i}. Both are compared with the Jacobian dh_t/dh_k itself."""
    model = _ElmanRnn()
    x = model.x.detach()
    w_h, w_x = model.w_h.detach(), model.w_x.detach()

    def run_from(start: int, h_start: torch.Tensor, stop: int) -> torch.Tensor:
        h = h_start
        for step in range(start + 1, stop + 1):
            h = w_h @ torch.tanh(h) + w_x @ x[step]
        return h

    states = [w_h @ torch.tanh(model.h0) + w_x @ x[0]]
    for step in range(1, len(x)):
        states.append(w_h @ torch.tanh(states[-1]) + w_x @ x[step])

    def jacobian(later: int, earlier: int) -> torch.Tensor:
        result: torch.Tensor = torch.autograd.functional.jacobian(
            lambda h: run_from(earlier, h, later), states[earlier])
        return result

    true = jacobian(t, k)
    chain = torch.eye(len(states[0]), dtype=F64)
    for i in range(t, k, -1):
        chain = chain @ jacobian(i, i - 1)
    slide = torch.eye(len(states[0]), dtype=F64)
    for i in range(1, k + 1):
        slide = slide @ jacobian(t, k - i)
    chain_error = float((chain - true).abs().max())
    slide_error = float((slide - true).abs().max() / true.abs().max())
    return observe(slide_error < 1e-9, "t = {t}, k = {k}: chain of one-step Jacobians vs dh_t/dh_k: max deviation "
                   "{chain_error:.1e}; the slide's product of dh_t/dh_(k-i), i = 1..{k}: relative deviation "
                   "{slide_relative_error:.2f} (norms {slide_norm:.3g} vs {true_norm:.3g})", t=t, k=k,
                   chain_error=chain_error, slide_relative_error=slide_error, slide_norm=float(slide.norm()),
                   true_norm=float(true.norm()))


def gradient_norm_vanish_explode(device: torch.device, steps: int = 60, direction: str = "both") -> dict[str, Any]:
    """Statement (slide): |dh_t/dh_{t-1}| < 1 -> 0 and |dh_t/dh_{t-1}| > 1 -> infinity over many steps
    (`direction`: both, or only the "vanish" (< 1) or the "explode" (> 1) line).

    Scalars: 0.9^60 and 1.1^60. Matrices (an RNN's hidden state is a vector): a product of Jacobians of norm
    below 1 always shrinks (norms multiply), but one of norm above 1 need not grow: the non-normal
    J = [[0.5, 1.4], [0, 0.5]] has norm 1.6 and its powers still go to 0 (spectral radius 0.5). The statement
    holds as a rule only if both directions hold for both."""
    small, large = 0.9 ** steps, 1.1 ** steps
    contracting = torch.tensor([[0.5, 0.4], [0.0, 0.4]], dtype=F64)
    non_normal = torch.tensor([[0.5, 1.4], [0.0, 0.5]], dtype=F64)
    contracting_norm = float(torch.linalg.matrix_norm(contracting, ord=2))
    non_normal_norm = float(torch.linalg.matrix_norm(non_normal, ord=2))
    contracting_power = float(torch.linalg.matrix_norm(torch.linalg.matrix_power(contracting, steps), ord=2))
    non_normal_power = float(torch.linalg.matrix_norm(torch.linalg.matrix_power(non_normal, steps), ord=2))
    radius = float(torch.linalg.eigvals(non_normal).abs().max())
    vanish, explode = small < 1e-2 and contracting_power < 1e-2, large > 1e2 and non_normal_power > 1e2
    holds = {"both": vanish and explode, "vanish": vanish, "explode": explode}[direction]
    return observe(holds, "({direction}) scalars: 0.9^{steps} = {small:.1e}, 1.1^{steps} = {large:.1e}; {steps} "
                   "steps of a Jacobian of norm {contracting_norm:.2f}: product norm {norm_below_one:.1e}; of a "
                   "Jacobian of norm {non_normal_norm:.2f} (spectral radius {radius:.1f}): product norm "
                   "{norm_above_one:.1e}",
                   direction=direction, steps=steps, small=small, large=large, contracting_norm=contracting_norm,
                   norm_below_one=contracting_power, non_normal_norm=non_normal_norm, radius=radius,
                   norm_above_one=non_normal_power)


def _tanh_rnn_gradient(weights: list[torch.Tensor], x: torch.Tensor) -> float:
    """|d h_T / d h_0| for h_t = tanh(W_t h_{t-1} + x_t)."""
    h0 = torch.zeros(weights[0].shape[0], dtype=F64, requires_grad=True)
    h = h0
    for w, x_t in zip(weights, x, strict=True):
        h = torch.tanh(w @ h + x_t)
    (grad,) = torch.autograd.grad(h.sum(), h0)
    return float(grad.norm())


def shared_weights_exacerbate(device: torch.device, steps: int = 30, hidden: int = 32,
                              trials: int = 40) -> dict[str, Any]:
    """Statement (slide): the vanishing gradient problem is exacerbated by having the same set of weights.

    Simulation: a tanh RNN over 30 steps with one recurrent matrix used at every step, against the same
    network with a fresh matrix at every step (drawn from the same distribution, each scaled to the same
    spectral radius), for spectral radii 0.5 and 0.9, 40 trials each; the medians of |d h_T / d h_0| are
    compared. The statement holds if sharing makes the gradient smaller at both radii."""
    g = torch.Generator().manual_seed(0)
    medians: dict[float, tuple[float, float]] = {}
    for radius in (0.5, 0.9):
        def draw(radius: float = radius) -> torch.Tensor:
            w = torch.randn(hidden, hidden, generator=g, dtype=F64)
            return w * (radius / torch.linalg.eigvals(w).abs().max())

        shared, untied = [], []
        for _ in range(trials):
            x = torch.randn(steps, hidden, generator=g, dtype=F64) * 0.5
            w = draw()
            shared.append(_tanh_rnn_gradient([w] * steps, x))
            untied.append(_tanh_rnn_gradient([draw() for _ in range(steps)], x))
        medians[radius] = (statistics.median(shared), statistics.median(untied))
    return observe(all(a < b for a, b in medians.values()),
                   "median |dh_{steps}/dh_0| over {trials} trials, shared weights vs a fresh matrix per step: "
                   "{by_radius}", steps=steps, trials=trials,
                   by_radius="; ".join(f"spectral radius {r}: {a:.2e} vs {b:.2e}" for r, (a, b) in medians.items()),
                   medians={str(r): {"shared": a, "untied": b} for r, (a, b) in medians.items()})


def rnn_memory_few_steps(device: torch.device, steps: int = 40, trials: int = 20) -> dict[str, Any]:
    """Statement (slide): training a recurrent network through gradient descent makes the gradient vanish or
    explode after a few time steps: the model loses memory of the past rapidly (~few steps).

    For torch's nn.RNN with its default initialisation (hidden 32, input 4), measures how much the last
    output depends on each earlier input, |d h_T / d x_{T-k}|, relative to k = 0, over 20 random sequences:
    the statement holds if it falls below 1% within 10 steps."""
    torch.manual_seed(0)
    rnn = nn.RNN(4, 32, batch_first=True).double()
    ratios = torch.zeros(steps, dtype=F64)
    for _ in range(trials):
        x = torch.randn(1, steps, 4, dtype=F64, requires_grad=True)
        out, _ = rnn(x)
        (grad,) = torch.autograd.grad(out[0, -1].sum(), x)
        norms = grad[0].norm(dim=1).flip(0)  # k = 0 is the last input
        ratios += norms / norms[0]
    ratios /= trials
    below = next((k for k in range(steps) if ratios[k] < 0.01), None)
    return observe(below is not None and below <= 10,
                   "relative |dh_T/dx_(T-k)| for k = 0, 2, 5, 10, 20: {ratios_shown}; first k below 1%: "
                   "{first_step_below_1pct}",
                   ratios_shown=", ".join(f"{float(ratios[k]):.1e}" for k in (0, 2, 5, 10, 20)),
                   first_step_below_1pct=below, ratios=ratios.tolist())


def lstm_forget_gate_memory(device: torch.device, steps: int = 50, trials: int = 20) -> dict[str, Any]:
    """Statement (slide): partial solution, LSTM: forget cells can extend memory by dropping irrelevant steps.

    Simulation: |d C_T / d C_0| of an LSTM (hidden 16) whose forget gates sit near 1 (forget bias 3) against
    |d h_T / d h_0| of a tanh RNN of the same size (default initialisation) over 50 steps, 20 random
    sequences; also the LSTM with forget bias 0 (gates near 0.5), which forgets as fast as the RNN - the
    memory is extended only when the forget gate lets it through."""
    torch.manual_seed(0)

    def lstm_norm(forget_bias: float) -> float:
        lstm = nn.LSTM(8, 16, batch_first=True).double()
        with torch.no_grad():
            lstm.bias_ih_l0[16:32].fill_(forget_bias)
            lstm.bias_hh_l0[16:32].fill_(0.0)
        norms = []
        for _ in range(trials):
            c0 = torch.zeros(1, 1, 16, dtype=F64, requires_grad=True)
            _, (_, c) = lstm(torch.randn(1, steps, 8, dtype=F64), (torch.zeros(1, 1, 16, dtype=F64), c0))
            (grad,) = torch.autograd.grad(c.sum(), c0)
            norms.append(float(grad.norm()))
        return statistics.median(norms)

    rnn = nn.RNN(8, 16, batch_first=True).double()
    rnn_norms = []
    for _ in range(trials):
        h0 = torch.zeros(1, 1, 16, dtype=F64, requires_grad=True)
        _, h = rnn(torch.randn(1, steps, 8, dtype=F64), h0)
        (grad,) = torch.autograd.grad(h.sum(), h0)
        rnn_norms.append(float(grad.norm()))
    rnn_norm, open_gate, half_gate = statistics.median(rnn_norms), lstm_norm(3.0), lstm_norm(0.0)
    return observe(open_gate > 1e3 * rnn_norm and open_gate > 1e-2,
                   "median gradient through {steps} steps: LSTM with forget bias 3 {lstm_forget_open:.2e}, with "
                   "forget bias 0 {lstm_forget_bias_0:.2e}, tanh RNN {rnn:.2e}", steps=steps,
                   lstm_forget_open=open_gate, lstm_forget_bias_0=half_gate, rnn=rnn_norm)


def softmax_gradient_vs_dimension(device: torch.device, trials: int = 500) -> dict[str, Any]:
    """Statement (slide): dot products of large dimension d have large magnitudes, which give very small
    gradients through the softmax; scaling by 1/sqrt(d) prevents it.

    For random unit-variance queries and 10 keys, the Frobenius norm of the softmax Jacobian (its gradient)
    averaged over 500 rows, unscaled and scaled, for d = 16, 64, 256, 1024: the statement holds if the
    unscaled gradient shrinks at every step up in d while the scaled one stays within 10%."""
    g = torch.Generator().manual_seed(0)
    rows = []
    for d in (16, 64, 256, 1024):
        q = torch.randn(trials, 1, d, generator=g, dtype=F64)
        k = torch.randn(trials, 10, d, generator=g, dtype=F64)
        scores = (q @ k.transpose(1, 2)).squeeze(1)
        norms = {}
        for name, values in (("raw", scores), ("scaled", scores / math.sqrt(d))):
            p = torch.softmax(values, dim=-1)
            jacobian = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
            norms[name] = float(torch.linalg.matrix_norm(jacobian).mean())
        rows.append({"d": d, "mean_abs_score": float(scores.abs().mean()), **norms})
    shrinking = all(b["raw"] < a["raw"] for a, b in itertools.pairwise(rows))
    steady = max(r["scaled"] for r in rows) < 1.1 * min(r["scaled"] for r in rows)
    holds = shrinking and steady and rows[-1]["raw"] < rows[-1]["scaled"]
    return observe(holds, "{table}", rows=rows,
                   table="; ".join(f"d={r['d']}: mean |q.k| {r['mean_abs_score']:.1f}, softmax gradient norm "
                                   f"{r['raw']:.3f} unscaled vs {r['scaled']:.3f} scaled" for r in rows))


def transformer_attention_inputs(device: torch.device, which: str = "cross") -> dict[str, Any]:
    """Statements (slides): encoder attention takes Q, K and V from the input sequence; decoder attention
    from the output sequence; encoder-decoder attention takes Q from the decoder's masked attention and K
    and V from the encoder's hidden states (`which`: encoder, decoder or cross).

    Records what torch's nn.Transformer feeds its attention modules (forward pre-hooks) and compares it with
    the stated sources: the encoder layer's input, the decoder layer's input, or the output of the decoder's
    masked self-attention block and the encoder's output."""
    torch.manual_seed(0)
    model = nn.Transformer(d_model=16, nhead=4, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32,
                           dropout=0.0, batch_first=True).double().eval()
    src, tgt = torch.randn(1, 7, 16, dtype=F64), torch.randn(1, 5, 16, dtype=F64)
    seen: dict[str, tuple[torch.Tensor, ...]] = {}
    encoder_layer, decoder_layer = model.encoder.layers[0], model.decoder.layers[0]

    def record(name: str) -> Any:
        def hook(module: nn.Module, args: tuple[torch.Tensor, ...], kwargs: dict[str, Any]) -> None:
            seen[name] = tuple(a.detach() for a in args[:3])
        return hook

    encoder_layer.self_attn.register_forward_pre_hook(record("encoder"), with_kwargs=True)
    decoder_layer.self_attn.register_forward_pre_hook(record("decoder"), with_kwargs=True)
    decoder_layer.multihead_attn.register_forward_pre_hook(record("cross"), with_kwargs=True)
    mask = nn.Transformer.generate_square_subsequent_mask(5, dtype=F64)
    with torch.no_grad():
        memory = model.encoder(src)
        model.decoder(tgt, memory, tgt_mask=mask, tgt_is_causal=True)
        masked, _ = decoder_layer.self_attn(tgt, tgt, tgt, attn_mask=mask, need_weights=False)
        after_masked = decoder_layer.norm1(tgt + masked)  # post-norm layer, dropout 0: x = norm1(x + SA(x))

    def same(a: torch.Tensor, b: torch.Tensor) -> bool:
        return a.shape == b.shape and bool(torch.allclose(a, b, atol=1e-12))

    q, k, v = seen[which]
    if which == "encoder":
        checks = {"Q = input": same(q, src), "K = input": same(k, src), "V = input": same(v, src)}
    elif which == "decoder":
        checks = {"Q = output seq": same(q, tgt), "K = output seq": same(k, tgt), "V = output seq": same(v, tgt)}
    else:
        checks = {"Q = masked attention output": same(q, after_masked), "K = encoder states": same(k, memory),
                  "V = encoder states": same(v, memory)}
    return observe(all(checks.values()), "{which} attention in nn.Transformer: {shown}", which=which,
                   shown=", ".join(f"{k_}: {v_}" for k_, v_ in checks.items()), checks=checks)


def categorical_loss_with_sigmoid(device: torch.device, steps: int = 300) -> dict[str, Any]:
    """Statement (slides' loss table): for multiclass classification, categorical cross-entropy (and the
    Kullback-Leibler divergence) go with a sigmoid activation on the N output nodes.

    Trains the same linear classifier (4 Gaussian classes in 5-D, Adam, 300 steps) three ways: sigmoid outputs
    with the slide's cross-entropy -sum y log p; sigmoid outputs renormalised to sum to 1 first (what Keras'
    categorical_crossentropy does inside); softmax outputs. Reports the accuracy, the loss and the mean sum of
    the N outputs. The pairing holds if the sigmoid outputs, as the loss sees them, train as well as softmax
    and form a probability distribution."""
    g = torch.Generator().manual_seed(0)
    n, classes, d = 600, 4, 5
    centres = torch.randn(classes, d, generator=g, dtype=F64) * 2
    labels = torch.randint(0, classes, (n,), generator=g)
    x = centres[labels] + torch.randn(n, d, generator=g, dtype=F64)
    one_hot = nn.functional.one_hot(labels, classes).double()

    def train(softmax: bool, renormalise: bool) -> dict[str, float]:
        torch.manual_seed(1)
        model = nn.Linear(d, classes).double()
        optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
        loss = torch.tensor(0.0)
        for _ in range(steps):
            logits = model(x)
            p = torch.softmax(logits, dim=1) if softmax else torch.sigmoid(logits)
            if renormalise:
                p = p / p.sum(dim=1, keepdim=True)
            loss = -(one_hot * torch.log(p.clamp(1e-7, 1 - 1e-7))).sum(dim=1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            logits = model(x)
            out = torch.softmax(logits, dim=1) if softmax else torch.sigmoid(logits)
        return {"accuracy": float((out.argmax(dim=1) == labels).double().mean()), "loss": float(loss.detach()),
                "output_sum": float(out.sum(dim=1).mean())}

    runs = {"sigmoid": train(False, False), "sigmoid renormalised (Keras)": train(False, True),
            "softmax": train(True, False)}
    sigmoid, softmax = runs["sigmoid"], runs["softmax"]
    holds = sigmoid["accuracy"] >= softmax["accuracy"] - 0.01 and abs(sigmoid["output_sum"] - 1) < 0.05
    return observe(holds, "{table}", runs=runs,
                   table="; ".join(f"{name}: accuracy {r['accuracy']:.1%}, loss {r['loss']:.4f}, outputs sum to "
                                   f"{r['output_sum']:.2f}" for name, r in runs.items()))


def lstm_input_axes(device: torch.device, axis: str = "batch") -> dict[str, Any]:
    """Statements (slide "LSTM: how to actually run it"): batch size is how many sequences you pass at once,
    timeseries how many time stamps in a sequence, features how many measurements per time stamp.

    Runs torch's nn.LSTM (batch_first, the Keras layout (batch, timesteps, features)) on a (3, 7, 2) input
    and measures what each axis is: `batch`: changing one sequence changes only that sequence's outputs (the
    sequences are independent, passed at once); `timeseries`: the recurrence runs along the axis (output t
    depends on inputs up to t and not after); `features`: the axis must equal the layer's input_size (the
    measurements the cell reads at one time stamp)."""
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size=2, hidden_size=4, batch_first=True).double()
    x = torch.randn(3, 7, 2, dtype=torch.float64)
    with torch.no_grad():
        out = lstm(x)[0]
    if axis == "batch":
        changed = x.clone()
        changed[1] += 1.0
        with torch.no_grad():
            moved = (lstm(changed)[0] - out).abs().amax(dim=(1, 2))
        holds = bool(moved[1] > 1e-6 and moved[0] < 1e-12 and moved[2] < 1e-12)
        return observe(holds, "changing sequence 1 of 3 moves the outputs of sequences 0, 1, 2 by {moved}",
                       moved=[float(m) for m in moved])
    if axis == "timeseries":
        changed = x.clone()
        changed[:, 4] += 1.0
        with torch.no_grad():
            moved = (lstm(changed)[0] - out).abs().amax(dim=(0, 2))
        holds = bool((moved[:4] < 1e-12).all() and (moved[4:] > 1e-9).all())
        return observe(holds, "changing time stamp 4 of 7 moves the outputs at time stamps 0..6 by {moved}",
                       moved=[float(f"{m:.2e}") for m in moved])
    accepted = {}
    for size in (1, 2, 3):
        try:
            with torch.no_grad():
                lstm(torch.randn(3, 7, size, dtype=torch.float64))
            accepted[size] = True
        except RuntimeError:
            accepted[size] = False
    holds = accepted == {1: False, 2: True, 3: False}
    return observe(holds, "an LSTM with input_size 2 accepts a last axis of size 1, 2, 3: {accepted}",
                   accepted=[accepted[s] for s in (1, 2, 3)])


def qkv_projection_dimensions(device: torch.device, embed_dim: int = 512, heads: int = 8) -> dict[str, Any]:
    """Statement (slides): attention projects the embedding into key, value and query, lower dimensional
    representations.

    Builds torch's nn.MultiheadAttention(512, 8) (the paper's d_model and h) and reads the projections each
    head applies: the rows of in_proj_weight for Q, K, V, split over the heads. Holds if each head's query,
    key and value have fewer dimensions than the embedding."""
    module = nn.MultiheadAttention(embed_dim, heads)
    q_w, k_w, v_w = module.in_proj_weight.chunk(3)
    per_head = {name: (w.shape[0] // heads, w.shape[1]) for name, w in (("query", q_w), ("key", k_w), ("value", v_w))}
    holds = all(rows < cols for rows, cols in per_head.values())
    return observe(holds, "nn.MultiheadAttention({embed_dim}, {heads}): each head projects the {embed_dim}-d "
                   "embedding to query {q}, key {k}, value {v} dimensions", embed_dim=embed_dim, heads=heads,
                   q=per_head["query"][0], k=per_head["key"][0], v=per_head["value"][0])


def attention_table_shape(device: torch.device, sentence: str, keys: int, values: int) -> dict[str, Any]:
    """Worked example (slides): a table of attention scores of keys k1..k`keys` against values
    v1..v`values` drawn for a sentence. In self-attention every token is a query, a key and a value, so the
    table of one sentence is square, one row and one column per token. Counts the sentence's words (one
    token per word, as the table labels them) and compares them with the table's rows and columns."""
    tokens = sentence.split()
    holds = keys == values == len(tokens)
    return observe(holds, "\"{sentence}\": {tokens} tokens; the table has {keys} key rows and {values} value "
                   "columns", sentence=sentence, tokens=len(tokens), keys=keys, values=values)


def regression_loss_with_linear_output(device: torch.device, loss: str = "mean_squared_error",
                                       activation: str = "linear", steps: int = 1000) -> dict[str, Any]:
    """Statement (slides' loss table): for regression, the loss (mean squared, mean absolute or mean squared
    logarithmic error) goes with a linear activation on one output node.

    Fits y = 3 x1 - 2 x2 + 5 + noise (positive targets, up to about 15) with one output node under the named
    loss, Adam for `steps` steps, with the stated activation on the node and, for comparison, a sigmoid (whose
    output cannot exceed 1). Reports R^2 of each fit; the pairing holds if the stated activation fits with
    R^2 > 0.95."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(500, 2, generator=g, dtype=F64) * 2
    y = 3 * x[:, 0] - 2 * x[:, 1] + 5 + 0.1 * torch.randn(500, generator=g, dtype=F64)
    losses = {"mean_squared_error": lambda p, t: ((p - t) ** 2).mean(),
              "mean_absolute_error": lambda p, t: (p - t).abs().mean(),
              "mean_squared_logarithmic_error": lambda p, t: ((torch.log1p(p.clamp_min(-0.999))
                                                                - torch.log1p(t)) ** 2).mean()}
    squash = {"linear": lambda z: z, "sigmoid": torch.sigmoid, "relu": torch.relu}

    def fit(name: str) -> float:
        torch.manual_seed(0)
        node = nn.Linear(2, 1).double()
        optimiser = torch.optim.Adam(node.parameters(), lr=0.1)
        for _ in range(steps):
            optimiser.zero_grad()
            losses[loss](squash[name](node(x)[:, 0]), y).backward()
            optimiser.step()
        with torch.no_grad():
            p = squash[name](node(x)[:, 0])
        return float(1 - ((p - y) ** 2).sum() / ((y - y.mean()) ** 2).sum())

    stated, sigmoid = fit(activation), fit("sigmoid")
    return observe(stated > 0.95, "{loss} on one node, R^2 of the fit: {activation} {stated_r2:.3f}, sigmoid "
                   "{sigmoid_r2:.3f}", loss=loss, activation=activation, stated_r2=stated, sigmoid_r2=sigmoid)
