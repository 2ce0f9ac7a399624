"""Named invariants of the incentives module: read-only checks run after every block in tests
and simulations. Each returns None when it holds, or a diagnosis with the numbers.

- ``incentives/module-balance``: the module account holds exactly the pools' balances plus their
  unclaimed accruals.
- ``incentives/pool-ledger``: every pool has ``funded == balance + accrued + paid + returned``.
- ``incentives/nonnegative``: no ledger entry is negative, every accrual is positive.
- ``incentives/accruals``: each pool's ``accrued`` equals the sum of its accrual records.
- ``incentives/epoch-conservation``: every finalized allocation has node amounts summing to
  ``distributed`` and ``distributed + dust == emission``.
- ``incentives/indexes``: every index equals its value recomputed from the primary data.
- ``incentives/redirects``: no delegator redirects more than 10000 bps.

They run after every block, so each reads a collection in one pass straight from the store, in
``Map.iterate``'s order, and decodes (and checks) each distinct stored key or value once: results
are remembered by the exact stored bytes, which is sound because decoding is pure and decoded
values are frozen. Verdicts, messages and errors are those of the plain reads
(``tests/incentives/test_invariants.py`` compares them on randomly broken states).

Fails when: a stored key or value does not decode (the error ``Map`` reads would raise), or an
indexed pool or node is missing (the keeper's not-found error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chain.sdk.collections import KeySet
from chain.sdk.context import Context
from chain.sdk.math import Int
from chain.sdk.memo import Memo
from chain.sdk.stored_reader import Reader
from incentives.keeper.keeper import Keeper
from incentives.types import keys
from incentives.types.state import (
    Accrual,
    Allocation,
    AllocationRule,
    AllocationStatus,
    Node,
    Pool,
)

Invariant = Callable[[Keeper, Context], "str | None"]


def _key_set(collection: KeySet[Any]) -> Reader[Any, bytes]:
    return Reader(collection._map)


_POOLS = Reader(keys.POOLS)
_NODES = Reader(keys.NODES)
_MEMBERSHIPS = Reader(keys.MEMBERSHIPS)
_ACCRUALS = Reader(keys.ACCRUALS)
_ALLOCATIONS = Reader(keys.ALLOCATIONS)
_PAYMENTS = Reader(keys.PAYMENTS)
_REDIRECTS = Reader(keys.REDIRECTS)
_NODES_BY_OWNER = _key_set(keys.NODES_BY_OWNER)
_MEMBERSHIPS_BY_NODE = _key_set(keys.MEMBERSHIPS_BY_NODE)
_ACCRUALS_BY_EXPIRY = _key_set(keys.ACCRUALS_BY_EXPIRY)
_PAYMENTS_BY_POOL = _key_set(keys.PAYMENTS_BY_POOL)
_COMMITTED_GPUS = Reader(keys.COMMITTED_GPUS)
_PROVIDER_NODES = Reader(keys.PROVIDER_NODES)
_POOL_KEY = keys.POOLS._prefix
_NODE_KEY = keys.NODES._prefix
_U64_KEY = keys.POOLS._key_codec.encode
_STR_KEY = keys.NODES._key_codec.encode


def _owed(pool: Pool) -> Int:
    return pool.balance + pool.accrued


def _ledger_error(pool: Pool) -> str | None:
    parts = pool.balance + pool.accrued + pool.paid + pool.returned
    if pool.funded != parts:
        return (
            f"pool {pool.id}: funded {pool.funded} != balance {pool.balance} + accrued "
            f"{pool.accrued} + paid {pool.paid} + returned {pool.returned} = {parts}"
        )
    return None


def _negative_error(pool: Pool) -> str | None:
    for name in ("funded", "balance", "accrued", "paid", "returned"):
        if getattr(pool, name) < 0:
            return f"pool {pool.id}: {name} is {getattr(pool, name)}"
    return None


def _owner_entry(node: Node) -> tuple[str, str]:
    return (node.owner, node.id)


def _expiry_entry(accrual: Accrual) -> tuple[int, str, int, int]:
    return (accrual.expires_epoch, accrual.provider, accrual.pool_id, accrual.epoch)


def _accrual_error(accrual: Accrual) -> str | None:
    if accrual.amount <= 0:
        return f"accrual {accrual.provider}/{accrual.pool_id}/{accrual.epoch}: {accrual.amount}"
    return None


def _conservation_error(allocation: Allocation) -> str | None:
    if allocation.status != AllocationStatus.FINALIZED:
        return None
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


# Each a pure function of one stored value's bytes (through its decoding).
_OWED = Memo(lambda raw: _owed(_POOLS.value(raw)))
_LEDGER_ERROR = Memo(lambda raw: _ledger_error(_POOLS.value(raw)))
_NEGATIVE_ERROR = Memo(lambda raw: _negative_error(_POOLS.value(raw)))
_ACCRUAL_ERROR = Memo(lambda raw: _accrual_error(_ACCRUALS.value(raw)))
_CONSERVATION_ERROR = Memo(lambda raw: _conservation_error(_ALLOCATIONS.value(raw)))
_OWNER_ENTRY = Memo(lambda raw: _owner_entry(_NODES.value(raw)))
_EXPIRY_ENTRY = Memo(lambda raw: _expiry_entry(_ACCRUALS.value(raw)))


def module_balance(keeper: Keeper, ctx: Context) -> str | None:
    denom = keeper.get_params(ctx).reward_denom
    held = keeper.bank.get_balance(ctx, keys.MODULE_ADDRESS, denom)
    owed = sum(_OWED(raw) for _, raw in _POOLS.stored(ctx))
    if held != owed:
        return f"module account holds {held}{denom}, pools owe {owed}{denom}"
    return None


def pool_ledger(keeper: Keeper, ctx: Context) -> str | None:
    for _, raw in _POOLS.stored(ctx):
        if (error := _LEDGER_ERROR(raw)) is not None:
            return error
    return None


def nonnegative(keeper: Keeper, ctx: Context) -> str | None:
    for _, raw in _POOLS.stored(ctx):
        if (error := _NEGATIVE_ERROR(raw)) is not None:
            return error
    for _, raw in _ACCRUALS.stored(ctx):
        if (error := _ACCRUAL_ERROR(raw)) is not None:
            return error
    return None


def accruals(keeper: Keeper, ctx: Context) -> str | None:
    totals: dict[int, int] = {}
    for accrual in _ACCRUALS.values(ctx):
        totals[accrual.pool_id] = totals.get(accrual.pool_id, 0) + accrual.amount
    for pool in _POOLS.values(ctx):
        recorded = totals.get(pool.id, 0)
        if recorded != pool.accrued:
            return f"pool {pool.id}: accrued {pool.accrued}, accrual records sum {recorded}"
    return None


def epoch_conservation(keeper: Keeper, ctx: Context) -> str | None:
    for _, raw in _ALLOCATIONS.stored(ctx):
        if (error := _CONSERVATION_ERROR(raw)) is not None:
            return error
    return None


def indexes(keeper: Keeper, ctx: Context) -> str | None:
    nodes: dict[bytes, bytes] = {}
    owners: list[tuple[str, str]] = []
    for raw_key, raw in _NODES.stored(ctx):
        nodes[raw_key] = raw
        owners.append(_OWNER_ENTRY(raw))
    if sorted(owners) != _NODES_BY_OWNER.keys(ctx):
        return "nodes_by_owner differs from nodes"
    memberships = list(_MEMBERSHIPS.values(ctx))
    if sorted([(item.node_id, item.pool_id) for item in memberships]) != (
        _MEMBERSHIPS_BY_NODE.keys(ctx)
    ):
        return "memberships_by_node differs from memberships"
    pools = dict(_POOLS.stored(ctx))
    provider_nodes: dict[tuple[int, str], int] = {}
    committed: dict[tuple[int, str], int] = {}
    for item in memberships:
        key = (item.pool_id, item.owner)
        provider_nodes[key] = provider_nodes.get(key, 0) + 1
        if _pool(keeper, ctx, pools, item.pool_id).rule == AllocationRule.FIXED_RATE:
            node = _node(keeper, ctx, nodes, item.node_id)
            gpus = (item.pool_id, node.gpu_model)
            committed[gpus] = committed.get(gpus, 0) + node.gpu_count
    if sorted(provider_nodes.items()) != _PROVIDER_NODES.items(ctx):
        return "provider_nodes differs from memberships"
    if sorted(committed.items()) != _COMMITTED_GPUS.items(ctx):
        return "committed_gpus differs from memberships"
    expiry = sorted([_EXPIRY_ENTRY(raw) for _, raw in _ACCRUALS.stored(ctx)])
    if expiry != _ACCRUALS_BY_EXPIRY.keys(ctx):
        return "accruals_by_expiry differs from accruals"
    by_pool = sorted([(item.pool_id, item.id) for item in _PAYMENTS.values(ctx)])
    if by_pool != _PAYMENTS_BY_POOL.keys(ctx):
        return "payments_by_pool differs from payments"
    return None


def _pool(keeper: Keeper, ctx: Context, stored: dict[bytes, bytes], pool_id: int) -> Pool:
    """``keeper.get_pool`` from the pools read before: the value under the key ``Map.get``
    reads, or the keeper's not-found error."""
    raw = stored.get(_POOL_KEY + _U64_KEY(pool_id))
    return keeper.get_pool(ctx, pool_id) if raw is None else _POOLS.value(raw)


