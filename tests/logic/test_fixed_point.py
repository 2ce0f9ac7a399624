"""Fixed-point helpers against ``decimal`` at 80 digits: exact floors, rounding, decimal text."""

from __future__ import annotations

import random
import re
from decimal import ROUND_FLOOR, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incentives.logic import fixed_point
from incentives.logic.fixed_point import (
    SCALE,
    exp_neg_fixed,
    format_decimal,
    log2_fixed,
    mul_fixed,
    parse_decimal,
    pow_fixed,
)


def decimal_log2(x: int) -> Decimal:
    """log2(x / SCALE) * SCALE at 80 digits, snapped to an integer within 1e-40 of it (exact
    results such as log2(4) come out as 1.999...9 from ln(4) / ln(2))."""
    with localcontext(prec=80):
        value = (Decimal(x) / SCALE).ln() / Decimal(2).ln() * SCALE
        nearest = value.to_integral_value()
        return nearest if abs(value - nearest) < Decimal("1e-40") else value


def decimal_log2_floor(x: int) -> int:
    return int(decimal_log2(x).to_integral_value(ROUND_FLOOR))


def decimal_exp_neg_floor(d: int) -> int:
    with localcontext(prec=80):
        value = (-Decimal(d) / SCALE).exp() * SCALE
        return int(value.to_integral_value(ROUND_FLOOR))


def sample_log2_arguments() -> list[int]:
    """A fixed spread of arguments: near one, near powers of two, table edges, random sizes."""
    rng = random.Random(15)
    values = [SCALE + k for k in range(-300, 301) if SCALE + k > 0]
    values += [2**k for k in range(200)]
    values += [(SCALE << k) + delta for k in range(80) for delta in (-1, 1)]
    values += [(SCALE * (256 + i)) >> 8 for i in range(256)]  # first table level edges
    values += [v * SCALE for v in range(1, 6001)]  # integer OB scores, days, GB
    values += [rng.randrange(1, 10 ** rng.randrange(1, 45)) for _ in range(6000)]
    return values


def test_log2_is_the_exact_floor_on_a_spread_of_arguments() -> None:
    worst = Decimal(0)
    for x in sample_log2_arguments():
        result = log2_fixed(x)
        assert result == decimal_log2_floor(x), x
        error = decimal_log2(x) - result
        assert 0 <= error < 1, x  # the floor: less than one unit in the last place
        worst = max(worst, error)
    assert worst > Decimal("0.99")  # the sample does reach the bound


@given(st.integers(1, 10**60))
def test_log2_is_the_exact_floor(x: int) -> None:
    assert log2_fixed(x) == decimal_log2_floor(x)


@given(st.integers(1, 10**40))
def test_log2_is_monotone(x: int) -> None:
    assert log2_fixed(x) <= log2_fixed(x + 1)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (SCALE, 0),
        (2 * SCALE, SCALE),
        (SCALE // 2, -SCALE),
        (SCALE // 1024, -10 * SCALE),
        (SCALE << 100, 100 * SCALE),
        # log2 is 40 + 1.3e-30 / -1.3e-30: far inside the fast path's error interval
        ((SCALE << 40) + 1, 40 * SCALE),
        ((SCALE << 40) - 1, 40 * SCALE - 1),
        (SCALE + 1, 1),  # 1.44e-18
        (SCALE - 1, -2),  # -1.44e-18
        (1, -59794705707972522262),  # log2(1e-18)
    ],
)
def test_log2_exact_values(x: int, expected: int) -> None:
    assert log2_fixed(x) == expected


@given(st.integers(1, 10**50))
def test_log2_slow_path_agrees_with_the_fast_path(x: int) -> None:
    assert fixed_point._log2_fixed_slow(x) == log2_fixed(x)


@pytest.mark.parametrize("x", [0, -1, -SCALE])
def test_log2_rejects_non_positive(x: int) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        log2_fixed(x)


