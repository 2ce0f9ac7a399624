"""MsgJoinPool: every "Fails when" condition, and the membership it stores."""

from __future__ import annotations

import pytest

from chain.sdk.errors import ErrInvalidAddress, ErrInvalidRequest, RegisteredError
from incentives.pb import events_pb2, params_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.errors import (
    ErrAlreadyMember,
    ErrCapacityExceeded,
    ErrInvalidCommitment,
    ErrInvalidNodeId,
    ErrNodeNotFound,
    ErrNotEligible,
    ErrNotNodeOwner,
    ErrPoolClosed,
    ErrPoolEnded,
    ErrPoolNotFound,
)
from incentives.types.state import Membership
from tests.incentives.helpers import close_pool, expect_failure, pool_msg, typed_events
from tests.incentives.world import World, addr


def join_msg(
    owner: int | str = 1, node_id: str = "n1", pool_id: int = 1, until_epoch: int | None = None
) -> tx_pb2.MsgJoinPool:
    msg = tx_pb2.MsgJoinPool(
        owner=addr(owner) if isinstance(owner, int) else owner, pool_id=pool_id, node_id=node_id
    )
    if until_epoch is not None:
        msg.commitment.until_epoch = until_epoch
    return msg


def world_with(
    rule: str = "availability", gpu_model: str = "rtx4090", gpu_count: int = 1, **pool: object
) -> World:
    """A world with pool 1 of ``rule`` and provider 1's node ``n1``."""
    world = World()
    world.ok(pool_msg(world, rule, **pool))
    world.register(1, "n1", gpu_model=gpu_model, gpu_count=gpu_count)
    return world


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgJoinPool, RegisteredError]] = [
    ("owner_is_invalid", join_msg(owner="akash1zzz"), ErrInvalidAddress),
    ("pool_id_is_zero", join_msg(pool_id=0), ErrInvalidRequest),
    ("node_id_is_malformed", join_msg(node_id="_n1"), ErrInvalidNodeId),
    ("commitment_ends_at_epoch_zero", join_msg(until_epoch=0), ErrInvalidCommitment),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_join_pool_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgJoinPool, kind: RegisteredError
) -> None:
    expect_failure(world_with("fixed_rate", "h100"), msg, kind)


def test_msg_join_pool_fails_when_node_does_not_exist() -> None:
    expect_failure(world_with(), join_msg(node_id="n2"), ErrNodeNotFound)


def test_msg_join_pool_fails_when_signer_does_not_own_the_node() -> None:
    expect_failure(world_with(), join_msg(owner=2), ErrNotNodeOwner)


def test_msg_join_pool_fails_when_pool_does_not_exist() -> None:
    expect_failure(world_with(), join_msg(pool_id=2), ErrPoolNotFound)


def test_msg_join_pool_fails_when_pool_is_closed() -> None:
    world = world_with()
    close_pool(world)
    expect_failure(world, join_msg(), ErrPoolClosed)


def test_msg_join_pool_fails_when_pool_term_has_ended() -> None:
    world = world_with(start_epoch=1, end_epoch=2)
    world.next_epoch(2)  # epoch 3: the term is over, epoch 2 not finalized, the pool still open
    assert world.pool(1).status == 1
    expect_failure(world, join_msg(), ErrPoolEnded)


def test_msg_join_pool_fails_when_node_already_joined() -> None:
    world = world_with()
    world.join(1, "n1")
    expect_failure(world, join_msg(), ErrAlreadyMember)


def test_msg_join_pool_fails_when_vendor_is_not_eligible() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(vendors=[params_pb2.VENDOR_AMD]))
    expect_failure(world, join_msg(), ErrNotEligible)


def test_msg_join_pool_fails_when_model_is_not_eligible() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(gpu_models=["h100", "h200"]))
    expect_failure(world, join_msg(), ErrNotEligible)


def test_msg_join_pool_fails_when_memory_is_below_minimum() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(min_vram_gb=25))  # rtx4090: 24 GB
    expect_failure(world, join_msg(), ErrNotEligible)


def test_msg_join_pool_fails_when_launch_year_is_before_minimum() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(min_launch_year=2023))  # rtx4090: 2022
    expect_failure(world, join_msg(), ErrNotEligible)


def test_msg_join_pool_fails_when_provider_has_max_nodes_in_pool() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(max_nodes_per_provider=2))
    world.register(1, "n2")
    world.register(1, "n3")
    world.register(2, "m1")
    world.join(1, "n1")
    world.join(1, "n2")
    world.join(2, "m1")  # another provider is not affected
    expect_failure(world, join_msg(node_id="n3"), ErrNotEligible)


