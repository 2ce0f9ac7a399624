"""MsgSubmitAttestation: every "Fails when" condition, and the reports it stores."""

from __future__ import annotations

import dataclasses

import pytest

from chain.sdk.errors import ErrInvalidAddress, ErrInvalidRequest, RegisteredError
from incentives.pb import events_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentives.types.errors import (
    ErrEpochNotOpen,
    ErrInvalidNodeId,
    ErrInvalidReport,
    ErrNotAttester,
    ErrNotMember,
    ErrPoolClosed,
    ErrPoolNotFound,
)
from incentives.types.state import NodeReport
from tests.incentives.helpers import (
    attest_msg,
    close_pool,
    expect_failure,
    pool_msg,
    typed_events,
)
from tests.incentives.world import ATTESTER, DAY, World, addr


def member_world(**pool: object) -> World:
    """Pool 1 (pro-rata) with provider 1's nodes ``n1`` and ``n2`` joined in epoch 1."""
    world = World()
    world.ok(pool_msg(world, "pro_rata", **pool))
    world.fund()
    for node_id in ("n1", "n2"):
        world.register(1, node_id)
        world.join(1, node_id)
    return world


def report(node_id: str = "n1", online: int = 3600, idle: int = 0) -> types_pb2.NodeReport:
    return types_pb2.NodeReport(node_id=node_id, online_seconds=online, idle_seconds=idle)


def msg_with(**overrides: object) -> tx_pb2.MsgSubmitAttestation:
    fields: dict[str, object] = {
        "attester": addr(ATTESTER),
        "pool_id": 1,
        "epoch": 1,
        "reports": [report()],
    }
    fields.update(overrides)
    return tx_pb2.MsgSubmitAttestation(**fields)


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgSubmitAttestation, RegisteredError]] = [
    ("attester_is_invalid", msg_with(attester="akash1q"), ErrInvalidAddress),
    ("pool_id_is_zero", msg_with(pool_id=0), ErrInvalidRequest),
    ("epoch_is_zero", msg_with(epoch=0), ErrInvalidReport),
    ("there_are_no_reports", msg_with(reports=[]), ErrInvalidReport),
    ("a_node_is_reported_twice", msg_with(reports=[report(), report(online=5)]), ErrInvalidReport),
    ("a_node_id_is_malformed", msg_with(reports=[report("n 1")]), ErrInvalidNodeId),
    ("idle_exceeds_online", msg_with(reports=[report(online=10, idle=11)]), ErrInvalidReport),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_submit_attestation_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgSubmitAttestation, kind: RegisteredError
) -> None:
    expect_failure(member_world(), msg, kind)


def test_msg_submit_attestation_fails_when_reports_exceed_the_limit() -> None:
    world = member_world()
    ctx = world.app.context()
    params = world.app.incentives.keeper.get_params(ctx)
    keys.PARAMS.set(ctx, dataclasses.replace(params, max_reports_per_attestation=1))
    msg = msg_with(reports=[report("n1"), report("n2")])
    expect_failure(world, msg, ErrInvalidReport)


def test_msg_submit_attestation_fails_when_pool_does_not_exist() -> None:
    expect_failure(member_world(), msg_with(pool_id=2), ErrPoolNotFound)


def test_msg_submit_attestation_fails_when_pool_is_closed() -> None:
    world = member_world()
    close_pool(world)
    expect_failure(world, msg_with(), ErrPoolClosed)


def test_msg_submit_attestation_fails_when_signer_is_not_an_attester() -> None:
    expect_failure(member_world(), msg_with(attester=addr(1)), ErrNotAttester)


def test_msg_submit_attestation_fails_when_epoch_is_before_pool_term() -> None:
    world = World()
    world.next_epoch(2)
    world.ok(pool_msg(world, "pro_rata", start_epoch=4, end_epoch=6))
    world.register(1, "n1")
    world.join(1, "n1")
    world.next_epoch()  # epoch 4
    world.ok(msg_with(epoch=4))
    expect_failure(world, msg_with(epoch=3), ErrEpochNotOpen)


