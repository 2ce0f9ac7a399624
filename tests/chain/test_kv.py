"""KVStore conformance: one suite of behaviours, run against every store implementation.

``BaseKVStoreTests`` holds the tests; each ``Test*`` subclass only says how to build an empty
store. A model-based state machine then checks ``CacheKV`` over ``MemKV`` against plain dicts.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from chain.sdk.errors import ErrOutOfGas, SdkError
from chain.sdk.gas import KV_GAS, GasMeter
from chain.sdk.kv import CacheKV, GasKV, KVStore, MemKV, PrefixKV, prefix_end, store_hash

KEYS = [b"\x00", b"a", b"ab", b"abc", b"b", b"ba", b"\xfe", b"\xff", b"\xff\xff"]


def _fill(store: KVStore, keys: list[bytes] = KEYS) -> None:
    # Insert out of order: iteration order must come from the keys, not from insertion.
    for key in reversed(keys):
        store.set(key, b"v" + key)


class BaseKVStoreTests:
    """Behaviours every ``KVStore`` shares; subclasses provide an empty ``store`` fixture."""

    @pytest.fixture
    def store(self) -> KVStore:
        raise NotImplementedError

    def test_get_missing_is_none(self, store: KVStore) -> None:
        assert store.get(b"missing") is None
        assert not store.has(b"missing")

    def test_set_then_get(self, store: KVStore) -> None:
        store.set(b"key", b"value")
        assert store.get(b"key") == b"value"
        assert store.has(b"key")

    def test_empty_value_is_present(self, store: KVStore) -> None:
        store.set(b"key", b"")
        assert store.get(b"key") == b""
        assert store.has(b"key")

    def test_overwrite(self, store: KVStore) -> None:
        store.set(b"key", b"one")
        store.set(b"key", b"two")
        assert store.get(b"key") == b"two"
        assert list(store.iterate()) == [(b"key", b"two")]

    def test_delete(self, store: KVStore) -> None:
        store.set(b"key", b"value")
        store.delete(b"key")
        assert store.get(b"key") is None
        assert not store.has(b"key")

    def test_delete_missing_is_noop(self, store: KVStore) -> None:
        store.delete(b"missing")
        assert list(store.iterate()) == []

    def test_set_rejects_empty_key(self, store: KVStore) -> None:
        with pytest.raises(ValueError, match="key"):
            store.set(b"", b"value")

    def test_set_rejects_non_bytes_value(self, store: KVStore) -> None:
        with pytest.raises(ValueError, match="value"):
            store.set(b"key", "value")  # type: ignore[arg-type]

    def test_iterate_empty(self, store: KVStore) -> None:
        assert list(store.iterate()) == []
        assert list(store.iterate(reverse=True)) == []

    def test_iterate_all_in_byte_order(self, store: KVStore) -> None:
        _fill(store)
        assert [key for key, _ in store.iterate()] == sorted(KEYS)
        assert all(value == b"v" + key for key, value in store.iterate())

    def test_iterate_reverse(self, store: KVStore) -> None:
        _fill(store)
        assert [key for key, _ in store.iterate(reverse=True)] == sorted(KEYS, reverse=True)

    @pytest.mark.parametrize(
        ("start", "end"),
        [
            (b"a", b"b"),
            (b"ab", b"ba"),
            (b"a", None),
            (None, b"b"),
            (b"\x00", b"\x00\x00"),
            (b"aa", b"ab"),
            (b"b", b"b"),
            (b"c", b"\xff"),
            (b"\xff", None),
        ],
    )
    @pytest.mark.parametrize("reverse", [False, True])
    def test_iterate_range_is_half_open(
        self, store: KVStore, start: bytes | None, end: bytes | None, reverse: bool
    ) -> None:
        _fill(store)
        expected = sorted(
            (key for key in KEYS if (start is None or key >= start) and (end is None or key < end)),
            reverse=reverse,
        )
        assert [key for key, _ in store.iterate(start, end, reverse)] == expected

    def test_iteration_after_delete(self, store: KVStore) -> None:
        _fill(store)
        store.delete(b"ab")
        store.delete(b"\xff")
        left = sorted(set(KEYS) - {b"ab", b"\xff"})
        assert [key for key, _ in store.iterate()] == left
        assert [key for key, _ in store.iterate(reverse=True)] == left[::-1]
        assert [key for key, _ in store.iterate(b"a", b"b")] == [b"a", b"abc"]

    def test_reinsert_after_delete(self, store: KVStore) -> None:
        store.set(b"key", b"one")
        store.delete(b"key")
        store.set(b"key", b"two")
        assert list(store.iterate()) == [(b"key", b"two")]

    def test_insert_during_iteration_is_not_seen(self, store: KVStore) -> None:
        _fill(store)
        iterator = store.iterate()
        first = next(iterator)
        store.set(b"zz-new", b"late")
        rest = list(iterator)
        assert [first[0]] + [key for key, _ in rest] == sorted(KEYS)

    def test_branch_write_applies(self, store: KVStore) -> None:
        store.set(b"keep", b"1")
        store.set(b"drop", b"2")
        branch = CacheKV(store)
        branch.set(b"new", b"3")
        branch.set(b"keep", b"changed")
        branch.delete(b"drop")
        assert store.get(b"keep") == b"1"
        assert store.get(b"new") is None
        assert store.has(b"drop")
        branch.write()
        assert list(store.iterate()) == [(b"keep", b"changed"), (b"new", b"3")]
        # A written branch is empty and still usable.
        assert list(branch.iterate()) == list(store.iterate())

    def test_branch_discard_drops(self, store: KVStore) -> None:
        store.set(b"keep", b"1")
        before = store_hash(store)
        branch = CacheKV(store)
        branch.set(b"new", b"3")
        branch.delete(b"keep")
        branch.discard()
        assert store_hash(store) == before
        assert list(branch.iterate()) == [(b"keep", b"1")]

    def test_branch_iteration_merges_layers(self, store: KVStore) -> None:
        for key in (b"a", b"c", b"e"):
            store.set(key, b"parent")
        branch = CacheKV(store)
        branch.set(b"b", b"branch")
        branch.set(b"c", b"branch")
        branch.delete(b"e")
        branch.set(b"f", b"branch")
        expected = [(b"a", b"parent"), (b"b", b"branch"), (b"c", b"branch"), (b"f", b"branch")]
        assert list(branch.iterate()) == expected
        assert list(branch.iterate(reverse=True)) == expected[::-1]
        assert list(branch.iterate(b"b", b"f")) == expected[1:3]

    def test_store_hash_depends_on_content_only(self, store: KVStore) -> None:
        _fill(store)
        other = MemKV()
        for key in KEYS:
            other.set(key, b"v" + key)
        assert store_hash(store) == store_hash(other)
        store.set(b"a", b"different")
        assert store_hash(store) != store_hash(other)


class TestMemKV(BaseKVStoreTests):
    @pytest.fixture
    def store(self) -> KVStore:
        return MemKV()


class TestCacheKVOverMemKV(BaseKVStoreTests):
    @pytest.fixture
    def store(self) -> KVStore:
        return CacheKV(MemKV())


class TestCacheKVOverCacheKV(BaseKVStoreTests):
    @pytest.fixture
    def store(self) -> KVStore:
        return CacheKV(CacheKV(MemKV()))


class TestPrefixKVOverMemKV(BaseKVStoreTests):
    """A prefix view over a parent with neighbours on both sides of the prefix."""

    @pytest.fixture
    def store(self) -> KVStore:
        parent = MemKV()
        for neighbour in (b"p", b"o\xff", b"p.", b"q", b"p\x00"):
            parent.set(neighbour, b"outside")
        return PrefixKV(parent, b"p/")

    def test_writes_land_under_the_prefix(self) -> None:
        parent = MemKV()
        view = PrefixKV(parent, b"mod/")
        view.set(b"k", b"v")
        assert parent.items() == [(b"mod/k", b"v")]
        view.delete(b"k")
        assert parent.items() == []

    def test_prefix_of_ff_bytes(self) -> None:
        # The prefix has no successor (prefix_end is None): the view runs to the end of the parent.
        parent = MemKV({b"\xff\xfe": b"out", b"\xff\xff\x01": b"in", b"\xff\xff\xff": b"in"})
        view = PrefixKV(parent, b"\xff\xff")
        assert [key for key, _ in view.iterate()] == [b"\x01", b"\xff"]
        assert [key for key, _ in view.iterate(reverse=True)] == [b"\xff", b"\x01"]


class TestGasKV(BaseKVStoreTests):
    @pytest.fixture
    def store(self) -> KVStore:
        return GasKV(MemKV(), GasMeter())

    def test_costs_follow_the_sdk_table(self) -> None:
        meter = GasMeter()
        store = GasKV(MemKV(), meter)
        store.set(b"key", b"value")
        assert meter.used == KV_GAS.write_cost_flat + 30 * 3 + 30 * 5
        used = meter.used
        assert store.get(b"key") == b"value"
        assert meter.used - used == KV_GAS.read_cost_flat + 3 * 3 + 3 * 5
        used = meter.used
        assert store.get(b"nope") is None
        assert meter.used - used == 1000 + 3 * 4
        used = meter.used
        store.has(b"key")
        assert meter.used - used == KV_GAS.has_cost
        used = meter.used
        store.set(b"k2", b"v2")
        used = meter.used
        assert len(list(store.iterate())) == 2
        assert meter.used - used == 2 * 30 + 3 * (3 + 5) + 3 * (2 + 2)
        used = meter.used
        store.delete(b"key")
        assert meter.used - used == KV_GAS.delete_cost

    def test_out_of_gas(self) -> None:
        parent = MemKV()
        store = GasKV(parent, GasMeter(limit=2050))
        with pytest.raises(SdkError) as raised:
            store.set(b"key", b"value")
        assert raised.value.is_(ErrOutOfGas)
        assert raised.value.log == (
            "out of gas in location: WritePerByte; gasWanted: 2050, gasUsed: 2090: out of gas"
        )
        assert parent.items() == []


def test_prefix_end() -> None:
    assert prefix_end(b"a") == b"b"
    assert prefix_end(b"a\xff") == b"b"
    assert prefix_end(b"\xff\xff") is None
    assert prefix_end(b"\x00") == b"\x01"


def test_nested_branch_writes_reach_the_root_only_through_each_level() -> None:
    root = MemKV()
    outer = CacheKV(root)
    inner = CacheKV(outer)
    inner.set(b"k", b"v")
    inner.write()
    assert outer.get(b"k") == b"v"
    assert root.get(b"k") is None
    outer.write()
    assert root.get(b"k") == b"v"


keys = st.binary(min_size=1, max_size=3)
values = st.binary(max_size=3)
bounds = st.none() | st.binary(min_size=1, max_size=3)


class CacheKVOverMemKVMachine(RuleBasedStateMachine):
    """``CacheKV`` over ``MemKV`` against a model: ``committed`` (the base) and ``pending``
    (the branch's writes, ``None`` = deleted). Writes may also go to the base directly."""

    def __init__(self) -> None:
        super().__init__()
        self.base = MemKV()
        self.cache = CacheKV(self.base)
        self.committed: dict[bytes, bytes] = {}
        self.pending: dict[bytes, bytes | None] = {}

    def view(self) -> dict[bytes, bytes]:
        merged = dict(self.committed)
        for key, value in self.pending.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    @rule(key=keys, value=values)
    def set(self, key: bytes, value: bytes) -> None:
        self.cache.set(key, value)
        self.pending[key] = value

    @rule(key=keys)
    def delete(self, key: bytes) -> None:
        self.cache.delete(key)
        self.pending[key] = None

    @rule(key=keys, value=values)
    def set_base(self, key: bytes, value: bytes) -> None:
        self.base.set(key, value)
        self.committed[key] = value

    @rule(key=keys)
    def delete_base(self, key: bytes) -> None:
        self.base.delete(key)
        self.committed.pop(key, None)

    @rule()
    def write(self) -> None:
        self.cache.write()
        self.committed = self.view()
        self.pending = {}

    @rule()
    def discard(self) -> None:
        self.cache.discard()
        self.pending = {}

    @rule(key=keys)
    def get(self, key: bytes) -> None:
        assert self.cache.get(key) == self.view().get(key)
        assert self.cache.has(key) == (key in self.view())

    @rule(start=bounds, end=bounds, reverse=st.booleans())
    def iterate(self, start: bytes | None, end: bytes | None, reverse: bool) -> None:
        expected = sorted(
            (
                (key, value)
                for key, value in self.view().items()
                if (start is None or key >= start) and (end is None or key < end)
            ),
            reverse=reverse,
        )
        assert list(self.cache.iterate(start, end, reverse)) == expected

    @invariant()
    def base_is_committed(self) -> None:
        assert self.base.items() == sorted(self.committed.items())

    @invariant()
    def base_hash_is_the_hash_of_its_pairs(self) -> None:
        # MemKV's kept records against the plain pass over the pairs (a branch with no writes).
        digest = hashlib.sha256()
        for key, value in sorted(self.committed.items()):
            for part in (key, value):
                digest.update(len(part).to_bytes(4, "big") + part)
        assert store_hash(self.base) == digest.digest() == store_hash(CacheKV(self.base))

    @invariant()
    def full_view(self) -> None:
        assert list(self.cache.iterate()) == sorted(self.view().items())


TestCacheKVOverMemKVModel = CacheKVOverMemKVMachine.TestCase
TestCacheKVOverMemKVModel.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
