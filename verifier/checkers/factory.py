"""Build the checkers of one audit from its options (the only place that wires concrete classes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from verifier.checkers.fact import FactChecker
from verifier.checkers.interface import Checker
from verifier.checkers.unchecked import UncheckedChecker
from verifier.config import Settings
from verifier.registry.records import Registry


@dataclass(frozen=True)
class CheckerOptions:
    offline: bool = False
    device: str = "auto"
    jobs: int = 1
    seeds: int | None = None
    snapshot: Path | None = None
    fresh: bool = False


def build_checkers(registry: Registry, settings: Settings, options: CheckerOptions) -> dict[str, Checker]:
    return {
        "citation": UncheckedChecker("no reference index is configured"),
        "code": UncheckedChecker("no code runner is configured"),
        "math": UncheckedChecker("no code runner is configured"),
        "fact": FactChecker(),
    }
