"""Checks of the chat's statements about Butcher trees, Runge-Kutta order conditions and Cayley trees."""

from __future__ import annotations

import math
import random
from fractions import Fraction
from functools import cache
from itertools import combinations_with_replacement
from typing import Any

import torch

from verifier.mathcheck.observation import observe

Tree = tuple["Tree", ...]  # a rooted tree is the sorted tuple of its children's subtrees


@cache
def rooted_trees(order: int) -> tuple[Tree, ...]:
    """All rooted trees with `order` nodes (unlabelled, up to isomorphism)."""
    if order == 1:
        return ((),)
    found: set[Tree] = set()
    for partition in _partitions(order - 1):
        pools = [rooted_trees(size) for size in partition]
        for choice in _choices(pools, partition):
            found.add(tuple(sorted(choice)))
    return tuple(sorted(found))


def _partitions(n: int, largest: int | None = None) -> list[tuple[int, ...]]:
    largest = largest or n
    if n == 0:
        return [()]
    return [(k, *rest) for k in range(min(n, largest), 0, -1) for rest in _partitions(n - k, k)]


def _choices(pools: list[tuple[Tree, ...]], partition: tuple[int, ...]) -> list[tuple[Tree, ...]]:
    groups: dict[int, int] = {}
    for size in partition:
        groups[size] = groups.get(size, 0) + 1
    result: list[tuple[Tree, ...]] = [()]
    for size, count in groups.items():
        result = [r + c for r in result for c in combinations_with_replacement(rooted_trees(size), count)]
    return result


def _order(tree: Tree) -> int:
    return 1 + sum(_order(child) for child in tree)


def _density(tree: Tree) -> int:
    """gamma(t): the tree factorial."""
    product = _order(tree)
    for child in tree:
        product *= _density(child)
    return product


def _phi(tree: Tree, a: list[list[Fraction]], b: list[Fraction]) -> Fraction:
    """The elementary weight sum_i b_i Phi_i(t) of a Runge-Kutta tableau."""
    def inner(t: Tree) -> list[Fraction]:
        values = [Fraction(1)] * len(b)
        for child in t:
            child_values = inner(child)
            values = [values[i] * sum(a[i][j] * child_values[j] for j in range(len(b))) for i in range(len(b))]
        return values
    return sum((bi * vi for bi, vi in zip(b, inner(tree), strict=True)), Fraction(0))