def test_msg_join_pool_fails_when_provider_has_max_nodes_under_another_address_case() -> None:
    """The same account must not pass the per-provider node limit by writing its address in
    upper case (bech32 accepts both); node owners must be compared as accounts."""
    world = world_with(eligibility=types_pb2.Eligibility(max_nodes_per_provider=1))
    world.join(1, "n1")
    upper = addr(1).upper()
    registered = world.deliver(
        tx_pb2.MsgRegisterNode(owner=upper, node_id="n2", gpu_model="rtx4090", gpu_count=1)
    )
    if registered.ok:
        before = world.state()
        result = world.deliver(join_msg(owner=upper, node_id="n2"))
        assert result.error is not None, (
            "one account joined two nodes to a 1-node-per-provider pool"
        )
        assert result.error.is_(ErrNotEligible) or result.error.is_(ErrInvalidAddress)
        assert world.state() == before
    else:
        assert registered.error is not None
        assert registered.error.is_(ErrInvalidAddress)
    assert world.app.invariants() == []


def test_msg_join_pool_fails_when_fixed_rate_pool_gets_no_commitment() -> None:
    expect_failure(world_with("fixed_rate", "h100"), join_msg(), ErrInvalidCommitment)


def test_msg_join_pool_fails_when_commitment_is_shorter_than_minimum_term() -> None:
    world = world_with("fixed_rate", "h100")  # start 1, min 5 epochs: until >= 5
    expect_failure(world, join_msg(until_epoch=4), ErrInvalidCommitment)


def test_msg_join_pool_fails_when_commitment_is_shorter_than_minimum_term_from_now() -> None:
    world = world_with("fixed_rate", "h100")
    world.next_epoch(3)  # epoch 4: the minimum term runs from now, until >= 8
    expect_failure(world, join_msg(until_epoch=7), ErrInvalidCommitment)


def test_msg_join_pool_fails_when_fixed_rate_pool_has_no_rate_for_the_model() -> None:
    world = world_with("fixed_rate", "rtx4090")
    expect_failure(world, join_msg(until_epoch=5), ErrNotEligible)


def test_msg_join_pool_fails_when_model_gpu_cap_would_be_exceeded() -> None:
    world = world_with("fixed_rate", "h100", gpu_count=80)  # h100 cap: 83 GPUs
    world.register(2, "m1", gpu_model="h100", gpu_count=4)
    world.join(1, "n1", until_epoch=5)
    expect_failure(world, join_msg(owner=2, node_id="m1", until_epoch=5), ErrCapacityExceeded)


def test_msg_join_pool_fails_when_single_node_exceeds_model_gpu_cap() -> None:
    world = world_with("fixed_rate", "a100-80gb", gpu_count=55)  # a100-80gb cap: 54 GPUs
    expect_failure(world, join_msg(until_epoch=5), ErrCapacityExceeded)


@pytest.mark.parametrize("rule", ["pro_rata", "availability"])
def test_msg_join_pool_fails_when_commitment_is_given_to_pool_of_another_rule(rule: str) -> None:
    expect_failure(world_with(rule), join_msg(until_epoch=5), ErrInvalidCommitment)


def test_msg_join_pool_stores_the_membership() -> None:
    world = world_with(eligibility=types_pb2.Eligibility(max_nodes_per_provider=2))
    world.next_epoch()
    result = world.ok(join_msg())
    assert result.response == tx_pb2.MsgJoinPoolResponse()
    ctx = world.app.context()
    assert keys.MEMBERSHIPS.get(ctx, (1, "n1")) == Membership(
        pool_id=1, node_id="n1", owner=addr(1), joined_epoch=2, until_epoch=0
    )
    assert list(keys.MEMBERSHIPS_BY_NODE.iterate(ctx)) == [("n1", 1)]
    assert keys.PROVIDER_NODES.get(ctx, (1, addr(1))) == 1
    assert list(keys.COMMITTED_GPUS.iterate(ctx)) == []
    assert typed_events(result.events, events_pb2.EventPoolJoined) == [
        events_pb2.EventPoolJoined(pool_id=1, node_id="n1", owner=addr(1), until_epoch=0)
    ]
    assert world.app.invariants() == []


def test_msg_join_pool_stores_the_commitment_of_a_fixed_rate_pool() -> None:
    world = world_with("fixed_rate", "h100", gpu_count=80)
    world.register(2, "m1", gpu_model="h100", gpu_count=3)
    world.join(1, "n1", until_epoch=5)
    result = world.ok(join_msg(owner=2, node_id="m1", until_epoch=30))  # exactly at the cap
    ctx = world.app.context()
    assert keys.MEMBERSHIPS.get(ctx, (1, "m1")) == Membership(
        pool_id=1, node_id="m1", owner=addr(2), joined_epoch=1, until_epoch=30
    )
    assert keys.COMMITTED_GPUS.get(ctx, (1, "h100")) == 83
    assert keys.PROVIDER_NODES.get(ctx, (1, addr(2))) == 1
    assert typed_events(result.events, events_pb2.EventPoolJoined) == [
        events_pb2.EventPoolJoined(pool_id=1, node_id="m1", owner=addr(2), until_epoch=30)
    ]
    assert world.app.invariants() == []
