"""Epoch hooks: what the module does when an epoch of its identifier ends or starts.

Rules of this file:
1. Only the epoch identifier in params triggers anything; other timers are ignored.
2. ``after_epoch_end(n)`` finalizes, for every active pool in id order, each epoch from the pool's
   next unfinalized one through ``min(n - settlement_lag, end_epoch)``, in order; a deferred epoch
   (no fresh price) stops that pool's finalization until a later epoch end.
3. Each pool runs in its own store branch: one pool's failure never blocks another's, and leaves
   no partial writes (the failure is recorded as an ``EventEpochDeferred``).
4. Then accruals whose claim window ended are expired, then pools whose whole term is finalized
   are closed, returning their balance to the community pool.
5. ``before_epoch_start(n)`` records the running epoch and its start time from the epochs module.
"""

from __future__ import annotations

from dataclasses import replace

from chain.sdk.context import Context
from chain.sdk.errors import SdkError
from chain.sdk.math import Int
from chain.sdk.stored_reader import Reader
from incentives.keeper.allocation import attested_nodes, compute_allocation
from incentives.keeper.keeper import Keeper
from incentives.pb import events_pb2
from incentives.types import keys
from incentives.types.state import (
    Accrual,
    Allocation,
    AllocationStatus,
    EpochState,
    Pool,
    PoolStatus,
)

# Every pool is read at each epoch end: each distinct stored key and value is decoded once.
_POOLS = Reader(keys.POOLS)


class EpochHooks:
    """The module's implementation of the epochs module's hooks."""

    def __init__(self, keeper: Keeper) -> None:
        self.keeper = keeper

    def before_epoch_start(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        if epoch_identifier != self.keeper.get_params(ctx).epoch_identifier:
            return
        info = self.keeper.epochs.get_epoch_info(ctx, epoch_identifier)
        start = info.current_epoch_start_time.seconds if info is not None else ctx.block_time
        duration = info.duration.seconds if info is not None else 0
        keys.EPOCH_STATE.set(
            ctx,
            EpochState(
                current_epoch=epoch_number,
                current_epoch_start_time=start,
                epoch_duration_seconds=duration,
            ),
        )

    def after_epoch_end(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        params = self.keeper.get_params(ctx)
        if epoch_identifier != params.epoch_identifier:
            return
        target = epoch_number - params.settlement_lag_epochs
        for raw_key, _ in list(_POOLS.stored(ctx)):
            pool_id = _POOLS.key(raw_key)
            pool = _POOLS.get(ctx, raw_key)
            if pool is None:
                pool = self.keeper.get_pool(ctx, pool_id)  # raises the not-found error
            if pool.status != PoolStatus.ACTIVE:
                continue
            branch = ctx.branch()
            try:
                finalize_pool(
                    self.keeper, branch.ctx, pool, min(target, pool.end_epoch), epoch_number
                )
            except SdkError as err:
                ctx.emit(
                    events_pb2.EventEpochDeferred(
                        pool_id=pool_id, epoch=pool.next_epoch_to_finalize, reason=err.log
                    )
                )
            else:
                branch.write()
        self.keeper.expire_accruals(ctx, epoch_number)
        for pool in list(_POOLS.values(ctx)):
            if pool.status == PoolStatus.ACTIVE and pool.last_finalized_epoch >= pool.end_epoch:
                self.keeper.close_pool(ctx, pool, reason="term ended")


def finalize_pool(keeper: Keeper, ctx: Context, pool: Pool, through: int, now_epoch: int) -> None:
    """Finalize the pool's epochs up to ``through``; stop at the first deferred one."""
    params = keeper.get_params(ctx)
    epoch = pool.next_epoch_to_finalize
    while epoch <= through:
        nodes = attested_nodes(ctx, pool, epoch)
        try:
            allocation = compute_allocation(
                ctx, params, pool, epoch, nodes, keeper.epoch_end_time(ctx, epoch)
            )
        except SdkError as err:
            keys.ALLOCATIONS.set(
                ctx,
                (pool.id, epoch),
                Allocation(pool_id=pool.id, epoch=epoch, status=AllocationStatus.DEFERRED),
            )
            ctx.emit(events_pb2.EventEpochDeferred(pool_id=pool.id, epoch=epoch, reason=err.log))
            return
        pool = apply_allocation(
            keeper, ctx, pool, allocation, now_epoch + params.claim_window_epochs
        )
        epoch += 1


def apply_allocation(
    keeper: Keeper, ctx: Context, pool: Pool, allocation: Allocation, expires_epoch: int
) -> Pool:
    """Write a finalized allocation: provider accruals, the pool ledger, the record, events;
    the epoch's attestations are pruned (the allocation keeps the per-node outcome)."""
    per_provider: dict[str, int] = {}
    for node in allocation.nodes:
        if node.amount:
            per_provider[node.provider] = per_provider.get(node.provider, 0) + node.amount
    for provider in sorted(per_provider):
        amount = Int(per_provider[provider])
        keeper.add_accrual(
            ctx,
            Accrual(
                pool_id=pool.id,
                epoch=allocation.epoch,
                provider=provider,
                amount=amount,
                expires_epoch=expires_epoch,
            ),
        )
        ctx.emit(
            events_pb2.EventRewardsAccrued(
                pool_id=pool.id, epoch=allocation.epoch, provider=provider, amount=str(amount)
            )
        )
    pool = replace(
        pool,
        balance=pool.balance - allocation.distributed,
        accrued=pool.accrued + allocation.distributed,
        last_finalized_epoch=allocation.epoch,
    )
    keeper.set_pool(ctx, pool)
    keys.ALLOCATIONS.set(ctx, (pool.id, allocation.epoch), allocation)
    for key in keys.ATTESTATIONS.keys(ctx, prefix=(pool.id, allocation.epoch)):
        keys.ATTESTATIONS.remove(ctx, key)
    ctx.emit(
        events_pb2.EventEpochFinalized(
            pool_id=pool.id,
            epoch=allocation.epoch,
            emission=str(allocation.emission),
            distributed=str(allocation.distributed),
            dust=str(allocation.dust),
            nodes=len(allocation.nodes),
        )
    )
    return pool
