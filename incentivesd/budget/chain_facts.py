"""What a budget's live checks need from a chain, read over gRPC: gov deposit and voting
parameters, the community pool, the block time and, on a chain with the incentives module, its
epoch, GPU catalog and next pool id.

Fails when: the node cannot be reached (``NodeUnreachableError``) or answers a query with an
error (``grpc.RpcError``, e.g. a chain without the incentives module asked for its params).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2 import GetLatestBlockRequest
from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2_grpc import ServiceStub
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2 import QueryCommunityPoolRequest
from cosmpy.protos.cosmos.epochs.v1beta1.query_pb2 import QueryEpochInfosRequest
from cosmpy.protos.cosmos.epochs.v1beta1.query_pb2_grpc import QueryStub as EpochsStub
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryParamsRequest as GovParamsRequest

from incentives.pb import query_pb2
from incentives.types.codec import gpu_model_from_pb
from incentives.types.state import GpuModel
from incentivesd.client.client import Client


@dataclass(frozen=True, slots=True)
class IncentivesFacts:
    """The incentives module's side of a chain."""

    current_epoch: int
    epoch_start_time: int
    epoch_seconds: int
    catalog: tuple[GpuModel, ...]
    next_pool_id: int
    reward_denom: str


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """A chain's answers that a budget is checked against."""

    node: str
    min_deposit: dict[str, int]
    expedited_min_deposit: dict[str, int]
    min_initial_deposit_ratio: Decimal
    voting_period_seconds: int
    expedited_voting_period_seconds: int
    community_pool: dict[str, int]
    block_time: int
    incentives: IncentivesFacts | None


def dec_int(amount: str) -> int:
    """The integer part of a gRPC ``Dec`` (``"1.5"`` or the SDK's raw ``"1500000000000000000"``)."""
    if "." in amount:
        return int(Decimal(amount))
    return int(amount or 0) // 10**18


def _coins(coins: Any) -> dict[str, int]:
    return {coin.denom: int(coin.amount) for coin in coins}


def fetch_chain_facts(client: Client, incentives: bool = True) -> ChainFacts:
    """Query ``client``'s node; the incentives module only when ``incentives``."""
    params = client.call(client.gov.Params, GovParamsRequest(params_type="deposit")).params
    community = client.call(client.distribution.CommunityPool, QueryCommunityPoolRequest())
    pool: dict[str, int] = {}
    for coin in community.pool:
        pool[coin.denom] = pool.get(coin.denom, 0) + dec_int(coin.amount)
    block = client.call(ServiceStub(client.channel).GetLatestBlock, GetLatestBlockRequest())
    return ChainFacts(
        node=client.node,
        min_deposit=_coins(params.min_deposit),
        expedited_min_deposit=_coins(params.expedited_min_deposit),
        min_initial_deposit_ratio=Decimal(params.min_initial_deposit_ratio or "0"),
        voting_period_seconds=int(params.voting_period.seconds),
        expedited_voting_period_seconds=int(params.expedited_voting_period.seconds),
        community_pool=pool,
        block_time=int(block.block.header.time.seconds),
        incentives=_incentives_facts(client) if incentives else None,
    )


def _incentives_facts(client: Client) -> IncentivesFacts:
    params = client.call(client.incentives.Params, query_pb2.QueryParamsRequest()).params
    infos = client.call(EpochsStub(client.channel).EpochInfos, QueryEpochInfosRequest()).epochs
    info = next((item for item in infos if item.identifier == params.epoch_identifier), None)
    highest = 0
    request = query_pb2.QueryPoolsRequest()
    while True:
        response = client.call(client.incentives.Pools, request)
        highest = max([highest, *(int(pool.id) for pool in response.pools)])
        if not response.pagination.next_key:
            break
        request = query_pb2.QueryPoolsRequest()
        request.pagination.key = response.pagination.next_key
    return IncentivesFacts(
        current_epoch=int(info.current_epoch) if info else 0,
        epoch_start_time=int(info.current_epoch_start_time.seconds) if info else 0,
        epoch_seconds=int(info.duration.seconds) if info else 0,
        catalog=tuple(gpu_model_from_pb(model) for model in params.gpu_models),
        next_pool_id=highest + 1,
        reward_denom=params.reward_denom,
    )
