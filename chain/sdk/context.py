"""The execution context: everything the state machine may know about the world.

Owns ``BlockHeader`` (height, time, chain-id) and ``Context``, which carries the header, the root
store (possibly a branch), the event sink and the gas meter. Modules reach their state only through
``ctx.kv_store(name)``: the keys of module ``name`` live under ``name + "/"`` in the root store, so
one branch of the root covers every module at once.

``branch()`` gives a child context over a ``CacheKV`` with its own event list; ``Branch.write``
applies its writes and events to the parent, and dropping the branch discards both. Gas is shared
with the parent, as in the SDK's cache contexts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf.message import Message

from chain.sdk.events import Event, typed_event
from chain.sdk.gas import GasMeter
from chain.sdk.kv import CacheKV, KVStore, PrefixGasKV

NANOS = 10**9


@dataclass(frozen=True, slots=True)
class BlockHeader:
    """The block a context executes in; ``time_ns`` is unix time in nanoseconds."""

    height: int
    time_ns: int
    chain_id: str

    @property
    def time(self) -> int:
        """Block time in whole unix seconds."""
        return self.time_ns // NANOS


@dataclass(slots=True)
class Context:
    """Header, store, events and gas for one unit of execution."""

    header: BlockHeader
    store: KVStore
    gas_meter: GasMeter = field(default_factory=GasMeter)
    events: list[Event] = field(default_factory=list)
    _module_stores: dict[str, KVStore] = field(default_factory=dict, repr=False)

    @property
    def height(self) -> int:
        return self.header.height

    @property
    def block_time(self) -> int:
        """Block time in whole unix seconds."""
        return self.header.time_ns // NANOS

    @property
    def chain_id(self) -> str:
        return self.header.chain_id

    def kv_store(self, name: str) -> KVStore:
        """The gas-metered store of module ``name``."""
        store = self._module_stores.get(name)
        if store is None:
            if "/" in name or not name:
                raise ValueError(f"invalid store name {name!r}")
            store = PrefixGasKV(self.store, name.encode() + b"/", self.gas_meter)
            self._module_stores[name] = store
        return store

    def emit(self, event: Message) -> None:
        """Emit a typed protobuf event."""
        self.events.append(typed_event(event))

    def emit_event(self, event: Event) -> None:
        self.events.append(event)

    def with_gas_meter(self, meter: GasMeter) -> Context:
        """The same store and events, metered by ``meter``."""
        return Context(self.header, self.store, meter, self.events)

    def branch(self) -> Branch:
        """A child context whose writes and events reach this one only on ``write``."""
        cache = CacheKV(self.store)
        return Branch(Context(self.header, cache, self.gas_meter, []), cache, self)


@dataclass(slots=True)
class Branch:
    """A cached child context (``ctx``) and the way to commit it to its parent."""

    ctx: Context
    _cache: CacheKV
    _parent: Context

    def write(self) -> None:
        """Apply the branch's writes and events to the parent context."""
        self._cache.write()
        self._parent.events.extend(self.ctx.events)
        self.ctx.events.clear()