#: explicit Runge-Kutta tableaux (A strictly lower triangular, c = row sums of A), as exact fractions.
#: The last ones are deliberately broken: each keeps b summing to 1 (consistent) but violates one tree
#: condition, so a rule other than the trees' (stage count, quadrature conditions only) predicts wrongly.
_TABLEAUX: dict[str, tuple[list[list[str]], list[str]]] = {
    "Euler": ([["0"]], ["1"]),
    "explicit midpoint": ([["0", "0"], ["1/2", "0"]], ["0", "1"]),
    "Heun": ([["0", "0"], ["1", "0"]], ["1/2", "1/2"]),
    "Ralston": ([["0", "0"], ["2/3", "0"]], ["1/4", "3/4"]),
    "Kutta 3": ([["0", "0", "0"], ["1/2", "0", "0"], ["-1", "2", "0"]], ["1/6", "2/3", "1/6"]),
    "Heun 3": ([["0", "0", "0"], ["1/3", "0", "0"], ["0", "2/3", "0"]], ["1/4", "0", "3/4"]),
    "RK4": ([["0", "0", "0", "0"], ["1/2", "0", "0", "0"], ["0", "1/2", "0", "0"], ["0", "0", "1", "0"]],
            ["1/6", "1/3", "1/3", "1/6"]),
    "3/8 rule": ([["0", "0", "0", "0"], ["1/3", "0", "0", "0"], ["-1/3", "1", "0", "0"], ["1", "-1", "1", "0"]],
                 ["1/8", "3/8", "3/8", "1/8"]),
    # Kutta 3 with a31, a32 moved (row sum kept): Simpson weights still satisfy every quadrature (bushy)
    # condition up to order 4, but the tall tree's sum b_i a_ij c_j = 1/6 fails
    "Kutta 3 perturbed a3": ([["0", "0", "0"], ["1/2", "0", "0"], ["0", "1", "0"]], ["1/6", "2/3", "1/6"]),
    # RK4 with a32 = 1/2 + 1/10, a31 = -1/10 (row sum kept)
    "RK4 perturbed a32": ([["0", "0", "0", "0"], ["1/2", "0", "0", "0"], ["-1/10", "3/5", "0", "0"],
                           ["0", "0", "1", "0"]], ["1/6", "1/3", "1/3", "1/6"]),
    # RK4 with a42 = 1/5, a43 = 4/5 (row sum kept): every condition of order <= 3 still holds (the 4th
    # entry of A c stays 1/2), the tall tree of order 4 (b A A c = 1/24) fails
    "RK4 perturbed a42": ([["0", "0", "0", "0"], ["1/2", "0", "0", "0"], ["0", "1/2", "0", "0"],
                           ["0", "1/5", "4/5", "0"]], ["1/6", "1/3", "1/3", "1/6"]),
    # RK4 with weights moved between stages 2 and 3 (sum and b.c kept)
    "RK4 perturbed b": ([["0", "0", "0", "0"], ["1/2", "0", "0", "0"], ["0", "1/2", "0", "0"], ["0", "0", "1", "0"]],
                        ["1/6", "2/5", "4/15", "1/6"]),
    "Heun with b = (1/4, 3/4)": ([["0", "0"], ["1", "0"]], ["1/4", "3/4"]),
}


def _random_tableaux(rng: random.Random, count: int) -> dict[str, tuple[list[list[Fraction]], list[Fraction]]]:
    """Random explicit tableaux: members of the two-parameter 3-stage family of order 3 (c2, c3 drawn;
    b and a32 solved from the order conditions, Butcher 2016 sec. 322) and generic consistent 3-stage
    tableaux (every entry drawn, b scaled to sum 1), as exact fractions."""
    found: dict[str, tuple[list[list[Fraction]], list[Fraction]]] = {}
    while len(found) < count:
        c2, c3 = Fraction(rng.randint(1, 9), 10), Fraction(rng.randint(1, 9), 10)
        if c2 == c3 or c2 == Fraction(2, 3) or c3 == 0:
            continue
        b3 = (Fraction(1, 3) - c2 / 2) / (c3 * (c3 - c2))
        b2 = (Fraction(1, 2) - b3 * c3) / c2
        if b3 == 0 or b2 == 0:
            continue
        a32 = Fraction(1, 6) / (b3 * c2)
        a = [[Fraction(0)] * 3, [c2, Fraction(0), Fraction(0)], [c3 - a32, a32, Fraction(0)]]
        found[f"random order-3 c2={c2} c3={c3}"] = (a, [1 - b2 - b3, b2, b3])
        draws = [Fraction(rng.randint(-10, 10), 10) for _ in range(6)]
        weights = [Fraction(rng.randint(1, 10), 10) for _ in range(3)]
        total = sum(weights)
        a = [[Fraction(0)] * 3, [draws[0], Fraction(0), Fraction(0)], [draws[1], draws[2], Fraction(0)]]
        found[f"random consistent {len(found) // 2 + 1}"] = (a, [w / total for w in weights])
    return found


def _predicted_order(a: list[list[Fraction]], b: list[Fraction], conditions: str, highest: int = 5) -> int:
    """The largest p such that Phi(t) = 1/gamma(t) for the trees of order <= p that `conditions` names:
    every rooted tree ("all", Butcher's theory) or only the bushy trees ("bushy": the quadrature
    conditions sum b_i c_i^(k-1) = 1/k, the rule that ignores the trees' structure)."""
    order = 0
    for p in range(1, highest + 1):
        trees = rooted_trees(p) if conditions == "all" else (tuple(() for _ in range(p - 1)),)
        if not all(_phi(t, a, b) == Fraction(1, _density(t)) for t in trees):
            break
        order = p
    return order


