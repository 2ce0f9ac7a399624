"""``sdk.DecCoins`` as plain data: a ``dict`` denom -> ``Dec``, sorted by denom, positive amounts.

Every function returns a new dict and never mutates its arguments. Rounding follows the SDK's
``DecCoins`` methods: ``mul_dec`` rounds half to even, ``mul_dec_truncate`` and
``quo_dec_truncate`` round toward zero, ``truncate_decimal`` splits into whole coins and the
fractional change. Zero results are dropped, as the SDK drops them.

Fails when: a subtraction would go negative (``ErrLogic``: the SDK panics; it means a broken
invariant, never user input).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import DecCoin

from chain.modules.staking.legacy_dec import dec_from_proto, dec_to_proto
from chain.sdk.errors import ErrLogic
from chain.sdk.math import Coin, Coins, Dec

DecCoins = dict[str, Dec]


def normalize(coins: Mapping[str, Dec]) -> DecCoins:
    """Sorted by denom, zero amounts dropped."""
    return {denom: coins[denom] for denom in sorted(coins) if not coins[denom].is_zero()}


def from_coins(coins: Coins) -> DecCoins:
    return {coin.denom: Dec.from_int(coin.amount) for coin in coins}


def add(left: Mapping[str, Dec], right: Mapping[str, Dec]) -> DecCoins:
    result = dict(left)
    for denom, amount in right.items():
        result[denom] = result.get(denom, Dec.zero()) + amount
    return normalize(result)


def sub(left: Mapping[str, Dec], right: Mapping[str, Dec]) -> DecCoins:
    """``left - right``; raises ``ErrLogic`` if any denom would go negative."""
    result = dict(left)
    for denom, amount in right.items():
        value = result.get(denom, Dec.zero()) - amount
        if value.is_negative():
            raise ErrLogic.wrap(f"negative coin amount: {value}{denom}")
        result[denom] = value
    return normalize(result)


def mul_dec(coins: Mapping[str, Dec], factor: Dec) -> DecCoins:
    return normalize({denom: amount.mul(factor) for denom, amount in coins.items()})


def mul_dec_truncate(coins: Mapping[str, Dec], factor: Dec) -> DecCoins:
    return normalize({denom: amount.mul_truncate(factor) for denom, amount in coins.items()})


def quo_dec_truncate(coins: Mapping[str, Dec], divisor: Dec) -> DecCoins:
    return normalize({denom: amount.quo_truncate(divisor) for denom, amount in coins.items()})


def truncate_decimal(coins: Mapping[str, Dec]) -> tuple[Coins, DecCoins]:
    """(whole coins, fractional change), as ``DecCoins.TruncateDecimal``."""
    whole = Coins(Coin(denom, amount.truncate_int()) for denom, amount in coins.items())
    change = normalize(
        {denom: amount - Dec.from_int(amount.truncate_int()) for denom, amount in coins.items()}
    )
    return whole, change


def intersect(left: Mapping[str, Dec], right: Mapping[str, Dec]) -> DecCoins:
    """Per denom of ``left``, the smaller of the two amounts (``DecCoins.Intersect``)."""
    return normalize(
        {denom: min(amount, right.get(denom, Dec.zero())) for denom, amount in left.items()}
    )


def is_any_negative(coins: Mapping[str, Dec]) -> bool:
    return any(amount.is_negative() for amount in coins.values())


def to_text(coins: Mapping[str, Dec]) -> str:
    """``DecCoins.String``: ``1.500000000000000000uakt,2.000000000000000000uatom``."""
    return ",".join(f"{coins[denom]}{denom}" for denom in sorted(coins))


def to_pb(coins: Mapping[str, Dec]) -> list[DecCoin]:
    """Stored/wire form: sorted positive ``DecCoin`` with raw integer ``LegacyDec`` text."""
    return [
        DecCoin(denom=denom, amount=dec_to_proto(amount))
        for denom, amount in normalize(coins).items()
    ]


def from_pb(coins: Iterable[DecCoin]) -> DecCoins:
    """The ``DecCoins`` of stored/wire ``DecCoin`` messages (a denom twice is summed)."""
    result: DecCoins = {}
    for coin in coins:
        result[coin.denom] = result.get(coin.denom, Dec.zero()) + dec_from_proto(coin.amount)
    return normalize(result)
