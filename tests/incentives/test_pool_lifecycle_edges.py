"""Edges of a pool's life: what closing drops, what a closed pool still answers, and the shortest
commitment a fixed-rate pool takes."""

from __future__ import annotations

import pytest

from chain.sdk.errors import SdkError
from incentives.pb import query_pb2, tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidCommitment, ErrPoolClosed
from tests.incentives.helpers import expect_failure
from tests.incentives.world import DAY, GOV, World, addr


def test_closing_a_pool_drops_attestations_of_unfinalized_epochs() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    assert world.attest([("n1", DAY, 0)]).ok
    ctx = world.app.context()
    assert keys.ATTESTATIONS.keys(ctx, prefix=(1,))
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    assert keys.ATTESTATIONS.keys(world.app.context(), prefix=(1,)) == []
    assert world.app.invariants() == []


def test_estimate_reward_fails_when_the_pool_is_closed() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.register(1, "n1")
    world.join(1, "n1")
    world.ok(tx_pb2.MsgClosePool(authority=GOV, pool_id=1))
    query = world.app.incentives.query_server
    request = query_pb2.QueryEstimateRewardRequest(
        pool_id=1, node_id="n1", online_seconds=DAY, idle_seconds=0
    )
    with pytest.raises(SdkError) as raised:
        query.EstimateReward(world.app.context(), request)
    assert raised.value.is_(ErrPoolClosed)


def test_msg_join_pool_fails_when_a_commitment_ends_before_the_current_epoch() -> None:
    world = World()
    world.next_epoch(3)
    world.create_pool(
        "fixed_rate",
        fixed_rate={
            "rates": [{"gpu_model": "h100", "usd_micros_per_gpu_hour": 2_490_000, "max_gpus": 8}],
            "min_commitment_epochs": 0,
        },
    )
    world.register(1, "h1", gpu_model="h100", gpu_count=8)
    msg = tx_pb2.MsgJoinPool(owner=addr(1), pool_id=1, node_id="h1")
    msg.commitment.until_epoch = world.epoch - 1
    expect_failure(world, msg, ErrInvalidCommitment)
    msg.commitment.until_epoch = world.epoch
    world.ok(msg)
