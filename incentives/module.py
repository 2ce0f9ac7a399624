"""The incentives module as an app sees it: one object wiring keeper, services, hooks, genesis
and invariants together.

An app constructs it with the bank, distribution and epochs keepers it runs, registers
``epoch_hooks`` with its epochs module, routes ``msg_handlers`` and ``query_handlers``, calls
``after_rewards_withdrawn`` from its distribution module, and checks ``invariants`` after blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from chain.sdk.context import Context
from chain.sdk.math import Coins, Int
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

    @property
    def msg_handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        return self.msg_server.handlers()

    @property
    def query_handlers(self) -> dict[str, Callable[[Context, Any], Message]]:
        return self.query_server.handlers()

    def init_genesis(self, ctx: Context, state: genesis_pb2.GenesisState) -> None:
        init_genesis(self.keeper, ctx, state)

    def export_genesis(self, ctx: Context) -> genesis_pb2.GenesisState:
        return export_genesis(self.keeper, ctx)

    def after_rewards_withdrawn(
        self, ctx: Context, delegator: bytes, delegator_text: str, rewards: Coins
    ) -> Int:
        """The distribution hook of the reward redirect (Venice opt-in)."""
        return apply_reward_redirects(self.keeper, ctx, delegator, delegator_text, rewards)

    def invariants(self) -> list[tuple[str, Callable[[Context], str | None]]]:
        keeper = self.keeper
        return [
            (name, lambda ctx, check=check: check(keeper, ctx))  # type: ignore[misc]
            for name, check in sorted(INVARIANTS.items())
        ]
