"""The incentives invariants on broken states: each catches the breakage it names, with its
message, and every check gives exactly the verdict, message or error of the straightforward
reference (``reference_invariants.py``) on states broken at random: values deleted, swapped,
rewritten or corrupted, index keys dropped or with junk appended, stray keys added.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.sdk.context import Context
from chain.sdk.gas import GasMeter
from chain.sdk.kv import CacheKV, prefix_end
from chain.sdk.math import Int
from chain.simapp import SimApp
from incentives.keeper.invariants import INVARIANTS, check_invariants
from incentives.types import keys
from incentives.types.params import DEFAULT_PARAMS
from incentives.types.state import AllocationStatus
from tests.incentives.reference_invariants import REFERENCE
from tests.incentives.test_genesis import rich_world

STORE = keys.STORE_NAME
PREFIXES = [prefix for prefix, _ in keys.schema.table()]
# The collections of domain values a test rewrites field by field.
RECORDS: dict[bytes, Any] = {
    collection._prefix: collection
    for collection in (
        keys.POOLS,
        keys.NODES,
        keys.MEMBERSHIPS,
        keys.ACCRUALS,
        keys.ALLOCATIONS,
        keys.REDIRECTS,
        keys.PAYMENTS,
    )
}


@pytest.fixture(scope="module")
def app() -> SimApp:
    return rich_world().app


def branch(app: SimApp) -> Context:
    """A context over a throwaway branch of the app's committed store."""
    return Context(app.header, CacheKV(app.store), GasMeter())


def outcome(check: Callable[[Any, Context], str | None], app: SimApp, ctx: Context) -> Any:
    try:
        return ("holds", check(app.incentives.keeper, ctx))
    except Exception as error:  # the error itself is part of the verdict
        return ("raises", type(error), str(error))


def verdicts(app: SimApp, ctx: Context) -> dict[str, tuple[Any, Any]]:
    return {
        name: (outcome(INVARIANTS[name], app, ctx), outcome(REFERENCE[name], app, ctx))
        for name in sorted(REFERENCE)
    }


def entries(ctx: Context, prefix: bytes) -> list[tuple[bytes, bytes]]:
    return list(ctx.kv_store(STORE).iterate(prefix, prefix_end(prefix)))


def test_the_same_checks_under_the_same_names() -> None:
    assert sorted(INVARIANTS) == sorted(REFERENCE)


def test_every_invariant_holds_on_the_rich_state(app: SimApp) -> None:
    ctx = branch(app)
    assert check_invariants(app.incentives.keeper, ctx) == []
    assert all(
        fast == reference == ("holds", None) for fast, reference in verdicts(app, ctx).values()
    )


def _replace_pool(ctx: Context, **changes: int) -> None:
    pool = next(keys.POOLS.values(ctx))
    keys.POOLS.set(
        ctx,
        pool.id,
        dataclasses.replace(pool, **{k: Int(getattr(pool, k) + v) for k, v in changes.items()}),
    )


def _unbalance_allocation(ctx: Context) -> None:
    for key, allocation in keys.ALLOCATIONS.iterate(ctx):
        if allocation.status == AllocationStatus.FINALIZED:
            keys.ALLOCATIONS.set(
                ctx, key, dataclasses.replace(allocation, dust=allocation.dust + 1)
            )
            return
    raise AssertionError("no finalized allocation")


def _first_key(ctx: Context, prefix: bytes) -> bytes:
    return entries(ctx, prefix)[0][0]


