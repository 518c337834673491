"""Checks of the lecture's classification-metric slides: definitions on confusion matrices, and whether
the worked numbers of the class-imbalance example can all hold at once."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import torch

from verifier.mathcheck.observation import observe


def f_beta_weights_recall(device: torch.device, beta: float = 2.0, weight: float = 2.0) -> dict[str, Any]:
    """Statement (slide): "if we consider recall to be twice as important as precision, we can set beta to 2.
    The standard F-score is equivalent to setting beta to one."

    F_beta = (1 + b^2) P R / (b^2 P + R). Van Rijsbergen's meaning of "recall `weight` times as important": at
    R = weight * P the score gains as much from a little more precision as from a little more recall
    (dF/dP = dF/dR). Autograd measures both partials at R = weight * P with the stated beta, on several P;
    and F_1 against the harmonic mean of P and R. It holds if the partials agree and F_1 is the harmonic mean."""
    gaps, harmonic_errors = [], []
    for p_value in (0.1, 0.2, 0.3, 0.4):
        p = torch.tensor(p_value, dtype=torch.float64, requires_grad=True)
        r = torch.tensor(weight * p_value, dtype=torch.float64, requires_grad=True)
        score = (1 + beta**2) * p * r / (beta**2 * p + r)
        dp, dr = torch.autograd.grad(score, [p, r])
        gaps.append(abs(float(dp - dr)))
        f1 = float((2 * p * r / (p + r)).detach())
        harmonic_errors.append(abs(f1 - 2 / (1 / p_value + 1 / (weight * p_value))))
    return observe(max(gaps) < 1e-12 and max(harmonic_errors) < 1e-12,
                   "beta {beta:g}, recall {weight:g} times precision: largest |dF/dP - dF/dR| {gap:.2e} over 4 "
                   "points; F_1 vs the harmonic mean: {harmonic:.1e}", beta=beta, weight=weight, gap=max(gaps),
                   harmonic=max(harmonic_errors))


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
    return observe(monotone and ends and abs(auc - float(pairs)) < 1e-9,
                   "{thresholds} thresholds give {distinct} ROC points, monotone: {monotone}, from {first} to "
                   "{last}; area under the swept curve {auc:.6f}, P(positive > negative) {mann_whitney:.6f}",
                   thresholds=len(points), distinct=len(set(points)), monotone=monotone, first=points[0],
                   last=points[-1], auc=auc, mann_whitney=float(pairs))
