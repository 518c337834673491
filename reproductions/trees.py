"""Checks of the chat's statements about Butcher trees, Runge-Kutta order conditions and Cayley trees."""

from __future__ import annotations

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
    return sum(bi * vi for bi, vi in zip(b, inner(tree), strict=True))


def rk4_order_conditions(device: torch.device) -> dict[str, Any]:
    """Statement: the order of a Runge-Kutta method is determined by the Butcher trees (its order conditions).

    Enumerates rooted trees (1, 1, 2, 4, 9, 20 of orders 1-6) and checks the condition Phi(t) = 1/gamma(t) of
    every tree for the classical RK4 tableau: all 8 trees of order <= 4 hold and some of order 5 fail,
    which is order exactly 4, the order RK4 is known to have (a Taylor-expansion fact computed here)."""
    half, sixth, third = Fraction(1, 2), Fraction(1, 6), Fraction(1, 3)
    a = [[Fraction(0)] * 4, [half, 0, 0, 0], [0, half, 0, 0], [0, 0, Fraction(1), 0]]
    b = [sixth, third, third, sixth]
    counts = [len(rooted_trees(p)) for p in range(1, 7)]
    satisfied = {p: all(_phi(t, a, b) == Fraction(1, _density(t)) for t in rooted_trees(p)) for p in range(1, 6)}
    order = max((p for p in range(1, 6) if all(satisfied[q] for q in range(1, p + 1))), default=0)
    return observe(counts == [1, 1, 2, 4, 9, 20] and order == 4,
                   "rooted trees per order {trees_per_order}; RK4 satisfies every condition of orders "
                   "{orders_satisfied}; highest order with all its conditions met: {order}", trees_per_order=counts,
                   orders_satisfied=[p for p in satisfied if satisfied[p]], order=order)


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