def _global_error(a: list[list[float]], b: list[float], steps: int, end: float) -> float:
    """max_n |y_n - y(t_n)| over [0, end] for y' = cos(t) y^2, y(0) = 1/2, whose solution is
    y = 1/(2 - sin t): smooth, nonlinear and non-autonomous, so no elementary differential of order <= 5
    vanishes identically. The maximum over the grid, not the end value, so that an error curve crossing
    zero at `end` cannot fake a higher order."""
    c = [sum(row) for row in a]
    h, y, worst = end / steps, 0.5, 0.0
    for n in range(steps):
        t = n * h
        k: list[float] = []
        for i in range(len(b)):
            yi = y + h * sum(a[i][j] * k[j] for j in range(i))
            k.append(math.cos(t + c[i] * h) * yi * yi)
        y += h * sum(bi * ki for bi, ki in zip(b, k, strict=True))
        worst = max(worst, abs(y - 1 / (2 - math.sin(t + h))))
    return worst


def _measured_order(a: list[list[float]], b: list[float], steps: list[int], end: float) -> float:
    """Least-squares slope of -log(error) against log(steps) over step halvings."""
    xs = [math.log(n) for n in steps]
    ys = [-math.log(max(_global_error(a, b, n, end), 1e-300)) for n in steps]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def rk4_order_conditions(device: torch.device, conditions: str = "all", tolerance: float = 0.3,
                         random_methods: int = 3, seed: int = 0, end: float = 3.0,
                         steps: tuple[int, ...] = (40, 80, 160, 320, 640)) -> dict[str, Any]:
    """Statement: the order of a Runge-Kutta method is determined by the Butcher trees (one order
    condition Phi(t) = 1/gamma(t) per rooted tree).

    For classical tableaux (Euler, midpoint, Heun, Ralston, Kutta's and Heun's third order, RK4, the 3/8
    rule), random explicit ones and deliberately perturbed ones, predicts the order from the tree
    conditions (exact fractions) and measures it: the log-log slope of the largest global error on [0, `end`]
    for y' = cos(t) y^2 over step halvings. The statement holds if every measured order is within `tolerance`
    of the predicted one. `conditions: bushy` predicts from the quadrature conditions alone (the trees'
    number without their structure); the perturbed Kutta tableau then gets a prediction the measurement
    contradicts."""
    if conditions not in ("all", "bushy"):
        raise ValueError(f"conditions must be 'all' or 'bushy', got {conditions!r}")
    methods = {name: ([[Fraction(x) for x in row] for row in a], [Fraction(x) for x in b])
               for name, (a, b) in _TABLEAUX.items()}
    methods.update(_random_tableaux(random.Random(seed), random_methods))
    rows: list[dict[str, Any]] = []
    for name, (a, b) in methods.items():
        predicted = _predicted_order(a, b, conditions)
        measured = _measured_order([[float(x) for x in row] for row in a], [float(x) for x in b], list(steps), end)
        rows.append({"method": name, "stages": len(b), "predicted": predicted, "measured": round(measured, 3)})
    misses = [r for r in rows if abs(r["measured"] - r["predicted"]) > tolerance]
    counts = [len(rooted_trees(p)) for p in range(1, 6)]
    return observe(not misses,
                   "order predicted from the tree conditions ({conditions}; trees per order 1-5: {trees_per_order}) "
                   "vs measured global-error slope over {steps} steps, per method: {table}; "
                   "{mismatches} of {methods} differ by more than {tolerance}",
                   conditions=conditions, trees_per_order=counts, steps=list(steps),
                   table="; ".join(f"{r['method']}: {r['predicted']} vs {r['measured']:.2f}" for r in rows),
                   mismatches=len(misses), methods=len(rows), tolerance=tolerance, rows=rows)


