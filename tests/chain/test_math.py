"""Int, Dec and Coins: bounds, text forms, named roundings (checked against ``decimal``)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.sdk.errors import (
    ErrDecOverflow,
    ErrDivisionByZero,
    ErrInsufficientFunds,
    ErrIntOverflow,
    ErrInvalidCoins,
    ErrInvalidNumber,
    SdkError,
)
from chain.sdk.math import SCALE, Coin, Coins, Dec, Int

MAX = 2**256 - 1
raws = st.integers(min_value=-(2**200), max_value=2**200)
nonzero_raws = raws.filter(lambda raw: raw != 0)
# Factors whose product stays inside the Dec range.
factors = st.integers(min_value=-(2**150), max_value=2**150)


def _exact(numerator: int, denominator: int, rounding: str) -> int:
    """numerator / denominator rounded to an integer by ``decimal``, with enough precision that
    the only rounding is the requested one."""
    with localcontext() as context:
        context.prec = 600
        return int((Decimal(numerator) / Decimal(denominator)).to_integral_value(rounding=rounding))


# Int


def test_int_bounds_are_256_bits() -> None:
    assert Int(MAX) == MAX
    assert Int(-MAX) == -MAX
    for value in (MAX + 1, -(MAX + 1), 2**300):
        with pytest.raises(SdkError) as raised:
            Int(value)
        assert raised.value.is_(ErrIntOverflow)
        assert (raised.value.codespace, raised.value.code) == ("math", 2)


@pytest.mark.parametrize(
    "operation",
    [
        lambda: Int(MAX) + 1,
        lambda: 1 + Int(MAX),
        lambda: Int(-MAX) - 1,
        lambda: Int(2**255) * 2,
        lambda: 2 * Int(2**255),
        lambda: -Int(-MAX) + 1,
    ],
)
def test_int_arithmetic_overflow(operation: object) -> None:
    with pytest.raises(SdkError) as raised:
        operation()  # type: ignore[operator]
    assert raised.value.is_(ErrIntOverflow)


def test_int_arithmetic_stays_int() -> None:
    assert isinstance(Int(2) + 3, Int)
    assert isinstance(3 - Int(2), Int)
    assert isinstance(Int(2) * Int(3), Int)
    assert Int(7) // 2 == 3
    with pytest.raises(SdkError) as raised:
        Int(1) // 0
    assert raised.value.is_(ErrDivisionByZero)


def test_int_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Int(1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("-12", -12), ("007", 7), (str(MAX), MAX)])
def test_int_from_str(text: str, value: int) -> None:
    assert Int.from_str(text) == value


@pytest.mark.parametrize("text", ["", "1.5", "+1", " 1", "1e3", "0x10", "--1"])
def test_int_from_str_rejects(text: str) -> None:
    with pytest.raises(SdkError) as raised:
        Int.from_str(text)
    assert raised.value.is_(ErrInvalidNumber)


# Dec text


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("0", "0.000000000000000000"),
        ("0.65", "0.650000000000000000"),
        ("-3", "-3.000000000000000000"),
        ("1.000000000000000001", "1.000000000000000001"),
        ("-0.000000000000000001", "-0.000000000000000001"),
        ("123456789.5", "123456789.500000000000000000"),
    ],
)
def test_dec_parse_and_format(text: str, formatted: str) -> None:
    assert str(Dec.from_str(text)) == formatted
    assert Dec.from_str(formatted) == Dec.from_str(text)


@pytest.mark.parametrize(
    "text", ["", "abc", "1.", ".5", "1.0000000000000000001", "1,5", "1e-3", "+1", " 1"]
)
def test_dec_parse_rejects(text: str) -> None:
    with pytest.raises(SdkError) as raised:
        Dec.from_str(text)
    assert raised.value.is_(ErrInvalidNumber)


@given(raws)
def test_dec_text_matches_decimal_and_round_trips(raw: int) -> None:
    dec = Dec(raw)
    with localcontext() as context:
        context.prec = 100
        assert str(dec) == f"{Decimal(raw).scaleb(-18):.18f}"
    assert Dec.from_str(str(dec)) == dec


def test_dec_bounds() -> None:
    Dec(2**316 - 1)
    with pytest.raises(SdkError) as raised:
        Dec(2**316)
    assert raised.value.is_(ErrDecOverflow)
    with pytest.raises(TypeError):
        Dec(1.5)  # type: ignore[arg-type]


def test_dec_int_conversions() -> None:
    assert Dec.from_int(3) == Dec.from_str("3")
    assert Dec.from_str("2.9").truncate_int() == 2
    assert Dec.from_str("-2.9").truncate_int() == -2
    assert Dec.from_str("2.1").ceil_int() == 3
    assert Dec.from_str("-2.9").ceil_int() == -2
    assert Dec.from_str("2").ceil_int() == 2


# Dec rounding, against decimal


@given(factors, factors)
def test_mul_rounds_half_even(a: int, b: int) -> None:
    assert Dec(a).mul(Dec(b)).raw == _exact(a * b, SCALE, ROUND_HALF_EVEN)


@given(factors, factors)
def test_mul_truncate_rounds_toward_zero(a: int, b: int) -> None:
    assert Dec(a).mul_truncate(Dec(b)).raw == _exact(a * b, SCALE, ROUND_DOWN)


@given(raws, nonzero_raws)
def test_quo_rounds_half_even(a: int, b: int) -> None:
    # LegacyDec.Quo: truncate to 36 decimals, then round half to even to 18.
    quotient36 = _exact(a * SCALE * SCALE, b, ROUND_DOWN)
    assert Dec(a).quo(Dec(b)).raw == _exact(quotient36, SCALE, ROUND_HALF_EVEN)


@given(raws, nonzero_raws)
def test_quo_truncate_rounds_toward_zero(a: int, b: int) -> None:
    assert Dec(a).quo_truncate(Dec(b)).raw == _exact(a * SCALE, b, ROUND_DOWN)


@given(raws, nonzero_raws)
def test_quo_round_up_rounds_toward_positive_infinity(a: int, b: int) -> None:
    # LegacyDec.QuoRoundUp: truncate to 36 decimals, then take the ceiling at 18.
    quotient36 = _exact(a * SCALE * SCALE, b, ROUND_DOWN)
    assert Dec(a).quo_round_up(Dec(b)).raw == _exact(quotient36, SCALE, ROUND_CEILING)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Values the SDK gives: a quotient below 1e-36 truncates to zero before rounding up,
        # and a negative quotient rounds toward zero.
        ("1", str(10**37), "0.000000000000000000"),
        ("-2", "3", "-0.666666666666666666"),
        ("2", "3", "0.666666666666666667"),
    ],
)
def test_quo_round_up_matches_sdk(a: str, b: str, expected: str) -> None:
    assert str(Dec.from_str(a).quo_round_up(Dec.from_str(b))) == expected


@given(raws, st.integers(min_value=-(10**30), max_value=10**30).filter(lambda n: n != 0))
def test_quo_int_rounds_half_even(a: int, n: int) -> None:
    assert Dec(a).quo_int(n).raw == _exact(a, n, ROUND_HALF_EVEN)


@pytest.mark.parametrize(
    ("a", "b", "half_even", "truncated"),
    [
        # Exact ties on the 18th decimal go to the even neighbour.
        ("0.000000000000000005", "0.1", "0.000000000000000000", "0.000000000000000000"),
        ("0.000000000000000015", "0.1", "0.000000000000000002", "0.000000000000000001"),
        ("-0.000000000000000015", "0.1", "-0.000000000000000002", "-0.000000000000000001"),
        ("0.000000000000000016", "0.1", "0.000000000000000002", "0.000000000000000001"),
    ],
)
def test_mul_ties(a: str, b: str, half_even: str, truncated: str) -> None:
    assert str(Dec.from_str(a).mul(Dec.from_str(b))) == half_even
    assert str(Dec.from_str(a).mul_truncate(Dec.from_str(b))) == truncated


@pytest.mark.parametrize(
    ("a", "b", "half_even", "truncated", "up"),
    [
        ("1", "3", "0.333333333333333333", "0.333333333333333333", "0.333333333333333334"),
        ("2", "3", "0.666666666666666667", "0.666666666666666666", "0.666666666666666667"),
        ("-2", "3", "-0.666666666666666667", "-0.666666666666666666", "-0.666666666666666666"),
        (
            "0.000000000000000001",
            "2",
            "0.000000000000000000",
            "0.000000000000000000",
            "0.000000000000000001",
        ),
        (
            "0.000000000000000003",
            "2",
            "0.000000000000000002",
            "0.000000000000000001",
            "0.000000000000000002",
        ),
        ("6", "2", "3.000000000000000000", "3.000000000000000000", "3.000000000000000000"),
    ],
)
def test_quo_named_roundings(a: str, b: str, half_even: str, truncated: str, up: str) -> None:
    left, right = Dec.from_str(a), Dec.from_str(b)
    assert str(left.quo(right)) == half_even
    assert str(left.quo_truncate(right)) == truncated
    assert str(left.quo_round_up(right)) == up


def test_division_by_zero() -> None:
    for operation in (Dec.quo, Dec.quo_truncate, Dec.quo_round_up):
        with pytest.raises(SdkError) as raised:
            operation(Dec.one(), Dec.zero())
        assert raised.value.is_(ErrDivisionByZero)
    with pytest.raises(SdkError):
        Dec.one().quo_int(0)


# Coins


def test_coins_parse_sorts_and_prints() -> None:
    coins = Coins.parse("100uakt,5uatom")
    assert str(coins) == "100uakt,5uatom"
    assert Coins.parse("5uatom,100uakt") == coins
    assert coins.denoms() == ("uakt", "uatom")
    assert coins.amount_of("uatom") == 5
    assert coins.amount_of("uosmo") == 0
    assert Coins.parse("") == Coins()
    assert str(Coins()) == ""


def test_coins_drop_zero_amounts() -> None:
    assert Coins.of("uakt", 0).is_zero()
    assert not Coins.parse("0uakt")
    assert Coins([Coin("uakt", Int(0)), Coin("uatom", Int(1))]) == Coins.of("uatom", 1)


@pytest.mark.parametrize("text", ["100uakt,5uakt", "1a", "uakt", "-1uakt", "1.5uakt", "1 2uakt"])
def test_coins_parse_rejects(text: str) -> None:
    with pytest.raises(SdkError) as raised:
        Coins.parse(text)
    assert raised.value.is_(ErrInvalidCoins)


def test_coin_rejects_negative_and_bad_denoms() -> None:
    with pytest.raises(SdkError) as raised:
        Coin("uakt", Int(-1))
    assert raised.value.is_(ErrInvalidCoins)
    with pytest.raises(SdkError):
        Coin("1uakt", Int(1))


def test_coins_add_merges() -> None:
    total = Coins.parse("1uakt,2uatom") + Coins.parse("3uakt,4ibc/ABC")
    assert str(total) == "4ibc/ABC,4uakt,2uatom"


def test_coins_sub() -> None:
    left = Coins.parse("10uakt,2uatom") - Coins.parse("10uakt,1uatom")
    assert left == Coins.of("uatom", 1)


@pytest.mark.parametrize("other", ["11uakt", "1uosmo", "1uakt,3uatom"])
def test_coins_sub_insufficient(other: str) -> None:
    with pytest.raises(SdkError) as raised:
        Coins.parse("10uakt,2uatom") - Coins.parse(other)
    assert raised.value.is_(ErrInsufficientFunds)
    assert raised.value.log.endswith(": insufficient funds")


def test_coins_is_all_gte() -> None:
    coins = Coins.parse("10uakt,2uatom")
    assert coins.is_all_gte(Coins.parse("10uakt"))
    assert coins.is_all_gte(Coins())
    assert not coins.is_all_gte(Coins.parse("1uosmo"))
    assert not coins.is_all_gte(Coins.parse("3uatom"))


def test_coins_validate_is_strict() -> None:
    Coins.validate([Coin("uakt", Int(1)), Coin("uatom", Int(1))])
    for listed in (
        [Coin("uatom", Int(1)), Coin("uakt", Int(1))],
        [Coin("uakt", Int(1)), Coin("uakt", Int(2))],
        [Coin("uakt", Int(0))],
    ):
        with pytest.raises(SdkError) as raised:
            Coins.validate(listed)
        assert raised.value.is_(ErrInvalidCoins)


@given(
    st.dictionaries(
        st.sampled_from(["uakt", "uatom", "ibc/27394FB0", "uusdc"]),
        st.integers(min_value=0, max_value=10**30),
    ),
    st.dictionaries(
        st.sampled_from(["uakt", "uatom", "ibc/27394FB0", "uusdc"]),
        st.integers(min_value=0, max_value=10**30),
    ),
)
def test_coins_add_sub_round_trip(first: dict[str, int], second: dict[str, int]) -> None:
    a = Coins(Coin(denom, Int(amount)) for denom, amount in first.items())
    b = Coins(Coin(denom, Int(amount)) for denom, amount in second.items())
    assert (a + b) - b == a
    assert (a + b).is_all_gte(a)
    assert Coins.parse(str(a)) == a


def test_int_division_truncates_toward_zero_like_sdk_quo() -> None:
    assert Int(-7) // 2 == -3
    assert Int(7) // -2 == -3
    assert Int(-7) % 2 == -1
    assert isinstance(Int(7) // 2, Int)


def test_int_has_no_true_division() -> None:
    with pytest.raises(TypeError):
        Int(5) / 2


def test_int_power_shift_and_abs_stay_bounded() -> None:
    assert isinstance(abs(Int(-3)), Int)
    with pytest.raises(SdkError) as raised:
        Int(2) ** 256
    assert raised.value.is_(ErrIntOverflow)
    with pytest.raises(SdkError):
        Int(1) << 256
