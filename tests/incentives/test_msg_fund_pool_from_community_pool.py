"""MsgFundPoolFromCommunityPool: every "Fails when" condition, and the funding it records."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.modules.distribution.errors import ErrBadDistribution
from chain.sdk.errors import ErrInvalidAddress, ErrInvalidCoins, ErrInvalidRequest, RegisteredError
from chain.sdk.math import Dec
from incentives.pb import events_pb2, tx_pb2
from incentives.types.errors import (
    ErrInvalidAuthority,
    ErrInvalidDenom,
    ErrPoolClosed,
    ErrPoolNotFound,
)
from tests.incentives.helpers import (
    close_pool,
    coins,
    community_pool,
    expect_failure,
    module_balance,
    typed_events,
)
from tests.incentives.world import COMMUNITY_POOL, GOV, World, addr


def fund_msg(pool_id: int = 1, amount: list[Coin] | None = None, authority: str = GOV):
    return tx_pb2.MsgFundPoolFromCommunityPool(
        authority=authority, pool_id=pool_id, amount=coins(1000) if amount is None else amount
    )


def pool_world() -> World:
    world = World()
    world.create_pool("pro_rata")
    return world


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgFundPoolFromCommunityPool, RegisteredError]] = [
    ("authority_is_invalid", fund_msg(authority="akash1bad"), ErrInvalidAddress),
    ("pool_id_is_zero", fund_msg(pool_id=0), ErrInvalidRequest),
    ("coins_are_empty", fund_msg(amount=[]), ErrInvalidCoins),
    ("coin_amount_is_zero", fund_msg(amount=coins(0)), ErrInvalidCoins),
    ("coin_amount_is_negative", fund_msg(amount=coins(-5)), ErrInvalidCoins),
    ("coin_amount_is_not_a_number", fund_msg(amount=coins("1e6")), ErrInvalidCoins),
    ("coin_denom_is_invalid", fund_msg(amount=coins(5, "1x")), ErrInvalidCoins),
    (
        "coins_are_not_sorted",
        fund_msg(amount=coins(5) + coins(5, "stake")),
        ErrInvalidCoins,
    ),
    ("coins_repeat_a_denom", fund_msg(amount=coins(5) + coins(6)), ErrInvalidCoins),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_fund_pool_from_community_pool_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgFundPoolFromCommunityPool, kind: RegisteredError
) -> None:
    expect_failure(pool_world(), msg, kind)


def test_msg_fund_pool_from_community_pool_fails_when_signer_is_not_gov_authority() -> None:
    expect_failure(pool_world(), fund_msg(authority=addr(0)), ErrInvalidAuthority)


def test_msg_fund_pool_from_community_pool_fails_when_pool_does_not_exist() -> None:
    expect_failure(pool_world(), fund_msg(pool_id=2), ErrPoolNotFound)


def test_msg_fund_pool_from_community_pool_fails_when_pool_is_closed() -> None:
    world = pool_world()
    close_pool(world)
    expect_failure(world, fund_msg(), ErrPoolClosed)


def test_msg_fund_pool_from_community_pool_fails_when_amount_is_not_reward_denom() -> None:
    expect_failure(pool_world(), fund_msg(amount=coins(1000, "uatom")), ErrInvalidDenom)


def test_msg_fund_pool_from_community_pool_fails_when_amount_has_another_denom_too() -> None:
    msg = fund_msg(amount=coins(1000) + coins(1000, "uatom"))
    expect_failure(pool_world(), msg, ErrInvalidDenom)


def test_msg_fund_pool_from_community_pool_fails_when_community_pool_holds_less() -> None:
    expect_failure(pool_world(), fund_msg(amount=coins(COMMUNITY_POOL + 1)), ErrBadDistribution)


def test_msg_fund_pool_from_community_pool_funds_the_pool() -> None:
    world = pool_world()
    result = world.ok(fund_msg(amount=coins(250_000_000)))
    assert result.response == tx_pb2.MsgFundPoolFromCommunityPoolResponse()
    pool = world.pool(1)
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        250_000_000,
        250_000_000,
        0,
        0,
        0,
    )
    assert module_balance(world) == 250_000_000
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 250_000_000)
    assert typed_events(result.events, events_pb2.EventPoolFunded) == [
        events_pb2.EventPoolFunded(
            pool_id=1, funder=GOV, amount="250000000", from_community_pool=True
        )
    ]
    # Funding adds up.
    world.ok(fund_msg(amount=coins(1)))
    assert world.pool(1).funded == 250_000_001
    assert world.pool(1).balance == 250_000_001
    assert world.app.invariants() == []
