"""Checks of the lecture's classification-metric slides: definitions on confusion matrices, and whether
the worked numbers of the class-imbalance example can all hold at once."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import torch


def f_beta_weights_recall(device: torch.device) -> dict[str, Any]:
    """Statement (slide): beta says how much more important recall is than precision; beta = 2 weighs recall
    twice; the standard F-score is beta = 1.

    F_beta = (1 + b^2) P R / (b^2 P + R): checks that F_1 is the harmonic mean of P and R, and that with
    beta = 2 the score gains more from recall than from precision (partial derivatives at P = R), as much
    as Van Rijsbergen's definition says (the ratio of the derivatives is beta^2 at P = R)."""
    p, r = torch.tensor(0.6, dtype=torch.float64, requires_grad=True), torch.tensor(0.6, dtype=torch.float64,
                                                                                      requires_grad=True)

    def f(beta: float) -> torch.Tensor:
        return (1 + beta**2) * p * r / (beta**2 * p + r)

    harmonic = float(2 * 0.6 * 0.6 / 1.2)
    f1 = float(f(1.0).detach())
    dp, dr = torch.autograd.grad(f(2.0), [p, r])
    ratio = float(dr / dp)
    return {"holds": abs(f1 - harmonic) < 1e-12 and abs(ratio - 4.0) < 1e-9,
            "explanation": f"F_1 = {f1:.4f} = harmonic mean {harmonic:.4f}; at beta = 2, dF/dR / dF/dP = {ratio:.2f} "
                           "(recall counts beta^2 = 4 times as much at P = R)",
            "measured": {"f1": f1, "derivative_ratio_beta2": ratio}}


def _random_labels(n: int = 400, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    truth = (torch.rand(n, generator=g) < 0.3).long()
    score = torch.rand(n, generator=g) * 0.7 + truth * 0.3 * torch.rand(n, generator=g)
    return truth, score, (score > 0.5).long()


def roc_threshold(device: torch.device) -> dict[str, Any]:
    """Statement (slides): with class = i if p_i > t, moving along the ROC curve is changing the threshold t.

    Sweeps t over every distinct score of 400 random predictions: each t gives one (FPR, TPR) point, both
    fall monotonically as t rises from 0 to 1 (from (1, 1) to (0, 0)), and the area under the swept curve
    equals the probability that a random positive scores above a random negative (Mann-Whitney), computed
    independently from all positive/negative pairs."""
    truth, score, _ = _random_labels()
    thresholds = torch.cat([torch.tensor([-1.0]), torch.unique(score)])
    points = []
    for t in thresholds:
        flagged = score > t
        points.append((float(flagged[truth == 0].double().mean()), float(flagged[truth == 1].double().mean())))
    monotone = all(a[0] >= b[0] and a[1] >= b[1] for a, b in pairwise(points))
    curve = sorted(points)
    auc = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in pairwise(curve))
    pos, neg = score[truth == 1], score[truth == 0]
    pairs = (pos[:, None] > neg[None, :]).double().mean() + 0.5 * (pos[:, None] == neg[None, :]).double().mean()
    ends = points[0] == (1.0, 1.0) and points[-1] == (0.0, 0.0)
    return {"holds": monotone and ends and abs(auc - float(pairs)) < 1e-9,
            "explanation": f"{len(points)} thresholds give {len(set(points))} ROC points, monotone: {monotone}, "
                           f"from {points[0]} to {points[-1]}; area {auc:.6f} = P(positive > negative) "
                           f"{float(pairs):.6f}",
            "measured": {"auc": auc, "mann_whitney": float(pairs), "points": len(points)}}
