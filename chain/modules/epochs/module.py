"""The epochs module as the app sees it (``chain.sdk.module.AppModule``).

Owns the module's queries (``EpochInfos``, ``CurrentEpoch``), its place in the block
(``begin_block`` ticks the timers) and its genesis (``{"epochs": [EpochInfo...]}`` in proto JSON).

Fails when: ``CurrentEpoch`` names an unknown identifier (``ErrNotFound``); genesis is invalid
(``ErrInvalidRequest`` from the keeper, ``ErrJSONUnmarshal`` for malformed JSON).
"""

from __future__ import annotations

from typing import Any

from cosmpy.protos.cosmos.epochs.v1beta1 import genesis_pb2, query_pb2
from google.protobuf import json_format

from chain.modules.epochs.keeper import MODULE_NAME, EpochsKeeper, default_epochs
from chain.sdk.context import Context
from chain.sdk.errors import ErrJSONUnmarshal, ErrNotFound
from chain.sdk.module import Invariant, MsgHandler, QueryHandler

QUERY = "/cosmos.epochs.v1beta1.Query"


class EpochsModule:
    """``x/epochs``: no messages; timers tick at the start of every block."""

    name = MODULE_NAME

    def __init__(self, keeper: EpochsKeeper) -> None:
        self.keeper = keeper

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {}

    def query_handlers(self) -> dict[str, QueryHandler]:
        return {
            f"{QUERY}/EpochInfos": self.epoch_infos,
            f"{QUERY}/CurrentEpoch": self.current_epoch,
        }

    def epoch_infos(
        self, ctx: Context, request: query_pb2.QueryEpochInfosRequest
    ) -> query_pb2.QueryEpochInfosResponse:
        return query_pb2.QueryEpochInfosResponse(epochs=self.keeper.all_epoch_infos(ctx))

    def current_epoch(
        self, ctx: Context, request: query_pb2.QueryCurrentEpochRequest
    ) -> query_pb2.QueryCurrentEpochResponse:
        info = self.keeper.get_epoch_info(ctx, request.identifier)
        if info is None:
            raise ErrNotFound.wrap(f"epoch info not found: {request.identifier}")
        return query_pb2.QueryCurrentEpochResponse(current_epoch=info.current_epoch)

    def begin_block(self, ctx: Context) -> None:
        self.keeper.begin_block(ctx)

    def end_block(self, ctx: Context) -> None:
        """Nothing: epochs act at the start of a block."""

    def default_genesis(self) -> dict[str, Any]:
        return _to_dict(genesis_pb2.GenesisState(epochs=default_epochs()))

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        message = genesis_pb2.GenesisState()
        try:
            json_format.ParseDict(state, message)
        except json_format.ParseError as err:
            raise ErrJSONUnmarshal.wrap(f"epochs genesis: {err}") from None
        self.keeper.init_genesis(ctx, message.epochs)

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return _to_dict(genesis_pb2.GenesisState(epochs=self.keeper.export_genesis(ctx)))

    def invariants(self) -> list[tuple[str, Invariant]]:
        return []


def _to_dict(message: genesis_pb2.GenesisState) -> dict[str, Any]:
    result: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result
