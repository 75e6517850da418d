"""Numbers as they are written in Chinese official text (GB/T 15835-2011).

Arabic numerals, at most two decimals, no trailing zeros, rounded half up in the
decimal sense (0.125 -> "0.13", where float formatting would round to even and
also trip over binary noise such as 1.005 being 1.00499…). Missing values are
shown as a dash in tables and never as ``nan`` or ``inf``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
else:

    class _Numpy:
        """numpy on first use: the participant page rounds scores here and never loads it."""

        def __getattr__(self, name: str) -> object:
            import numpy

            return getattr(numpy, name)

    np = _Numpy()

MISSING = "—"
DIGITS = 2
RATE_DIGITS = 1  # computed shares (377/407 -> 92.6%) are quoted to one decimal
POINTS = "个百分点"

# Float results carry binary noise (0.1 * 3 = 0.30000000000000004); snap to this
# many decimals before the half-up rounding so 0.12499999999999999 rounds as 0.125.
_NOISE = Decimal("1e-9")


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA and infinities: nothing printable."""
    if value is None:
        return True
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return not math.isfinite(number)


def round_half_up(value: float | int | Decimal, digits: int = DIGITS) -> Decimal:
    """Round the way people do on paper: 0.125 -> 0.13, 2.5 -> 3 (digits=0)."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, int):
        exact = Decimal(value)
    else:
        try:
            exact = Decimal(repr(float(value)))
        except InvalidOperation as exc:  # pragma: no cover - repr of a float always parses
            raise ValueError(f"not a number: {value!r}") from exc
    snapped = (
        exact.quantize(_NOISE, rounding=ROUND_HALF_EVEN)
        if exact.as_tuple().exponent < -9
        else exact
    )
    return snapped.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def shown_change(after: float, before: float, digits: int = DIGITS) -> float:
    """The difference of the two values as they are shown, never of the raw values.

    A page quoting 72.4 and 70.1 must say 2.3, although 72.36 - 70.14 rounds to 2.2.
    """
    a, b = round_half_up(after, digits), round_half_up(before, digits)
    return float(a - b)


def round_values(values: object, digits: object = DIGITS) -> np.ndarray:
    """:func:`round_half_up` over an array (``digits`` a number or one per value), as floats.

    Values clear of a rounding tie are rounded with numpy. Those within a hair of a
    tie (412.125 at two decimals) are decided in integers of 1e-9, which is what
    :func:`round_half_up` snaps to before rounding half up; only a value that also
    sits near a 1e-9 midpoint, or is very large, takes the Decimal path. The result
    equals :func:`round_half_up` for every value.
    """
    array = np.asarray(values, dtype=float)
    places = np.broadcast_to(np.asarray(digits, dtype=np.int64), array.shape)
    scale = 10.0**places
    with np.errstate(invalid="ignore"):
        scaled = np.abs(array) * scale
        frac = scaled - np.floor(scaled)
        out = np.sign(array) * np.floor(scaled + 0.5) / scale
    tie = np.isfinite(array) & _near_tie(scaled, frac)
    if tie.any():
        _round_ties(array, places, tie, out)
    out = np.where(np.isfinite(array), out, array)
    return out + 0.0  # no -0.0


def _near_tie(scaled: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """Scaled values whose rounding numpy cannot be trusted with: within 1e-6 of a tie, or
    within the float's own grain once scaled (5.5e11 at two decimals is only good to
    ~0.008), or too large for exact integers. These take the exact path."""
    near = np.maximum(1e-6, 64 * np.spacing(scaled))
    return (np.abs(frac - 0.5) <= near) | (scaled >= 1e15)


def _round_ties(array: np.ndarray, places: np.ndarray, tie: np.ndarray, out: np.ndarray) -> None:
    """Round the near-tie values of ``array`` half up, in place in ``out``."""
    where = np.flatnonzero(tie)
    x = array.ravel()[where]
    d = places.ravel()[where]
    nano = np.abs(x) * 1e9
    clear = (np.abs(x) < 1e6) & (np.abs(nano - np.floor(nano) - 0.5) > 0.1)
    units = np.rint(nano[clear]).astype(np.int64)  # the value snapped to 1e-9, exactly
    step = 10 ** (9 - d[clear])
    kept = (units + step // 2) // step  # half up, in units of 10**-d
    flat = out.reshape(-1)
    flat[where[clear]] = np.sign(x[clear]) * kept / 10.0 ** d[clear]
    for i in where[~clear]:
        flat[i] = float(round_half_up(float(array.ravel()[i]), int(places.ravel()[i])))


def snap(values: object, digits: object = DIGITS) -> np.ndarray:
    """Values that are already on the ``digits`` grid but carry float noise, put back on it:
    92.6 - 74.0 is 18.599999999999994, snapped 18.6. No ties can occur, so no care is needed."""
    scale = 10.0 ** np.asarray(digits, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        return np.rint(np.asarray(values, dtype=float) * scale) / scale + 0.0


def scaled(value, factor: float):
    """``value * factor`` without the multiplication's float noise, for a float, a numpy
    array or a pandas Series: 1.5 小时 is 90.0 分钟 (not 90.00000000000001), 0.07 is 7%.

    Kept to ten decimals: far beyond any figure shown, well within a float's precision.
    """
    product = value * factor
    if hasattr(product, "round"):  # numpy arrays and scalars, pandas Series
        return product.round(10)
    return round(float(product), 10)


def fraction_as_percent(value):
    """A fraction typed for a percentage, as that percentage: 0.926 -> 92.6 (see :func:`scaled`)."""
    return scaled(value, 100)


def decimals_shown(values: object, digits: object = DIGITS) -> np.ndarray:
    """Decimals each rounded value needs at ``digits`` at most: 74.0 -> 0, 92.6 -> 1.

    ``values`` are already rounded at ``digits`` (:func:`round_values`). A row shows
    its values with the largest of these, so 74% beside 92.6% reads 74.0%.
    """
    full = np.asarray(values, dtype=float)
    places = np.broadcast_to(np.asarray(digits, dtype=np.int64), full.shape)
    needed = np.array(places, dtype=np.int64, copy=True)
    with np.errstate(invalid="ignore"):
        for k in range(int(places.max(initial=0)) - 1, -1, -1):
            grid = full * 10.0**k
            on_grid = np.abs(grid - np.rint(grid)) <= 1e-9 * np.maximum(1.0, np.abs(grid))
            needed = np.where(on_grid & (k < places), k, needed)
    return np.where(np.isfinite(full), needed, 0)


def plain(value: object) -> str:
    """The number exactly, as short as it reads back: 82.0 -> "82", 45.123456 -> "45.123456".

    Lossless (``float(plain(x)) == x``): a form that shows a stored value and saves it
    unedited writes the very same number back. Missing values give "".
    """
    if is_missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def fmt_number(
    value: object, digits: int = DIGITS, missing: str = MISSING, fixed: bool = False
) -> str:
    """Plain number: 51 -> "51", 56.60 -> "56.6", 76.571 -> "76.57", 10000 -> "10000".

    With ``fixed`` exactly ``digits`` decimals are kept (74 -> "74.0" at one decimal).
    """
    if is_missing(value):
        return missing
    number = value if isinstance(value, int | Decimal) else float(value)  # type: ignore[arg-type]
    text = format(round_half_up(number, digits), "f")
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def value_digits(kind: str | None) -> int:
    """Decimals for an indicator's values: computed ratios one, everything else two."""
    return RATE_DIGITS if kind == "ratio" else DIGITS


