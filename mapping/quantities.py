"""Counts of fighters or members: "200", "2,000 -3,000", "≈750 fighters", "over 400"."""

from __future__ import annotations

import re

from .facts import Quantity

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s*(?:million|thousand)?"
_RANGE = re.compile(
    rf"(?:between\s+)?(?P<low>{_NUMBER})\s*(?:[–—-]|to|and)\s*(?P<high>{_NUMBER})", re.IGNORECASE
)
_AT_LEAST = re.compile(
    rf"(?:over|more than|at least|in excess of|upwards of|\+)\s*(?P<n>{_NUMBER})|(?P<m>{_NUMBER})\+",
    re.IGNORECASE,
)
_AT_MOST = re.compile(rf"(?:up to|fewer than|less than|under|at most)\s*(?P<n>{_NUMBER})", re.IGNORECASE)
_SINGLE = re.compile(rf"(?P<n>{_NUMBER})")


def to_int(text: str) -> int:
    text = text.strip().lower()
    factor = 1
    if text.endswith("million"):
        factor, text = 1_000_000, text.removesuffix("million").strip()
    elif text.endswith("thousand"):
        factor, text = 1_000, text.removesuffix("thousand").strip()
    return round(float(text.replace(",", "")) * factor)


def parse_quantity(text: str) -> Quantity | None:
    """The first count in ``text``; a range keeps both ends; "over N" is a lower bound."""
    for pattern, build in (
        (_RANGE, lambda m: Quantity(minimum=to_int(m["low"]), maximum=to_int(m["high"]))),
        (_AT_LEAST, lambda m: Quantity(minimum=to_int(m["n"] or m["m"]))),
        (_AT_MOST, lambda m: Quantity(maximum=to_int(m["n"]))),
        (_SINGLE, lambda m: Quantity(value=to_int(m["n"]))),
    ):
        match = pattern.search(text)
        if match:
            quantity = build(match)
            low, high = quantity.minimum, quantity.maximum
            return None if low is not None and high is not None and low > high else quantity
    return None
