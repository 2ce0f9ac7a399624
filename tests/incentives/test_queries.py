"""The Query service: every handler of incentives/keeper/query_server.py, its pagination and
its failures. Queries never write."""

from __future__ import annotations

from typing import Any

import pytest
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.message import Message

from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrNotFound,
    RegisteredError,
    SdkError,
)
from incentives.pb import params_pb2, query_pb2, tx_pb2, types_pb2
from incentives.types import codec, keys
from incentives.types.errors import ErrNodeNotFound, ErrNoPrice, ErrNotMember, ErrPoolNotFound
from tests.incentives.helpers import finalized_world
from tests.incentives.world import ATTESTER, FEEDER, World, addr


def query(world: World, method: str, request: Message) -> Any:
    """Run one query handler on the committed state and check that it wrote nothing."""
    before = world.state()
    handler = world.app.incentives.query_handlers()[f"/akash.incentives.v1.Query/{method}"]
    response = handler(world.app.context(), request)
    assert world.state() == before
    return response


def query_error(world: World, method: str, request: Message, kind: RegisteredError) -> None:
    before = world.state()
    with pytest.raises(SdkError) as raised:
        query(world, method, request)
    assert raised.value.is_(kind), raised.value.log
    assert world.state() == before
    assert world.app.invariants() == []


def test_query_handlers_cover_every_rpc() -> None:
    world = World()
    assert sorted(world.app.incentives.query_handlers()) == sorted(
        f"/akash.incentives.v1.Query/{name}"
        for name in (
            "Params",
            "Pool",
            "Pools",
            "Node",
            "Nodes",
            "Accruals",
            "Allocation",
            "Payments",
            "Redirects",
            "Price",
            "EstimateReward",
        )
    )


def test_query_params() -> None:
    world = World()
    response = query(world, "Params", query_pb2.QueryParamsRequest())
    params = response.params
    assert isinstance(params, params_pb2.Params)
    assert params.epoch_identifier == "day"
    assert params.settlement_lag_epochs == 1
    assert params.claim_window_epochs == 30
    assert params.max_price_age_seconds == 3600
    assert list(params.price_feeders) == [addr(FEEDER)]
    assert params.reward_denom == "uakt"
    assert params.max_reports_per_attestation == 1000
    assert len(params.gpu_models) == 15
    assert world.app.invariants() == []


def test_query_pool() -> None:
    world = finalized_world()
    response = query(world, "Pool", query_pb2.QueryPoolRequest(pool_id=1))
    assert response.pool == codec.pool_to_pb(world.pool(1))
    assert response.pool.balance == "99000000"
    assert response.pool.accrued == "1000000"
    assert response.pool.status == types_pb2.POOL_STATUS_ACTIVE
    query_error(world, "Pool", query_pb2.QueryPoolRequest(pool_id=2), ErrPoolNotFound)
    assert world.app.invariants() == []


def pool_ids(response: query_pb2.QueryPoolsResponse) -> list[int]:
    return [pool.id for pool in response.pools]


def test_query_pools_paginates() -> None:
    world = World()
    for _ in range(5):
        world.create_pool("pro_rata")
    everything = query(world, "Pools", query_pb2.QueryPoolsRequest())
    assert pool_ids(everything) == [1, 2, 3, 4, 5]
    assert everything.pagination.next_key == b""
    assert everything.pools[2] == codec.pool_to_pb(world.pool(3))

    first = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(pagination=PageRequest(limit=2, count_total=True)),
    )
    assert pool_ids(first) == [1, 2]
    assert first.pagination.total == 5
    assert first.pagination.next_key != b""
    second = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(pagination=PageRequest(key=first.pagination.next_key, limit=2)),
    )
    assert pool_ids(second) == [3, 4]
    third = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(
            pagination=PageRequest(key=second.pagination.next_key, limit=2)
        ),
    )
    assert pool_ids(third) == [5]
    assert third.pagination.next_key == b""

    by_offset = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(pagination=PageRequest(offset=1, limit=2, count_total=True)),
    )
    assert pool_ids(by_offset) == [2, 3]
    assert by_offset.pagination.total == 5
    last = query(
        world, "Pools", query_pb2.QueryPoolsRequest(pagination=PageRequest(offset=3, limit=2))
    )
    assert pool_ids(last) == [4, 5]
    assert last.pagination.next_key == b""
    assert last.pagination.total == 0  # not asked for
    reverse = query(
        world, "Pools", query_pb2.QueryPoolsRequest(pagination=PageRequest(limit=2, reverse=True))
    )
    assert pool_ids(reverse) == [5, 4]
    reverse_next = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(
            pagination=PageRequest(key=reverse.pagination.next_key, limit=2, reverse=True)
        ),
    )
    assert pool_ids(reverse_next) == [3, 2]
    query_error(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(
            pagination=PageRequest(key=first.pagination.next_key, offset=1)
        ),
        ErrInvalidRequest,
    )
    assert world.app.invariants() == []