@pytest.mark.parametrize(
    "d",
    [
        *(1, 10**9, 650_000_000_000_000_000, 1_300_000_000_000_000_000, SCALE, 10 * SCALE),
        *(41 * SCALE, 41_446_531_673_892_822_312, 41_446_531_673_892_822_313),  # around 1e-18
    ],
)
def test_exp_neg_is_the_exact_floor(d: int) -> None:
    assert exp_neg_fixed(d) == decimal_exp_neg_floor(d)


@given(st.integers(0, 45 * SCALE))
def test_exp_neg_matches_decimal(d: int) -> None:
    assert exp_neg_fixed(d) == decimal_exp_neg_floor(d)


def test_exp_neg_edges() -> None:
    assert exp_neg_fixed(0) == SCALE
    assert exp_neg_fixed(650_000_000_000_000_000) == 522_045_776_761_016_047
    assert exp_neg_fixed(42 * SCALE) == 0
    assert exp_neg_fixed(10**40) == 0
    with pytest.raises(ValueError, match=">= 0"):
        exp_neg_fixed(-1)


@given(st.integers(0, 45 * SCALE), st.integers(1, 10**17))
def test_exp_neg_is_non_increasing(d: int, step: int) -> None:
    assert exp_neg_fixed(d + step) <= exp_neg_fixed(d)


def test_mul_fixed_truncates_toward_zero() -> None:
    third = SCALE // 3  # 0.333...
    assert mul_fixed(third, 3 * SCALE) == 999_999_999_999_999_999
    assert mul_fixed(-third, 3 * SCALE) == -999_999_999_999_999_999
    assert mul_fixed(SCALE // 2 + 1, SCALE // 2) == SCALE // 4
    assert mul_fixed(-1, 1) == 0
    assert mul_fixed(7 * SCALE, -2 * SCALE) == -14 * SCALE


def test_pow_fixed_iterates_truncating_multiplication() -> None:
    c = exp_neg_fixed(650_000_000_000_000_000)
    expected = SCALE
    for n in range(40):
        assert pow_fixed(c, n) == expected
        expected = mul_fixed(expected, c)
    assert pow_fixed(c, 0) == SCALE
    assert pow_fixed(0, 0) == SCALE
    assert pow_fixed(2 * SCALE, 10) == 1024 * SCALE
    assert pow_fixed(SCALE // 10, 19) == 0
    with pytest.raises(ValueError, match=">= 0"):
        pow_fixed(c, -1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("1", SCALE),
        ("-0", 0),
        ("0.65", 650_000_000_000_000_000),
        ("-0.65", -650_000_000_000_000_000),
        ("007.50", 7_500_000_000_000_000_000),
        ("0.000000000000000001", 1),
        ("123456789012345678901234567890", 123456789012345678901234567890 * SCALE),
        ("1.100000000000000000", 1_100_000_000_000_000_000),
    ],
)
def test_parse_decimal(text: str, value: int) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a number: ''"),
        ("abc", "not a number: 'abc'"),
        ("1e5", "not a number: '1e5'"),
        ("1E-3", "not a number: '1E-3'"),
        ("nan", "not a number: 'nan'"),
        ("inf", "not a number: 'inf'"),
        ("-Infinity", "not a number: '-Infinity'"),
        ("1_000", "not a number: '1_000'"),
        (" 1", "not a number: ' 1'"),
        ("+1", "not a number: '+1'"),
        ("1.", "not a number: '1.'"),
        (".5", "not a number: '.5'"),
        ("1.2.3", "not a number: '1.2.3'"),
        ("\u0661", "not a number: '\u0661'"),  # Arabic-Indic digit one: ASCII digits only
        ("0.1234567890123456789", "too many decimals (max 18): '0.1234567890123456789'"),
    ],
)
def test_parse_decimal_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0.000000000000000000"),
        (SCALE, "1.000000000000000000"),
        (1, "0.000000000000000001"),
        (-650_000_000_000_000_000, "-0.650000000000000000"),
        (123 * SCALE + 45, "123.000000000000000045"),
    ],
)
def test_format_decimal(value: int, text: str) -> None:
    assert format_decimal(value) == text


@given(st.integers(-(10**40), 10**40))
def test_decimal_text_round_trips(value: int) -> None:
    assert parse_decimal(format_decimal(value)) == value
