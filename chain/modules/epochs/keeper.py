"""The epochs keeper: named timers that tick at block boundaries (cosmos-sdk ``x/epochs``).

Owns one collection in store ``epochs``: ``epoch_info`` (0x01, ``KeyPrefixEpoch`` in the SDK),
identifier -> ``cosmos.epochs.v1beta1.EpochInfo``. Times in ``EpochInfo`` are protobuf
``Timestamp``/``Duration`` and are compared in nanoseconds; the keeper's own API takes whole
seconds. An unset ``start_time`` (or Go's zero time, ``0001-01-01T00:00:00Z``, as SDK genesis
files carry it) means "the block time at which the epoch is added".

``begin_block`` runs the Osmosis/SDK algorithm for each epoch in identifier order:
- before ``start_time`` nothing happens;
- the first block at or after ``start_time`` starts counting: epoch 1 starts at ``start_time``
  (``epoch_start`` event, then ``before_epoch_start(id, 1)``);
- afterwards, the first block whose time is at or after ``current_epoch_start_time + duration``
  ends the epoch (``epoch_end`` event, ``after_epoch_end(id, n)``) and starts the next one at
  ``current_epoch_start_time + duration`` -- not at the block time -- so after downtime every
  block ticks one epoch until the timer has caught up (``epoch_start``,
  ``before_epoch_start(id, n + 1)``). The updated info is stored before ``before_epoch_start``.

Unlike the SDK (block time strictly after the end), an epoch ends at a block exactly on its end
time, so a block placed at an epoch boundary ends it.

Events are the SDK's typed ones: ``cosmos.epochs.v1beta1.EventEpochEnd`` (``epoch_number``) and
``cosmos.epochs.v1beta1.EventEpochStart`` (``epoch_number``, ``epoch_start_time`` in unix
seconds), proto-JSON attribute values as ``EmitTypedEvent`` makes them.

Hooks: each hook call runs in its own branch of the context, written only if the hook returns.
A hook failing with a registered error (other than out of gas, which always propagates) is
dropped with an ``epoch_hook_error`` event (attributes ``module`` = the hook's name, ``hook``,
``epoch`` = identifier, ``epoch_number``, ``error`` = the raw log) and the other hooks still run.

Fails when (``ErrInvalidRequest``): an identifier is empty, contains NUL or already exists; a
duration is not positive; ``current_epoch`` or ``current_epoch_start_height`` is negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cosmpy.protos.cosmos.epochs.v1beta1.events_pb2 import EventEpochEnd, EventEpochStart
from cosmpy.protos.cosmos.epochs.v1beta1.genesis_pb2 import EpochInfo
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from chain.modules.epochs.hooks import EpochHooks, hook_name
from chain.sdk.collections import Map, ProtoValue, Schema, StrKey
from chain.sdk.context import NANOS, Context
from chain.sdk.errors import ErrInvalidRequest, ErrOutOfGas, SdkError
from chain.sdk.events import Event
from chain.sdk.probes import probe

MODULE_NAME = "epochs"

EVENT_TYPE_HOOK_ERROR = "epoch_hook_error"

_AFTER_EPOCH_END = "after_epoch_end"
_BEFORE_EPOCH_START = "before_epoch_start"

# time.Time{} as gogoproto's stdtime encodes it.
GO_ZERO_TIME_SECONDS = -62135596800

DAY_SECONDS = 86400
HOUR_SECONDS = 3600
WEEK_SECONDS = 604800


def default_epochs() -> list[EpochInfo]:
    """The default genesis epochs, sorted by identifier, each starting when it is added."""
    return [
        EpochInfo(identifier=identifier, duration=Duration(seconds=seconds))
        for identifier, seconds in (
            ("day", DAY_SECONDS),
            ("hour", HOUR_SECONDS),
            ("week", WEEK_SECONDS),
        )
    ]


class EpochsKeeper:
    """Epoch timers and the hooks they drive; see the module docstring."""

    def __init__(self, store_name: str = MODULE_NAME) -> None:
        self.store_name = store_name
        self.schema = Schema(store_name)
        self.epoch_info: Map[str, EpochInfo] = self.schema.map(
            b"\x01", "epoch_info", StrKey, ProtoValue(EpochInfo)
        )
        self._hooks: tuple[EpochHooks, ...] = ()
        self._hooks_set = False

    def set_hooks(self, hooks: Sequence[EpochHooks]) -> None:
        """Install the hooks, called in this order; only once, as in the SDK."""
        if self._hooks_set:
            raise RuntimeError("cannot set epochs hooks twice")
        self._hooks = tuple(hooks)
        self._hooks_set = True

    # State

    def add_epoch(
        self,
        ctx: Context,
        identifier: str,
        duration_seconds: int,
        start_time_seconds: int | None = None,
    ) -> EpochInfo:
        """Add a timer that starts at ``start_time_seconds`` (default: now); returns it as stored.

        Fails when the identifier is empty, has NUL or exists, or the duration is not positive.
        """
        info = EpochInfo(identifier=identifier, duration=Duration(seconds=duration_seconds))
        if start_time_seconds is not None:
            info.start_time.CopyFrom(Timestamp(seconds=start_time_seconds))
        return self.add_epoch_info(ctx, info)

    def add_epoch_info(self, ctx: Context, info: EpochInfo) -> EpochInfo:
        """Store ``info`` (``AddEpochInfo``): a zero start time becomes the block time and a zero
        start height the block height. Returns the stored copy.

        Fails as ``add_epoch`` does, or on a negative current epoch or start height.
        """
        _validate(info)
        if self.epoch_info.has(ctx, info.identifier):
            raise ErrInvalidRequest.wrap(f"epoch with identifier {info.identifier} already exists")
        stored = _stored_form(ctx, info)
        self.epoch_info.set(ctx, stored.identifier, stored)
        return stored

    def get_epoch_info(self, ctx: Context, identifier: str) -> EpochInfo | None:
        """The timer ``identifier``, or None."""
        return self.epoch_info.get(ctx, identifier)

    def all_epoch_infos(self, ctx: Context) -> list[EpochInfo]:
        """Every timer, sorted by identifier."""
        return list(self.epoch_info.values(ctx))

    # Genesis

    def init_genesis(self, ctx: Context, infos: Iterable[EpochInfo]) -> None:
        """Add every timer; all are validated (including duplicates) before any is written.

        Fails as ``add_epoch_info`` does.
        """
        listed = list(infos)
        seen: set[str] = set()
        for info in listed:
            _validate(info)
            if info.identifier in seen or self.epoch_info.has(ctx, info.identifier):
                raise ErrInvalidRequest.wrap(
                    f"epoch with identifier {info.identifier} already exists"
                )
            seen.add(info.identifier)
        for info in listed:
            self.epoch_info.set(ctx, info.identifier, _stored_form(ctx, info))

    def export_genesis(self, ctx: Context) -> list[EpochInfo]:
        """Every timer as stored, sorted by identifier."""
        return self.all_epoch_infos(ctx)

    # Block

    def begin_block(self, ctx: Context) -> None:
        """Start, end and advance the timers due at this block; see the module docstring."""
        block_ns = ctx.header.time_ns
        for identifier, info in list(self.epoch_info.iterate(ctx)):
            if block_ns < info.start_time.ToNanoseconds():
                continue
            initial = not info.epoch_counting_started
            end_ns = info.current_epoch_start_time.ToNanoseconds() + _duration_ns(info.duration)
            if not initial and block_ns < end_ns:
                continue
            info.current_epoch_start_height = ctx.height
            if initial:
                info.epoch_counting_started = True
                info.current_epoch = 1
                info.current_epoch_start_time.CopyFrom(info.start_time)
            else:
                ended = info.current_epoch
                ctx.emit(EventEpochEnd(epoch_number=ended))
                self._run_hooks(ctx, _AFTER_EPOCH_END, identifier, ended)
                info.current_epoch = ended + 1
                info.current_epoch_start_time.CopyFrom(_timestamp(end_ns))
            started = info.current_epoch
            ctx.emit(
                EventEpochStart(
                    epoch_number=started,
                    epoch_start_time=info.current_epoch_start_time.ToNanoseconds() // NANOS,
                )
            )
            self.epoch_info.set(ctx, identifier, info)
            self._run_hooks(ctx, _BEFORE_EPOCH_START, identifier, started)

    def _run_hooks(
        self,
        ctx: Context,
        hook_method: str,
        identifier: str,
        epoch_number: int,
    ) -> None:
        for hook in self._hooks:
            branch = ctx.branch()
            try:
                if hook_method == _AFTER_EPOCH_END:
                    hook.after_epoch_end(branch.ctx, identifier, epoch_number)
                else:
                    hook.before_epoch_start(branch.ctx, identifier, epoch_number)
            except SdkError as err:
                if err.is_(ErrOutOfGas):
                    raise
                ctx.emit_event(
                    Event(
                        EVENT_TYPE_HOOK_ERROR,
                        (
                            ("module", hook_name(hook)),
                            ("hook", hook_method),
                            ("epoch", identifier),
                            ("epoch_number", str(epoch_number)),
                            ("error", err.log),
                        ),
                    )
                )
                continue
            probe("epochs.hook")
            branch.write()


def _validate(info: EpochInfo) -> None:
    if not info.identifier:
        raise ErrInvalidRequest.wrap("epoch identifier should NOT be empty")
    if "\x00" in info.identifier:
        raise ErrInvalidRequest.wrap("epoch identifier must not contain NUL")
    duration = _duration_ns(info.duration)
    if duration == 0:
        raise ErrInvalidRequest.wrap("epoch duration should NOT be 0")
    if duration < 0:
        raise ErrInvalidRequest.wrap("epoch duration should NOT be negative")
    if info.current_epoch < 0:
        raise ErrInvalidRequest.wrap("epoch CurrentEpoch must be non-negative")
    if info.current_epoch_start_height < 0:
        raise ErrInvalidRequest.wrap("epoch CurrentEpochStartHeight must be non-negative")


def _stored_form(ctx: Context, info: EpochInfo) -> EpochInfo:
    stored = EpochInfo()
    stored.CopyFrom(info)
    if _is_zero_time(stored):
        stored.start_time.CopyFrom(_timestamp(ctx.header.time_ns))
    if stored.current_epoch_start_height == 0:
        stored.current_epoch_start_height = ctx.height
    return stored


def _is_zero_time(info: EpochInfo) -> bool:
    if not info.HasField("start_time"):
        return True
    start = info.start_time
    return bool(start.seconds == GO_ZERO_TIME_SECONDS and start.nanos == 0)


def _duration_ns(duration: Duration) -> int:
    return int(duration.seconds) * NANOS + int(duration.nanos)


def _timestamp(nanoseconds: int) -> Timestamp:
    seconds, nanos = divmod(nanoseconds, NANOS)
    return Timestamp(seconds=seconds, nanos=nanos)