def test_query_pools_count_total_with_a_key_is_not_a_partial_count() -> None:
    """With ``key`` the SDK's pagination ignores ``count_total`` (total 0); a count of only the
    entries from the key on would read as a wrong total."""
    world = World()
    for _ in range(5):
        world.create_pool("pro_rata")
    first = query(world, "Pools", query_pb2.QueryPoolsRequest(pagination=PageRequest(limit=2)))
    second = query(
        world,
        "Pools",
        query_pb2.QueryPoolsRequest(
            pagination=PageRequest(key=first.pagination.next_key, limit=2, count_total=True)
        ),
    )
    assert pool_ids(second) == [3, 4]
    assert second.pagination.total in (0, 5)
    assert world.app.invariants() == []


def test_query_node_and_nodes() -> None:
    world = World()
    world.register(2, "b-node", gpu_model="h100", gpu_count=8, benchmark=2000)
    world.register(1, "a-node")
    world.register(2, "c-node")
    response = query(world, "Node", query_pb2.QueryNodeRequest(node_id="b-node"))
    assert response.node == types_pb2.Node(
        id="b-node",
        owner=addr(2),
        gpu_model="h100",
        gpu_count=8,
        benchmark_score=2000,
        registered_time=world.genesis_time,
        registered_epoch=1,
    )
    query_error(world, "Node", query_pb2.QueryNodeRequest(node_id="z"), ErrNodeNotFound)

    every = query(world, "Nodes", query_pb2.QueryNodesRequest())
    assert [node.id for node in every.nodes] == ["a-node", "b-node", "c-node"]
    owned = query(world, "Nodes", query_pb2.QueryNodesRequest(owner=addr(2)))
    assert [node.id for node in owned.nodes] == ["b-node", "c-node"]
    assert owned.nodes[0] == response.node
    page = query(
        world,
        "Nodes",
        query_pb2.QueryNodesRequest(
            owner=addr(2), pagination=PageRequest(limit=1, count_total=True)
        ),
    )
    assert [node.id for node in page.nodes] == ["b-node"]
    assert page.pagination.total == 2
    rest = query(
        world,
        "Nodes",
        query_pb2.QueryNodesRequest(
            owner=addr(2), pagination=PageRequest(key=page.pagination.next_key, limit=1)
        ),
    )
    assert [node.id for node in rest.nodes] == ["c-node"]
    assert rest.pagination.next_key == b""
    assert query(world, "Nodes", query_pb2.QueryNodesRequest(owner=addr(5))).nodes == []
    query_error(world, "Nodes", query_pb2.QueryNodesRequest(owner="akash1x"), ErrInvalidAddress)
    assert world.app.invariants() == []


def accrual_world() -> World:
    """Provider 1 accrued in pools 1 (epochs 1 and 2) and 2 (epoch 1); the world is in epoch 4."""
    world = World()
    for pool_id in (1, 2):
        world.create_pool("pro_rata")
        world.fund(pool_id)
        world.register(1, f"n{pool_id}")
        world.join(1, f"n{pool_id}", pool_id=pool_id)
        assert world.attest([(f"n{pool_id}", 3600, 0)], pool_id=pool_id).ok
    world.next_epoch()
    assert world.attest([("n1", 3600, 0)], pool_id=1).ok
    world.next_epoch(2)
    return world


def test_query_accruals() -> None:
    world = accrual_world()
    response = query(world, "Accruals", query_pb2.QueryAccrualsRequest(provider=addr(1)))
    assert list(response.accruals) == [
        types_pb2.Accrual(pool_id=1, epoch=1, provider=addr(1), amount="1000000", expires_epoch=32),
        types_pb2.Accrual(pool_id=1, epoch=2, provider=addr(1), amount="1000000", expires_epoch=33),
        types_pb2.Accrual(pool_id=2, epoch=1, provider=addr(1), amount="1000000", expires_epoch=32),
    ]
    assert list(response.total) == [Coin(denom="uakt", amount="3000000")]
    one_pool = query(world, "Accruals", query_pb2.QueryAccrualsRequest(provider=addr(1), pool_id=2))
    assert [(a.pool_id, a.epoch) for a in one_pool.accruals] == [(2, 1)]
    assert list(one_pool.total) == [Coin(denom="uakt", amount="1000000")]
    nobody = query(world, "Accruals", query_pb2.QueryAccrualsRequest(provider=addr(2)))
    assert list(nobody.accruals) == []
    assert list(nobody.total) == []
    query_error(
        world, "Accruals", query_pb2.QueryAccrualsRequest(provider="nope"), ErrInvalidAddress
    )
    assert world.app.invariants() == []


