"""What the gov module needs from other modules: narrow protocols, as the SDK's
``x/gov/types/expected_keepers.go``.

- ``BankKeeper``: moves deposits into and out of the ``gov`` module account and burns them;
- ``StakingKeeper``: the voting power of validators and delegators at tally time;
- ``DistributionKeeper`` (optional): funds the community pool with cancellation charges when
  ``proposal_cancel_dest`` is the distribution module account;
- ``Router``: executes one message of a passed proposal (the app's message router) and
  ``HasRoute`` tells whether a message type URL can be routed at all.

Fails when: as the implementations do (each method raises ``SdkError`` for expected rejections).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from google.protobuf.message import Message

from chain.sdk.context import Context
from chain.sdk.math import Coins, Dec, Int

Router = Callable[[Context, Message], Message]
HasRoute = Callable[[str], bool]


class BankKeeper(Protocol):
    def send_coins_from_account_to_module(
        self, ctx: Context, sender: bytes, module_name: str, coins: Coins
    ) -> None: ...

    def send_coins_from_module_to_account(
        self, ctx: Context, module_name: str, recipient: bytes, coins: Coins
    ) -> None: ...

    def burn_coins(self, ctx: Context, module_name: str, coins: Coins) -> None: ...

    def get_balance(self, ctx: Context, addr: bytes, denom: str) -> Int: ...


class StakingKeeper(Protocol):
    def total_bonded_tokens(self, ctx: Context) -> Int:
        """The tokens of all bonded validators."""
        ...

    def bonded_validators(self, ctx: Context) -> list[Any]:
        """Every bonded ``cosmos.staking.v1beta1.Validator`` (``operator_address``, ``tokens`` as
        integer text, ``delegator_shares`` as the raw 18-decimal integer text of a LegacyDec)."""
        ...

    def delegations_of(self, ctx: Context, delegator: bytes) -> list[tuple[str, Dec]]:
        """(validator operator address, shares) of every delegation of ``delegator``."""
        ...


class DistributionKeeper(Protocol):
    def fund_community_pool_from_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None: ...
