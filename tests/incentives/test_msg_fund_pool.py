"""MsgFundPool: every "Fails when" condition, and the funding it records."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.errors import (
    ErrInsufficientFunds,
    ErrInvalidAddress,
    ErrInvalidCoins,
    ErrInvalidRequest,
    RegisteredError,
)
from chain.sdk.math import Dec
from incentives.pb import events_pb2, tx_pb2
from incentives.types.errors import ErrInvalidDenom, ErrPoolClosed, ErrPoolNotFound
from tests.incentives.helpers import (
    address,
    close_pool,
    coins,
    community_pool,
    expect_failure,
    module_balance,
    typed_events,
)
from tests.incentives.world import ACCOUNT_BALANCE, COMMUNITY_POOL, World, addr


def fund_msg(pool_id: int = 1, amount: list[Coin] | None = None, depositor: str | None = None):
    return tx_pb2.MsgFundPool(
        depositor=addr(3) if depositor is None else depositor,
        pool_id=pool_id,
        amount=coins(1000) if amount is None else amount,
    )


def pool_world() -> World:
    world = World()
    world.create_pool("pro_rata")
    return world


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgFundPool, RegisteredError]] = [
    ("depositor_is_invalid", fund_msg(depositor="akash1bad"), ErrInvalidAddress),
    ("depositor_is_empty", fund_msg(depositor=""), ErrInvalidAddress),
    ("pool_id_is_zero", fund_msg(pool_id=0), ErrInvalidRequest),
    ("coins_are_empty", fund_msg(amount=[]), ErrInvalidCoins),
    ("coin_amount_is_zero", fund_msg(amount=coins(0)), ErrInvalidCoins),
    ("coin_amount_is_negative", fund_msg(amount=coins(-1)), ErrInvalidCoins),
    ("coin_denom_is_invalid", fund_msg(amount=coins(5, "u")), ErrInvalidCoins),
    ("coins_repeat_a_denom", fund_msg(amount=coins(5) + coins(6)), ErrInvalidCoins),
    ("coins_are_not_sorted", fund_msg(amount=coins(5) + coins(6, "stake")), ErrInvalidCoins),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_fund_pool_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgFundPool, kind: RegisteredError
) -> None:
    expect_failure(pool_world(), msg, kind)


def test_msg_fund_pool_fails_when_pool_does_not_exist() -> None:
    expect_failure(pool_world(), fund_msg(pool_id=7), ErrPoolNotFound)


def test_msg_fund_pool_fails_when_pool_is_closed() -> None:
    world = pool_world()
    close_pool(world)
    expect_failure(world, fund_msg(), ErrPoolClosed)


def test_msg_fund_pool_fails_when_amount_is_not_reward_denom() -> None:
    expect_failure(pool_world(), fund_msg(amount=coins(1000, "uatom")), ErrInvalidDenom)


def test_msg_fund_pool_fails_when_amount_has_another_denom_too() -> None:
    expect_failure(pool_world(), fund_msg(amount=coins(1000) + coins(1, "uatom")), ErrInvalidDenom)


def test_msg_fund_pool_fails_when_depositor_balance_is_too_low() -> None:
    msg = fund_msg(amount=coins(ACCOUNT_BALANCE + 1))
    expect_failure(pool_world(), msg, ErrInsufficientFunds)


def test_msg_fund_pool_fails_when_depositor_has_no_balance_at_all() -> None:
    expect_failure(pool_world(), fund_msg(depositor=address(42)), ErrInsufficientFunds)


def test_msg_fund_pool_funds_the_pool() -> None:
    world = pool_world()
    result = world.ok(fund_msg(amount=coins(12_345)))
    assert result.response == tx_pb2.MsgFundPoolResponse()
    pool = world.pool(1)
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        12_345,
        12_345,
        0,
        0,
        0,
    )
    assert world.balance(3) == ACCOUNT_BALANCE - 12_345
    assert module_balance(world) == 12_345
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL)
    assert typed_events(result.events, events_pb2.EventPoolFunded) == [
        events_pb2.EventPoolFunded(
            pool_id=1, funder=addr(3), amount="12345", from_community_pool=False
        )
    ]
    assert world.app.invariants() == []
