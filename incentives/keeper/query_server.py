"""The module's Query service: read-only answers over the store.

Owns one handler per ``akash.incentives.v1.Query`` RPC (names without Get/Query prefix). Handlers
never write: the app runs them on a branch that is always discarded.

Fails when: a requested pool, node or allocation does not exist (``ErrPoolNotFound``,
``ErrNodeNotFound``, ``ErrNotFound``); an address is malformed (``ErrInvalidAddress``); a
pagination request gives both key and offset (``ErrInvalidRequest``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from google.protobuf.message import Message

from chain.sdk.context import Context
from chain.sdk.errors import ErrNotFound
from chain.sdk.math import Int
from incentives.keeper.allocation import attested_nodes, compute_allocation
from incentives.keeper.keeper import Keeper
from incentives.pb import query_pb2
from incentives.types import codec, keys, msgs
from incentives.types.errors import ErrNotMember, ErrPoolClosed
from incentives.types.state import NodeReport, PoolStatus


class QueryServer:
    """Handlers of ``akash.incentives.v1.Query``."""

    def __init__(self, keeper: Keeper) -> None:
        self.keeper = keeper

    def handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        """gRPC method path -> handler, for the app's query router."""
        service = query_pb2.DESCRIPTOR.services_by_name["Query"]
        return {
            f"/{service.full_name}/{method.name}": getattr(self, method.name)
            for method in service.methods
        }

    def Params(
        self, ctx: Context, request: query_pb2.QueryParamsRequest
    ) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=codec.params_to_pb(self.keeper.get_params(ctx)))

    def Pool(
        self, ctx: Context, request: query_pb2.QueryPoolRequest
    ) -> query_pb2.QueryPoolResponse:
        return query_pb2.QueryPoolResponse(
            pool=codec.pool_to_pb(self.keeper.get_pool(ctx, request.pool_id))
        )

    def Pools(
        self, ctx: Context, request: query_pb2.QueryPoolsRequest
    ) -> query_pb2.QueryPoolsResponse:
        items, page = keys.POOLS.page(ctx, request.pagination)
        return query_pb2.QueryPoolsResponse(
            pools=[codec.pool_to_pb(pool) for _, pool in items], pagination=page
        )

    def Node(
        self, ctx: Context, request: query_pb2.QueryNodeRequest
    ) -> query_pb2.QueryNodeResponse:
        return query_pb2.QueryNodeResponse(
            node=codec.node_to_pb(self.keeper.get_node(ctx, request.node_id))
        )

    def Nodes(
        self, ctx: Context, request: query_pb2.QueryNodesRequest
    ) -> query_pb2.QueryNodesResponse:
        if request.owner:
            msgs.check_address("owner", request.owner)
            node_keys, page = keys.NODES_BY_OWNER.page(ctx, request.pagination, (request.owner,))
            nodes = [self.keeper.get_node(ctx, node_id) for _, node_id in node_keys]
        else:
            items, page = keys.NODES.page(ctx, request.pagination)
            nodes = [node for _, node in items]
        return query_pb2.QueryNodesResponse(
            nodes=[codec.node_to_pb(node) for node in nodes], pagination=page
        )

    def Accruals(
        self, ctx: Context, request: query_pb2.QueryAccrualsRequest
    ) -> query_pb2.QueryAccrualsResponse:
        msgs.check_address("provider", request.provider)
        prefix: tuple[Any, ...] = (request.provider,)
        if request.pool_id:
            prefix = (request.provider, request.pool_id)
        accruals = list(keys.ACCRUALS.values(ctx, prefix=prefix))
        total = sum((accrual.amount for accrual in accruals), Int(0))
        denom = self.keeper.get_params(ctx).reward_denom
        return query_pb2.QueryAccrualsResponse(
            accruals=[codec.accrual_to_pb(accrual) for accrual in accruals],
            total=[CoinPb(denom=denom, amount=str(total))] if total else [],
        )

    def Allocation(
        self, ctx: Context, request: query_pb2.QueryAllocationRequest
    ) -> query_pb2.QueryAllocationResponse:
        allocation = keys.ALLOCATIONS.get(ctx, (request.pool_id, request.epoch))
        if allocation is None:
            raise ErrNotFound.wrap(
                f"no allocation for pool {request.pool_id} epoch {request.epoch}"
            )
        return query_pb2.QueryAllocationResponse(allocation=codec.allocation_to_pb(allocation))

    def Payments(
        self, ctx: Context, request: query_pb2.QueryPaymentsRequest
    ) -> query_pb2.QueryPaymentsResponse:
        if request.pool_id:
            ids, page = keys.PAYMENTS_BY_POOL.page(ctx, request.pagination, (request.pool_id,))
            payments = [keys.PAYMENTS.get(ctx, payment_id) for _, payment_id in ids]
        else:
            items, page = keys.PAYMENTS.page(ctx, request.pagination)
            payments = [payment for _, payment in items]
        return query_pb2.QueryPaymentsResponse(
            payments=[codec.payment_to_pb(payment) for payment in payments if payment is not None],
            pagination=page,
        )

    def Redirects(
        self, ctx: Context, request: query_pb2.QueryRedirectsRequest
    ) -> query_pb2.QueryRedirectsResponse:
        msgs.check_address("delegator", request.delegator)
        redirects = keys.REDIRECTS.values(ctx, prefix=(request.delegator,))
        return query_pb2.QueryRedirectsResponse(
            redirects=[codec.redirect_to_pb(item) for item in redirects]
        )

    def Price(
        self, ctx: Context, request: query_pb2.QueryPriceRequest
    ) -> query_pb2.QueryPriceResponse:
        price = keys.PRICE.get(ctx)
        if price is None:
            raise ErrNotFound.wrap("no price has been posted")
        return query_pb2.QueryPriceResponse(price=codec.price_to_pb(price))

    def EstimateReward(
        self, ctx: Context, request: query_pb2.QueryEstimateRewardRequest
    ) -> query_pb2.QueryEstimateRewardResponse:
        """What the node would be paid for the pool's next epoch to finalize if it reported the
        given seconds and the other nodes' reports stayed as they are now.

        Fails when: the pool or node does not exist; the pool is closed; the node has not joined
        the pool; a FIXED_RATE pool has no fresh price (``ErrNoPrice``).
        """
        pool = self.keeper.get_pool(ctx, request.pool_id)
        if pool.status != PoolStatus.ACTIVE:
            raise ErrPoolClosed.wrap(f"pool {pool.id} pays no more epochs")
        node = self.keeper.get_node(ctx, request.node_id)
        if not keys.MEMBERSHIPS.has(ctx, (pool.id, node.id)):
            raise ErrNotMember.wrap(f"node {node.id} in pool {pool.id}")
        epoch = max(pool.next_epoch_to_finalize, 1)
        report = NodeReport(
            node_id=node.id,
            online_seconds=request.online_seconds,
            idle_seconds=min(request.idle_seconds, request.online_seconds),
        )
        nodes = attested_nodes(ctx, pool, epoch, override=report)
        allocation = compute_allocation(
            ctx,
            self.keeper.get_params(ctx),
            pool,
            epoch,
            nodes,
            self.keeper.epoch_end_time(ctx, epoch),
        )
        amount = next((item.amount for item in allocation.nodes if item.node_id == node.id), Int(0))
        return query_pb2.QueryEstimateRewardResponse(
            amount=str(amount), emission=str(allocation.emission), epoch=epoch
        )
