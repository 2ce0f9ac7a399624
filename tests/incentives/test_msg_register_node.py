"""MsgRegisterNode: every "Fails when" condition, and the node it stores."""

from __future__ import annotations

import pytest

from chain.sdk.errors import ErrInvalidAddress, ErrInvalidRequest, RegisteredError
from incentives.pb import events_pb2, query_pb2, tx_pb2
from incentives.types import keys
from incentives.types.errors import ErrInvalidNodeId, ErrNodeExists, ErrUnknownGpuModel
from incentives.types.state import Node
from tests.incentives.helpers import expect_failure, typed_events
from tests.incentives.world import DAY, World, addr


def node_msg(**overrides: object) -> tx_pb2.MsgRegisterNode:
    fields: dict[str, object] = {
        "owner": addr(1),
        "node_id": "node-1",
        "gpu_model": "h100",
        "gpu_count": 8,
        "benchmark_score": 1500,
    }
    fields.update(overrides)
    return tx_pb2.MsgRegisterNode(**fields)


VALIDATE_BASIC: list[tuple[str, tx_pb2.MsgRegisterNode, RegisteredError]] = [
    ("owner_is_invalid", node_msg(owner="akash1xyz"), ErrInvalidAddress),
    ("owner_is_empty", node_msg(owner=""), ErrInvalidAddress),
    ("node_id_is_empty", node_msg(node_id=""), ErrInvalidNodeId),
    ("node_id_is_over_64_characters", node_msg(node_id="n" * 65), ErrInvalidNodeId),
    ("node_id_starts_with_a_symbol", node_msg(node_id="-node"), ErrInvalidNodeId),
    ("node_id_has_a_forbidden_character", node_msg(node_id="node/1"), ErrInvalidNodeId),
    ("node_id_has_a_space", node_msg(node_id="node 1"), ErrInvalidNodeId),
    ("gpu_model_is_empty", node_msg(gpu_model=""), ErrInvalidRequest),
    ("gpu_count_is_zero", node_msg(gpu_count=0), ErrInvalidRequest),
    ("gpu_count_is_above_1024", node_msg(gpu_count=1025), ErrInvalidRequest),
]


@pytest.mark.parametrize(
    ("msg", "kind"), [case[1:] for case in VALIDATE_BASIC], ids=[case[0] for case in VALIDATE_BASIC]
)
def test_msg_register_node_fails_when_validate_basic_fails(
    msg: tx_pb2.MsgRegisterNode, kind: RegisteredError
) -> None:
    expect_failure(World(), msg, kind)


def test_msg_register_node_fails_when_gpu_model_is_not_in_catalog() -> None:
    expect_failure(World(), node_msg(gpu_model="gtx1080"), ErrUnknownGpuModel)


def test_msg_register_node_fails_when_node_id_is_taken() -> None:
    world = World()
    world.ok(node_msg())
    expect_failure(world, node_msg(owner=addr(2), gpu_model="a10"), ErrNodeExists)


def test_msg_register_node_stores_the_node() -> None:
    world = World()
    world.next_epoch()
    world.app.begin_block(world.genesis_time + DAY + 77)
    longest = "N" + "a1._:-" * 10 + "xyz"
    assert len(longest) == 64
    result = world.ok(node_msg(node_id=longest, gpu_count=1024))
    assert result.response == tx_pb2.MsgRegisterNodeResponse()
    ctx = world.app.context()
    assert keys.NODES.get(ctx, longest) == Node(
        id=longest,
        owner=addr(1),
        gpu_model="h100",
        gpu_count=1024,
        benchmark_score=1500,
        registered_time=world.genesis_time + DAY + 77,
        registered_epoch=2,
    )
    assert list(keys.NODES_BY_OWNER.iterate(ctx)) == [(addr(1), longest)]
    answer = world.app.incentives.query_server.Nodes(
        ctx, query_pb2.QueryNodesRequest(owner=addr(1))
    )
    assert [node.id for node in answer.nodes] == [longest]
    assert typed_events(result.events, events_pb2.EventNodeRegistered) == [
        events_pb2.EventNodeRegistered(
            node_id=longest, owner=addr(1), gpu_model="h100", gpu_count=1024
        )
    ]
    assert world.app.invariants() == []
