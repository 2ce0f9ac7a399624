"""Key-value stores: the only place state lives.

Owns the ``KVStore`` protocol and its implementations:
- ``MemKV``: sorted in-memory store (the base of a block's state);
- ``CacheKV``: a branch over a parent that is written back (``write``) or dropped;
- ``PrefixKV``: a view of the keys under one prefix, with the prefix stripped;
- ``GasKV``: charges every access to a ``GasMeter`` with the SDK's KV gas table.

Iteration is always in byte order of keys (``reverse`` flips it), ranges are half-open
``[start, end)``. Iterators yield a snapshot: writes during iteration do not disturb it.

Fails when: a key is empty or a value is not bytes (``ValueError``: a programming error), or gas
runs out (``ErrOutOfGas``).
"""

from __future__ import annotations

import builtins
import hashlib
import operator
from collections.abc import Iterator
from typing import Protocol

from sortedcontainers import SortedDict, SortedList

from chain.sdk.gas import KV_GAS, GasMeter


class KVStore(Protocol):
    """The store interface every module programs against."""

    def get(self, key: bytes) -> bytes | None: ...

    def has(self, key: bytes) -> bool: ...

    def set(self, key: bytes, value: bytes) -> None: ...

    def delete(self, key: bytes) -> None: ...

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]: ...


_MISSING = object()


def _check(key: bytes, value: bytes | None = None) -> None:
    if not isinstance(key, bytes) or not key:
        raise ValueError("key must be non-empty bytes")
    if value is not None and not isinstance(value, bytes):
        raise ValueError("value must be bytes")


class MemKV:
    """A sorted in-memory store.

    Beside each pair it keeps the pair's record in the app hash (``_record``), updated by every
    write: ``store_hash`` of a ``MemKV`` only joins the records in key order, so a commit encodes
    the block's writes, not the whole state.

    ``write_log()`` hands out a set that every later ``set`` or ``delete`` adds its key to (its
    holder empties it when it has looked): how a reader learns, soundly, which keys may have
    changed since it last read."""

    __slots__ = ("_data", "_logs", "_records")

    def __init__(self, items: dict[bytes, bytes] | None = None) -> None:
        self._data: SortedDict = SortedDict(items or {})
        self._records: dict[bytes, bytes] = {
            key: _record(key, value) for key, value in self._data.items()
        }
        self._logs: tuple[builtins.set[bytes], ...] = ()

    def get(self, key: bytes) -> bytes | None:
        value: bytes | None = self._data.get(key)
        return value

    def has(self, key: bytes) -> bool:
        return key in self._data

    def set(self, key: bytes, value: bytes) -> None:
        _check(key, value)
        self._data[key] = value
        self._records[key] = _record(key, value)
        for log in self._logs:
            log.add(key)

    def delete(self, key: bytes) -> None:
        self._data.pop(key, None)
        self._records.pop(key, None)
        for log in self._logs:
            log.add(key)

    def write_log(self) -> builtins.set[bytes]:
        """A new set of the keys written from now on (each ``set`` and ``delete``, whether or
        not it changed the value)."""
        log: builtins.set[bytes] = builtins.set()
        self._logs = (*self._logs, log)
        return log

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        data = self._data
        keys = data.irange(start, end, inclusive=(True, False), reverse=reverse)
        return iter([(key, data[key]) for key in keys])

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> list[tuple[bytes, bytes]]:
        return list(self._data.items())

    def hash(self) -> bytes:
        """``store_hash`` of this store: its records joined in key order."""
        return hashlib.sha256(b"".join(map(self._records.__getitem__, self._data))).digest()


_KEY_OF = operator.itemgetter(0)


