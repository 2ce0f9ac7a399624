"""MsgPostPrice: every "Fails when" condition, and the price it stores."""

from __future__ import annotations

import pytest

from chain.sdk.errors import ErrInvalidAddress, RegisteredError
from chain.sdk.math import Dec
from incentives.pb import events_pb2, tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidPrice, ErrNotPriceFeeder
from incentives.types.state import Price
from tests.incentives.helpers import expect_failure, typed_events
from tests.incentives.world import FEEDER, World, addr


def price_msg(akt_usd: str = "2.5", feeder: str | None = None) -> tx_pb2.MsgPostPrice:
    return tx_pb2.MsgPostPrice(feeder=addr(FEEDER) if feeder is None else feeder, akt_usd=akt_usd)


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgPostPrice, RegisteredError]] = [
    ("feeder_is_invalid", price_msg(feeder="akash1feeder"), ErrInvalidAddress),
    ("price_is_empty", price_msg(""), ErrInvalidPrice),
    ("price_is_not_a_decimal", price_msg("2,5"), ErrInvalidPrice),
    ("price_is_in_exponent_form", price_msg("2.5e0"), ErrInvalidPrice),
    ("price_is_zero", price_msg("0.000000000000000000"), ErrInvalidPrice),
    ("price_is_negative", price_msg("-2.5"), ErrInvalidPrice),
    ("price_has_more_than_18_decimals", price_msg("2.5000000000000000001"), ErrInvalidPrice),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_post_price_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgPostPrice, kind: RegisteredError
) -> None:
    expect_failure(World(), msg, kind)


def test_msg_post_price_fails_when_signer_is_not_a_price_feeder() -> None:
    expect_failure(World(), price_msg(feeder=addr(1)), ErrNotPriceFeeder)


def test_msg_post_price_stores_the_price() -> None:
    world = World()
    world.app.begin_block(world.genesis_time + 500)
    result = world.ok(price_msg("0.000000000000000001"))
    assert result.response == tx_pb2.MsgPostPriceResponse()
    world.app.begin_block(world.genesis_time + 900)
    result = world.ok(price_msg("3.141592653589793238"))
    price = Price(
        akt_usd=Dec.from_str("3.141592653589793238"),
        time=world.genesis_time + 900,
        feeder=addr(FEEDER),
    )
    assert keys.PRICE.get(world.app.context()) == price
    assert typed_events(result.events, events_pb2.EventPricePosted) == [
        events_pb2.EventPricePosted(
            akt_usd="3.141592653589793238", feeder=addr(FEEDER), time=world.genesis_time + 900
        )
    ]
    assert world.app.invariants() == []
