"""Split printed output into words and numbers, keeping each number's printed precision.

Punctuation and whitespace are dropped, so a log whose lines were run together when copied, or a tensor
printed with different padding, still lines up token by token."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = (
    r"(?P<num>[-+\u2212]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<special>[-+\u2212]?(?:nan|inf(?:inity)?)(?![A-Za-z]))"
)
_TOKEN = re.compile(rf"(?<![\w.]){_NUMBER}|(?P<word>[A-Za-z_]+|%)", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """A word, or a number with the half-width of its last printed digit (`2.5000` -> 0.00005)."""

    text: str
    value: float | None = None
    half_unit: float = 0.0
    position: int = 0

    @property
    def is_integer(self) -> bool:
        """Printed without a decimal point or exponent: a count, judged without the one-unit leniency."""
        return self.is_number and not any(c in self.text.lower() for c in ".en")

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def key(self) -> str:
        return "#" if self.is_number else self.text


def _number(text: str) -> tuple[float, float]:
    clean = text.replace(",", "").replace("\u2212", "-")
    value = float(clean)
    mantissa, _, exponent = clean.lower().partition("e")
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    shift = int(exponent) if exponent else 0
    return value, 0.5 * 10.0 ** (shift - decimals)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        if match.group("num"):
            value, half = _number(match.group("num"))
            tokens.append(Token(match.group("num"), value, half, match.start()))
        elif match.group("special"):
            raw = match.group("special").lower().replace("\u2212", "-")
            value = math.nan if "nan" in raw else (-math.inf if raw.startswith("-") else math.inf)
            tokens.append(Token(match.group("special"), value, 0.0, match.start()))
        else:
            tokens.append(Token(match.group("word"), None, 0.0, match.start()))
    return tokens
