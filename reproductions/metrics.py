"""Checks of the lecture's classification-metric slides: definitions on confusion matrices, and whether
the worked numbers of the class-imbalance example can all hold at once."""

from __future__ import annotations

from itertools import product
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
