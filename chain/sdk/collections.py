"""Typed collections over a module's store, in the style of ``cosmossdk.io/collections``.

Owns the key and value codecs and the collection types a module declares its state with:
``Item`` (one value), ``Map`` (key -> value), ``Sequence`` (a counter). A module declares them once
in a ``Schema``, which refuses two collections with the same name, or with prefixes where one is
a prefix of another, so no two collections can ever see each other's keys.

Key codecs preserve order: byte order of encoded keys equals the natural order of keys for u64
(big endian), strings (NUL-terminated) and tuples of those (concatenated); bytes keys are
length-prefixed, so they sort by (length, bytes), which is byte order for keys of one length such
as addresses. Iteration order is a property of the store, never of hashing.

Fails when: a key cannot be encoded (a string containing NUL, bytes longer than 255, an integer
outside u64; ``ValueError``: a programming error, since messages are validated before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageRequest, PageResponse
from google.protobuf.message import Message

from chain.sdk.context import Context
from chain.sdk.errors import ErrInvalidRequest
from chain.sdk.kv import prefix_end

DEFAULT_PAGE_LIMIT = 100

K = TypeVar("K")
V = TypeVar("V")
P = TypeVar("P", bound=Message)


class KeyCodec(Protocol[K]):
    """Order-preserving, self-delimiting key encoding."""

    def encode(self, key: K) -> bytes: ...

    def decode(self, data: bytes, offset: int) -> tuple[K, int]:
        """Decode one key at ``offset``; return it and the offset after it."""
        ...


class ValueCodec(Protocol[V]):
    def encode(self, value: V) -> bytes: ...

    def decode(self, data: bytes) -> V: ...


class _U64Key:
    def encode(self, key: int) -> bytes:
        if not 0 <= key < 1 << 64:
            raise ValueError(f"u64 key out of range: {key}")
        return key.to_bytes(8, "big")

    def decode(self, data: bytes, offset: int) -> tuple[int, int]:
        return int.from_bytes(data[offset : offset + 8], "big"), offset + 8


class _StrKey:
    def encode(self, key: str) -> bytes:
        if "\x00" in key:
            raise ValueError("string key must not contain NUL")
        return key.encode() + b"\x00"

    def decode(self, data: bytes, offset: int) -> tuple[str, int]:
        end = data.index(b"\x00", offset)
        return data[offset:end].decode(), end + 1


_LENGTH_BYTE = tuple(bytes((length,)) for length in range(256))


class _BytesKey:
    def encode(self, key: bytes) -> bytes:
        if len(key) > 255:
            raise ValueError("bytes key longer than 255")
        return _LENGTH_BYTE[len(key)] + key

    def decode(self, data: bytes, offset: int) -> tuple[bytes, int]:
        length = data[offset]
        return data[offset + 1 : offset + 1 + length], offset + 1 + length


U64Key: KeyCodec[int] = _U64Key()
StrKey: KeyCodec[str] = _StrKey()
BytesKey: KeyCodec[bytes] = _BytesKey()


class TupleKey:
    """A composite key; a leading part of it can be used as an iteration prefix."""

    __slots__ = ("parts",)

    def __init__(self, *parts: KeyCodec[Any]) -> None:
        self.parts = parts

    def encode(self, key: tuple[Any, ...]) -> bytes:
        if len(key) != len(self.parts):
            raise ValueError(f"key needs {len(self.parts)} parts, got {len(key)}")
        return self.encode_prefix(key)

    def encode_prefix(self, key: tuple[Any, ...]) -> bytes:
        parts = self.parts
        if len(key) == 2 and len(parts) == 2:  # the common (address, denom)-like pair
            return parts[0].encode(key[0]) + parts[1].encode(key[1])
        return b"".join([codec.encode(part) for codec, part in zip(parts, key, strict=False)])

    def decode(self, data: bytes, offset: int) -> tuple[tuple[Any, ...], int]:
        values = []
        for codec in self.parts:
            value, offset = codec.decode(data, offset)
            values.append(value)
        return tuple(values), offset


class ProtoValue(Generic[P]):
    """A protobuf message stored with deterministic serialization."""

    __slots__ = ("_type",)

    def __init__(self, message_type: type[P]) -> None:
        self._type = message_type

    def encode(self, value: P) -> bytes:
        return value.SerializeToString(deterministic=True)

    def decode(self, data: bytes) -> P:
        message = self._type()
        message.ParseFromString(data)
        return message


class MappedValue(Generic[V, P]):
    """A domain value stored as a protobuf message through a pair of converters."""

    __slots__ = ("_from_pb", "_to_pb", "_type")

    def __init__(
        self, message_type: type[P], to_pb: Callable[[V], P], from_pb: Callable[[P], V]
    ) -> None:
        self._type = message_type
        self._to_pb = to_pb
        self._from_pb = from_pb

    def encode(self, value: V) -> bytes:
        return self._to_pb(value).SerializeToString(deterministic=True)

    def decode(self, data: bytes) -> V:
        message = self._type()
        message.ParseFromString(data)
        return self._from_pb(message)


class CachedValue(Generic[V]):
    """A value codec that remembers the last decoded bytes; for values read far more often than
    written (params). Safe because decoded values are immutable."""

    __slots__ = ("_codec", "_last")

    def __init__(self, codec: ValueCodec[V]) -> None:
        self._codec = codec
        self._last: tuple[bytes, V] | None = None

    def encode(self, value: V) -> bytes:
        return self._codec.encode(value)

    def decode(self, data: bytes) -> V:
        last = self._last
        if last is not None and last[0] == data:
            return last[1]
        value = self._codec.decode(data)
        self._last = (data, value)
        return value


class _U64Value:
    def encode(self, value: int) -> bytes:
        return value.to_bytes(8, "big")

    def decode(self, data: bytes) -> int:
        return int.from_bytes(data, "big")


U64Value: ValueCodec[int] = _U64Value()


class Item(Generic[V]):
    """A single value under one key."""

    __slots__ = ("_codec", "_key", "name", "store_name")

    def __init__(self, store_name: str, prefix: bytes, name: str, codec: ValueCodec[V]) -> None:
        self.store_name = store_name
        self.name = name
        self._key = prefix
        self._codec = codec

    def get(self, ctx: Context) -> V | None:
        data = ctx.kv_store(self.store_name).get(self._key)
        return None if data is None else self._codec.decode(data)

    def set(self, ctx: Context, value: V) -> None:
        ctx.kv_store(self.store_name).set(self._key, self._codec.encode(value))

    def remove(self, ctx: Context) -> None:
        ctx.kv_store(self.store_name).delete(self._key)


class Sequence:
    """A monotonically increasing u64 counter starting at ``start``."""

    __slots__ = ("_item", "_start", "name")

    def __init__(self, store_name: str, prefix: bytes, name: str, start: int = 1) -> None:
        self._item = Item(store_name, prefix, name, U64Value)
        self._start = start
        self.name = name

    def peek(self, ctx: Context) -> int:
        value = self._item.get(ctx)
        return self._start if value is None else value

    def next(self, ctx: Context) -> int:
        """Return the current value and advance the counter."""
        value = self.peek(ctx)
        self._item.set(ctx, value + 1)
        return value

    def set(self, ctx: Context, value: int) -> None:
        self._item.set(ctx, value)


_KEY_CACHE_SIZE = 4096
# Keys of these exact types are memoized (``int``: equal ints encode alike; not ``float``).
_CACHED_KEY_TYPES = frozenset((bytes, str, tuple, int))


class Map(Generic[K, V]):
    """Keys to values under one prefix; iteration is in key order."""

    __slots__ = ("_key_codec", "_keys", "_prefix", "_value_codec", "name", "store_name")

    def __init__(
        self,
        store_name: str,
        prefix: bytes,
        name: str,
        key_codec: KeyCodec[K],
        value_codec: ValueCodec[V],
    ) -> None:
        self.store_name = store_name
        self.name = name
        self._prefix = prefix
        self._key_codec = key_codec
        self._value_codec = value_codec
        # Encoded store keys of recently used keys (encoding is pure; bounded).
        self._keys: dict[Any, bytes] = {}

    def _key(self, key: K) -> bytes:
        if key.__class__ not in _CACHED_KEY_TYPES:
            return self._prefix + self._key_codec.encode(key)
        try:
            encoded = self._keys.get(key)
        except TypeError:  # an unhashable part
            return self._prefix + self._key_codec.encode(key)
        if encoded is None:
            encoded = self._prefix + self._key_codec.encode(key)
            if len(self._keys) >= _KEY_CACHE_SIZE:
                self._keys.clear()
            self._keys[key] = encoded
        return encoded

    def get(self, ctx: Context, key: K) -> V | None:
        store = ctx._module_stores.get(self.store_name) or ctx.kv_store(self.store_name)
        data = store.get(self._key(key))
        return None if data is None else self._value_codec.decode(data)

    def has(self, ctx: Context, key: K) -> bool:
        return ctx.kv_store(self.store_name).has(self._key(key))

    def set(self, ctx: Context, key: K, value: V) -> None:
        store = ctx._module_stores.get(self.store_name) or ctx.kv_store(self.store_name)
        store.set(self._key(key), self._value_codec.encode(value))

    def remove(self, ctx: Context, key: K) -> None:
        ctx.kv_store(self.store_name).delete(self._key(key))

    def iterate(
        self,
        ctx: Context,
        prefix: tuple[Any, ...] | None = None,
        start: K | None = None,
        reverse: bool = False,
    ) -> Iterator[tuple[K, V]]:
        """Entries in key order; ``prefix`` restricts a ``TupleKey`` map to leading parts,
        ``start`` skips keys before it (inclusive bound)."""
        low = self._prefix
        if prefix is not None:
            if not isinstance(self._key_codec, TupleKey):
                raise ValueError("prefix iteration needs a TupleKey map")
            low = self._prefix + self._key_codec.encode_prefix(prefix)
        high = prefix_end(low)
        begin = low if start is None else max(low, self._key(start))
        cut = len(self._prefix)
        decode_key = self._key_codec.decode
        decode_value = self._value_codec.decode
        for raw_key, raw_value in ctx.kv_store(self.store_name).iterate(begin, high, reverse):
            key, _ = decode_key(raw_key, cut)
            yield key, decode_value(raw_value)

    def page(
        self,
        ctx: Context,
        request: PageRequest,
        prefix: tuple[Any, ...] | None = None,
    ) -> tuple[list[tuple[K, V]], PageResponse]:
        """One page of entries, with the SDK's ``PageRequest`` semantics: ``key`` (the
        ``next_key`` of the previous page) or ``offset``, ``limit`` (default 100),
        ``count_total`` (only with an offset) and ``reverse``. ``next_key`` is empty on the last
        page."""
        if request.key and request.offset:
            raise ErrInvalidRequest.wrap("either offset or key is expected, got both")
        limit = request.limit or DEFAULT_PAGE_LIMIT
        low = self._prefix
        if prefix is not None:
            if not isinstance(self._key_codec, TupleKey):
                raise ValueError("prefix iteration needs a TupleKey map")
            low = self._prefix + self._key_codec.encode_prefix(prefix)
        high = prefix_end(low)
        if request.key:
            resume = self._prefix + request.key
            if request.reverse:
                high = prefix_end(resume) if resume.startswith(low) else high
            else:
                low = max(low, resume)
        cut = len(self._prefix)
        items: list[tuple[K, V]] = []
        next_key = b""
        total = 0
        store = ctx.kv_store(self.store_name)
        for index, (raw_key, raw_value) in enumerate(store.iterate(low, high, request.reverse)):
            if request.reverse and request.key and raw_key > self._prefix + request.key:
                continue
            if index < request.offset:
                total += 1
                continue
            if len(items) == limit:
                if not next_key:
                    next_key = raw_key[cut:]
                if not request.count_total:
                    break
                total += 1
                continue
            key, _ = self._key_codec.decode(raw_key, cut)
            items.append((key, self._value_codec.decode(raw_value)))
            total += 1
        # As the SDK's Paginate: count_total is honoured with an offset, ignored with a key.
        counted = request.count_total and not request.key
        return items, PageResponse(next_key=next_key, total=total if counted else 0)

    def values(self, ctx: Context, prefix: tuple[Any, ...] | None = None) -> Iterator[V]:
        for _, value in self.iterate(ctx, prefix):
            yield value

    def keys(self, ctx: Context, prefix: tuple[Any, ...] | None = None) -> list[K]:
        return [key for key, _ in self.iterate(ctx, prefix)]


class KeySet(Generic[K]):
    """A set of keys (an index): membership only, iteration in key order."""

    __slots__ = ("_map", "name", "store_name")

    def __init__(self, store_name: str, prefix: bytes, name: str, key_codec: KeyCodec[K]) -> None:
        self._map: Map[K, bytes] = Map(store_name, prefix, name, key_codec, _EMPTY)
        self.store_name = store_name
        self.name = name

    def has(self, ctx: Context, key: K) -> bool:
        return self._map.has(ctx, key)

    def add(self, ctx: Context, key: K) -> None:
        self._map.set(ctx, key, b"")

    def remove(self, ctx: Context, key: K) -> None:
        self._map.remove(ctx, key)

    def iterate(
        self, ctx: Context, prefix: tuple[Any, ...] | None = None, start: K | None = None
    ) -> Iterator[K]:
        for key, _ in self._map.iterate(ctx, prefix, start):
            yield key

    def page(
        self, ctx: Context, request: PageRequest, prefix: tuple[Any, ...] | None = None
    ) -> tuple[list[K], PageResponse]:
        """One page of keys (see ``Map.page``)."""
        items, response = self._map.page(ctx, request, prefix)
        return [key for key, _ in items], response


class _EmptyValue:
    def encode(self, value: bytes) -> bytes:
        return b""

    def decode(self, data: bytes) -> bytes:
        return b""


_EMPTY: ValueCodec[bytes] = _EmptyValue()


class Schema:
    """The collections of one module; refuses clashing names and overlapping prefixes."""

    def __init__(self, store_name: str) -> None:
        self.store_name = store_name
        self._prefixes: dict[bytes, str] = {}

    def _claim(self, prefix: bytes, name: str) -> None:
        if not prefix:
            raise ValueError("collection prefix must not be empty")
        if name in self._prefixes.values():
            raise ValueError(f"collection name {name!r} is used twice in {self.store_name}")
        for other, other_name in self._prefixes.items():
            if other.startswith(prefix) or prefix.startswith(other):
                raise ValueError(f"collection {name!r} prefix overlaps {other_name!r}")
        self._prefixes[prefix] = name

    def item(self, prefix: bytes, name: str, codec: ValueCodec[V]) -> Item[V]:
        self._claim(prefix, name)
        return Item(self.store_name, prefix, name, codec)

    def sequence(self, prefix: bytes, name: str, start: int = 1) -> Sequence:
        self._claim(prefix, name)
        return Sequence(self.store_name, prefix, name, start)

    def map(
        self, prefix: bytes, name: str, key_codec: KeyCodec[K], value_codec: ValueCodec[V]
    ) -> Map[K, V]:
        self._claim(prefix, name)
        return Map(self.store_name, prefix, name, key_codec, value_codec)

    def key_set(self, prefix: bytes, name: str, key_codec: KeyCodec[K]) -> KeySet[K]:
        self._claim(prefix, name)
        return KeySet(self.store_name, prefix, name, key_codec)

    def table(self) -> list[tuple[bytes, str]]:
        """(prefix, name) of every collection, sorted by prefix."""
        return sorted(self._prefixes.items())
