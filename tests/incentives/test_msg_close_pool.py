"""MsgClosePool: every "Fails when" condition, and the close by governance."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.errors import ErrInvalidAddress, ErrInvalidRequest, RegisteredError
from chain.sdk.math import Dec
from incentives.pb import events_pb2, tx_pb2
from incentives.types.errors import ErrInvalidAuthority, ErrPoolClosed, ErrPoolNotFound
from incentives.types.state import PoolStatus
from tests.incentives.helpers import (
    community_pool,
    expect_failure,
    finalized_world,
    module_balance,
    typed_events,
)
from tests.incentives.world import COMMUNITY_POOL, GOV, World, addr

VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgClosePool, RegisteredError]] = [
    ("authority_is_invalid", tx_pb2.MsgClosePool(authority="gov", pool_id=1), ErrInvalidAddress),
    ("pool_id_is_zero", tx_pb2.MsgClosePool(authority=GOV, pool_id=0), ErrInvalidRequest),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_close_pool_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgClosePool, kind: RegisteredError
) -> None:
    expect_failure(finalized_world(), msg, kind)


def test_msg_close_pool_fails_when_signer_is_not_gov_authority() -> None:
    world = finalized_world()
    expect_failure(world, tx_pb2.MsgClosePool(authority=addr(0), pool_id=1), ErrInvalidAuthority)


def test_msg_close_pool_fails_when_pool_does_not_exist() -> None:
    world = finalized_world()
    expect_failure(world, tx_pb2.MsgClosePool(authority=GOV, pool_id=2), ErrPoolNotFound)


def test_msg_close_pool_fails_when_pool_is_already_closed() -> None:
    world = finalized_world()
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    expect_failure(world, tx_pb2.MsgClosePool(authority=GOV, pool_id=1), ErrPoolClosed)


def test_msg_close_pool_returns_the_balance_to_the_community_pool() -> None:
    world = finalized_world()  # pool 1: funded 100M, 1M accrued to provider 1
    result = world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    assert result.response == tx_pb2.MsgClosePoolResponse(
        returned=[Coin(denom="uakt", amount="99000000")]
    )
    pool = world.pool(1)
    assert pool.status == PoolStatus.CLOSED
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        100_000_000,
        0,
        1_000_000,
        0,
        99_000_000,
    )
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL - 1_000_000)
    assert module_balance(world) == 1_000_000  # the unclaimed accrual stays claimable
    assert typed_events(result.events, events_pb2.EventPoolClosed) == [
        events_pb2.EventPoolClosed(pool_id=1, returned="99000000", reason="closed by governance")
    ]
    assert world.app.invariants() == []


def test_msg_close_pool_closes_an_unfunded_pool() -> None:
    world = World()
    world.create_pool("pro_rata")
    result = world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    assert result.response == tx_pb2.MsgClosePoolResponse()
    assert world.pool(1).status == PoolStatus.CLOSED
    assert community_pool(world) == Dec.from_int(COMMUNITY_POOL)
    assert typed_events(result.events, events_pb2.EventPoolClosed) == [
        events_pb2.EventPoolClosed(pool_id=1, returned="0", reason="closed by governance")
    ]
    assert world.app.invariants() == []
