"""The application: every module over one store, driven the way ABCI 2.0 drives an SDK app.

Owns the wiring (keepers, module accounts and their permissions, hooks, the message and query
routers, begin/end block order, genesis order) and the block-level rules:

- ``init_chain(genesis)`` loads an SDK-shaped genesis document (``app_state`` per module);
- ``check_tx(bytes)`` decodes and runs the ante handler on the check state (a branch of the last
  commit, reset at every commit), so a sequence of pending txs from one account is accepted;
- ``simulate(bytes)`` runs a tx on a throwaway branch without fee and gas limits and reports the
  gas it used;
- ``finalize_block(time, txs)`` runs begin-block hooks, every tx, end-block hooks, in a branch
  of the committed state; ``commit()`` writes it and returns the app hash;
- a tx whose ante handler passes keeps its fee and sequence even when a message then fails (the
  messages run in their own branch, as ``runMsgs`` does); a tx failing the ante handler changes
  nothing;
- ``query(method, request)`` answers any routed gRPC query on the last committed state.

Everything here is pure: no clock, no I/O. The node (``chain.server``) owns time, sockets and disk.

Fails when: genesis is invalid (registered errors from the modules); a query names an unknown
method (``ErrUnknownRequest``). Txs never raise: their failures are results.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cosmpy.protos.cosmos.base.abci.v1beta1.abci_pb2 import TxMsgData
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain import signatures
from chain.ante import AnteHandler, clear_signature_cache, gas_meter_for
from chain.modules.auth.keeper import AccountKeeper
from chain.modules.auth.module import AuthModule
from chain.modules.bank.keeper import BankKeeper
from chain.modules.bank.module import BankModule
from chain.modules.distribution.keeper import DistributionKeeper
from chain.modules.distribution.module import DistributionModule
from chain.modules.epochs.keeper import EpochsKeeper
from chain.modules.epochs.module import EpochsModule
from chain.modules.gov.module import GovModule
from chain.modules.mint.keeper import MintKeeper
from chain.modules.mint.module import MintModule
from chain.modules.staking.keeper import StakingKeeper
from chain.modules.staking.module import StakingModule
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import ErrUnknownRequest, SdkError
from chain.sdk.events import Event
from chain.sdk.gas import GasMeter
from chain.sdk.kv import CacheKV, KVStore, MemKV, store_hash
from chain.sdk.module import AppModule, Invariant, MsgHandler, QueryHandler
from chain.sdk.probes import probe
from chain.tx import DecodedTx, decode_tx
from incentives.module import IncentivesModule

DEFAULT_CHAIN_ID = "akash-localnet-1"
BOND_DENOM = "uakt"

# Module accounts and their permissions, as the SDK's maccPerms.
MODULE_ACCOUNT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "fee_collector": (),
    "distribution": (),
    "mint": ("minter",),
    "bonded_tokens_pool": ("burner", "staking"),
    "not_bonded_tokens_pool": ("burner", "staking"),
    "gov": ("burner",),
    "incentives": (),
}


@dataclass(frozen=True, slots=True)
class TxResult:
    """The outcome of one tx, in ``ExecTxResult`` terms (code 0 is success)."""

    code: int = 0
    codespace: str = ""
    log: str = ""
    gas_wanted: int = 0
    gas_used: int = 0
    events: tuple[Event, ...] = ()
    data: bytes = b""
    hash: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass(frozen=True, slots=True)
class BlockResult:
    """What ``finalize_block`` produced; ``app_hash`` is set by ``commit``."""

    height: int
    time_ns: int
    txs: tuple[bytes, ...]
    tx_results: tuple[TxResult, ...]
    events: tuple[Event, ...] = ()


@dataclass
class _Pending:
    header: BlockHeader
    store: CacheKV
    result: BlockResult | None = None
    events: list[Event] = field(default_factory=list)


class _ReadView:
    """What a query context's branch over ``store`` reads and writes, for checks that only read:
    reads go straight to ``store`` until the first write, which opens the branch (a
    ``CacheKV``) that every later read and write goes through; the branch is dropped."""

    __slots__ = ("_branch", "_store")

    def __init__(self, store: KVStore) -> None:
        self._store = store
        self._branch: CacheKV | None = None

    def _written(self) -> CacheKV:
        if self._branch is None:
            self._branch = CacheKV(self._store)
        return self._branch

    def _read(self) -> KVStore:
        return self._store if self._branch is None else self._branch

    def get(self, key: bytes) -> bytes | None:
        return self._read().get(key)

    def has(self, key: bytes) -> bool:
        return self._read().has(key)

    def set(self, key: bytes, value: bytes) -> None:
        self._written().set(key, value)

    def delete(self, key: bytes) -> None:
        self._written().delete(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        return self._read().iterate(start, end, reverse)


class _TracedView(_ReadView):
    """A ``_ReadView`` that notes what it is asked for: each key read (``get``, ``has``) and
    each range iterated, in root-store keys."""

    __slots__ = ("keys", "ranges")

    def __init__(self, store: KVStore) -> None:
        super().__init__(store)
        self.keys: list[bytes] = []
        self.ranges: list[tuple[bytes | None, bytes | None]] = []

    def get(self, key: bytes) -> bytes | None:
        self.keys.append(key)
        return self._read().get(key)

    def has(self, key: bytes) -> bool:
        self.keys.append(key)
        return self._read().has(key)

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        self.ranges.append((start, end))
        return self._read().iterate(start, end, reverse)


class _WatchedHeader(BlockHeader):
    """A ``BlockHeader`` that counts the reads of its height and time (``reads``)."""

    __slots__ = ("reads",)

    def __init__(self, height: int, time_ns: int, chain_id: str) -> None:
        super().__init__(height, time_ns, chain_id)
        object.__setattr__(self, "reads", 0)

    def __getattribute__(self, name: str) -> Any:
        if name == "height" or name == "time_ns":
            object.__setattr__(self, "reads", object.__getattribute__(self, "reads") + 1)
        return object.__getattribute__(self, name)


@dataclass(frozen=True, slots=True)
class _Held:
    """A module invariant that held, and what it read to conclude so (root-store keys read and
    ranges iterated)."""

    name: str
    check: Invariant
    keys: frozenset[bytes]
    ranges: tuple[tuple[bytes | None, bytes | None], ...]

    def touched_by(self, written: set[bytes], in_order: list[bytes]) -> bool:
        """Whether a key in ``written`` (``in_order``: the same keys sorted) is one it read or
        falls in a range it iterated."""
        if not self.keys.isdisjoint(written):
            return True
        for start, end in self.ranges:
            index = 0 if start is None else bisect.bisect_left(in_order, start)
            if index < len(in_order) and (end is None or in_order[index] < end):
                return True
        return False


def _error_result(error: SdkError, gas_wanted: int, gas_used: int, tx_hash: str) -> TxResult:
    return TxResult(
        code=error.code,
        codespace=error.codespace,
        log=error.log,
        gas_wanted=gas_wanted,
        gas_used=gas_used,
        hash=tx_hash,
    )


# Decoding is pure: a tx decoded at CheckTx (or ahead of its block) is not decoded again when
# its block runs, which takes it out (least recently used first out; bounded; decoding errors are
# not kept).
_ADMITTED_LIMIT = 8192
_ADMITTED: dict[bytes, DecodedTx] = {}


def _decode_admitted(tx_bytes: bytes) -> DecodedTx:
    admitted = _ADMITTED
    tx = admitted.pop(tx_bytes, None)
    if tx is None:
        tx = decode_tx(tx_bytes)
        if len(admitted) >= _ADMITTED_LIMIT:
            del admitted[next(iter(admitted))]
    admitted[tx_bytes] = tx
    return tx


def _take_admitted(tx_bytes: bytes) -> DecodedTx:
    """The decoded tx for its delivery, no longer kept: a delivered tx is not checked again."""
    tx = _ADMITTED.pop(tx_bytes, None)
    return decode_tx(tx_bytes) if tx is None else tx


def clear_tx_caches() -> None:
    """Forget every decoded tx and verified signature (for measurements from a cold start)."""
    _ADMITTED.clear()
    clear_signature_cache()


class App:
    """Auth, bank, staking, mint, distribution, gov, epochs and incentives over one store."""

    def __init__(
        self,
        chain_id: str = DEFAULT_CHAIN_ID,
        min_gas_prices: str = "0.025uakt",
        voting_period: int = 20,
        store: MemKV | None = None,
    ) -> None:
        self.chain_id = chain_id
        self.store = store if store is not None else MemKV()
        self.last_height = 0
        self.last_time_ns = 0
        self.app_hash = b""
        blocked = frozenset(module_address(name) for name in MODULE_ACCOUNT_PERMISSIONS)
        self.auth = AccountKeeper(module_permissions=MODULE_ACCOUNT_PERMISSIONS)
        self.bank = BankKeeper(
            blocked_addrs=blocked,
            module_permissions=MODULE_ACCOUNT_PERMISSIONS,
            account_keeper=self.auth,
        )
        self.staking = StakingKeeper(self.bank)
        self.mint = MintKeeper(self.bank)
        self.distribution = DistributionKeeper(self.bank, staking=self.staking)
        self.epochs = EpochsKeeper()
        self.incentives = IncentivesModule(self.bank, self.distribution, self.epochs)
        self.gov = GovModule(
            self.bank,
            self.staking,
            voting_period=voting_period,
            max_deposit_period=voting_period,
            distribution=self.distribution,
        )
        self.staking.set_hooks([self.distribution])
        self.distribution.set_withdraw_hooks([self.incentives.after_rewards_withdrawn])
        self.epochs.set_hooks([self.incentives.epoch_hooks])
        self.modules: tuple[AppModule, ...] = (
            AuthModule(self.auth),
            BankModule(self.bank),
            StakingModule(self.staking),
            MintModule(self.mint),
            DistributionModule(self.distribution),
            self.gov,
            EpochsModule(self.epochs),
            self.incentives,
        )
        self.msg_routes: dict[str, MsgHandler] = {}
        self.query_routes: dict[str, QueryHandler] = {}
        for module in self.modules:
            self.msg_routes.update(module.msg_handlers())
            self.query_routes.update(module.query_handlers())
        self.gov.set_router(self._route, has_route=lambda type_url: type_url in self.msg_routes)
        self.ante = AnteHandler(self.auth, self.bank, min_gas_prices, chain_id)
        self._check_store = CacheKV(self.store)
        self._pending: _Pending | None = None
        self._extra_invariants: list[tuple[str, Invariant]] = []
        # The module invariants that held at the last check, by position, and the store they
        # read with its log of the keys written since.
        self._held: dict[int, _Held] = {}
        self._held_store: KVStore | None = None
        self._written: set[bytes] | None = None

    # Block order: mint and distribution first (as the SDK), then epochs; gov and staking end.
    def _begin_blockers(self) -> list[AppModule]:
        order = ("mint", "distribution", "staking", "epochs")
        return [module for name in order for module in self.modules if module.name == name]

    def _end_blockers(self) -> list[AppModule]:
        order = ("gov", "staking")
        return [module for name in order for module in self.modules if module.name == name]

    def _route(self, ctx: Context, msg: Message) -> Message:
        type_url = f"/{msg.DESCRIPTOR.full_name}"
        handler = self.msg_routes.get(type_url)
        if handler is None:
            raise ErrUnknownRequest.wrap(f"unrecognized message type: {type_url}")
        return handler(ctx, msg)

    # Genesis

    def default_genesis(self) -> dict[str, Any]:
        return {module.name: module.default_genesis() for module in self.modules}

    def init_chain(self, genesis: dict[str, Any]) -> bytes:
        """Load a genesis document (``chain_id``, ``genesis_time_ns``, ``initial_height``
        (default 1), ``app_state``); the next block is ``initial_height``, as in CometBFT."""
        if genesis.get("chain_id", self.chain_id) != self.chain_id:
            raise ValueError(f"genesis is for chain {genesis['chain_id']}, not {self.chain_id}")
        time_ns = int(genesis["genesis_time_ns"])
        app_state: dict[str, Any] = genesis["app_state"]
        self.last_height = int(genesis.get("initial_height", 1)) - 1
        header = BlockHeader(self.last_height, time_ns, self.chain_id)
        ctx = Context(header, self.store)
        for module in self.modules:
            module.init_genesis(ctx, app_state.get(module.name, module.default_genesis()))
        self.last_time_ns = time_ns
        self.app_hash = store_hash(self.store)
        self._check_store = CacheKV(self.store)
        return self.app_hash

    def export_genesis(self) -> dict[str, Any]:
        ctx = self.query_context()
        return {
            "chain_id": self.chain_id,
            "genesis_time_ns": str(self.last_time_ns),
            "initial_height": str(self.last_height + 1),
            "app_state": {module.name: module.export_genesis(ctx) for module in self.modules},
        }

    # Txs

    def _header(self, time_ns: int | None = None) -> BlockHeader:
        return BlockHeader(
            self.last_height + 1,
            self.last_time_ns if time_ns is None else time_ns,
            self.chain_id,
        )

    def check_tx(self, tx_bytes: bytes) -> TxResult:
        """Admission to the mempool: decode and ante on the check state (fees and sequences of
        accepted txs stay there until the next commit)."""
        tx_hash = hashlib.sha256(tx_bytes).hexdigest().upper()
        try:
            tx = _decode_admitted(tx_bytes)
        except SdkError as error:
            return _error_result(error, 0, 0, tx_hash)
        ctx = Context(self._header(), self._check_store, gas_meter_for(tx, False, 1))
        try:
            self.ante.run(ctx, tx, simulate=False, check_tx=True)
        except SdkError as error:
            return _error_result(error, tx.gas_limit, ctx.gas_meter.used, tx_hash)
        probe("check_tx")
        return TxResult(gas_wanted=tx.gas_limit, gas_used=ctx.gas_meter.used, hash=tx_hash)

    def simulate(self, tx_bytes: bytes) -> TxResult:
        """Run ``tx_bytes`` on a throwaway branch of the last commit: no fee or gas-limit check,
        no signature check (as the SDK's simulate mode)."""
        tx_hash = hashlib.sha256(tx_bytes).hexdigest().upper()
        try:
            tx = decode_tx(tx_bytes)
        except SdkError as error:
            return _error_result(error, 0, 0, tx_hash)
        ctx = Context(self._header(), CacheKV(self.store), GasMeter())
        return self._run_tx(ctx, tx, simulate=True)

    def _run_tx(self, ctx: Context, tx: DecodedTx, simulate: bool) -> TxResult:
        try:
            self.ante.run(ctx, tx, simulate=simulate, check_tx=simulate)
        except SdkError as error:
            return _error_result(error, tx.gas_limit, ctx.gas_meter.used, tx.hash)
        ante_events = list(ctx.events)
        branch = ctx.branch()
        responses = []
        message_events: list[Event] = []
        try:
            for index, msg in enumerate(tx.msgs):
                before = len(branch.ctx.events)
                responses.append(self._route(branch.ctx, msg))
                message_events.append(_message_event(msg, tx.signers, index))
                message_events.extend(branch.ctx.events[before:])
        except SdkError as error:
            wrapped = error.wrap(f"failed to execute message; message index: {len(responses)}")
            return TxResult(
                code=error.code,
                codespace=error.codespace,
                log=wrapped.log,
                gas_wanted=tx.gas_limit,
                gas_used=ctx.gas_meter.used,
                events=tuple(ante_events),
                hash=tx.hash,
            )
        branch.write()
        packed = tuple(
            (f"/{response.DESCRIPTOR.full_name}", response.SerializeToString())
            for response in responses
        )
        return TxResult(
            gas_wanted=tx.gas_limit,
            gas_used=ctx.gas_meter.used,
            events=(*ante_events, *message_events),
            data=_msg_data(packed),
            hash=tx.hash,
        )

    # Blocks

    def finalize_block(
        self, time_ns: int, txs: Sequence[bytes], height: int | None = None
    ) -> BlockResult:
        """Execute the next block on a branch of the committed state (``commit`` keeps it).

        ``height`` (default: the next one) may jump ahead over idle blocks: the heights in
        between are skipped blocks, empty and at ``interpolated_time`` between the last commit
        and this block (which needs at least 1 ns per height). Of a skipped block only what
        every idle block does is replayed: the mint's per-block provision (``catch_up``), so
        the supply and remainder are exactly those of running each block; the fee collector
        is then allocated once, by this block. Whatever else is due (epochs, gov deadlines,
        unbondings) must not fall within the skipped blocks: the node produces a real block
        at each such instant (``next_due_ns``)."""
        if time_ns < self.last_time_ns:
            raise ValueError("block time must not go back")
        next_height = self.last_height + 1
        height = next_height if height is None else height
        if height < next_height:
            raise ValueError(f"block height {height} is not after {self.last_height}")
        skipped = height - next_height
        if skipped and time_ns - self.last_time_ns < height - self.last_height:
            raise ValueError("a height jump needs at least 1 ns per block")
        probe("finalize_block.begin")
        header = BlockHeader(height, time_ns, self.chain_id)
        pending = _Pending(header, CacheKV(self.store))
        if skipped:
            h0, t0 = self.last_height, self.last_time_ns
            times = [
                interpolated_time(h0, t0, height, time_ns, h) for h in range(next_height, height)
            ]
            self.mint.catch_up(Context(header, pending.store), times)
        self._verify_ahead(header, txs)
        block_ctx = Context(header, pending.store)
        for module in self._begin_blockers():
            module.begin_block(block_ctx)
        results = []
        for tx_bytes in txs:
            results.append(self._deliver(header, pending.store, tx_bytes))
            probe("finalize_block.tx")
        end_ctx = Context(header, pending.store)
        for module in self._end_blockers():
            module.end_block(end_ctx)
        pending.result = BlockResult(
            height=header.height,
            time_ns=time_ns,
            txs=tuple(txs),
            tx_results=tuple(results),
            events=(*block_ctx.events, *end_ctx.events),
        )
        self._pending = pending
        probe("finalize_block.end")
        return pending.result

    def _verify_ahead(self, header: BlockHeader, txs: Sequence[bytes]) -> None:
        """Hand the signatures of a large block's txs to ``chain.signatures`` as foreseen from the
        last commit (a guess that only saves time: each tx's check still runs in turn)."""
        if len(txs) < signatures.AHEAD_MIN_TRIPLES or not signatures.has_helper():
            return
        ctx = Context(header, _ReadView(self.store))
        triples = []
        for tx_bytes in txs:
            try:
                tx = _decode_admitted(tx_bytes)
            except SdkError:
                continue
            triples.extend(self.ante.signature_triples(ctx, tx))
        signatures.ahead(triples)

    def _deliver(self, header: BlockHeader, store: CacheKV, tx_bytes: bytes) -> TxResult:
        try:
            tx = _take_admitted(tx_bytes)
        except SdkError as error:
            return _error_result(error, 0, 0, hashlib.sha256(tx_bytes).hexdigest().upper())
        ctx = Context(header, store, gas_meter_for(tx, False, header.height))
        return self._run_tx(ctx, tx, simulate=False)

    def commit(self) -> bytes:
        """Write the finalized block and return the new app hash."""
        pending = self._pending
        if pending is None or pending.result is None:
            raise RuntimeError("commit without a finalized block")
        pending.store.write()
        self.last_height = pending.header.height
        self.last_time_ns = pending.header.time_ns
        self.app_hash = store_hash(self.store)
        self._check_store = CacheKV(self.store)
        self._pending = None
        return self.app_hash

    def pending_changes(self) -> list[tuple[bytes, bytes | None]]:
        """The write set of the finalized block that ``commit`` would apply, in key order
        (``None``: a deletion); the node persists it with the block."""
        if self._pending is None:
            raise RuntimeError("no finalized block")
        return self._pending.store.changes()

    def restore(self, store: MemKV, height: int, time_ns: int, app_hash: bytes) -> None:
        """Adopt ``store`` as the state committed at ``height`` (a node resuming from disk,
        reverting to a snapshot, or undoing a commit it could not persist); drops any finalized
        block and resets the check state."""
        self.store = store
        self.last_height = height
        self.last_time_ns = time_ns
        self.app_hash = app_hash
        self._check_store = CacheKV(store)
        self._pending = None

    def next_due_ns(self) -> int | None:
        """The earliest block time at which a block has work beyond minting and allocating:
        an epoch to start or end, a gov deposit or voting period ending, an unbonding
        maturing (None: nothing is scheduled)."""
        ctx = self.query_context()
        due: list[int] = []
        for info in self.epochs.all_epoch_infos(ctx):
            if not info.epoch_counting_started:
                due.append(info.start_time.ToNanoseconds())
            else:
                duration = info.duration.seconds * NANOS + info.duration.nanos
                due.append(info.current_epoch_start_time.ToNanoseconds() + duration)
        gov = self.gov.keeper
        for queue in (gov.inactive_queue, gov.active_queue):
            first = next(iter(queue.iterate(ctx)), None)
            if first is not None:
                due.append(first[0])
        unbonding = next(iter(self.staking.unbonding_queue.iterate(ctx)), None)
        if unbonding is not None:
            due.append(unbonding[0])
        return min(due, default=None)

    # Queries

    def query_context(self) -> Context:
        """A read-only view of the last commit (writes go to a branch that is dropped)."""
        return Context(self._header(), CacheKV(self.store), GasMeter())

    def query(self, method: str, request: Message) -> Message:
        handler = self.query_routes.get(method)
        if handler is None:
            raise ErrUnknownRequest.wrap(f"unknown query path: {method}")
        return handler(self.query_context(), request)

    def invariants(self) -> list[str]:
        """Diagnoses of every broken invariant of every module (empty when all hold).

        A module invariant is a pure function of the state it reads: one that held at the last
        check, read neither the height nor the time, wrote nothing and read no key that the
        store's write log (``MemKV.write_log``) has seen written since (no key it got, none in a
        range it iterated) holds still, and is not run again. Registered invariants always
        run."""
        store = self.store
        if store is not self._held_store:
            self._held = {}
            self._held_store = store
            self._written = store.write_log() if isinstance(store, MemKV) else None
        written = self._written
        held = self._held
        if written is None:
            held.clear()
        elif written:
            in_order = sorted(written)
            for index in [i for i, item in held.items() if item.touched_by(written, in_order)]:
                del held[index]
            written.clear()
        last = self._header()
        header = _WatchedHeader(last.height, last.time_ns, last.chain_id)
        view = _TracedView(store)
        ctx = Context(header, view, GasMeter())
        broken = []
        checks = [item for module in self.modules for item in module.invariants()]
        for index, (name, check) in enumerate(checks):
            kept = held.get(index)
            if kept is not None and kept.name == name and kept.check == check:
                continue
            keys, ranges, reads = len(view.keys), len(view.ranges), header.reads
            clean = view._branch is None
            message = check(ctx)
            if message:
                broken.append(f"{name}: {message}")
            if message or not clean or view._branch is not None or header.reads != reads:
                held.pop(index, None)
            else:
                held[index] = _Held(
                    name, check, frozenset(view.keys[keys:]), tuple(view.ranges[ranges:])
                )
        for name, check in self._extra_invariants:
            if message := check(ctx):
                broken.append(f"{name}: {message}")
        return broken

    def register_invariant(self, route: str, check: Invariant) -> None:
        """Add an invariant beyond the modules' own (``InvariantRegistry.RegisterRoute``);
        ``invariants()`` reports it as ``route: message``."""
        self._extra_invariants.append((route, check))

    @property
    def time(self) -> int:
        return self.last_time_ns // NANOS


def interpolated_time(h0: int, t0: int, h1: int, t1: int, height: int) -> int:
    """The time of skipped block ``height`` between blocks ``h0`` at ``t0`` and ``h1`` at
    ``t1`` (linear, rounded down; strictly increasing when ``t1 - t0 >= h1 - h0``)."""
    return t0 + (t1 - t0) * (height - h0) // (h1 - h0)


@functools.lru_cache(maxsize=1024)
def _msg_data(responses: tuple[tuple[str, bytes], ...]) -> bytes:
    """The serialized ``TxMsgData`` of the responses, each packed in an ``Any`` (type URL and
    bytes); memoized, as most responses of a kind are alike (a send's is empty)."""
    data = TxMsgData(
        msg_responses=[AnyPb(type_url=type_url, value=value) for type_url, value in responses]
    )
    serialized: bytes = data.SerializeToString()
    return serialized


def _message_event(msg: Message, signers: Sequence[bytes], index: int) -> Event:
    return _message_event_of(msg.DESCRIPTOR.full_name, signers[0] if signers else None, index)


@functools.lru_cache(maxsize=4096)
def _message_event_of(full_name: str, sender: bytes | None, index: int) -> Event:
    """Events are immutable, so one can stand for every message of a type, sender and index."""
    module = full_name.split(".")[1]  # cosmos.bank.v1beta1.MsgSend -> bank
    attributes = [("action", f"/{full_name}"), ("module", module), ("msg_index", str(index))]
    if sender is not None:
        attributes.insert(1, ("sender", encode_address(sender)))
    return Event("message", tuple(attributes))
