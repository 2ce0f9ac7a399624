"""The incentives module as an app sees it: one object wiring keeper, services, hooks, genesis
and invariants together.

It implements ``chain.sdk.module.AppModule``. An app constructs it with the bank, distribution and
epochs keepers it runs, registers ``epoch_hooks`` with its epochs module, routes ``msg_handlers``
and ``query_handlers``, calls ``after_rewards_withdrawn`` from its distribution module, and checks
``invariants`` after blocks. Genesis is the module's ``GenesisState`` as proto-JSON data; the
``*_state`` variants take and give the message itself.
"""

from __future__ import annotations

import functools
from typing import Any

from chain.sdk.context import Context
from chain.sdk.math import Coins, Int
from chain.sdk.module import Invariant, MsgHandler, QueryHandler
from incentives.keeper.genesis import export_genesis, init_genesis
from incentives.keeper.hooks import EpochHooks
from incentives.keeper.invariants import INVARIANTS
from incentives.keeper.keeper import Keeper
from incentives.keeper.msg_server import MsgServer
from incentives.keeper.query_server import QueryServer
from incentives.keeper.redirect import apply_reward_redirects
from incentives.pb import genesis_pb2
from incentives.types import keys
from incentives.types.expected_keepers import BankKeeper, DistributionKeeper, EpochsKeeper
from incentives.types.genesis import default_genesis, genesis_from_json, genesis_to_dict


class IncentivesModule:
    """``akash.incentives.v1`` wired for an app."""

    name = keys.MODULE_NAME

    def __init__(
        self,
        bank: BankKeeper,
        distribution: DistributionKeeper,
        epochs: EpochsKeeper,
        authority: str = keys.GOV_AUTHORITY,
    ) -> None:
        self.keeper = Keeper(bank, distribution, epochs, authority)
        self.msg_server = MsgServer(self.keeper)
        self.query_server = QueryServer(self.keeper)
        self.epoch_hooks = EpochHooks(self.keeper)
        # One callable per check function, so that an app can tell a check it ran before.
        self._bound_invariants: dict[Any, Invariant] = {}

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return self.msg_server.handlers()

    def query_handlers(self) -> dict[str, QueryHandler]:
        return self.query_server.handlers()

    def begin_block(self, ctx: Context) -> None:
        """Nothing: the module acts at epoch boundaries, through ``epoch_hooks``."""

    def end_block(self, ctx: Context) -> None:
        """Nothing: the module acts at epoch boundaries, through ``epoch_hooks``."""

    def default_genesis(self) -> dict[str, Any]:
        return genesis_to_dict(default_genesis())

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        self.init_genesis_state(ctx, genesis_from_json(state))

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return genesis_to_dict(self.export_genesis_state(ctx))

    def init_genesis_state(self, ctx: Context, state: genesis_pb2.GenesisState) -> None:
        init_genesis(self.keeper, ctx, state)

    def export_genesis_state(self, ctx: Context) -> genesis_pb2.GenesisState:
        return export_genesis(self.keeper, ctx)

    def after_rewards_withdrawn(
        self, ctx: Context, delegator: bytes, delegator_text: str, rewards: Coins
    ) -> Int:
        """The distribution hook of the reward redirect (Venice opt-in)."""
        return apply_reward_redirects(self.keeper, ctx, delegator, delegator_text, rewards)

    def invariants(self) -> list[tuple[str, Invariant]]:
        bound = self._bound_invariants
        listed: list[tuple[str, Invariant]] = []
        for name, check in sorted(INVARIANTS.items()):
            invariant = bound.get(check)
            if invariant is None:
                invariant = bound[check] = functools.partial(check, self.keeper)
            listed.append((name, invariant))
        return listed