def _node(keeper: Keeper, ctx: Context, stored: dict[bytes, bytes], node_id: str) -> Node:
    """``keeper.get_node`` from the nodes read before (see ``_pool``)."""
    raw = stored.get(_NODE_KEY + _STR_KEY(node_id))
    return keeper.get_node(ctx, node_id) if raw is None else _NODES.value(raw)


def redirects(keeper: Keeper, ctx: Context) -> str | None:
    shares: dict[str, int] = {}
    for redirect in _REDIRECTS.values(ctx):
        shares[redirect.delegator] = shares.get(redirect.delegator, 0) + redirect.bps
    for delegator, total in sorted(shares.items()):
        if total > keys.BPS_DENOMINATOR:
            return f"{delegator} redirects {total} bps"
    return None


INVARIANTS: dict[str, Invariant] = {
    "incentives/module-balance": module_balance,
    "incentives/pool-ledger": pool_ledger,
    "incentives/nonnegative": nonnegative,
    "incentives/accruals": accruals,
    "incentives/epoch-conservation": epoch_conservation,
    "incentives/indexes": indexes,
    "incentives/redirects": redirects,
}


def check_invariants(keeper: Keeper, ctx: Context) -> list[str]:
    """The diagnoses of every broken invariant, prefixed with its name, in name order."""
    broken = []
    for name in sorted(INVARIANTS):
        message = INVARIANTS[name](keeper, ctx)
        if message is not None:
            broken.append(f"{name}: {message}")
    return broken
