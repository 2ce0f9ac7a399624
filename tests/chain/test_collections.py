"""Typed collections: order-preserving key codecs, schema prefix discipline, Map iteration."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.sdk.collections import (
    BytesKey,
    KeyCodec,
    Schema,
    StrKey,
    TupleKey,
    U64Key,
    U64Value,
)
from chain.sdk.context import BlockHeader, Context
from chain.sdk.kv import MemKV

u64s = st.integers(min_value=0, max_value=2**64 - 1)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
addresses = st.binary(min_size=20, max_size=20)


def _ctx() -> Context:
    return Context(BlockHeader(1, 0, "akash-localnet-1"), MemKV())


def _order_preserved(codec: KeyCodec[Any], a: Any, b: Any) -> None:
    encoded_a, encoded_b = codec.encode(a), codec.encode(b)
    assert (encoded_a < encoded_b) == (a < b)
    assert (encoded_a == encoded_b) == (a == b)
    assert codec.decode(encoded_a, 0) == (a, len(encoded_a))


@given(u64s, u64s)
def test_u64_key_order(a: int, b: int) -> None:
    _order_preserved(U64Key, a, b)


@given(texts, texts)
def test_str_key_order(a: str, b: str) -> None:
    _order_preserved(StrKey, a, b)


@given(addresses, addresses)
def test_bytes_key_order_for_fixed_length(a: bytes, b: bytes) -> None:
    _order_preserved(BytesKey, a, b)


@given(st.binary(max_size=8), st.binary(max_size=8))
def test_bytes_key_orders_by_length_first(a: bytes, b: bytes) -> None:
    # Length-prefixed bytes (as the SDK's collections encode non-terminal bytes) sort by
    # (length, bytes): byte order equals tuple order only for equal lengths, e.g. addresses.
    assert (BytesKey.encode(a) < BytesKey.encode(b)) == ((len(a), a) < (len(b), b))


@given(
    st.tuples(addresses, texts, u64s),
    st.tuples(addresses, texts, u64s),
)
def test_tuple_key_order(a: tuple[bytes, str, int], b: tuple[bytes, str, int]) -> None:
    _order_preserved(TupleKey(BytesKey, StrKey, U64Key), a, b)


@given(texts, u64s)
def test_tuple_key_prefix_is_a_byte_prefix(a: str, b: int) -> None:
    codec = TupleKey(StrKey, U64Key)
    assert codec.encode((a, b)).startswith(codec.encode_prefix((a,)))


def test_key_codecs_reject_unencodable_keys() -> None:
    with pytest.raises(ValueError, match="NUL"):
        StrKey.encode("a\x00b")
    with pytest.raises(ValueError, match="255"):
        BytesKey.encode(bytes(256))
    with pytest.raises(ValueError, match="u64"):
        U64Key.encode(2**64)
    with pytest.raises(ValueError, match="u64"):
        U64Key.encode(-1)
    with pytest.raises(ValueError, match="parts"):
        TupleKey(StrKey, U64Key).encode(("a",))


def test_schema_rejects_duplicate_names() -> None:
    schema = Schema("mod")
    schema.item(b"\x01", "params", U64Value)
    with pytest.raises(ValueError, match="used twice"):
        schema.map(b"\x02", "params", StrKey, U64Value)


@pytest.mark.parametrize(("first", "second"), [(b"\x01", b"\x01"), (b"\x01", b"\x01\x02")])
def test_schema_rejects_overlapping_prefixes(first: bytes, second: bytes) -> None:
    for a, b in ((first, second), (second, first)):
        schema = Schema("mod")
        schema.map(a, "one", StrKey, U64Value)
        with pytest.raises(ValueError, match="overlaps"):
            schema.map(b, "two", StrKey, U64Value)


def test_schema_rejects_empty_prefix_and_lists_its_table() -> None:
    schema = Schema("mod")
    with pytest.raises(ValueError, match="empty"):
        schema.item(b"", "params", U64Value)
    schema.sequence(b"\x02", "next_id")
    schema.item(b"\x01", "params", U64Value)
    schema.map(b"\x10", "things", StrKey, U64Value)
    assert schema.table() == [(b"\x01", "params"), (b"\x02", "next_id"), (b"\x10", "things")]


def test_map_prefix_iteration() -> None:
    ctx = _ctx()
    schema = Schema("bank")
    balances = schema.map(b"\x02", "balances", TupleKey(BytesKey, StrKey), U64Value)
    neighbour = schema.map(b"\x03", "other", StrKey, U64Value)
    alice, bob = b"\x01" * 20, b"\x02" * 20
    for addr, denom, amount in [
        (bob, "uakt", 1),
        (alice, "uatom", 2),
        (alice, "uakt", 3),
        (alice, "ibc/X", 4),
        (bob, "uatom", 5),
    ]:
        balances.set(ctx, (addr, denom), amount)
    neighbour.set(ctx, "zzz", 9)

    assert [key for key, _ in balances.iterate(ctx, (alice,))] == [
        (alice, "ibc/X"),
        (alice, "uakt"),
        (alice, "uatom"),
    ]
    assert [value for _, value in balances.iterate(ctx, (alice,), reverse=True)] == [2, 3, 4]
    assert list(balances.values(ctx, (bob,))) == [1, 5]
    assert balances.keys(ctx) == [
        (alice, "ibc/X"),
        (alice, "uakt"),
        (alice, "uatom"),
        (bob, "uakt"),
        (bob, "uatom"),
    ]
    assert [key for key, _ in balances.iterate(ctx, start=(alice, "uatom"))] == [
        (alice, "uatom"),
        (bob, "uakt"),
        (bob, "uatom"),
    ]
    assert list(neighbour.iterate(ctx)) == [("zzz", 9)]
    with pytest.raises(ValueError, match="TupleKey"):
        list(neighbour.iterate(ctx, ("a",)))


def test_map_item_sequence_basics() -> None:
    ctx = _ctx()
    schema = Schema("mod")
    things = schema.map(b"\x01", "things", U64Key, U64Value)
    params = schema.item(b"\x02", "params", U64Value)
    ids = schema.sequence(b"\x03", "ids", start=1)

    assert things.get(ctx, 7) is None
    assert not things.has(ctx, 7)
    things.set(ctx, 7, 70)
    assert things.get(ctx, 7) == 70
    assert things.has(ctx, 7)
    things.remove(ctx, 7)
    assert things.get(ctx, 7) is None

    assert params.get(ctx) is None
    params.set(ctx, 5)
    assert params.get(ctx) == 5
    params.remove(ctx)
    assert params.get(ctx) is None

    assert ids.peek(ctx) == 1
    assert [ids.next(ctx), ids.next(ctx)] == [1, 2]
    assert ids.peek(ctx) == 3


def test_collections_of_different_stores_do_not_meet() -> None:
    ctx = _ctx()
    first = Schema("first").map(b"\x01", "m", StrKey, U64Value)
    second = Schema("second").map(b"\x01", "m", StrKey, U64Value)
    first.set(ctx, "k", 1)
    assert second.get(ctx, "k") is None
    assert list(second.iterate(ctx)) == []
    assert [key for key, _ in ctx.store.iterate()] == [b"first/\x01k\x00"]
