"""The incentives keeper: state access and the domain verbs every handler and hook shares.

Owns the module's collections (``incentives.types.keys``) and the pool ledger rules:
``funded == balance + accrued + paid + returned``; every move of tokens in or out of the module
account goes through a verb here so the ledger and the bank always move together.

Fails when: a pool or node is unknown (``ErrPoolNotFound``/``ErrNodeNotFound``); a bank transfer
fails (``ErrInsufficientFunds`` from the bank).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from chain.sdk.context import Context
from chain.sdk.math import Coins, Int
from incentives.pb import events_pb2
from incentives.types import keys
from incentives.types.errors import ErrNodeNotFound, ErrPoolNotFound
from incentives.types.expected_keepers import BankKeeper, DistributionKeeper, EpochsKeeper
from incentives.types.params import DEFAULT_PARAMS, Params
from incentives.types.state import Accrual, EpochState, Node, Pool, PoolStatus


class Keeper:
    """State access for the incentives module."""

    def __init__(
        self,
        bank: BankKeeper,
        distribution: DistributionKeeper,
        epochs: EpochsKeeper,
        authority: str = keys.GOV_AUTHORITY,
    ) -> None:
        self.bank = bank
        self.distribution = distribution
        self.epochs = epochs
        self.authority = authority

    def get_params(self, ctx: Context) -> Params:
        return keys.PARAMS.get(ctx) or DEFAULT_PARAMS

    def set_params(self, ctx: Context, params: Params) -> None:
        keys.PARAMS.set(ctx, params)

    def epoch_state(self, ctx: Context) -> EpochState:
        return keys.EPOCH_STATE.get(ctx) or EpochState()

    def current_epoch(self, ctx: Context) -> int:
        """The running epoch of the module's epoch identifier (0 before the first one)."""
        return self.epoch_state(ctx).current_epoch

    def epoch_end_time(self, ctx: Context, epoch: int) -> int:
        """When ``epoch`` ends, assuming equal-length epochs (as the epochs module counts them)."""
        state = self.epoch_state(ctx)
        duration = state.epoch_duration_seconds
        return state.current_epoch_start_time + duration * (epoch - state.current_epoch + 1)

    def get_pool(self, ctx: Context, pool_id: int) -> Pool:
        pool = keys.POOLS.get(ctx, pool_id)
        if pool is None:
            raise ErrPoolNotFound.wrap(f"pool {pool_id}")
        return pool

    def set_pool(self, ctx: Context, pool: Pool) -> None:
        keys.POOLS.set(ctx, pool.id, pool)

    def pools(self, ctx: Context) -> Iterator[Pool]:
        return keys.POOLS.values(ctx)

    def get_node(self, ctx: Context, node_id: str) -> Node:
        node = keys.NODES.get(ctx, node_id)
        if node is None:
            raise ErrNodeNotFound.wrap(f"node {node_id!r}")
        return node

    def reward_coins(self, ctx: Context, amount: int) -> Coins:
        return Coins.of(self.get_params(ctx).reward_denom, amount)

    def fund_pool_from_account(
        self, ctx: Context, pool: Pool, funder: bytes, funder_text: str, amount: Int
    ) -> Pool:
        """Move ``amount`` from an account into the pool (bank first, then the ledger)."""
        self.bank.send_coins_from_account_to_module(
            ctx, funder, keys.MODULE_NAME, self.reward_coins(ctx, amount)
        )
        return self._credit(ctx, pool, amount, funder_text, from_community_pool=False)

    def fund_pool_from_community_pool(self, ctx: Context, pool: Pool, amount: Int) -> Pool:
        self.distribution.distribute_from_community_pool_to_module(
            ctx, self.reward_coins(ctx, amount), keys.MODULE_NAME
        )
        return self._credit(ctx, pool, amount, self.authority, from_community_pool=True)

    def _credit(
        self, ctx: Context, pool: Pool, amount: Int, funder: str, *, from_community_pool: bool
    ) -> Pool:
        pool = replace(pool, funded=pool.funded + amount, balance=pool.balance + amount)
        self.set_pool(ctx, pool)
        ctx.emit(
            events_pb2.EventPoolFunded(
                pool_id=pool.id,
                funder=funder,
                amount=str(amount),
                from_community_pool=from_community_pool,
            )
        )
        return pool

    def return_to_community_pool(self, ctx: Context, amount: Int) -> None:
        if amount > 0:
            self.distribution.fund_community_pool_from_module(
                ctx, self.reward_coins(ctx, amount), keys.MODULE_NAME
            )

    def close_pool(self, ctx: Context, pool: Pool, reason: str) -> Pool:
        """Return the pool's balance to the community pool and mark it closed; attestations of
        epochs that will never be finalized are dropped; unclaimed accruals stay claimable until
        they expire, then follow the balance."""
        remainder = pool.balance
        self.return_to_community_pool(ctx, remainder)
        for key in keys.ATTESTATIONS.keys(ctx, prefix=(pool.id,)):
            keys.ATTESTATIONS.remove(ctx, key)
        pool = replace(
            pool,
            status=PoolStatus.CLOSED,
            balance=Int(0),
            returned=pool.returned + remainder,
        )
        self.set_pool(ctx, pool)
        ctx.emit(
            events_pb2.EventPoolClosed(pool_id=pool.id, returned=str(remainder), reason=reason)
        )
        return pool

    def add_accrual(self, ctx: Context, accrual: Accrual) -> None:
        key = (accrual.provider, accrual.pool_id, accrual.epoch)
        keys.ACCRUALS.set(ctx, key, accrual)
        keys.ACCRUALS_BY_EXPIRY.add(ctx, (accrual.expires_epoch, *key))

    def remove_accrual(self, ctx: Context, accrual: Accrual) -> None:
        key = (accrual.provider, accrual.pool_id, accrual.epoch)
        keys.ACCRUALS.remove(ctx, key)
        keys.ACCRUALS_BY_EXPIRY.remove(ctx, (accrual.expires_epoch, *key))

    def expire_accruals(self, ctx: Context, through_epoch: int) -> None:
        """Send every accrual whose claim window ended by ``through_epoch`` back: to its pool
        while the pool is open, to the community pool once it is closed."""
        due = list(self._due_accruals(ctx, through_epoch))
        for _, provider, pool_id, epoch in due:
            accrual = keys.ACCRUALS.get(ctx, (provider, pool_id, epoch))
            if accrual is None:
                continue
            pool = self.get_pool(ctx, pool_id)
            self.remove_accrual(ctx, accrual)
            if pool.status == PoolStatus.CLOSED:
                self.return_to_community_pool(ctx, accrual.amount)
                pool = replace(
                    pool,
                    accrued=pool.accrued - accrual.amount,
                    returned=pool.returned + accrual.amount,
                )
            else:
                pool = replace(
                    pool,
                    accrued=pool.accrued - accrual.amount,
                    balance=pool.balance + accrual.amount,
                )
            self.set_pool(ctx, pool)
            ctx.emit(
                events_pb2.EventAccrualExpired(
                    pool_id=pool_id, epoch=epoch, provider=provider, amount=str(accrual.amount)
                )
            )

    def _due_accruals(
        self, ctx: Context, through_epoch: int
    ) -> Iterator[tuple[int, str, int, int]]:
        for key in keys.ACCRUALS_BY_EXPIRY.iterate(ctx):
            if key[0] > through_epoch:
                return
            yield key