def digits_by_kind(kinds: object, chosen: int | None = None) -> np.ndarray:
    """Decimals each figure is rounded to: ``chosen`` (a user's 0–2) for all, else
    :func:`value_digits` of each indicator's kind."""
    return np.array([value_digits(k) if chosen is None else chosen for k in kinds], dtype=np.int64)


def fmt_value(
    value: object,
    measure: str = "",
    digits: int = DIGITS,
    missing: str = MISSING,
    fixed: bool = False,
) -> str:
    """Number with its measure attached: "82件", "92.6%", "12次/年"."""
    if is_missing(value):
        return missing
    return f"{fmt_number(value, digits, fixed=fixed)}{measure}"


def fmt_signed(
    value: object,
    suffix: str = "",
    digits: int = DIGITS,
    missing: str = MISSING,
    fixed: bool = False,
) -> str:
    """Signed change for tables: 4 -> "+4件", -6 -> "-6种", 0 -> "0件"."""
    if is_missing(value):
        return missing
    text = fmt_number(value, digits, fixed=fixed)
    sign = "+" if text.strip("0.") and not text.startswith("-") else ""
    return f"{sign}{text}{suffix}"


def fmt_values(values: object, measure: str = "", digits: int = DIGITS) -> list[str]:
    """:func:`fmt_value` over an array, vectorised.

    Each distinct value is formatted once. Values clear of a rounding tie are
    rounded with numpy; only those within a hair of a tie (where binary noise
    decides) take the Decimal path, so the result equals :func:`fmt_value`.
    """
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        return []
    distinct, inverse = np.unique(array, return_inverse=True)
    finite = np.isfinite(distinct)
    clean = np.where(finite, distinct, 0.0)
    scaled = np.abs(clean) * 10.0**digits
    frac = scaled - np.floor(scaled)
    exact = finite & ~_near_tie(scaled, frac)
    units = (np.floor(np.where(exact, scaled, 0.0) + 0.5) * np.sign(clean)).astype(np.int64)
    texts = [
        _from_scaled(u, digits) + measure if ok else fmt_value(v, measure, digits)
        for u, ok, v in zip(units.tolist(), exact.tolist(), distinct.tolist(), strict=True)
    ]
    return np.array(texts, dtype=object)[inverse.ravel()].tolist()


def _from_scaled(units: int, digits: int) -> str:
    """Text of ``units / 10**digits`` without trailing zeros: 5660, 2 -> "56.6"."""
    whole, part = divmod(abs(units), 10**digits)
    sign = "-" if units < 0 else ""
    if part == 0:
        return f"{sign}{whole}" if whole else "0"
    return f"{sign}{whole}.{part:0{digits}d}".rstrip("0")
