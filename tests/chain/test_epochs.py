"""Epochs keeper: timers, catch-up after downtime, hooks isolated in branches, genesis."""

from __future__ import annotations

import pytest
from cosmpy.protos.cosmos.epochs.v1beta1.events_pb2 import EventEpochEnd, EventEpochStart
from cosmpy.protos.cosmos.epochs.v1beta1.genesis_pb2 import EpochInfo
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from chain.modules.epochs import (
    DAY_SECONDS,
    EVENT_TYPE_HOOK_ERROR,
    EpochHooks,
    EpochsKeeper,
    default_epochs,
)
from chain.sdk.collections import Map, Schema, StrKey, U64Value
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import ErrInvalidRequest, ErrOutOfGas, ErrUnauthorized, SdkError
from chain.sdk.events import Event, parse_typed_event
from chain.sdk.kv import KVStore, MemKV, store_hash

T0 = 1_700_000_000
CHAIN_ID = "akash-localnet-1"


def _ctx(height: int, seconds: int, store: KVStore | None = None) -> Context:
    return Context(
        BlockHeader(height, seconds * NANOS, CHAIN_ID), MemKV() if store is None else store
    )


class Recorder:
    """A hook that records its calls in a list and in its own store; may fail on demand."""

    def __init__(self, name: str, fail: bool = False, error: Exception | None = None) -> None:
        self.module_name = name
        self.calls: list[tuple[str, str, int]] = []
        self.seen: Map[str, int] = Schema(name).map(b"\x01", "seen", StrKey, U64Value)
        self.error = error or (ErrUnauthorized.wrap("hook refused") if fail else None)

    def _record(self, ctx: Context, hook: str, identifier: str, number: int) -> None:
        self.calls.append((hook, identifier, number))
        self.seen.set(ctx, f"{hook}/{identifier}", number)
        if self.error is not None:
            raise self.error

    def after_epoch_end(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        self._record(ctx, "after", epoch_identifier, epoch_number)

    def before_epoch_start(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
        self._record(ctx, "before", epoch_identifier, epoch_number)


def _keeper(*hooks: EpochHooks) -> EpochsKeeper:
    keeper = EpochsKeeper()
    keeper.set_hooks(list(hooks))
    return keeper


def _info(keeper: EpochsKeeper, ctx: Context, identifier: str) -> EpochInfo:
    info = keeper.get_epoch_info(ctx, identifier)
    assert info is not None
    return info


def _epoch_events(ctx: Context) -> list[tuple[str, int, int | None]]:
    """(end|start, epoch_number, start time) of the typed epoch events, in order."""
    found: list[tuple[str, int, int | None]] = []
    for event in ctx.events:
        if event.type == EventEpochEnd.DESCRIPTOR.full_name:
            end = parse_typed_event(event, EventEpochEnd())
            assert isinstance(end, EventEpochEnd)
            found.append(("end", end.epoch_number, None))
        elif event.type == EventEpochStart.DESCRIPTOR.full_name:
            start = parse_typed_event(event, EventEpochStart())
            assert isinstance(start, EventEpochStart)
            found.append(("start", start.epoch_number, start.epoch_start_time))
    return found


def _rejects(ctx: Context, operation: object, log: str) -> None:
    before = store_hash(ctx.store)
    with pytest.raises(SdkError) as raised:
        operation()  # type: ignore[operator]
    assert raised.value.is_(ErrInvalidRequest)
    assert raised.value.log == log
    assert store_hash(ctx.store) == before


def test_default_epochs() -> None:
    assert [(info.identifier, info.duration.seconds) for info in default_epochs()] == [
        ("day", 86400),
        ("hour", 3600),
        ("week", 604800),
    ]
    assert not any(info.HasField("start_time") for info in default_epochs())


def test_add_epoch_defaults_to_block_time_and_height() -> None:
    keeper = EpochsKeeper()
    ctx = _ctx(7, T0)
    stored = keeper.add_epoch(ctx, "day", DAY_SECONDS)
    assert stored == _info(keeper, ctx, "day")
    assert stored.start_time == Timestamp(seconds=T0)
    assert stored.duration == Duration(seconds=DAY_SECONDS)
    assert stored.current_epoch_start_height == 7
    assert stored.current_epoch == 0
    assert not stored.epoch_counting_started
    later = keeper.add_epoch(ctx, "later", 60, start_time_seconds=T0 + 500)
    assert later.start_time == Timestamp(seconds=T0 + 500)
    assert [info.identifier for info in keeper.all_epoch_infos(ctx)] == ["day", "later"]
    assert keeper.get_epoch_info(ctx, "missing") is None


@pytest.mark.parametrize(
    ("identifier", "duration", "log"),
    [
        ("day", 60, "epoch with identifier day already exists: invalid request"),
        ("new", 0, "epoch duration should NOT be 0: invalid request"),
        ("new", -1, "epoch duration should NOT be negative: invalid request"),
        ("", 60, "epoch identifier should NOT be empty: invalid request"),
        ("a\x00b", 60, "epoch identifier must not contain NUL: invalid request"),
    ],
)
def test_add_epoch_fails(identifier: str, duration: int, log: str) -> None:
    keeper = EpochsKeeper()
    ctx = _ctx(1, T0)
    keeper.add_epoch(ctx, "day", DAY_SECONDS)
    _rejects(ctx, lambda: keeper.add_epoch(ctx, identifier, duration), log)


def test_nothing_happens_before_start_time() -> None:
    recorder = Recorder("rec")
    keeper = _keeper(recorder)
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60, start_time_seconds=T0 + 100)
    ctx = _ctx(2, T0 + 99, store)
    before = store_hash(store)
    keeper.begin_block(ctx)
    assert store_hash(store) == before
    assert ctx.events == []
    assert recorder.calls == []


def test_first_block_at_start_time_starts_epoch_one() -> None:
    recorder = Recorder("rec")
    keeper = _keeper(recorder)
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60, start_time_seconds=T0 + 100)
    ctx = _ctx(5, T0 + 130, store)
    keeper.begin_block(ctx)
    info = _info(keeper, ctx, "x")
    assert info.epoch_counting_started
    assert info.current_epoch == 1
    assert info.current_epoch_start_time == Timestamp(seconds=T0 + 100)
    assert info.current_epoch_start_height == 5
    assert _epoch_events(ctx) == [("start", 1, T0 + 100)]
    assert recorder.calls == [("before", "x", 1)]
    assert recorder.seen.get(ctx, "before/x") == 1


