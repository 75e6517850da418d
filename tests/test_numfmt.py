import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from jianfu.numbers.format import (
    fmt_number,
    fmt_signed,
    fmt_value,
    fmt_values,
    is_missing,
    round_half_up,
    value_digits,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        # no trailing zeros, at most two decimals
        (51, "51"),
        (51.0, "51"),
        (56.60, "56.6"),
        (76.571, "76.57"),
        (37.5, "37.5"),
        (-37.5, "-37.5"),
        (134 / 175 * 100, "76.57"),  # 76.5714…
        (60 / 106 * 100, "56.6"),  # 56.6037…
        # half up in the decimal sense, not float banker's rounding
        (0.125, "0.13"),
        (1.005, "1.01"),  # the float is 1.00499999…; written as 1.005 it rounds up
        (2.675, "2.68"),
        (0.1 + 0.2, "0.3"),
        (-0.125, "-0.13"),
        (0.004, "0"),
        (-0.004, "0"),  # never "-0"
        # large counts plain, no separators or exponents
        (10000, "10000"),
        (1e7, "10000000"),
        (123456789.126, "123456789.13"),
        # numpy scalars and Decimal
        (np.float64(92.6289926), "92.63"),
        (np.int64(82), "82"),
        (Decimal("0.125"), "0.13"),
        # nothing printable
        (None, "—"),
        (float("nan"), "—"),
        (math.inf, "—"),
        (-math.inf, "—"),
        (pd.NA, "—"),
    ],
)
def test_fmt_number(value, expected):
    assert fmt_number(value) == expected


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (377 / 407 * 100, 1, "92.6"),
        (377 / 407 * 100, 2, "92.63"),
        (2.5, 0, "3"),
        (0.05, 1, "0.1"),
    ],
)
def test_fmt_number_digits(value, digits, expected):
    assert fmt_number(value, digits) == expected


def test_round_half_up_returns_decimal():
    assert round_half_up(0.125) == Decimal("0.13")
    assert round_half_up(0.12499999999999999) == Decimal("0.13")  # float noise of 0.125


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: fmt_value(82, "件"), "82件"),
        (lambda: fmt_value(377 / 407 * 100, "%", 1), "92.6%"),
        (lambda: fmt_value(12, "次/年"), "12次/年"),
        (lambda: fmt_value(float("nan"), "件"), "—"),
        (lambda: fmt_value(None, "件", missing=""), ""),
        (lambda: fmt_signed(4, "件"), "+4件"),
        (lambda: fmt_signed(-6, "种"), "-6种"),
        (lambda: fmt_signed(0.001, "%"), "0%"),
        (lambda: fmt_signed(float("nan"), "%"), "—"),
    ],
)
def test_formatters(call, expected):
    assert call() == expected


@pytest.mark.parametrize(
    "value, missing", [(None, True), (np.nan, True), ("x", True), (0, False), (-1.5, False)]
)
def test_is_missing(value, missing):
    assert is_missing(value) is missing


@pytest.mark.parametrize("kind, digits", [("ratio", 1), ("percent", 2), ("count", 2), (None, 2)])
def test_value_digits(kind, digits):
    assert value_digits(kind) == digits


def test_fmt_values_matches_fmt_value_elementwise():
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.normal(0, 200, 2000),
            rng.integers(-500, 500, 500).astype(float),
            np.array(
                [0.125, -0.125, 1.005, 2.675, 0.005, -0.004, 1e7, 37.5, 76.5714, np.nan, np.inf]
            ),
            np.round(rng.normal(0, 50, 500), 3),  # many exact ties at the third decimal
        ]
    )
    for digits in (1, 2):
        expected = [fmt_value(v, "件", digits) for v in values]
        assert fmt_values(values, "件", digits) == expected


def test_fmt_values_empty():
    assert fmt_values([], "%") == []
