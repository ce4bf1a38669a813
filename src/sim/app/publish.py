"""Numbers as people read them: thousands separators per language, and rounding as the IND publishes.

The IND publishes counts rounded to tens: ``-`` for none, ``<10`` for 1 to 9, otherwise the nearest ten (a
published ``10`` stands for 10 to 14, because 5 to 9 print as ``<10``; any other ``v`` for ``v-5`` to ``v+4``).
:func:`published` reproduces that from a model mean, so model figures can be read beside the report's.
Differences (scenario minus baseline) are signed; rounded, they keep their sign and use the same steps.
"""

from __future__ import annotations

import math

__all__ = ["MINUS", "published", "published_difference", "count_text", "difference_text", "interval_text", "number"]

MINUS = "\u2212"  # a real minus sign: easier to read than a hyphen in tables


def _half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def published(x: float) -> str:
    """A count rounded as the IND publishes it: ``-`` (0), ``<10`` (1 to 9) or tens (half up).

    The count is first rounded to a whole number: a model mean of 0.4 is ``-``, 0.6 is ``<10``.
    """
    n = _half_up(max(float(x), 0.0))
    if n == 0:
        return "-"
    if n < 10:
        return "<10"
    return str(_half_up(n / 10) * 10)


def published_difference(d: float) -> str:
    """A signed difference rounded the same way: ``0``, ``+<10`` / ``-<10``, or signed tens."""
    n = _half_up(abs(float(d)))
    if n == 0:
        return "0"
    sign = "+" if d > 0 else MINUS
    if n < 10:
        return f"{sign}<10"
    return f"{sign}{_half_up(n / 10) * 10}"


def number(x: float, lang: str, decimals: int = 0) -> str:
    """A number with the language's separators: ``12,345.6`` (en) or ``12.345,6`` (nl)."""
    text = f"{float(x):,.{decimals}f}"
    if text.lstrip("-") in ("0", "0." + "0" * decimals):
        text = text.lstrip("-")
    text = text.replace("-", MINUS)
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def count_text(x: float, lang: str, rounded: bool) -> str:
    """A count for display: rounded as published, or a whole number with separators."""
    return published(x) if rounded else number(round(float(x)), lang)


def difference_text(d: float, lang: str, rounded: bool) -> str:
    """A signed difference for display."""
    if rounded:
        return published_difference(d)
    n = round(float(d))
    return ("+" if n > 0 else "") + number(n, lang)


def interval_text(lo: float, hi: float, lang: str, rounded: bool, signed: bool = False) -> str:
    """An interval ``lo to hi`` for display (signed for differences)."""
    fmt = difference_text if signed else count_text
    word = "tot" if lang == "nl" else "to"
    return f"{fmt(lo, lang, rounded)} {word} {fmt(hi, lang, rounded)}"
