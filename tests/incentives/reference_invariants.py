"""The incentives invariants as first written: one straightforward read of the collections per
check. ``incentives.keeper.invariants`` must give exactly the verdicts and messages of these on
every state (``test_invariants.py`` compares them on broken states).
"""

from __future__ import annotations

from collections.abc import Callable

from chain.sdk.context import Context
from incentives.keeper.keeper import Keeper
from incentives.types import keys
from incentives.types.state import AllocationRule, AllocationStatus

Invariant = Callable[[Keeper, Context], "str | None"]


def module_balance(keeper: Keeper, ctx: Context) -> str | None:
    denom = keeper.get_params(ctx).reward_denom
    held = keeper.bank.get_balance(ctx, keys.MODULE_ADDRESS, denom)
    owed = sum(pool.balance + pool.accrued for pool in keeper.pools(ctx))
    if held != owed:
        return f"module account holds {held}{denom}, pools owe {owed}{denom}"
    return None


def pool_ledger(keeper: Keeper, ctx: Context) -> str | None:
    for pool in keeper.pools(ctx):
        parts = pool.balance + pool.accrued + pool.paid + pool.returned
        if pool.funded != parts:
            return (
                f"pool {pool.id}: funded {pool.funded} != balance {pool.balance} + accrued "
                f"{pool.accrued} + paid {pool.paid} + returned {pool.returned} = {parts}"
            )
    return None


def nonnegative(keeper: Keeper, ctx: Context) -> str | None:
    for pool in keeper.pools(ctx):
        for name in ("funded", "balance", "accrued", "paid", "returned"):
            if getattr(pool, name) < 0:
                return f"pool {pool.id}: {name} is {getattr(pool, name)}"
    for accrual in keys.ACCRUALS.values(ctx):
        if accrual.amount <= 0:
            return f"accrual {accrual.provider}/{accrual.pool_id}/{accrual.epoch}: {accrual.amount}"
    return None


def accruals(keeper: Keeper, ctx: Context) -> str | None:
    totals: dict[int, int] = {}
    for accrual in keys.ACCRUALS.values(ctx):
        totals[accrual.pool_id] = totals.get(accrual.pool_id, 0) + accrual.amount
    for pool in keeper.pools(ctx):
        recorded = totals.get(pool.id, 0)
        if recorded != pool.accrued:
            return f"pool {pool.id}: accrued {pool.accrued}, accrual records sum {recorded}"
    return None


def epoch_conservation(keeper: Keeper, ctx: Context) -> str | None:
    for allocation in keys.ALLOCATIONS.values(ctx):
        if allocation.status != AllocationStatus.FINALIZED:
            continue
        paid = sum(node.amount for node in allocation.nodes)
        if (
            paid != allocation.distributed
            or allocation.distributed + allocation.dust != allocation.emission
        ):
            return (
                f"pool {allocation.pool_id} epoch {allocation.epoch}: nodes {paid}, distributed "
                f"{allocation.distributed}, dust {allocation.dust}, emission {allocation.emission}"
            )
    return None


def indexes(keeper: Keeper, ctx: Context) -> str | None:
    expected_owner = sorted((node.owner, node.id) for node in keys.NODES.values(ctx))
    if expected_owner != list(keys.NODES_BY_OWNER.iterate(ctx)):
        return "nodes_by_owner differs from nodes"
    memberships = list(keys.MEMBERSHIPS.values(ctx))
    if sorted((item.node_id, item.pool_id) for item in memberships) != list(
        keys.MEMBERSHIPS_BY_NODE.iterate(ctx)
    ):
        return "memberships_by_node differs from memberships"
    provider_nodes: dict[tuple[int, str], int] = {}
    committed: dict[tuple[int, str], int] = {}
    for item in memberships:
        key = (item.pool_id, item.owner)
        provider_nodes[key] = provider_nodes.get(key, 0) + 1
        if keeper.get_pool(ctx, item.pool_id).rule == AllocationRule.FIXED_RATE:
            node = keeper.get_node(ctx, item.node_id)
            gpus = (item.pool_id, node.gpu_model)
            committed[gpus] = committed.get(gpus, 0) + node.gpu_count
    if sorted(provider_nodes.items()) != list(keys.PROVIDER_NODES.iterate(ctx)):
        return "provider_nodes differs from memberships"
    if sorted(committed.items()) != list(keys.COMMITTED_GPUS.iterate(ctx)):
        return "committed_gpus differs from memberships"
    expiry = sorted(
        (item.expires_epoch, item.provider, item.pool_id, item.epoch)
        for item in keys.ACCRUALS.values(ctx)
    )
    if expiry != list(keys.ACCRUALS_BY_EXPIRY.iterate(ctx)):
        return "accruals_by_expiry differs from accruals"
    by_pool = sorted((item.pool_id, item.id) for item in keys.PAYMENTS.values(ctx))
    if by_pool != list(keys.PAYMENTS_BY_POOL.iterate(ctx)):
        return "payments_by_pool differs from payments"
    return None


def redirects(keeper: Keeper, ctx: Context) -> str | None:
    shares: dict[str, int] = {}
    for redirect in keys.REDIRECTS.values(ctx):
        shares[redirect.delegator] = shares.get(redirect.delegator, 0) + redirect.bps
    for delegator, total in sorted(shares.items()):
        if total > keys.BPS_DENOMINATOR:
            return f"{delegator} redirects {total} bps"
    return None


REFERENCE: dict[str, Invariant] = {
    "incentives/module-balance": module_balance,
    "incentives/pool-ledger": pool_ledger,
    "incentives/nonnegative": nonnegative,
    "incentives/accruals": accruals,
    "incentives/epoch-conservation": epoch_conservation,
    "incentives/indexes": indexes,
    "incentives/redirects": redirects,
}
