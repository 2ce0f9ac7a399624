"""The shared rounding rule and the PRO_RATA and FIXED_RATE rules."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incentives.logic.fixed_point import SCALE, parse_decimal
from incentives.logic.fixed_rate import FixedRateLine, allocate_fixed_rate
from incentives.logic.pro_rata import allocate_pro_rata, gpu_seconds
from incentives.logic.split import Split, split_by_weight

weight_lists = st.lists(st.integers(0, 10**40), max_size=30)
emissions = st.integers(0, 10**18)


def test_split_by_weight_examples() -> None:
    assert split_by_weight(100, [1, 1, 1]) == Split(amounts=(33, 33, 33), dust=1)
    assert split_by_weight(100, [3, 1]) == Split(amounts=(75, 25), dust=0)
    assert split_by_weight(7, [0, 5, 0]) == Split(amounts=(0, 7, 0), dust=0)
    assert split_by_weight(0, [1, 2]) == Split(amounts=(0, 0), dust=0)


def test_split_without_weight_is_all_dust() -> None:
    assert split_by_weight(100, []) == Split(amounts=(), dust=100)
    assert split_by_weight(100, [0, 0]) == Split(amounts=(0, 0), dust=100)


def test_split_rejects_negative_inputs() -> None:
    with pytest.raises(ValueError, match="emission"):
        split_by_weight(-1, [1])
    with pytest.raises(ValueError, match="weights"):
        split_by_weight(10, [1, -1])


@given(emissions, weight_lists)
def test_split_conserves_and_floors(emission: int, weights: list[int]) -> None:
    split = split_by_weight(emission, weights)
    assert sum(split.amounts) + split.dust == emission
    assert len(split.amounts) == len(weights)
    total = sum(weights)
    if total == 0:
        assert split.dust == emission
        return
    for amount, weight in zip(split.amounts, weights, strict=True):
        assert amount == Fraction(emission * weight, total).__floor__()
    assert 0 <= split.dust < max(1, sum(1 for w in weights if w))


@given(emissions, weight_lists, st.integers(1, 10**20))
def test_split_ignores_a_common_factor(emission: int, weights: list[int], factor: int) -> None:
    assert split_by_weight(emission, [w * factor for w in weights]) == split_by_weight(
        emission, weights
    )


def test_pro_rata_weights_are_gpu_seconds() -> None:
    weights = [gpu_seconds(8, 86_400), gpu_seconds(4, 86_400), gpu_seconds(8, 43_200)]
    assert allocate_pro_rata(1_000_000, weights) == Split(
        amounts=(500_000, 250_000, 250_000), dust=0
    )
    with pytest.raises(ValueError, match=">= 0"):
        gpu_seconds(-1, 10)


@given(emissions, st.lists(st.tuples(st.integers(0, 64), st.integers(0, 86_400)), max_size=30))
def test_pro_rata_conserves(emission: int, lines: list[tuple[int, int]]) -> None:
    split = allocate_pro_rata(emission, [gpu_seconds(g, s) for g, s in lines])
    assert sum(split.amounts) + split.dust == emission


HOUR = 3600
DAY = 24 * HOUR


def test_fixed_rate_pays_usd_per_gpu_hour_at_the_price() -> None:
    # $2.49 per GPU-hour, 8 GPUs, one day online, AKT at $2.50: 2.49 * 8 * 24 / 2.5 = 191.232 AKT.
    line = FixedRateLine(usd_micros_per_gpu_hour=2_490_000, gpu_count=8, online_seconds=DAY)
    split = allocate_fixed_rate([line], price=parse_decimal("2.5"), available=10**12)
    assert split == Split(amounts=(191_232_000,), dust=0)


def test_fixed_rate_is_capped_by_the_available_balance() -> None:
    lines = [
        FixedRateLine(usd_micros_per_gpu_hour=1_000_000, gpu_count=1, online_seconds=HOUR),
        FixedRateLine(usd_micros_per_gpu_hour=1_000_000, gpu_count=3, online_seconds=HOUR),
    ]
    # owed 1 and 3 AKT at $1; only 2 AKT available: everyone gets half of what is owed.
    split = allocate_fixed_rate(lines, price=SCALE, available=2_000_000)
    assert split == Split(amounts=(500_000, 1_500_000), dust=0)


def test_fixed_rate_rejects_bad_inputs() -> None:
    with pytest.raises(ValueError, match="price"):
        allocate_fixed_rate([], price=0, available=1)
    with pytest.raises(ValueError, match="available"):
        allocate_fixed_rate([], price=SCALE, available=-1)
    with pytest.raises(ValueError, match=">= 0"):
        FixedRateLine(usd_micros_per_gpu_hour=1, gpu_count=-1, online_seconds=1)


fixed_rate_lines = st.lists(
    st.builds(
        FixedRateLine,
        usd_micros_per_gpu_hour=st.integers(0, 10_000_000),
        gpu_count=st.integers(0, 16),
        online_seconds=st.integers(0, 7 * DAY),
    ),
    max_size=20,
)


@given(
    fixed_rate_lines,
    st.integers(1, 1000 * SCALE),
    st.integers(0, 10**15),
)
def test_fixed_rate_conserves_and_never_overpays(
    lines: list[FixedRateLine], price: int, available: int
) -> None:
    split = allocate_fixed_rate(lines, price, available)
    owed = [
        Fraction(line.usd_micros_per_gpu_hour * line.gpu_count * line.online_seconds * SCALE)
        / (HOUR * price)
        for line in lines
    ]
    emission = min(sum(owed, Fraction(0)).__floor__(), available)
    assert sum(split.amounts) + split.dust == emission
    for amount, line_owed in zip(split.amounts, owed, strict=True):
        assert amount <= line_owed


def test_aep26_committed_pool_h100_line() -> None:
    """AEP-26 committed pool, H100 line: $2.49 per GPU-hour x 83 GPUs for the 120-day pilot.

    price x quantity x hours = 2.49 * 83 * 120 * 24 = $595,209.60. The seed's table states a
    total of $1,800,000 for this line, which is not price x quantity x 120 days x 24 h: it equals
    $1.8M / ($2.49 * 83 * 24 h) = 362.9 days of the line, about the one-year commitment the pool
    asks for (365 days would be $1,810,429.20). The other lines behave the same (A100 80 GB: $1.69
    x 54 -> $800,000 is 365.3 days; RTX A6000: $0.98 x 105 -> $900,000 is 364.4 days), and the
    three totals add up to $3.5M, which the seed calls "40% of the Pilot budget" of $5M (it is
    70%). We assert our own computation, not the seed's totals.
    """
    h100 = FixedRateLine(usd_micros_per_gpu_hour=2_490_000, gpu_count=83, online_seconds=120 * DAY)
    at_one_usd = allocate_fixed_rate([h100], price=SCALE, available=10**15)
    assert at_one_usd.amounts == (595_209_600_000,)  # micro-USD == uakt at $1 per AKT
    assert at_one_usd.dust == 0
    days_in_seed_total = Fraction(1_800_000) / (Fraction("2.49") * 83 * 24)
    assert round(days_in_seed_total, 1) == Fraction("362.9")
    for price, quantity, total in [("1.69", 54, 800_000), ("0.98", 105, 900_000)]:
        days = Fraction(total) / (Fraction(price) * quantity * 24)
        assert 364 <= days <= 366
    # At $5 per AKT the same line costs 119,041.92 AKT.
    at_five_usd = allocate_fixed_rate([h100], price=5 * SCALE, available=10**15)
    assert at_five_usd.amounts == (119_041_920_000,)
