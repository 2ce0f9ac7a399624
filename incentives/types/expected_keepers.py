"""What the incentives module needs from other modules, and nothing more.

The keeper depends on these narrow protocols, never on the modules themselves, so the module can
run over any bank, distribution and epochs implementation with these semantics.
"""

from __future__ import annotations

from typing import Protocol

from cosmpy.protos.cosmos.epochs.v1beta1.genesis_pb2 import EpochInfo

from chain.sdk.context import Context
from chain.sdk.math import Coins, Int


class BankKeeper(Protocol):
    def get_balance(self, ctx: Context, addr: bytes, denom: str) -> Int: ...

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: bytes, module_name: str, coins: Coins
    ) -> None: ...

    def send_coins_from_module_to_account(
        self, ctx: Context, module_name: str, recipient: bytes, coins: Coins
    ) -> None: ...


class DistributionKeeper(Protocol):
    def fund_community_pool_from_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None: ...

    def distribute_from_community_pool_to_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None: ...


class EpochsKeeper(Protocol):
    def get_epoch_info(self, ctx: Context, identifier: str) -> EpochInfo | None:
        """The epochs module's timer ``identifier`` (None if there is none)."""
        ...
