"""The distribution keeper: the community pool (for now; fee allocation and rewards come later).

Owns one collection in store ``distribution``: ``fee_pool`` (0x00, ``FeePoolKey`` in the SDK),
a ``cosmos.distribution.v1beta1.FeePool`` whose ``community_pool`` is ``DecCoins``. As the SDK's
gogoproto ``LegacyDec`` does, each ``DecCoin.amount`` is the integer text of the 18-decimal raw
value without a point (1.5 is ``"1500000000000000000"``); entries are sorted by denom and only
positive amounts are kept, so decode(encode(pool)) == pool exactly. In Python the pool is a
``dict[str, Dec]`` sorted by denom.

The coins of the community pool are held by the ``distribution`` module account (an account
id ``module_address("distribution")``) in the bank; the pool is the ledger of how much of that
balance belongs to the community. Every method checks before it writes.

Fails when:
- a funder lacks the coins: ``ErrInsufficientFunds`` (from the bank);
- a distribution exceeds the pool in any denom: ``ErrBadDistribution`` (distribution/9)
  ``community pool does not have sufficient coins to distribute``;
- the recipient of ``distribute_from_community_pool`` is blocked: ``ErrUnauthorized`` (bank).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import DecCoin
from cosmpy.protos.cosmos.distribution.v1beta1.distribution_pb2 import FeePool

from chain.modules.bank import BankKeeper, Invariant
from chain.modules.distribution.errors import ErrBadDistribution
from chain.sdk.address import module_address
from chain.sdk.collections import Item, MappedValue, Schema
from chain.sdk.context import Context
from chain.sdk.errors import ErrInvalidNumber
from chain.sdk.math import Coin, Coins, Dec

MODULE_NAME = "distribution"

INVARIANT_MODULE_ACCOUNT = "distribution/module-account"

_RAW_DEC = re.compile(r"-?[0-9]+")


def community_pool_to_pb(pool: Mapping[str, Dec]) -> FeePool:
    """The stored form of a community pool: sorted positive ``DecCoin`` with raw integer text."""
    return FeePool(
        community_pool=[
            DecCoin(denom=denom, amount=str(pool[denom].raw))
            for denom in sorted(pool)
            if not pool[denom].is_zero()
        ]
    )


def community_pool_from_pb(message: FeePool) -> dict[str, Dec]:
    """The community pool of a stored ``FeePool``."""
    pool: dict[str, Dec] = {}
    for coin in message.community_pool:
        if not _RAW_DEC.fullmatch(coin.amount):
            raise ErrInvalidNumber.wrap(f"not a LegacyDec proto value: {coin.amount!r}")
        pool[coin.denom] = Dec(int(coin.amount))
    return {denom: pool[denom] for denom in sorted(pool)}


class DistributionKeeper:
    """The community pool and its funding and spending paths; see the module docstring."""

    def __init__(self, bank: BankKeeper, store_name: str = MODULE_NAME) -> None:
        self.bank = bank
        self.store_name = store_name
        self.schema = Schema(store_name)
        self.fee_pool: Item[dict[str, Dec]] = self.schema.item(
            b"\x00",
            "fee_pool",
            MappedValue(FeePool, community_pool_to_pb, community_pool_from_pb),
        )

    @property
    def module_address(self) -> bytes:
        """The account id of the distribution module account, which holds the pool's coins."""
        return module_address(MODULE_NAME)

    def get_community_pool(self, ctx: Context) -> dict[str, Dec]:
        """The community pool, per denom, sorted by denom (empty if never funded)."""
        pool = self.fee_pool.get(ctx)
        return {} if pool is None else pool

    def fund_community_pool(self, ctx: Context, amount: Coins, sender: bytes) -> None:
        """Move ``amount`` from ``sender`` to the distribution module account; pool += amount.

        Fails when ``sender`` lacks the coins (``ErrInsufficientFunds``).
        """
        self.bank.send_coins_from_account_to_module(ctx, sender, MODULE_NAME, amount)
        self._add_to_pool(ctx, amount)

    def fund_community_pool_from_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None:
        """Move ``amount`` from module ``module_name`` into the pool.

        Fails when the module lacks the coins (``ErrInsufficientFunds``).
        """
        self.bank.send_coins_from_module_to_module(ctx, module_name, MODULE_NAME, amount)
        self._add_to_pool(ctx, amount)

    def distribute_from_community_pool(self, ctx: Context, amount: Coins, recipient: bytes) -> None:
        """Pay ``amount`` from the pool to an account (``DistributeFromFeePool``).

        Fails when the pool is short in any denom (``ErrBadDistribution``), the recipient is
        blocked (``ErrUnauthorized``) or the module account lacks the coins (a broken invariant,
        ``ErrInsufficientFunds``).
        """
        if amount.is_zero():
            return
        pool = self._pool_minus(ctx, amount)
        self.bank.send_coins_from_module_to_account(ctx, MODULE_NAME, recipient, amount)
        self.fee_pool.set(ctx, pool)

    def distribute_from_community_pool_to_module(
        self, ctx: Context, amount: Coins, module_name: str
    ) -> None:
        """Pay ``amount`` from the pool to module ``module_name``'s account.

        Fails when the pool is short in any denom (``ErrBadDistribution``) or the module account
        lacks the coins (a broken invariant, ``ErrInsufficientFunds``).
        """
        if amount.is_zero():
            return
        pool = self._pool_minus(ctx, amount)
        self.bank.send_coins_from_module_to_module(ctx, MODULE_NAME, module_name, amount)
        self.fee_pool.set(ctx, pool)

    def module_account_invariant(self, ctx: Context) -> str | None:
        """``distribution/module-account``: the module balance covers the truncated pool.

        Returns a diagnostic with both amounts, or None if it holds.
        """
        expected = Coins(
            Coin(denom, amount.truncate_int())
            for denom, amount in self.get_community_pool(ctx).items()
        )
        balances = self.bank.get_all_balances(ctx, self.module_address)
        if balances.is_all_gte(expected):
            return None
        return (
            "distribution: ModuleAccount coins invariant\n"
            f"\texpected ModuleAccount coins:     {expected}\n"
            f"\tdistribution ModuleAccount coins: {balances}\n"
        )

    def invariants(self) -> list[tuple[str, Invariant]]:
        """The module's named invariants, sorted by name."""
        return [(INVARIANT_MODULE_ACCOUNT, self.module_account_invariant)]

    def _add_to_pool(self, ctx: Context, amount: Coins) -> None:
        if amount.is_zero():
            return
        pool = self.get_community_pool(ctx)
        for coin in amount:
            pool[coin.denom] = pool.get(coin.denom, Dec.zero()) + Dec.from_int(coin.amount)
        self.fee_pool.set(ctx, pool)

    def _pool_minus(self, ctx: Context, amount: Coins) -> dict[str, Dec]:
        """The pool after paying ``amount``; raises before any write if a denom goes short."""
        pool = self.get_community_pool(ctx)
        for coin in amount:
            left = pool.get(coin.denom, Dec.zero()) - Dec.from_int(coin.amount)
            if left.is_negative():
                raise ErrBadDistribution.wrap()
            pool[coin.denom] = left
        return pool
