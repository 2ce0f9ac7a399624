"""Reward redirects (the Venice opt-in): delegators send a share of staking rewards to pools.

Owns the hook the distribution module calls after paying a delegator's rewards.

Fails when: the delegator's balance cannot cover the share (``ErrInsufficientFunds``; cannot
happen right after the rewards were paid to the same account).
"""

from __future__ import annotations

from dataclasses import replace

from chain.sdk.context import Context
from chain.sdk.math import Coins, Int
from incentives.keeper.keeper import Keeper
from incentives.pb import events_pb2
from incentives.types import keys
from incentives.types.state import PoolStatus


def apply_reward_redirects(
    keeper: Keeper, ctx: Context, delegator: bytes, delegator_text: str, rewards: Coins
) -> Int:
    """Move the delegator's redirected shares of just-withdrawn ``rewards`` into their pools.

    Called by the distribution module after it paid the rewards (the Venice opt-in). Closed
    pools are skipped; each share is ``floor(reward * bps / 10000)``. Returns the total moved.
    """
    denom = keeper.get_params(ctx).reward_denom
    reward = rewards.amount_of(denom)
    moved = Int(0)
    for redirect in list(keys.REDIRECTS.values(ctx, prefix=(delegator_text,))):
        pool = keeper.get_pool(ctx, redirect.pool_id)
        share = Int(reward * redirect.bps // keys.BPS_DENOMINATOR)
        if pool.status != PoolStatus.ACTIVE or share == 0:
            continue
        keeper.fund_pool_from_account(ctx, pool, delegator, delegator_text, share)
        keys.REDIRECTS.set(
            ctx,
            (redirect.delegator, redirect.pool_id),
            replace(redirect, contributed=redirect.contributed + share),
        )
        moved += share
        ctx.emit(
            events_pb2.EventRewardsRedirected(
                delegator=delegator_text, pool_id=pool.id, amount=str(share)
            )
        )
    return moved