def test_query_allocation() -> None:
    world = accrual_world()
    response = query(world, "Allocation", query_pb2.QueryAllocationRequest(pool_id=1, epoch=2))
    assert response.allocation == types_pb2.Allocation(
        pool_id=1,
        epoch=2,
        status=types_pb2.ALLOCATION_STATUS_FINALIZED,
        emission="1000000",
        distributed="1000000",
        dust="0",
        nodes=[
            types_pb2.NodeAllocation(
                node_id="n1", provider=addr(1), weight="3600", amount="1000000"
            )
        ],
    )
    query_error(
        world, "Allocation", query_pb2.QueryAllocationRequest(pool_id=2, epoch=3), ErrNotFound
    )
    query_error(
        world, "Allocation", query_pb2.QueryAllocationRequest(pool_id=9, epoch=1), ErrNotFound
    )
    assert world.app.invariants() == []


def payment_world() -> World:
    """Six payments to provider 1: ids 1-3 from pool 1 (epochs 1-3), 4-6 from pool 2."""
    world = World()
    for pool_id in (1, 2):
        world.create_pool("pro_rata")
        world.fund(pool_id)
    world.register(1, "n1")
    world.join(1, "n1", pool_id=1)
    world.join(1, "n1", pool_id=2)
    for epoch in (1, 2, 3):
        for pool_id in (1, 2):
            assert world.attest([("n1", 3600, 0)], pool_id=pool_id, epoch=epoch).ok
        world.next_epoch()
    world.next_epoch()
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    return world


def payment_ids(response: query_pb2.QueryPaymentsResponse) -> list[int]:
    return [payment.id for payment in response.payments]


def test_query_payments_paginates() -> None:
    world = payment_world()
    height, time = world.app.header.height, world.app.header.time
    everything = query(world, "Payments", query_pb2.QueryPaymentsRequest())
    assert payment_ids(everything) == [1, 2, 3, 4, 5, 6]
    assert everything.payments[4] == types_pb2.Payment(
        id=5, pool_id=2, epoch=2, provider=addr(1), amount="1000000", height=height, time=time
    )
    first = query(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(pagination=PageRequest(limit=4, count_total=True)),
    )
    assert payment_ids(first) == [1, 2, 3, 4]
    assert first.pagination.total == 6
    rest = query(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(pagination=PageRequest(key=first.pagination.next_key)),
    )
    assert payment_ids(rest) == [5, 6]
    assert rest.pagination.next_key == b""

    pool_page = query(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(
            pool_id=2, pagination=PageRequest(limit=2, count_total=True)
        ),
    )
    assert payment_ids(pool_page) == [4, 5]
    assert [payment.pool_id for payment in pool_page.payments] == [2, 2]
    assert pool_page.pagination.total == 3
    pool_rest = query(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(
            pool_id=2, pagination=PageRequest(key=pool_page.pagination.next_key, limit=2)
        ),
    )
    assert payment_ids(pool_rest) == [6]
    assert pool_rest.pagination.next_key == b""
    by_offset = query(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(pool_id=1, pagination=PageRequest(offset=2)),
    )
    assert payment_ids(by_offset) == [3]
    none = query(world, "Payments", query_pb2.QueryPaymentsRequest(pool_id=3))
    assert payment_ids(none) == []
    query_error(
        world,
        "Payments",
        query_pb2.QueryPaymentsRequest(pagination=PageRequest(key=b"\x00", offset=2)),
        ErrInvalidRequest,
    )
    assert world.app.invariants() == []


def test_query_redirects() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.create_pool("pro_rata")
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(4), pool_id=2, bps=100))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(4), pool_id=1, bps=9900))
    world.ok(tx_pb2.MsgSetRewardRedirect(delegator=addr(5), pool_id=1, bps=1))
    response = query(world, "Redirects", query_pb2.QueryRedirectsRequest(delegator=addr(4)))
    assert list(response.redirects) == [
        types_pb2.RewardRedirect(delegator=addr(4), pool_id=1, bps=9900, contributed="0"),
        types_pb2.RewardRedirect(delegator=addr(4), pool_id=2, bps=100, contributed="0"),
    ]
    assert (
        query(world, "Redirects", query_pb2.QueryRedirectsRequest(delegator=addr(6))).redirects
        == []
    )
    query_error(
        world, "Redirects", query_pb2.QueryRedirectsRequest(delegator=""), ErrInvalidAddress
    )
    assert world.app.invariants() == []


