"""Read a number as the source prints it: its value and the precision its digits claim."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def printed_number(stated: int | float | str) -> tuple[float, float]:
    """(value, half a unit of the last printed digit). "0.50" -> (0.5, 0.005); "50%" -> (0.5, 0.005);
    4 -> (4.0, 0.5). A float given unquoted in YAML keeps only the digits YAML kept (0.50 reads as 0.5)."""
    text = str(stated).strip().replace(",", "")
    scale = Decimal(1)
    if text.endswith("%"):
        text, scale = text[:-1].strip(), Decimal("0.01")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{stated!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{stated!r} is not a finite number")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    half_unit = Decimal(5).scaleb(exponent - 1) * scale
    return float(number * scale), float(half_unit)
