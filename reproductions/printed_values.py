"""Single printed values of the chat's logs, each checked as its own comparison: the value the code's own
expression computes, judged at the printed precision (half a unit of the last printed digit)."""

from __future__ import annotations

import math
from typing import Any

import torch

from reproductions.attention_training import scipy_misc_derivative_float32
from verifier.mathcheck.observation import observe


def _at_precision(printed: str, value: float) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10.0**-decimals + 1e-12


def true_derivative_value(device: torch.device, printed: str, x0: float = 1.0, dx: float = 1e-6) -> dict[str, Any]:
    """`true_value = scipy.misc.derivative(f, x0, dx=1e-6)` with `f = tf.math.sin`, printed with 4 decimals.

    TensorFlow evaluates sin in float32, so x0 +- dx are rounded to float32 before the central difference;
    the value the expression gives is compared with the printed one (cos(x0), the exact derivative, is shown
    beside it)."""
    computed = scipy_misc_derivative_float32(torch.sin, x0, dx)
    exact = math.cos(x0)
    return observe(_at_precision(printed, computed), "the code's expression gives {computed:.4f} (float32 central "
                   "difference, dx={dx}); printed {printed}; the exact derivative cos({x0}) is {exact:.4f}",
                   computed=computed, dx=dx, printed=printed, x0=x0, exact=exact)


def true_integral_value(device: torch.device, printed: str, a: float = 0.0, b: float = 3.14159) -> dict[str, Any]:
    """`true_value = scipy.integrate.quad(f, a, b)[0]` with f = sin, printed with 4 decimals."""
    import scipy.integrate

    computed = scipy.integrate.quad(math.sin, a, b)[0]
    return observe(_at_precision(printed, computed), "quad of sin over [{a}, {b}] gives {computed:.6f}; printed "
                   "{printed}", a=a, b=b, computed=computed, printed=printed)


#: the chat's training snippets, by the name a claim gives them, and their faithful ports
_PORTS = ("torch_multihead_quadrature", "keras_attention_quadrature", "keras_attention_derivative",
          "keras_multihead_derivative", "keras_transformer_blocks_derivative")


def _run_port(name: str, device: torch.device, seed: int, epochs: int = 100) -> tuple[list[float], float]:
    """The per-epoch outputs and the true value of one port, run with one seed; its prints are dropped (the
    log the port prints is what the code claim compares; here single values are)."""
    import contextlib
    import io

    from reproductions import attention_training

    if name not in _PORTS:
        raise ValueError(f"unknown snippet port {name!r} (one of {', '.join(_PORTS)})")
    torch.manual_seed(seed)
    with contextlib.redirect_stdout(io.StringIO()):
        result = getattr(attention_training, name)(device, epochs=epochs)
    return [float(v) for v in result["outputs"]], float(result["true_value"])


def log_line(device: torch.device, ports: list[str], epoch: int | None = None, loss: str | None = None,
             output: str | None = None, seeds: list[int] | None = None) -> dict[str, Any]:
    """One line of a printed training log ("Epoch 20, Loss 0.0001, Output 2.0005", or "Final output: 2.0001"
    with `epoch` None), each claimed value judged on its own at its printed precision.

    The snippet's loop prints `Epoch e, Loss l, Output z` for e = 0, 10, ..., 90, where the loss is the squared
    error of that epoch's output against the true value (Keras' MeanSquaredError of two scalars, torch's
    MSELoss of one element), and `Final output` is the last epoch's output. Each named port (the faithful torch
    port of the snippet, `reproductions/attention_training.py`) is run with every seed (the snippets draw
    their keys at random); the line is reproduced by a port when one seed gives every stated value of it, and
    the claim holds when every port that prints the line reproduces it. The nearest seed's values are shown."""
    seeds = seeds if seeds is not None else [0, 1, 2, 3, 4]
    stated = {"loss": loss, "output": output}
    shown, reproduced = [], []
    for port in ports:
        best: tuple[int, float, dict[str, float]] | None = None
        for seed in seeds:
            # a line of epoch e needs only the first e + 1 epochs (the run is the same up to there)
            outputs, true_value = _run_port(port, device, seed, epochs=100 if epoch is None else epoch + 1)
            at = outputs[epoch] if epoch is not None else outputs[-1]
            values = {"loss": (at - true_value) ** 2, "output": at}
            agree = sum(_at_precision(text, values[key]) for key, text in stated.items() if text is not None)
            misses = sum(text is not None for text in stated.values()) - agree
            distance = sum(abs(values[key] - float(text)) for key, text in stated.items() if text is not None)
            if best is None or (misses, distance) < (best[0], best[1]):
                best = (misses, distance, {**values, "seed": seed})
        assert best is not None
        reproduced.append(best[0] == 0)
        values = best[2]
        parts = [f"{key} {values[key]:.4f} (printed {text})" for key, text in stated.items() if text is not None]
        shown.append(f"{port} seed {int(values['seed'])}: " + ", ".join(parts))
    where = f"epoch {epoch}" if epoch is not None else "the final output"
    return observe(all(reproduced), "{where}, nearest of {seed_count} seeds per port: {shown}", where=where,
                   seed_count=len(seeds), shown="; ".join(shown), ports=ports, reproduced=reproduced)