def test_epoch_ends_at_a_block_on_its_end_time() -> None:
    recorder = Recorder("rec")
    keeper = _keeper(recorder)
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60)
    keeper.begin_block(_ctx(1, T0, store))
    early = _ctx(2, T0 + 59, store)
    keeper.begin_block(early)
    assert early.events == []
    on_time = _ctx(3, T0 + 60, store)
    keeper.begin_block(on_time)
    assert _epoch_events(on_time) == [("end", 1, None), ("start", 2, T0 + 60)]
    assert recorder.calls == [("before", "x", 1), ("after", "x", 1), ("before", "x", 2)]
    info = _info(keeper, on_time, "x")
    assert (info.current_epoch, info.current_epoch_start_height) == (2, 3)


def test_catch_up_after_downtime_ticks_one_epoch_per_block() -> None:
    recorder = Recorder("rec")
    keeper = _keeper(recorder)
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "day", DAY_SECONDS)
    keeper.begin_block(_ctx(1, T0, store))
    recorder.calls.clear()

    # The chain was down for five days and an hour; blocks then come a second apart.
    resume = T0 + 5 * DAY_SECONDS + 3600
    for offset in range(5):
        ctx = _ctx(2 + offset, resume + offset, store)
        keeper.begin_block(ctx)
        ended, started = offset + 1, offset + 2
        assert _epoch_events(ctx) == [
            ("end", ended, None),
            ("start", started, T0 + (started - 1) * DAY_SECONDS),
        ]
        info = _info(keeper, ctx, "day")
        assert info.current_epoch == started
        # The next epoch starts where the last one ended, not at the block time.
        assert info.current_epoch_start_time == Timestamp(seconds=T0 + ended * DAY_SECONDS)
        assert info.current_epoch_start_height == 2 + offset

    caught_up = _ctx(7, resume + 5, store)
    keeper.begin_block(caught_up)
    assert caught_up.events == []
    assert recorder.calls == [
        call
        for number in range(1, 6)
        for call in (("after", "day", number), ("before", "day", number + 1))
    ]


def test_epochs_tick_in_identifier_order() -> None:
    recorder = Recorder("rec")
    keeper = _keeper(recorder)
    store = MemKV()
    setup = _ctx(1, T0, store)
    keeper.add_epoch(setup, "week", 604800)
    keeper.add_epoch(setup, "day", DAY_SECONDS)
    keeper.add_epoch(setup, "hour", 3600)
    keeper.begin_block(_ctx(1, T0, store))
    assert recorder.calls == [("before", "day", 1), ("before", "hour", 1), ("before", "week", 1)]
    recorder.calls.clear()
    keeper.begin_block(_ctx(2, T0 + DAY_SECONDS, store))
    assert recorder.calls == [
        ("after", "day", 1),
        ("before", "day", 2),
        ("after", "hour", 1),
        ("before", "hour", 2),
    ]


def test_hook_errors_are_isolated() -> None:
    failing = Recorder("failing", fail=True)
    good = Recorder("good")
    keeper = _keeper(failing, good)
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60)
    start = _ctx(1, T0, store)
    keeper.begin_block(start)
    ctx = _ctx(2, T0 + 60, store)
    keeper.begin_block(ctx)

    # Both hooks ran for every call; only the good one's writes survived.
    assert (
        failing.calls == good.calls == [("before", "x", 1), ("after", "x", 1), ("before", "x", 2)]
    )
    assert list(failing.seen.iterate(ctx)) == []
    assert list(good.seen.iterate(ctx)) == [("after/x", 1), ("before/x", 2)]
    assert _info(keeper, ctx, "x").current_epoch == 2
    errors = [event for event in ctx.events if event.type == EVENT_TYPE_HOOK_ERROR]
    assert errors == [
        Event(
            EVENT_TYPE_HOOK_ERROR,
            (
                ("module", "failing"),
                ("hook", "after_epoch_end"),
                ("epoch", "x"),
                ("epoch_number", "1"),
                ("error", "hook refused: unauthorized"),
            ),
        ),
        Event(
            EVENT_TYPE_HOOK_ERROR,
            (
                ("module", "failing"),
                ("hook", "before_epoch_start"),
                ("epoch", "x"),
                ("epoch_number", "2"),
                ("error", "hook refused: unauthorized"),
            ),
        ),
    ]
    assert [event.type for event in start.events].count(EVENT_TYPE_HOOK_ERROR) == 1


