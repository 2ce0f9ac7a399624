"""MsgClaimRewards: every "Fails when" condition, and the payments it makes."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.sdk.errors import ErrInvalidAddress
from incentives.pb import events_pb2, tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrNoRewards, ErrPoolNotFound
from incentives.types.state import Payment, PoolStatus
from tests.incentives.helpers import (
    close_pool,
    expect_failure,
    finalized_world,
    module_balance,
    typed_events,
)
from tests.incentives.world import ACCOUNT_BALANCE, World, addr


@pytest.mark.parametrize(
    "provider",
    ["", "akash1bogus", "cosmos1qgpqyqszqgpqyqszqgpqyqszqgpqyqsz"],
    ids=["provider_is_empty", "provider_is_not_bech32", "provider_has_another_prefix"],
)
def test_msg_claim_rewards_fails_when_validate_basic_fails(provider: str) -> None:
    world = finalized_world()
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=provider), ErrInvalidAddress)


def test_msg_claim_rewards_fails_when_given_pool_does_not_exist() -> None:
    world = finalized_world()
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=addr(1), pool_id=2), ErrPoolNotFound)


def test_msg_claim_rewards_fails_when_nothing_has_accrued() -> None:
    world = finalized_world()
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=addr(2)), ErrNoRewards)


def test_msg_claim_rewards_fails_when_nothing_has_accrued_in_given_pool() -> None:
    world = finalized_world()
    world.create_pool("pro_rata")
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=addr(1), pool_id=2), ErrNoRewards)


def test_msg_claim_rewards_fails_when_everything_was_already_claimed() -> None:
    world = finalized_world()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    expect_failure(world, tx_pb2.MsgClaimRewards(provider=addr(1)), ErrNoRewards)


def two_pool_world() -> World:
    """Provider 1 accrued in pool 1 for epochs 1 and 2 and in pool 2 for epoch 2 (the world
    is in epoch 4); provider 2 accrued in pool 1 for epoch 2."""
    world = World()
    for _ in range(2):
        pool_id = world.create_pool("pro_rata")
        world.fund(pool_id)
    world.register(1, "n1")
    world.register(2, "m1")
    world.join(1, "n1", pool_id=1)
    world.join(1, "n1", pool_id=2)
    assert world.attest([("n1", 3600, 0)], pool_id=1).ok
    world.next_epoch()
    world.join(2, "m1", pool_id=1)
    assert world.attest([("n1", 3000, 0), ("m1", 1000, 0)], pool_id=1).ok
    assert world.attest([("n1", 10, 0)], pool_id=2).ok
    world.next_epoch(2)
    return world


def test_msg_claim_rewards_pays_every_accrual() -> None:
    world = two_pool_world()
    ctx = world.app.context()
    assert [(a.pool_id, a.epoch, int(a.amount)) for a in keys.ACCRUALS.values(ctx, (addr(1),))] == [
        (1, 1, 1_000_000),
        (1, 2, 750_000),
        (2, 2, 1_000_000),
    ]
    world.app.begin_block(world.app.header.time + 30)
    result = world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    assert result.response == tx_pb2.MsgClaimRewardsResponse(
        amount=[Coin(denom="uakt", amount="2750000")]
    )
    assert world.balance(1) == ACCOUNT_BALANCE + 2_750_000
    height, time = world.app.header.height, world.app.header.time
    ctx = world.app.context()
    assert list(keys.PAYMENTS.values(ctx)) == [
        Payment(
            id=1, pool_id=1, epoch=1, provider=addr(1), amount=1_000_000, height=height, time=time
        ),
        Payment(
            id=2, pool_id=1, epoch=2, provider=addr(1), amount=750_000, height=height, time=time
        ),
        Payment(
            id=3, pool_id=2, epoch=2, provider=addr(1), amount=1_000_000, height=height, time=time
        ),
    ]
    assert list(keys.PAYMENTS_BY_POOL.iterate(ctx)) == [(1, 1), (1, 2), (2, 3)]
    assert list(keys.ACCRUALS.values(ctx, (addr(1),))) == []
    assert [key[1] for key in keys.ACCRUALS_BY_EXPIRY.iterate(ctx)] == [addr(2)]
    one, two = world.pool(1), world.pool(2)
    assert (one.funded, one.balance, one.accrued, one.paid) == (
        100_000_000,
        98_000_000,
        250_000,
        1_750_000,
    )
    assert (two.funded, two.balance, two.accrued, two.paid) == (
        100_000_000,
        99_000_000,
        0,
        1_000_000,
    )
    assert module_balance(world) == 98_000_000 + 250_000 + 99_000_000
    assert typed_events(result.events, events_pb2.EventRewardsClaimed) == [
        events_pb2.EventRewardsClaimed(
            provider=addr(1), pool_id=1, amount="1000000", payment_id=1, epoch=1
        ),
        events_pb2.EventRewardsClaimed(
            provider=addr(1), pool_id=1, amount="750000", payment_id=2, epoch=2
        ),
        events_pb2.EventRewardsClaimed(
            provider=addr(1), pool_id=2, amount="1000000", payment_id=3, epoch=2
        ),
    ]
    assert world.app.invariants() == []


def test_msg_claim_rewards_pays_one_pool_only() -> None:
    world = two_pool_world()
    result = world.ok(tx_pb2.MsgClaimRewards(provider=addr(1), pool_id=2))
    assert result.response == tx_pb2.MsgClaimRewardsResponse(
        amount=[Coin(denom="uakt", amount="1000000")]
    )
    ctx = world.app.context()
    assert [(a.pool_id, a.epoch) for a in keys.ACCRUALS.values(ctx, (addr(1),))] == [
        (1, 1),
        (1, 2),
    ]
    assert [p.pool_id for p in keys.PAYMENTS.values(ctx)] == [2]
    assert world.balance(1) == ACCOUNT_BALANCE + 1_000_000
    assert world.app.invariants() == []


def test_msg_claim_rewards_pays_from_a_closed_pool() -> None:
    world = finalized_world()
    close_pool(world)
    assert world.pool(1).status == PoolStatus.CLOSED
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1), pool_id=1))
    pool = world.pool(1)
    assert (pool.funded, pool.balance, pool.accrued, pool.paid, pool.returned) == (
        100_000_000,
        0,
        0,
        1_000_000,
        99_000_000,
    )
    assert module_balance(world) == 0
    assert world.app.invariants() == []
