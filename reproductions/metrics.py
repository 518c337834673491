"""Checks of the lecture's classification-metric slides: definitions on confusion matrices, and whether
the worked numbers of the class-imbalance example can all hold at once."""

from __future__ import annotations

from itertools import pairwise, product
from typing import Any

import torch


def _rates(tp: int, fp: int, fn: int, tn: int) -> dict[str, float | None]:
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    return {"accuracy": ratio(tp + tn, tp + fp + fn + tn), "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn), "sensitivity": ratio(tp, tp + fn), "specificity": ratio(tn, tn + fp),
            "fpr": ratio(fp, fp + tn)}


def specificity_definition(device: torch.device) -> dict[str, Any]:
    """Statement (slide): "Specificity = TP / All Negative Labels = 1 - FPR".

    On every confusion matrix with counts 0..6, compares TP / negatives with 1 - FPR (= TN / negatives, the
    standard specificity): the statement holds only if the two always agree."""
    disagree = 0
    total = 0
    example = None
    for tp, fp, fn, tn in product(range(7), repeat=4):
        if fp + tn == 0:
            continue
        total += 1
        stated = tp / (fp + tn)
        standard = 1 - fp / (fp + tn)
        if abs(stated - standard) > 1e-12:
            disagree += 1
            example = example or {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "tp_over_negatives": stated,
                                  "one_minus_fpr": standard}
    return {"holds": disagree == 0,
            "explanation": f"TP / negatives differs from 1 - FPR on {disagree} of {total} confusion matrices (e.g. "
                           f"{example}); specificity is TN / negatives = 1 - FPR",
            "measured": {"disagreements": disagree, "matrices": total, "example": example}}


def sensitivity_is_recall(device: torch.device) -> dict[str, Any]:
    """Statement (slide): "Sensitivity = TPR = Recall" (TPR = TP / all positive labels). Compared on every
    confusion matrix with counts 0..6."""
    mismatches = sum(1 for tp, fp, fn, tn in product(range(7), repeat=4)
                     if tp + fn and abs(tp / (tp + fn) - _rates(tp, fp, fn, tn)["recall"]) > 1e-12)  # type: ignore[operator]
    return {"holds": mismatches == 0,
            "explanation": f"TP / (TP + FN) equals recall on every matrix ({mismatches} mismatches)",
            "measured": {"mismatches": mismatches}}


def worked_metrics_consistent(device: torch.device, accuracy: float = 0.5, precision: float = 0.8,
                              recall: float = 0.5, specificity: float = 0.5, sensitivity: float = 0.5,
                              largest: int = 20) -> dict[str, Any]:
    """Statement (slides): a classifier on an imbalanced set has these five values at once.

    Searches every confusion matrix with counts 0..`largest` for one that gives exactly the stated accuracy,
    precision, recall, specificity and sensitivity; reports the smallest found and how many exist."""
    wanted = {"accuracy": accuracy, "precision": precision, "recall": recall, "specificity": specificity,
              "sensitivity": sensitivity}
    found = []
    for tp, fp, fn, tn in product(range(largest + 1), repeat=4):
        rates = _rates(tp, fp, fn, tn)
        if all(rates[k] is not None and abs(rates[k] - v) < 1e-9 for k, v in wanted.items()):  # type: ignore[operator]
            found.append((tp + fp + fn + tn, {"tp": tp, "fp": fp, "fn": fn, "tn": tn}))
    found.sort(key=lambda pair: pair[0])
    smallest = found[0][1] if found else None
    return {"holds": bool(found),
            "explanation": (f"{len(found)} confusion matrices with counts up to {largest} give exactly these values; "
                            f"the smallest: {smallest}" if found else
                            f"no confusion matrix with counts up to {largest} gives these values together"),
            "measured": {"matches": len(found), "smallest": smallest}}


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


def metric_formulas(device: torch.device) -> dict[str, Any]:
    """Statements (slides): precision = TP / (TP + FP), recall = TP / (TP + FN), accuracy = (TP + TN) / all;
    TPR = TP / all positive labels, FPR = FP / all negative labels.

    Evaluates the formulas on the counts of 400 random predictions and compares each with what the metric
    means, computed from the labels directly: the share of predicted positives that are positive, of
    positives that are found, of all predictions that are right, of negatives flagged positive."""
    truth, _, predicted = _random_labels()
    tp = int(((predicted == 1) & (truth == 1)).sum())
    fp = int(((predicted == 1) & (truth == 0)).sum())
    fn = int(((predicted == 0) & (truth == 1)).sum())
    tn = int(((predicted == 0) & (truth == 0)).sum())
    by_formula = {"precision": tp / (tp + fp), "recall": tp / (tp + fn), "accuracy": (tp + tn) / (tp + tn + fp + fn),
                  "tpr": tp / int((truth == 1).sum()), "fpr": fp / int((truth == 0).sum())}
    by_meaning = {"precision": float(truth[predicted == 1].double().mean()),
                  "recall": float(predicted[truth == 1].double().mean()),
                  "accuracy": float((predicted == truth).double().mean()),
                  "tpr": float(predicted[truth == 1].double().mean()),
                  "fpr": float(predicted[truth == 0].double().mean())}
    errors = {k: abs(by_formula[k] - by_meaning[k]) for k in by_formula}
    return {"holds": max(errors.values()) < 1e-12,
            "explanation": f"on TP={tp}, FP={fp}, FN={fn}, TN={tn}: " + ", ".join(
                f"{k} {by_formula[k]:.4f} (meaning {by_meaning[k]:.4f})" for k in by_formula),
            "measured": {"formula": by_formula, "meaning": by_meaning}}


def fn_legend(device: torch.device) -> dict[str, Any]:
    """Statement (slide legend): "FN=False Positive".

    If FN were the false positives, the slide's own recall TP / (TP + FN) would be TP / (TP + FP), the
    precision, and would differ from the TPR the next slide defines (TP / all positive labels). Measured on
    400 random predictions: the statement holds only if reading FN as false positives keeps recall = TPR."""
    truth, _, predicted = _random_labels()
    tp = int(((predicted == 1) & (truth == 1)).sum())
    false_positives = int(((predicted == 1) & (truth == 0)).sum())
    false_negatives = int(((predicted == 0) & (truth == 1)).sum())
    tpr = tp / int((truth == 1).sum())
    recall_as_legend = tp / (tp + false_positives)
    recall_standard = tp / (tp + false_negatives)
    holds = abs(recall_as_legend - tpr) < 1e-12
    return {"holds": holds,
            "explanation": f"with FN = false positives ({false_positives}) recall would be {recall_as_legend:.4f}, "
                           f"which is the precision; TPR = TP / positives = {tpr:.4f} = TP / (TP + false negatives "
                           f"{false_negatives}) = {recall_standard:.4f}: FN are the false negatives",
            "measured": {"recall_legend": recall_as_legend, "tpr": tpr, "recall_standard": recall_standard}}


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
