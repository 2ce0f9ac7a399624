"""Parameter types of the tx commands: coins (``1000uakt``), gas (``auto`` or N), gas prices
and bech32 addresses. A bad value is a click usage error (exit code 2) that names the parameter.
"""

from __future__ import annotations

import re
from typing import Any

import bech32
import click
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from incentivesd.client.client import DEFAULT_PREFIX, parse_gas_price

_COIN = re.compile(r"^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$")


def parse_coins(text: str) -> list[Coin]:
    """``"1000uakt,5ufoo"`` -> Coins sorted by denom; ``ValueError`` for anything else (decimal
    or zero amounts, a bad or repeated denom)."""
    coins: dict[str, int] = {}
    for part in text.split(","):
        match = _COIN.match(part.strip())
        if match is None:
            raise ValueError(f"invalid coin {part.strip()!r} (expected e.g. 1000uakt)")
        amount, denom = int(match.group(1)), match.group(2)
        if amount == 0:
            raise ValueError(f"invalid coin {part.strip()!r}: the amount must be positive")
        if denom in coins:
            raise ValueError(f"denom {denom} is repeated in {text!r}")
        coins[denom] = amount
    return [Coin(denom=denom, amount=str(coins[denom])) for denom in sorted(coins)]


def coins_text(coins: list[Coin] | Any) -> str:
    return ",".join(f"{coin.amount}{coin.denom}" for coin in coins)


class CoinsType(click.ParamType[list[Coin]]):
    """Coins such as ``1000uakt`` or ``1000uakt,5ufoo``."""

    name = "coins"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, list):
            return value
        try:
            return parse_coins(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class GasType(click.ParamType[int | str]):
    """``auto`` or a positive integer gas limit."""

    name = "auto|N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        if text == "auto":
            return "auto"
        if text.isdigit() and int(text) > 0:
            return int(text)
        self.fail(f"{value!r} is neither 'auto' nor a positive integer", param, ctx)


class GasPricesType(click.ParamType[str]):
    name = "gas-prices"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            parse_gas_price(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return str(value)


COINS = CoinsType()


class AddressType(click.ParamType[str]):
    """A bech32 address with the human-readable part ``hrp`` (``akash``, ``akashvaloper``)."""

    def __init__(self, hrp: str = DEFAULT_PREFIX) -> None:
        self.hrp = hrp
        self.name = f"{hrp}1..."

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip()
        hrp, data = bech32.bech32_decode(text)
        if hrp is None or data is None or text != text.lower():
            self.fail(f"{value!r} is not a bech32 address", param, ctx)
        if hrp != self.hrp:
            self.fail(f"{value!r} is not an {self.hrp}1... address", param, ctx)
        return text


ADDRESS = AddressType()
VALOPER = AddressType(f"{DEFAULT_PREFIX}valoper")