def _free_tree_count(n: int) -> int:
    """Unrooted (free) trees with n nodes: rooted trees minus pairs of adjacent centres (Otter)."""
    rooted = [0] + [len(rooted_trees(k)) for k in range(1, n + 1)]
    pairs = sum(rooted[k] * rooted[n - k] for k in range(1, (n + 1) // 2))
    if n % 2 == 0:
        half = rooted[n // 2]
        pairs += half * (half - 1) // 2
    return rooted[n] - pairs


def _automorphisms(tree: Tree) -> int:
    product = 1
    counts: dict[Tree, int] = {}
    for child in tree:
        counts[child] = counts.get(child, 0) + 1
        product *= _automorphisms(child)
    for count in counts.values():
        for k in range(2, count + 1):
            product *= k
    return product


def cayley_trees_are_free_trees_without_symmetry(device: torch.device) -> dict[str, Any]:
    """Statement: "Cayley trees are another name for free trees, which are rooted trees that have no
    symmetries".

    Counts, for 1..8 nodes, rooted trees, free (unrooted) trees and rooted trees without symmetries
    (automorphism group of size 1). If free trees were rooted trees without symmetries the last two
    columns would agree."""
    rows = []
    for n in range(1, 9):
        trees = rooted_trees(n)
        rows.append({"nodes": n, "rooted": len(trees), "free": _free_tree_count(n),
                     "rooted_without_symmetry": sum(1 for t in trees if _automorphisms(t) == 1)})
    agree = all(r["free"] == r["rooted_without_symmetry"] for r in rows)
    differs = [r for r in rows if r["free"] != r["rooted_without_symmetry"]]
    first = differs[0] if differs else None
    return observe(agree, "free trees / rooted trees without symmetries / rooted trees for 1..8 nodes: {table}; "
                   "first node count where the first two differ: {first_difference}",
                   table="; ".join(f"{r['nodes']}: {r['free']}/{r['rooted_without_symmetry']}/{r['rooted']}"
                                   for r in rows),
                   first_difference=first["nodes"] if first else None, counts=rows)


def _increasing_labellings(tree: Tree) -> int:
    """Labellings of the nodes with 1..n, each label larger than its parent's, counted by brute force: the
    root takes 1 and the remaining labels are distributed over the children's subtrees in every way (the
    children of a node are distinct positions, so equal subtrees are counted separately)."""
    from itertools import permutations

    n = _order(tree)
    nodes: list[int] = []  # parent index of each node, in preorder; the root's parent is -1
    def walk(t: Tree, parent: int) -> None:
        nodes.append(parent)
        me = len(nodes) - 1
        for child in t:
            walk(child, me)
    walk(tree, -1)
    count = 0
    for labels in permutations(range(1, n + 1)):
        if all(parent < 0 or labels[parent] < labels[i] for i, parent in enumerate(nodes)):
            count += 1
    return count


def increasing_labellings_from_tree_factorial(device: torch.device, largest: int = 7) -> dict[str, Any]:
    """Statement: "Cayley trees can be used to count the number of different ways to label the nodes of a
    rooted tree with positive integers, such that the labels increase along any path from the root. This
    number ... can be computed using a recursive formula involving the tree factorial."

    For every rooted tree up to `largest` nodes, the number of labellings with 1..n increasing from the root
    is counted by brute force and compared with n! / t!, the tree factorial t! (gamma(t)) being defined
    recursively as n times the product of the subtrees' factorials."""
    rows, mismatches = 0, []
    for n in range(1, largest + 1):
        for tree in rooted_trees(n):
            counted = _increasing_labellings(tree)
            formula = math.factorial(n) // _density(tree)
            rows += 1
            if counted != formula or math.factorial(n) % _density(tree):
                mismatches.append({"tree": repr(tree), "counted": counted, "formula": formula})
    return observe(not mismatches, "{trees} rooted trees of 1..{largest} nodes: brute-force count of increasing "
                   "labellings vs n!/t! (tree factorial) differs for {mismatch_count}", trees=rows, largest=largest,
                   mismatch_count=len(mismatches), mismatches=mismatches[:5])