class CacheKV:
    """A branch over ``parent``: reads fall through, writes stay here until ``write``."""

    __slots__ = ("_base", "_cache", "_parent", "_sorted", "_under", "_unsorted")

    def __init__(self, parent: KVStore) -> None:
        self._parent = parent
        # Reads look through the caches of every CacheKV below (their dicts are never replaced,
        # only cleared) and then the first store that is not one: one call, not one per level.
        if isinstance(parent, CacheKV):
            self._under: tuple[dict[bytes, bytes | None], ...] = (parent._cache, *parent._under)
            self._base: KVStore = parent._base
        else:
            self._under = ()
            self._base = parent
        # None marks a deletion that hides the parent's value.
        self._cache: dict[bytes, bytes | None] = {}
        # The cached keys in order, built on the first ordered access and kept up to date from
        # then on (most branches are written back or dropped without ever being iterated).
        self._sorted: SortedList | None = None
        # Keys cached since ``_sorted`` was last brought up to date (empty while it is None):
        # added to it at the next ordered access, not one insertion per write.
        self._unsorted: list[bytes] = []

    def get(self, key: bytes) -> bytes | None:
        value = self._cache.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        for cache in self._under:
            value = cache.get(key, _MISSING)
            if value is not _MISSING:
                return value  # type: ignore[return-value]
        return self._base.get(key)

    def has(self, key: bytes) -> bool:
        return self.get(key) is not None

    def set(self, key: bytes, value: bytes) -> None:
        if key.__class__ is not bytes or not key or value.__class__ is not bytes:
            _check(key, value)
        cache = self._cache
        if self._sorted is not None and key not in cache:
            self._unsorted.append(key)
        cache[key] = value

    def delete(self, key: bytes) -> None:
        _check(key)
        cache = self._cache
        if self._sorted is not None and key not in cache:
            self._unsorted.append(key)
        cache[key] = None

    def _items(self) -> list[tuple[bytes, bytes | None]]:
        return sorted(self._cache.items(), key=_KEY_OF)

    def write(self) -> None:
        """Apply the branch's writes to the parent, in key order, and empty the branch."""
        parent = self._parent
        if parent.__class__ is CacheKV:
            # The same entries in the same order as one set or delete each: keys and values
            # were checked when set here.
            items = self._items()
            parent_cache = parent._cache
            if parent._sorted is not None:
                parent._unsorted.extend([key for key, _ in items if key not in parent_cache])
            parent_cache.update(items)
        else:
            for key, value in self._items():
                if value is None:
                    parent.delete(key)
                else:
                    parent.set(key, value)
        self._cache.clear()
        self._sorted = None
        self._unsorted.clear()

    def discard(self) -> None:
        self._cache.clear()
        self._sorted = None
        self._unsorted.clear()

    def changes(self) -> list[tuple[bytes, bytes | None]]:
        """The branch's pending writes in key order (``None``: a deletion), as ``write`` would
        apply them; what a node persists for a block."""
        return self._items()

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        keys = self._sorted
        if keys is None:
            keys = self._sorted = SortedList(self._cache)
        elif self._unsorted:
            keys.update(self._unsorted)
            self._unsorted.clear()
        cache = self._cache
        cached = [
            (key, cache[key])
            for key in keys.irange(start, end, inclusive=(True, False), reverse=reverse)
        ]
        return _merge(self._parent.iterate(start, end, reverse), cached, reverse)