def test_msg_submit_attestation_fails_when_epoch_is_after_pool_term() -> None:
    world = member_world(start_epoch=1, end_epoch=2)
    world.next_epoch(2)  # epoch 3; epoch 2 still open, the pool not closed yet
    world.ok(msg_with(epoch=2))
    expect_failure(world, msg_with(epoch=3), ErrEpochNotOpen)


def test_msg_submit_attestation_fails_when_epoch_has_not_started() -> None:
    world = member_world()
    world.next_epoch()  # epoch 2
    expect_failure(world, msg_with(epoch=3), ErrEpochNotOpen)


def test_msg_submit_attestation_fails_when_epoch_is_already_finalized() -> None:
    world = member_world()
    world.ok(msg_with(epoch=1))
    world.next_epoch(2)  # the end of epoch 2 finalized epoch 1
    assert world.pool(1).last_finalized_epoch == 1
    world.ok(msg_with(epoch=2))
    expect_failure(world, msg_with(epoch=1), ErrEpochNotOpen)


def test_msg_submit_attestation_fails_when_node_has_not_joined_the_pool() -> None:
    world = member_world()
    world.register(2, "m1")
    msg = msg_with(reports=[report("n1"), report("m1")])
    expect_failure(world, msg, ErrNotMember)


def test_msg_submit_attestation_fails_when_node_is_unknown() -> None:
    expect_failure(member_world(), msg_with(reports=[report("ghost")]), ErrNotMember)


def test_msg_submit_attestation_fails_when_node_joined_after_the_epoch() -> None:
    world = member_world()
    world.next_epoch()  # epoch 2
    world.register(2, "m1")
    world.join(2, "m1")
    world.ok(msg_with(epoch=2, reports=[report("m1")]))
    expect_failure(world, msg_with(epoch=1, reports=[report("n1"), report("m1")]), ErrNotMember)


def test_msg_submit_attestation_fails_when_report_claims_more_seconds_than_an_epoch() -> None:
    world = member_world()
    world.ok(msg_with(reports=[report(online=DAY, idle=DAY)]))
    expect_failure(world, msg_with(reports=[report(online=DAY + 1)]), ErrInvalidReport)


def test_msg_submit_attestation_stores_the_reports() -> None:
    world = member_world(attesters=[addr(ATTESTER), addr(7)], attestation_quorum=1)
    first = types_pb2.NodeReport(
        node_id="n1", online_seconds=3000, idle_seconds=1000, benchmark_score=1400
    )
    result = world.ok(msg_with(reports=[first, report("n2", 200, 100)]))
    assert result.response == tx_pb2.MsgSubmitAttestationResponse()
    world.ok(msg_with(attester=addr(7), reports=[report("n1", 10, 5)]))
    ctx = world.app.context()
    assert dict(keys.ATTESTATIONS.iterate(ctx)) == {
        (1, 1, "n1", addr(7)): NodeReport(node_id="n1", online_seconds=10, idle_seconds=5),
        (1, 1, "n1", addr(ATTESTER)): NodeReport(
            node_id="n1", online_seconds=3000, idle_seconds=1000, benchmark_score=1400
        ),
        (1, 1, "n2", addr(ATTESTER)): NodeReport(
            node_id="n2", online_seconds=200, idle_seconds=100
        ),
    }
    assert typed_events(result.events, events_pb2.EventAttestationSubmitted) == [
        events_pb2.EventAttestationSubmitted(pool_id=1, epoch=1, attester=addr(ATTESTER), reports=2)
    ]
    # A later report of the same attester, node and epoch replaces the earlier one.
    world.ok(attest_msg(world, [("n1", 50, 0)]))
    assert keys.ATTESTATIONS.get(world.app.context(), (1, 1, "n1", addr(ATTESTER))) == NodeReport(
        node_id="n1", online_seconds=50, idle_seconds=0
    )
    assert len(keys.ATTESTATIONS.keys(world.app.context())) == 3
    assert world.app.invariants() == []