def test_hook_events_are_kept_only_on_success() -> None:
    class Emitter:
        def __init__(self, fail: bool) -> None:
            self.fail = fail

        def after_epoch_end(self, ctx: Context, epoch_identifier: str, epoch_number: int) -> None:
            ctx.emit_event(Event("from_hook", (("fail", str(self.fail)),)))
            if self.fail:
                raise ErrUnauthorized.wrap("no")

        def before_epoch_start(
            self, ctx: Context, epoch_identifier: str, epoch_number: int
        ) -> None:
            pass

    keeper = _keeper(Emitter(True), Emitter(False))
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60)
    keeper.begin_block(_ctx(1, T0, store))
    ctx = _ctx(2, T0 + 60, store)
    keeper.begin_block(ctx)
    assert [event.attributes for event in ctx.events if event.type == "from_hook"] == [
        (("fail", "False"),)
    ]
    assert [e.attribute("module") for e in ctx.events if e.type == EVENT_TYPE_HOOK_ERROR] == [
        "Emitter"
    ]


@pytest.mark.parametrize(
    "error", [RuntimeError("bug"), ErrOutOfGas.wrap("out of gas in location: WriteFlat")]
)
def test_bugs_and_out_of_gas_propagate(error: Exception) -> None:
    keeper = _keeper(Recorder("rec", error=error))
    store = MemKV()
    keeper.add_epoch(_ctx(1, T0, store), "x", 60)
    with pytest.raises(type(error)):
        keeper.begin_block(_ctx(1, T0, store))


def test_hooks_are_set_once() -> None:
    keeper = _keeper()
    with pytest.raises(RuntimeError, match="twice"):
        keeper.set_hooks([])


def test_genesis_round_trip() -> None:
    keeper = EpochsKeeper()
    ctx = _ctx(1, T0)
    keeper.init_genesis(ctx, default_epochs())
    exported = keeper.export_genesis(ctx)
    assert [info.identifier for info in exported] == ["day", "hour", "week"]
    assert all(info.start_time == Timestamp(seconds=T0) for info in exported)
    assert all(info.current_epoch_start_height == 1 for info in exported)

    keeper.begin_block(_ctx(2, T0 + 3 * 3600 + 5, ctx.store))
    running = keeper.export_genesis(ctx)
    other = EpochsKeeper()
    imported = _ctx(40, T0 + 10**6)
    other.init_genesis(imported, running)
    assert other.export_genesis(imported) == running
    assert store_hash(imported.store) == store_hash(ctx.store)


def test_genesis_treats_go_zero_time_as_unset() -> None:
    keeper = EpochsKeeper()
    ctx = _ctx(3, T0)
    info = EpochInfo(
        identifier="day",
        duration=Duration(seconds=DAY_SECONDS),
        start_time=Timestamp(seconds=-62135596800),
        current_epoch_start_time=Timestamp(seconds=-62135596800),
    )
    keeper.init_genesis(ctx, [info])
    stored = _info(keeper, ctx, "day")
    assert stored.start_time == Timestamp(seconds=T0)
    # Fields the keeper does not default are kept as given.
    assert stored.current_epoch_start_time == Timestamp(seconds=-62135596800)


@pytest.mark.parametrize(
    ("infos", "log"),
    [
        (
            [EpochInfo(identifier="a", duration=Duration(seconds=1))] * 2,
            "epoch with identifier a already exists: invalid request",
        ),
        (
            [
                EpochInfo(identifier="a", duration=Duration(seconds=1)),
                EpochInfo(identifier="b", duration=Duration(seconds=1), current_epoch=-1),
            ],
            "epoch CurrentEpoch must be non-negative: invalid request",
        ),
        (
            [
                EpochInfo(
                    identifier="b", duration=Duration(seconds=1), current_epoch_start_height=-1
                )
            ],
            "epoch CurrentEpochStartHeight must be non-negative: invalid request",
        ),
        (
            [EpochInfo(identifier="a", duration=Duration(nanos=0))],
            "epoch duration should NOT be 0: invalid request",
        ),
    ],
)
def test_init_genesis_validates_before_writing(infos: list[EpochInfo], log: str) -> None:
    keeper = EpochsKeeper()
    ctx = _ctx(1, T0)
    _rejects(ctx, lambda: keeper.init_genesis(ctx, infos), log)
    assert keeper.export_genesis(ctx) == []