def _merge(
    parent: Iterator[tuple[bytes, bytes]],
    cached: list[tuple[bytes, bytes | None]],
    reverse: bool,
) -> Iterator[tuple[bytes, bytes]]:
    """Merge two sorted streams; the cache wins on equal keys and ``None`` hides a key."""
    index = 0
    pending = next(parent, None)
    while pending is not None or index < len(cached):
        if index < len(cached):
            cache_key, cache_value = cached[index]
            if pending is None or (cache_key > pending[0] if reverse else cache_key < pending[0]):
                index += 1
                if cache_value is not None:
                    yield cache_key, cache_value
                continue
            if cache_key == pending[0]:
                index += 1
                pending = next(parent, None)
                if cache_value is not None:
                    yield cache_key, cache_value
                continue
        assert pending is not None
        yield pending
        pending = next(parent, None)


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with ``prefix`` (None: no bound)."""
    trimmed = prefix.rstrip(b"\xff")
    if not trimmed:
        return None
    return trimmed[:-1] + bytes([trimmed[-1] + 1])


class PrefixKV:
    """The keys of ``parent`` that start with ``prefix``, seen without it."""

    __slots__ = ("_parent", "_prefix")

    def __init__(self, parent: KVStore, prefix: bytes) -> None:
        if not prefix:
            raise ValueError("prefix must not be empty")
        self._parent = parent
        self._prefix = prefix

    def get(self, key: bytes) -> bytes | None:
        return self._parent.get(self._prefix + key)

    def has(self, key: bytes) -> bool:
        return self._parent.has(self._prefix + key)

    def set(self, key: bytes, value: bytes) -> None:
        _check(key, value)
        self._parent.set(self._prefix + key, value)

    def delete(self, key: bytes) -> None:
        _check(key)
        self._parent.delete(self._prefix + key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        prefix = self._prefix
        low = prefix + start if start is not None else prefix
        high = prefix + end if end is not None else prefix_end(prefix)
        cut = len(prefix)
        return ((key[cut:], value) for key, value in self._parent.iterate(low, high, reverse))


class GasKV:
    """Charges ``meter`` for every access to ``parent``, as the SDK's ``gaskv`` store does."""

    __slots__ = ("_meter", "_parent")

    def __init__(self, parent: KVStore, meter: GasMeter) -> None:
        self._parent = parent
        self._meter = meter

    def get(self, key: bytes) -> bytes | None:
        meter = self._meter
        meter.consume(KV_GAS.read_cost_flat, "ReadFlat")
        value = self._parent.get(key)
        meter.consume(KV_GAS.read_cost_per_byte * len(key), "ReadPerByte")
        if value is not None:
            meter.consume(KV_GAS.read_cost_per_byte * len(value), "ReadPerByte")
        return value

    def has(self, key: bytes) -> bool:
        self._meter.consume(KV_GAS.has_cost, "Has")
        return self._parent.has(key)

    def set(self, key: bytes, value: bytes) -> None:
        meter = self._meter
        meter.consume(KV_GAS.write_cost_flat, "WriteFlat")
        meter.consume(KV_GAS.write_cost_per_byte * len(key), "WritePerByte")
        meter.consume(KV_GAS.write_cost_per_byte * len(value), "WritePerByte")
        self._parent.set(key, value)

    def delete(self, key: bytes) -> None:
        self._meter.consume(KV_GAS.delete_cost, "Delete")
        self._parent.delete(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        meter = self._meter
        for key, value in self._parent.iterate(start, end, reverse):
            meter.consume(KV_GAS.iter_next_cost_flat, "IterNextFlat")
            meter.consume(KV_GAS.read_cost_per_byte * (len(key) + len(value)), "ValuePerByte")
            yield key, value


def _record(key: bytes, value: bytes) -> bytes:
    """What one pair adds to ``store_hash``: each of key and value, length-prefixed."""
    return len(key).to_bytes(4, "big") + key + len(value).to_bytes(4, "big") + value


def store_hash(store: KVStore) -> bytes:
    """SHA-256 over every (key, value) pair in key order, each length-prefixed."""
    if store.__class__ is MemKV:
        return store.hash()
    digest = hashlib.sha256()
    for key, value in store.iterate():
        digest.update(_record(key, value))
    return digest.digest()


_READ_FLAT = KV_GAS.read_cost_flat
_READ_PER_BYTE = KV_GAS.read_cost_per_byte
_WRITE_FLAT = KV_GAS.write_cost_flat
_WRITE_PER_BYTE = KV_GAS.write_cost_per_byte
_HAS = KV_GAS.has_cost


class PrefixGasKV:
    """``GasKV(PrefixKV(parent, prefix), meter)`` in one layer (a module's store in a
    ``Context``): the same keys, the same charges in the same order, the same out-of-gas
    failures; the charges of one access are added at once when they fit the limit."""

    __slots__ = ("_layered", "_meter", "_parent", "_prefix")

    def __init__(self, parent: KVStore, prefix: bytes, meter: GasMeter) -> None:
        self._parent = parent
        self._prefix = prefix
        self._meter = meter
        self._layered: GasKV | None = None

    def _slow(self) -> GasKV:
        """The two layers this one stands for (built on first use: the exact out-of-gas paths,
        ``has``, deletes and iteration)."""
        if self._layered is None:
            self._layered = GasKV(PrefixKV(self._parent, self._prefix), self._meter)
        return self._layered

    def get(self, key: bytes) -> bytes | None:
        meter = self._meter
        limit = meter._limit
        used = meter._used + _READ_FLAT + _READ_PER_BYTE * len(key)
        if limit is not None and used > limit:
            return self._slow().get(key)
        value = self._parent.get(self._prefix + key)
        if value is not None:
            value_cost = _READ_PER_BYTE * len(value)
            if limit is not None and used + value_cost > limit:
                meter._used = used
                meter.consume(value_cost, "ReadPerByte")  # raises ErrOutOfGas
            used += value_cost
        meter._used = used
        return value

    def has(self, key: bytes) -> bool:
        meter = self._meter
        limit = meter._limit
        used = meter._used + _HAS
        if limit is not None and used > limit:
            return self._slow().has(key)  # raises ErrOutOfGas
        meter._used = used
        return self._parent.has(self._prefix + key)

    def set(self, key: bytes, value: bytes) -> None:
        if key.__class__ is not bytes or not key or value.__class__ is not bytes:
            self._slow().set(key, value)  # charges, then refuses the key or value
            return
        meter = self._meter
        limit = meter._limit
        used = meter._used + _WRITE_FLAT + _WRITE_PER_BYTE * (len(key) + len(value))
        if limit is not None and used > limit:
            self._slow().set(key, value)
            return
        meter._used = used
        self._parent.set(self._prefix + key, value)

    def delete(self, key: bytes) -> None:
        self._slow().delete(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return self._slow().iterate(start, end, reverse)
