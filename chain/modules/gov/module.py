"""The gov v1 module as the app sees it (``chain.sdk.module.AppModule``).

Owns the wiring of keeper, Msg and Query services, the end-of-block lifecycle and genesis in the
SDK's JSON shape (``starting_proposal_id``, ``deposits``, ``votes``, ``proposals``, ``params``,
``constitution``, and the deprecated ``deposit_params``/``voting_params``/``tally_params`` as
``null``), proto field names, export(init(g)) == g.

The app must: give the bank keeper (the ``gov`` module account may burn), a staking keeper
(``chain.modules.gov.expected_keepers.StakingKeeper``), and the message router that executes a
passed proposal's messages (at construction or through ``set_router``; the app checks that the
message's signer is the gov account before routing, as the keeper checks at submission); route
``msg_handlers`` and ``query_handlers``; call ``end_block`` every block; block the gov module
address from receiving funds like every module account.

Fails when: genesis JSON does not parse (``ErrJSONUnmarshal``) or is invalid
(``ErrInvalidGenesis``); otherwise as the services and the keeper do.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from cosmpy.protos.cosmos.gov.v1 import genesis_pb2
from google.protobuf import json_format

from chain.modules.gov.expected_keepers import (
    BankKeeper,
    DistributionKeeper,
    HasRoute,
    Router,
    StakingKeeper,
)
from chain.modules.gov.keeper import (
    BOND_DENOM,
    DEFAULT_PERIOD,
    GOV_ADDRESS,
    MODULE_NAME,
    GovKeeper,
    default_params,
)
from chain.modules.gov.msg_server import MsgServer
from chain.modules.gov.query_server import QueryServer
from chain.sdk.context import Context
from chain.sdk.errors import ErrJSONUnmarshal
from chain.sdk.module import Invariant, MsgHandler, QueryHandler

_DEPRECATED_PARAMS = ("deposit_params", "voting_params", "tally_params")


class GovModule:
    """``x/gov`` v1: proposals carrying messages, deposits, weighted votes, tally, execution."""

    name = MODULE_NAME

    def __init__(
        self,
        bank: BankKeeper,
        staking: StakingKeeper,
        router: Router | None = None,
        *,
        has_route: HasRoute | None = None,
        voting_period: int = DEFAULT_PERIOD,
        max_deposit_period: int = DEFAULT_PERIOD,
        expedited_voting_period: int | None = None,
        denom: str = BOND_DENOM,
        distribution: DistributionKeeper | None = None,
        authority: str = GOV_ADDRESS,
    ) -> None:
        """Periods are in seconds and set the default genesis params (24 h expedited voting,
        or half ``voting_period`` when that is shorter)."""
        params = default_params(
            denom=denom,
            voting_period=voting_period,
            max_deposit_period=max_deposit_period,
            expedited_voting_period=expedited_voting_period,
        )
        self.keeper = GovKeeper(
            bank,
            staking,
            router,
            has_route=has_route,
            params=params,
            authority=authority,
            distribution=distribution,
        )
        self.msg_server = MsgServer(self.keeper)
        self.query_server = QueryServer(self.keeper)

    def set_router(self, route: Router, has_route: HasRoute | None = None) -> None:
        """Route passed proposals' messages through ``route`` (see ``GovKeeper.set_router``)."""
        self.keeper.set_router(route, has_route)

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return self.msg_server.handlers()

    def query_handlers(self) -> dict[str, QueryHandler]:
        return self.query_server.handlers()

    def begin_block(self, ctx: Context) -> None:
        """Nothing: gov acts at the end of a block."""

    def end_block(self, ctx: Context) -> None:
        self.keeper.end_block(ctx)

    def default_genesis(self) -> dict[str, Any]:
        state = genesis_pb2.GenesisState(
            starting_proposal_id=1, params=self.keeper.default_params.to_pb()
        )
        return genesis_to_dict(state)

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        self.keeper.init_genesis(ctx, genesis_from_dict(state))

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return genesis_to_dict(self.keeper.export_genesis(ctx))

    def invariants(self) -> list[tuple[str, Invariant]]:
        return list(self.keeper.invariants())


def genesis_to_dict(state: genesis_pb2.GenesisState) -> dict[str, Any]:
    """The SDK's JSON of a gov ``GenesisState`` (proto field names, defaults printed)."""
    data = json_format.MessageToDict(
        state, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    # Plain dicts (``Any`` values come back as ordered dicts, whose equality is order-aware).
    result: dict[str, Any] = json.loads(json.dumps(data))
    for name in _DEPRECATED_PARAMS:
        result.setdefault(name, None)
    return result


def genesis_from_dict(state: dict[str, Any]) -> genesis_pb2.GenesisState:
    """Parse gov genesis JSON data. Fails when it does not parse (``ErrJSONUnmarshal``)."""
    message = genesis_pb2.GenesisState()
    try:
        # ParseDict moves the ``@type`` keys of ``Any`` values: parse a copy.
        json_format.ParseDict(copy.deepcopy(state), message)
    except json_format.ParseError as err:
        raise ErrJSONUnmarshal.wrap(f"gov genesis: {err}") from None
    return message
