"""The mint module as an app sees it: begin block minting, queries and genesis.

No Msgs. Queries (``cosmos.mint.v1beta1``, cosmpy's protos): ``Params``, ``Inflation`` and
``AnnualProvisions`` (``bytes`` holding the raw ``LegacyDec`` text, as the SDK's answers do) and
``MunicipalInflation`` (always none).

Genesis is the SDK's shape, ``{"minter": {...}, "params": {...}}`` with decimals in point form.
The remainder and the previous block time are not part of it: after ``init_genesis`` the
remainder is zero and the first block counts from the genesis block time, so an exported and
re-imported chain loses at most one coin's fraction.

Run its ``begin_block`` before distribution's, so the block's coins are allocated in the block.
"""

from __future__ import annotations

from typing import Any

from cosmpy.protos.cosmos.mint.v1beta1 import genesis_pb2, query_pb2

from chain.modules.mint.keeper import (
    MODULE_NAME,
    Invariant,
    MintKeeper,
    default_minter,
    default_params,
    validate_params,
)
from chain.modules.staking.legacy_dec import from_sdk_json, to_sdk_json
from chain.modules.staking.module import read_only
from chain.sdk.context import Context
from chain.sdk.module import MsgHandler, QueryHandler


class MintModule:
    """``cosmos.mint.v1beta1`` wired for an app."""

    name = MODULE_NAME

    def __init__(self, keeper: MintKeeper) -> None:
        self.keeper = keeper

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {}

    def query_handlers(self) -> dict[str, QueryHandler]:
        service = query_pb2.DESCRIPTOR.services_by_name["Query"]
        return {
            f"/{service.full_name}/{method.name}": read_only(getattr(self, method.name))
            for method in service.methods
        }

    def begin_block(self, ctx: Context) -> None:
        self.keeper.begin_block(ctx)

    def end_block(self, ctx: Context) -> None:
        """Nothing: minting happens at the beginning of blocks."""

    def default_genesis(self) -> dict[str, Any]:
        return to_sdk_json(
            genesis_pb2.GenesisState(minter=default_minter(), params=default_params())
        )

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        """Load ``state``; all or nothing."""
        branch = ctx.branch()
        init_genesis(self.keeper, branch.ctx, from_sdk_json(state, genesis_pb2.GenesisState))
        branch.write()

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return to_sdk_json(export_genesis(self.keeper, ctx))

    def invariants(self) -> list[tuple[str, Invariant]]:
        return self.keeper.invariants()

    # Query service

    def Params(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryParamsRequest
    ) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.get_params(ctx))

    def Inflation(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryInflationRequest
    ) -> query_pb2.QueryInflationResponse:
        return query_pb2.QueryInflationResponse(
            inflation=self.keeper.get_minter(ctx).inflation.encode()
        )

    def AnnualProvisions(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryAnnualProvisionsRequest
    ) -> query_pb2.QueryAnnualProvisionsResponse:
        return query_pb2.QueryAnnualProvisionsResponse(
            annual_provisions=self.keeper.get_minter(ctx).annual_provisions.encode()
        )

    def MunicipalInflation(  # noqa: N802
        self, ctx: Context, request: query_pb2.QueryMunicipalInflationRequest
    ) -> query_pb2.QueryMunicipalInflationResponse:
        """There is no municipal inflation here."""
        return query_pb2.QueryMunicipalInflationResponse()


def init_genesis(keeper: MintKeeper, ctx: Context, state: genesis_pb2.GenesisState) -> None:
    """Load a mint genesis; the first block counts from this context's block time.

    Fails when the params are invalid (``ErrInvalidRequest``)."""
    params = state.params if state.HasField("params") else default_params()
    validate_params(params)
    keeper.params.set(ctx, params)
    keeper.minter.set(ctx, state.minter if state.HasField("minter") else default_minter())
    keeper.last_block_time.set(ctx, ctx.header.time_ns)
    keeper.remainder.remove(ctx)


def export_genesis(keeper: MintKeeper, ctx: Context) -> genesis_pb2.GenesisState:
    return genesis_pb2.GenesisState(minter=keeper.get_minter(ctx), params=keeper.get_params(ctx))