def test_query_price() -> None:
    world = World()
    query_error(world, "Price", query_pb2.QueryPriceRequest(), ErrNotFound)
    world.app.begin_block(world.genesis_time + 42)
    world.post_price("0.75")
    response = query(world, "Price", query_pb2.QueryPriceRequest())
    assert response.price == types_pb2.Price(
        akt_usd="0.750000000000000000", time=world.genesis_time + 42, feeder=addr(FEEDER)
    )
    assert world.app.invariants() == []


def estimate(world: World, node_id: str, online: int, idle: int = 0, pool_id: int = 1) -> Any:
    return query(
        world,
        "EstimateReward",
        query_pb2.QueryEstimateRewardRequest(
            pool_id=pool_id, node_id=node_id, online_seconds=online, idle_seconds=idle
        ),
    )


def test_query_estimate_reward_pro_rata() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.fund()
    world.register(1, "n1")
    world.register(2, "m1")
    world.join(1, "n1")
    world.join(2, "m1")
    assert world.attest([("n1", 3600, 0)]).ok
    assert estimate(world, "m1", 1800) == query_pb2.QueryEstimateRewardResponse(
        amount="333333", emission="1000000", epoch=1
    )
    assert estimate(world, "n1", 1800).amount == "1000000"  # its own report is replaced
    assert estimate(world, "m1", 0).amount == "0"
    world.next_epoch(2)  # epoch 1 finalized: the estimate is for epoch 2
    assert estimate(world, "m1", 60) == query_pb2.QueryEstimateRewardResponse(
        amount="1000000", emission="1000000", epoch=2
    )
    assert world.app.invariants() == []


def test_query_estimate_reward_is_capped_by_the_pool_balance() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.fund(1, 400)
    world.register(1, "n1")
    world.join(1, "n1")
    assert estimate(world, "n1", 3600) == query_pb2.QueryEstimateRewardResponse(
        amount="400", emission="400", epoch=1
    )
    assert world.app.invariants() == []


def test_query_estimate_reward_availability() -> None:
    world = World()
    world.create_pool("availability")
    world.fund()
    world.register(1, "n1")
    world.join(1, "n1")
    response = estimate(world, "n1", 3600, idle=3600)
    assert response == query_pb2.QueryEstimateRewardResponse(
        amount="1000000", emission="1000000", epoch=1
    )
    # Idle time above the online time is capped; no idle time earns nothing.
    assert estimate(world, "n1", 100, idle=5000).amount == "1000000"
    assert estimate(world, "n1", 3600, idle=0).amount == "0"
    assert world.app.invariants() == []


def test_query_estimate_reward_fixed_rate() -> None:
    world = World()
    world.create_pool("fixed_rate")
    world.fund()
    world.register(1, "n1", gpu_model="h100", gpu_count=8)
    world.join(1, "n1", until_epoch=5)
    request = query_pb2.QueryEstimateRewardRequest(pool_id=1, node_id="n1", online_seconds=3600)
    query_error(world, "EstimateReward", request, ErrNoPrice)
    world.post_price("2.5")
    assert estimate(world, "n1", 3600) == query_pb2.QueryEstimateRewardResponse(
        amount="7968000", emission="7968000", epoch=1
    )
    world.app.begin_block(world.genesis_time + 3601)  # the price is now stale
    query_error(world, "EstimateReward", request, ErrNoPrice)
    assert world.app.invariants() == []


def test_query_estimate_reward_fails_for_unknown_pool_node_or_non_member() -> None:
    world = World()
    world.create_pool("pro_rata")
    world.register(1, "n1")
    world.register(2, "m1")
    world.join(1, "n1")

    def request(pool_id: int, node_id: str) -> query_pb2.QueryEstimateRewardRequest:
        return query_pb2.QueryEstimateRewardRequest(
            pool_id=pool_id, node_id=node_id, online_seconds=10
        )

    query_error(world, "EstimateReward", request(2, "n1"), ErrPoolNotFound)
    query_error(world, "EstimateReward", request(1, "x1"), ErrNodeNotFound)
    query_error(world, "EstimateReward", request(1, "m1"), ErrNotMember)
    assert world.app.invariants() == []


def test_queries_read_the_state_after_attestation_and_claim() -> None:
    world = finalized_world()
    assert world.attest([("n1", 60, 0)], attester=ATTESTER).ok
    world.ok(tx_pb2.MsgClaimRewards(provider=addr(1)))
    pool = query(world, "Pool", query_pb2.QueryPoolRequest(pool_id=1)).pool
    assert (pool.balance, pool.accrued, pool.paid) == ("99000000", "0", "1000000")
    assert query(world, "Accruals", query_pb2.QueryAccrualsRequest(provider=addr(1))).total == []
    assert payment_ids(query(world, "Payments", query_pb2.QueryPaymentsRequest(pool_id=1))) == [1]
    assert keys.ATTESTATIONS.keys(world.app.context(), (1, 3)) != []
    assert world.app.invariants() == []