BREAKS: dict[str, tuple[Callable[[Context], None], str, str]] = {
    "unowed funds": (
        lambda ctx: _replace_pool(ctx, balance=1, funded=1),
        "incentives/module-balance",
        "module account holds",
    ),
    "unbalanced ledger": (
        lambda ctx: _replace_pool(ctx, funded=1),
        "incentives/pool-ledger",
        "pool 1: funded",
    ),
    "negative paid": (
        lambda ctx: _replace_pool(ctx, paid=-(10**30), returned=10**30),
        "incentives/nonnegative",
        "pool 1: paid is -",
    ),
    "accrued without records": (
        lambda ctx: _replace_pool(ctx, accrued=5, balance=-5),
        "incentives/accruals",
        "pool 1: accrued",
    ),
    "allocation not conserved": (
        _unbalance_allocation,
        "incentives/epoch-conservation",
        "pool 1 epoch 1: nodes",
    ),
    "owner index entry missing": (
        lambda ctx: ctx.kv_store(STORE).delete(_first_key(ctx, b"\x05")),
        "incentives/indexes",
        "nodes_by_owner differs from nodes",
    ),
    "membership index with junk": (
        lambda ctx: ctx.kv_store(STORE).set(_first_key(ctx, b"\x07") + b"junk", b""),
        "incentives/indexes",
        "memberships_by_node differs from memberships",
    ),
    "committed gpus off by one": (
        lambda ctx: ctx.kv_store(STORE).set(
            _first_key(ctx, b"\x11"), (1 + int.from_bytes(entries(ctx, b"\x11")[0][1])).to_bytes(8)
        ),
        "incentives/indexes",
        "committed_gpus differs from memberships",
    ),
    "payment index missing": (
        lambda ctx: ctx.kv_store(STORE).delete(_first_key(ctx, b"\x13")),
        "incentives/indexes",
        "payments_by_pool differs from payments",
    ),
    "redirects over 100%": (
        lambda ctx: [
            keys.REDIRECTS.set(ctx, key, dataclasses.replace(item, bps=10_001))
            for key, item in list(keys.REDIRECTS.iterate(ctx))[:1]
        ],
        "incentives/redirects",
        "redirects 10001 bps",
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_breakage_is_caught_with_its_message(app: SimApp, case: str) -> None:
    ctx = branch(app)
    apply, name, message = BREAKS[case]
    apply(ctx)
    fast, reference = verdicts(app, ctx)[name]
    assert fast == reference
    assert fast[0] == "holds"
    assert fast[1] is not None
    assert message in fast[1]
    assert f"{name}: {fast[1]}" in check_invariants(app.incentives.keeper, ctx)


def _alter(app: SimApp, ctx: Context, data: st.DataObject) -> None:
    """One random change to the module's collections or to the module account's balance."""
    store = ctx.kv_store(STORE)
    kind = data.draw(
        st.sampled_from(["field", "delete", "swap", "flip", "junk-key", "stray", "cut", "held"])
    )
    if kind == "field":
        _rewrite_field(ctx, RECORDS[data.draw(st.sampled_from(sorted(RECORDS)))], data)
        return
    prefix = data.draw(st.sampled_from(PREFIXES))
    stored = entries(ctx, prefix)
    if kind == "held":
        held = Int(data.draw(st.integers(1, 10**12)))
        app.bank.balances.set(ctx, (keys.MODULE_ADDRESS, DEFAULT_PARAMS.reward_denom), held)
        return
    if kind == "stray" or not stored:
        suffix = data.draw(st.binary(min_size=0, max_size=12))
        store.set(prefix + suffix, data.draw(st.binary(max_size=24)))
        return
    key, value = data.draw(st.sampled_from(stored))
    if kind == "delete":
        store.delete(key)
    elif kind == "swap":
        store.set(key, data.draw(st.sampled_from(stored))[1])
    elif kind == "flip" and value:
        at = data.draw(st.integers(0, len(value) - 1))
        store.set(
            key, value[:at] + bytes([value[at] ^ data.draw(st.integers(1, 255))]) + value[at + 1 :]
        )
    elif kind == "junk-key":
        store.delete(key)
        store.set(key + data.draw(st.binary(min_size=1, max_size=4)), value)
    elif kind == "cut":
        store.set(key[: data.draw(st.integers(len(prefix), len(key)))] or key, value)


def _rewrite_field(ctx: Context, collection: Any, data: st.DataObject) -> None:
    """Change one integer or text field of one stored record (its key stays)."""
    records = []
    for raw_key, raw_value in entries(ctx, collection._prefix):
        try:
            records.append(
                (
                    collection._key_codec.decode(raw_key, 1)[0],
                    collection._value_codec.decode(raw_value),
                )
            )
        except Exception:  # an earlier change broke this one
            continue
    if not records:
        return
    key, record = data.draw(st.sampled_from(records))
    fields = [
        field.name
        for field in dataclasses.fields(record)
        if type(getattr(record, field.name)) in (int, Int, str)
    ]
    name = data.draw(st.sampled_from(fields))
    old = getattr(record, name)
    if isinstance(old, str):
        new: Any = data.draw(st.sampled_from(["x", old + "x", ""]))
    else:
        delta = data.draw(st.sampled_from([1, -1, 1000, -1000]))
        new = Int(old + delta * 10**9) if isinstance(old, Int) else max(0, old + delta)
    collection.set(ctx, key, dataclasses.replace(record, **{name: new}))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_checks_agree_with_the_reference_on_broken_states(
    app: SimApp, data: st.DataObject
) -> None:
    ctx = branch(app)
    for _ in range(data.draw(st.integers(1, 3))):
        _alter(app, ctx, data)
    for name, (fast, reference) in verdicts(app, ctx).items():
        assert fast == reference, name
