"""Whole-collection reads straight from the store, decoding each distinct stored key or value
once: what checks run after every block (invariants) and epoch-end work read this way.

A ``Reader`` reads a ``Map``'s range as ``Map.iterate`` does (the same pairs in the same order,
charged the same gas; under an infinite meter straight from the root store, one layer less);
its ``Memo``s (``chain.sdk.memo``) remember decoded results by the exact stored bytes, which is
sound because decoding is pure and decoded values are frozen (or, protobuf messages, only read by
the caller).

Fails when: a stored key or value does not decode (the error ``Map`` reads would raise).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from chain.sdk.collections import Map
from chain.sdk.context import Context
from chain.sdk.gas import KV_GAS
from chain.sdk.kv import prefix_end
from chain.sdk.memo import Memo

_ITER_FLAT = KV_GAS.iter_next_cost_flat
_PER_BYTE = KV_GAS.read_cost_per_byte

K = TypeVar("K")
V = TypeVar("V")


class Reader(Generic[K, V]):
    """Reads a whole ``Map`` as ``Map.iterate`` does (the same store, range and order, each key
    decoded before its value, lazily), decoding each distinct stored key and value once; decoding
    is pure and decoded values are frozen."""

    __slots__ = ("_high", "_low", "_root_high", "_root_low", "_store_name", "key", "value")

    def __init__(self, collection: Map[K, V]) -> None:
        self._store_name = collection.store_name
        self._low: bytes = collection._prefix
        self._high = prefix_end(self._low)
        module = collection.store_name.encode() + b"/"
        # The same range in the root store, as the module's prefixed store asks for it.
        self._root_low = module + self._low
        self._root_high = module + self._high if self._high is not None else prefix_end(module)
        decode_key = collection._key_codec.decode
        cut = len(self._low)
        self.key: Memo[K] = Memo(lambda raw: decode_key(raw, cut)[0])
        self.value: Memo[V] = Memo(collection._value_codec.decode)

    def stored(self, ctx: Context) -> Iterator[tuple[bytes, bytes]]:
        """The stored (key, value) pairs (keys relative to the module's store) whose keys
        decode; a key that does not raises as ``Map.iterate`` would."""
        key = self.key
        meter = ctx.gas_meter
        if meter.limit is not None:
            # A limited meter: the metered store, which runs out of gas exactly where it should.
            for raw_key, raw_value in ctx.kv_store(self._store_name).iterate(self._low, self._high):
                key(raw_key)
                yield raw_key, raw_value
            return
        # An infinite meter: the same pairs from the root store, charged what the module's
        # metered store charges for each as it is reached.
        known = key.values
        cut = len(self._root_low) - len(self._low)
        for root_key, raw_value in ctx.store.iterate(self._root_low, self._root_high):
            raw_key = root_key[cut:]
            meter._used += _ITER_FLAT + _PER_BYTE * (len(raw_key) + len(raw_value))
            if raw_key not in known:
                key(raw_key)
            yield raw_key, raw_value

    def values(self, ctx: Context) -> Iterator[V]:
        value = self.value
        for _, raw_value in self.stored(ctx):
            yield value(raw_value)

    def items(self, ctx: Context) -> list[tuple[K, V]]:
        key, value = self.key, self.value
        return [(key(raw_key), value(raw_value)) for raw_key, raw_value in self.stored(ctx)]

    def keys(self, ctx: Context) -> list[K]:
        """The keys alone, as ``KeySet.iterate`` gives them (its values decode to nothing)."""
        key = self.key
        known = key.values
        return [known[raw_key] for raw_key, _ in self.stored(ctx)]

    def get(self, ctx: Context, raw_key: bytes) -> V | None:
        """The value now stored under ``raw_key`` (a key as ``stored`` gives it), read as
        ``Map.get`` reads it."""
        raw_value = ctx.kv_store(self._store_name).get(raw_key)
        return None if raw_value is None else self.value(raw_value)
