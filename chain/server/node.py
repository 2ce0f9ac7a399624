"""The node: owns time, the mempool, block production, the block and tx records, and the routes
the gRPC shell serves.

One lock guards the app: every query, admission and block runs under it, so the pure app never
sees two callers at once. Block production:

- ``block_time == 0`` (the default): a block as soon as txs are waiting (a producer thread wakes
  on admission and takes everything in the mempool, once no tx has arrived for 2 ms, so a burst
  of concurrent broadcasts shares one block; at most 20 ms after the first);
- ``block_time > 0``: a block every ``block_time`` seconds, empty or not.

Block times come from the wall clock plus the time-travel offset, and never go back or repeat.
The mempool is bounded (``mempool_size`` txs); a full mempool refuses with ``ErrMempoolIsFull``.

Every block is committed to a ``ChainDB`` (``chain.server.persistence``) in one transaction: on
disk for a node with a home, in memory otherwise. A node given a database that already holds a
chain resumes it (state, blocks, tx index, time offset) after checking the recomputed app hash.
The versioned state answers queries at past heights (``query_at``) and backs ``snapshot`` and
``revert``. A block that cannot be persisted is undone in memory (its txs go back to the
mempool) and the producer retries it every ``RETRY_SECONDS``.

Fails when: the app rejects a tx (results, never exceptions); ``GetTx`` of an unknown hash
(``ErrTxNotFound``-style NOT_FOUND status "tx not found: HASH", which cosmpy polls on); a query at
a height the node does not have (``ErrInvalidRequest``); the database cannot be written or its
state does not match its app hash (``PersistenceError``).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, overload

from cosmpy.protos.cosmos.base.abci.v1beta1.abci_pb2 import GasInfo, Result, TxResponse
from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2 as tendermint_query
from cosmpy.protos.cosmos.consensus.v1 import query_pb2 as consensus_query
from cosmpy.protos.cosmos.tx.v1beta1 import service_pb2
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import Tx
from cosmpy.protos.tendermint.abci.types_pb2 import Event as AbciEvent
from cosmpy.protos.tendermint.abci.types_pb2 import EventAttribute
from cosmpy.protos.tendermint.p2p.types_pb2 import DefaultNodeInfo
from cosmpy.protos.tendermint.types import block_pb2, types_pb2
from cosmpy.protos.tendermint.types.params_pb2 import BlockParams, ConsensusParams
from cosmpy.protos.tendermint.version.types_pb2 import Consensus
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from chain.app import App, TxResult, interpolated_time
from chain.sdk.context import NANOS, BlockHeader, Context
from chain.sdk.errors import (
    ErrInvalidRequest,
    ErrLogic,
    ErrMempoolIsFull,
    ErrNotFound,
    ErrUnknownRequest,
    SdkError,
    lookup,
    register,
)
from chain.sdk.events import Event
from chain.sdk.gas import GasMeter
from chain.sdk.kv import CacheKV, MemKV, store_hash
from chain.server.grpc_server import requested_height
from chain.server.persistence import BlockRecord, ChainDB, PersistenceError

APP_NAME = "incentivesd"
APP_VERSION = "0.1.0"
COSMOS_SDK_VERSION = "0.53.0"
MAX_BLOCK_GAS = 100_000_000

ErrTxNotFound = register("node", 2, "tx not found")
MAX_ADVANCE_STEPS = 100_000  # the most real blocks one ``advance`` produces for due work
BATCH_QUIET_SECONDS = 0.002
BATCH_MAX_SECONDS = 0.02
RETRY_SECONDS = 1.0  # how long the producer waits after a block it could not persist

logger = logging.getLogger(__name__)


def abci_event(event: Event) -> AbciEvent:
    return AbciEvent(
        type=event.type,
        attributes=[
            EventAttribute(key=key, value=value, index=True) for key, value in event.attributes
        ],
    )


def rfc3339(time_ns: int) -> str:
    moment = datetime.fromtimestamp(time_ns // NANOS, tz=UTC)
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S")
        + f".{time_ns % NANOS:09d}".rstrip("0").rstrip(".")
        + "Z"
    )


class BlockMap(dict[int, BlockRecord]):
    """The produced blocks by height, answering for skipped heights too.

    A height between two produced blocks (or between the base commit and the first block)
    that has no record is a skipped idle block (``Node.advance``): ``get`` and ``[]`` answer
    an empty block at ``interpolated_time`` between its neighbours, carrying the app hash of
    the previous commit (nothing was applied). Skipped blocks are derived from the stored
    neighbours, so they need no record of their own and survive a restart. ``in`` answers for
    both; iteration and ``len`` see the produced blocks only."""

    def __init__(
        self, base: tuple[int, int, bytes], blocks: dict[int, BlockRecord] | None = None
    ) -> None:
        super().__init__(blocks or {})
        self.base = base
        self._heights = sorted(self)

    def __contains__(self, height: object) -> bool:
        return dict.__contains__(self, height) or (
            isinstance(height, int) and self.skipped(height) is not None
        )

    def __setitem__(self, height: int, record: BlockRecord) -> None:
        if not dict.__contains__(self, height):
            if not self._heights or height > self._heights[-1]:
                self._heights.append(height)
            else:
                bisect.insort(self._heights, height)
        super().__setitem__(height, record)

    def __missing__(self, height: int) -> BlockRecord:
        record = self.skipped(height)
        if record is None:
            raise KeyError(height)
        return record

    @overload  # type: ignore[override]
    def get(self, height: int, default: None = None) -> BlockRecord | None: ...
    @overload
    def get(self, height: int, default: BlockRecord) -> BlockRecord: ...
    def get(self, height: int, default: BlockRecord | None = None) -> BlockRecord | None:
        record = super().get(height)
        if record is None:
            record = self.skipped(height)
        return default if record is None else record

    def skipped(self, height: int) -> BlockRecord | None:
        """The empty block standing for skipped ``height`` (None: not a skipped height)."""
        heights = self._heights
        base_height, base_time, base_hash = self.base
        if not isinstance(height, int) or height <= base_height or not heights:
            return None
        at = bisect.bisect_left(heights, height)
        if at == len(heights) or heights[at] == height:
            return None
        following = dict.__getitem__(self, heights[at])
        if at == 0:
            h0, t0, app_hash = base_height, base_time, base_hash
        else:
            previous = dict.__getitem__(self, heights[at - 1])
            h0, t0, app_hash = previous.height, previous.time_ns, previous.app_hash
        time_ns = interpolated_time(h0, t0, following.height, following.time_ns, height)
        return BlockRecord(
            height=height, time_ns=time_ns, txs=(), results=(), events=(), app_hash=app_hash
        )


class Node:
    """The app, its mempool and its blocks, driven by the wall clock (plus time travel)."""

    def __init__(
        self,
        app: App,
        block_time: float = 0.0,
        mempool_size: int = 5_000,
        clock: Callable[[], float] = time.time,
        db: ChainDB | None = None,
        check_invariants: bool = False,
    ) -> None:
        """``db`` (default: a new in-memory one) holding a chain: resume it into ``app``;
        empty: record ``app``'s committed state as the chain's base. ``check_invariants`` runs
        every module's invariants after every block and records what breaks in
        ``broken_invariants`` (height, diagnosis), for tests."""
        self.app = app
        self.check_invariants = check_invariants
        self.broken_invariants: list[tuple[int, str]] = []
        self.block_time = block_time
        self.mempool_size = mempool_size
        self.clock = clock
        self.time_offset_ns = 0
        self.lock = threading.RLock()
        self.mempool: list[bytes] = []
        self.blocks = BlockMap((app.last_height, app.last_time_ns, app.app_hash))
        self.tx_index: dict[str, tuple[int, int]] = {}
        self._wake = threading.Condition(self.lock)
        self._stopping = False
        self._producer: threading.Thread | None = None
        self.db = db if db is not None else ChainDB()
        self.last_error: PersistenceError | None = None
        self._past_state: tuple[int, MemKV] | None = None
        head = self.db.head()
        if head is None:
            self.db.init_state(
                chain_id=app.chain_id,
                height=app.last_height,
                time_ns=app.last_time_ns,
                app_hash=app.app_hash,
                items=app.store.items(),
            )
        else:
            self._resume()

    def _resume(self) -> None:
        head = self.db.head()
        assert head is not None
        where = self.db.path or ":memory:"
        if head.chain_id != self.app.chain_id:
            raise PersistenceError(
                f"the database holds chain {head.chain_id}, not {self.app.chain_id}", where
            )
        store = self.db.load_state(head.height)
        recomputed = store_hash(store)
        if recomputed != head.app_hash:
            raise PersistenceError(
                f"the state at height {head.height} hashes to {recomputed.hex().upper()}, but "
                f"the stored app hash is {head.app_hash.hex().upper()}: the database is "
                "corrupt or was written by another version; refusing to start",
                where,
            )
        self.app.restore(store, head.height, head.time_ns, head.app_hash)
        base_time, base_hash = self.db.commit_at(head.base_height)
        self.blocks = BlockMap((head.base_height, base_time, base_hash), self.db.load_blocks())
        self.tx_index = self.db.load_tx_index()
        self.time_offset_ns = head.time_offset_ns

    # Block production

    def _next_time_ns(self) -> int:
        now = int(self.clock() * NANOS) + self.time_offset_ns
        return max(now, self.app.last_time_ns + 1)

    def produce_block(self, time_ns: int | None = None, height: int | None = None) -> BlockRecord:
        """Finalize and commit a block of every waiting tx (at ``time_ns`` or now), at
        ``height`` (default: the next; a later one skips the idle blocks between, see
        ``App.finalize_block``)."""
        with self.lock:
            txs, self.mempool = self.mempool, []
            block_time = (
                self._next_time_ns() if time_ns is None else max(time_ns, self.app.last_time_ns + 1)
            )
            app = self.app
            before = (app.store, app.last_height, app.last_time_ns, app.app_hash)
            try:
                result = app.finalize_block(block_time, txs, height)
            except ValueError:
                self.mempool = txs + self.mempool
                raise
            changes = app.pending_changes()
            undo = [(key, app.store.get(key)) for key, _ in changes]
            app_hash = app.commit()
            record = BlockRecord(
                height=result.height,
                time_ns=result.time_ns,
                txs=result.txs,
                results=result.tx_results,
                events=result.events,
                app_hash=app_hash,
            )
            written = [
                change for change, (_, old) in zip(changes, undo, strict=True) if change[1] != old
            ]
            try:
                self.db.commit_block(record, written, self.time_offset_ns)
            except PersistenceError as error:
                store = before[0]
                for key, value in undo:
                    if value is None:
                        store.delete(key)
                    else:
                        store.set(key, value)
                app.restore(*before)
                # Recheck (as CometBFT after a commit): restore reset the check state.
                self.mempool = [tx for tx in txs + self.mempool if app.check_tx(tx).ok]
                self.last_error = error
                raise
            self.last_error = None
            self.blocks[record.height] = record
            for index, tx_result in enumerate(record.results):
                self.tx_index[tx_result.hash] = (record.height, index)
            if self.check_invariants:
                self.broken_invariants.extend(
                    (record.height, diagnosis) for diagnosis in app.invariants()
                )
            self._wake.notify_all()
            return record

    def advance(self, num_blocks: int | None = None, seconds: Decimal | int = 0) -> int:
        """Move the chain ``num_blocks`` heights and/or ``seconds`` forward, running only the
        blocks in which something is due; returns how many blocks were produced.

        ``seconds`` of time travel are added to the clock offset first; the target time is
        then now (clock plus offset), and at least 1 ns per height after the last block.

        With ``num_blocks`` the target height is ``num_blocks`` above the last one and the
        heights up to it are spread linearly in time up to the target time. A real block is
        produced at the first height whose time reaches an instant something is due
        (``App.next_due_ns``: an epoch start or end, a gov deadline, an unbonding), at the
        first height when the mempool holds txs, and at the target; the heights between are
        skipped idle blocks (``App.finalize_block``; ``BlockMap`` answers for them). Without
        ``num_blocks`` every real block takes the next height: one per due instant before the
        target time (epochs tick once per block, so a timer far behind takes a block per
        epoch), one at the target, then one more (1 ns later) while anything is still due.

        The state is that of running every block, skipped ones included, at those times (same
        epochs, gov outcomes, unbondings, balances and supply); only the distribution module's
        ``DecCoins`` may differ by truncation dust (10**-18 per validator and skipped block)
        between validators' rewards and the community pool, as the skipped blocks' mint is
        allocated by one block rather than block by block."""
        with self.lock:
            app = self.app
            if seconds:
                self.time_offset_ns += int(seconds * NANOS)
            produced = 0
            if num_blocks is None:
                target_t = self._next_time_ns()
                while produced < MAX_ADVANCE_STEPS:
                    due = app.last_time_ns + 1 if self.mempool else app.next_due_ns()
                    if due is None or due >= target_t:
                        break
                    self.produce_block(due)
                    produced += 1
                self.produce_block(target_t)
                produced += 1
            else:
                if num_blocks <= 0:
                    return 0
                target_h = app.last_height + num_blocks
                target_t = max(self._next_time_ns(), app.last_time_ns + num_blocks)
                while app.last_height < target_h:
                    h0, t0 = app.last_height, app.last_time_ns
                    span, remaining = target_t - t0, target_h - h0
                    due = t0 + 1 if self.mempool else app.next_due_ns()
                    if due is None or due >= target_t:
                        step = remaining
                    else:
                        step = min(max(-(-(due - t0) * remaining // span), 1), remaining)
                    height = h0 + step
                    self.produce_block(t0 + span * step // remaining, height)
                    produced += 1
                return produced
            while produced < MAX_ADVANCE_STEPS and (due := app.next_due_ns()) is not None:
                if due > app.last_time_ns:
                    break
                self.produce_block(app.last_time_ns + 1)
                produced += 1
            return produced

    def start(self) -> None:
        """Start the producer thread."""
        self._producer = threading.Thread(target=self._produce, name="block-producer", daemon=True)
        self._producer.start()

    def stop(self) -> None:
        """Stop the producer, then close the database (releasing the home's lock)."""
        with self.lock:
            self._stopping = True
            self._wake.notify_all()
        if self._producer is not None:
            self._producer.join(timeout=5)
        with self.lock:
            self.db.close()

    def _produce(self) -> None:
        with self.lock:
            while not self._stopping:
                if self.block_time > 0:
                    # Admissions and other blocks notify too: sleep out the whole interval.
                    deadline = time.monotonic() + self.block_time
                    while not self._stopping and (left := deadline - time.monotonic()) > 0:
                        self._wake.wait(timeout=left)
                    if not self._stopping:
                        self._try_produce()
                elif self.mempool:
                    # Let a burst of concurrent broadcasts land in one block: wait until no tx
                    # has arrived for BATCH_QUIET_SECONDS (at most BATCH_MAX_SECONDS).
                    deadline = time.monotonic() + BATCH_MAX_SECONDS
                    waiting = len(self.mempool)
                    while not self._stopping and time.monotonic() < deadline:
                        self._wake.wait(timeout=BATCH_QUIET_SECONDS)
                        if len(self.mempool) == waiting:
                            break
                        waiting = len(self.mempool)
                    if not self._stopping:
                        self._try_produce()
                else:
                    self._wake.wait()

    def _try_produce(self) -> None:
        try:
            self.produce_block()
        except PersistenceError as error:
            logger.error("block not committed, retrying in %ss: %s", RETRY_SECONDS, error)
            self._wake.wait(timeout=RETRY_SECONDS)

    def wait_for_height(self, height: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.app.last_height < height:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(timeout=left)
        return True

    # Txs

    def broadcast(self, tx_bytes: bytes) -> TxResult:
        """Admit a tx to the mempool (CheckTx); the producer includes it in the next block."""
        with self.lock:
            if len(self.mempool) >= self.mempool_size:
                error = ErrMempoolIsFull.wrap(
                    f"mempool is full: number of txs {len(self.mempool)} (max: {self.mempool_size})"
                )
                return TxResult(code=error.code, codespace=error.codespace, log=error.log)
            result = self.app.check_tx(tx_bytes)
            if result.ok:
                self.mempool.append(tx_bytes)
                if len(self.mempool) == 1:
                    # The producer polls a filling mempool; only the first tx must wake it.
                    self._wake.notify_all()
            return result

    def find_tx(self, tx_hash: str) -> tuple[BlockRecord, int] | None:
        with self.lock:
            location = self.tx_index.get(tx_hash.upper())
            if location is None:
                return None
            return self.blocks[location[0]], location[1]

    # History: past heights, snapshots

    def query_at(self, method: str, request: Message, height: int | None = None) -> Message:
        """Answer ``method`` on the state committed at ``height`` (None or 0: the last block, as
        the SDK's ``x-cosmos-block-height``)."""
        with self.lock:
            last = self.app.last_height
            if not height or height == last:
                return self.app.query(method, request)
            if height > last:
                raise ErrInvalidRequest.wrap(
                    "cannot query with height in the future; please provide a valid height"
                )
            head = self.db.head()
            assert head is not None
            if height < head.base_height:
                raise ErrInvalidRequest.wrap(
                    f"failed to load state at height {height}; version does not exist "
                    f"(latest height: {last})"
                )
            handler = self.app.query_routes.get(method)
            if handler is None:
                raise ErrUnknownRequest.wrap(f"unknown query path: {method}")
            if self._past_state is None or self._past_state[0] != height:
                self._past_state = (height, self.db.load_state(height))
            skipped = self.blocks.skipped(height)
            time_ns = skipped.time_ns if skipped else self.db.commit_at(height)[0]
            header = BlockHeader(height + 1, time_ns, self.app.chain_id)
            return handler(Context(header, CacheKV(self._past_state[1]), GasMeter()), request)

    def snapshot(self) -> int:
        """Mark the last block; ``revert`` with the returned id comes back to it."""
        with self.lock:
            return self.db.add_snapshot(self.app.last_height)

    def revert(self, snapshot_id: int) -> bool:
        """Restore the state, blocks and tx index of snapshot ``snapshot_id`` (in memory and in
        the database) and empty the mempool. The snapshot and every later one are consumed (as
        anvil's ``evm_revert``); False, changing nothing, for an unknown id."""
        with self.lock:
            height = self.db.snapshot_height(snapshot_id)
            if height is None:
                return False
            self.db.revert(height, snapshot_id)
            time_ns, app_hash = self.db.commit_at(height)
            store = self.db.load_state(height)
            if store_hash(store) != app_hash:
                raise PersistenceError(
                    f"the state at height {height} does not match its app hash",
                    self.db.path or ":memory:",
                )
            self.app.restore(store, height, time_ns, app_hash)
            self.mempool = []
            self._past_state = None
            self.blocks = BlockMap(
                self.blocks.base, {h: block for h, block in self.blocks.items() if h <= height}
            )
            self.tx_index = {
                result.hash: (block.height, index)
                for block in sorted(self.blocks.values(), key=lambda block: block.height)
                for index, result in enumerate(block.results)
            }
            self._wake.notify_all()
            return True

    # gRPC routes

    def routes(self) -> dict[str, Callable[[Any], Message]]:
        routes: dict[str, Callable[[Any], Message]] = {
            method: self._query_route(method) for method in self.app.query_routes
        }
        service = "/cosmos.tx.v1beta1.Service"
        tendermint = "/cosmos.base.tendermint.v1beta1.Service"
        routes.update(
            {
                f"{service}/Simulate": self.simulate,
                f"{service}/BroadcastTx": self.broadcast_tx,
                f"{service}/GetTx": self.get_tx,
                f"{tendermint}/GetLatestBlock": self.get_latest_block,
                f"{tendermint}/GetBlockByHeight": self.get_block_by_height,
                f"{tendermint}/GetNodeInfo": self.get_node_info,
                f"{tendermint}/GetSyncing": lambda _: tendermint_query.GetSyncingResponse(
                    syncing=False
                ),
                "/cosmos.consensus.v1.Query/Params": self.consensus_params,
            }
        )
        return routes

    def _query_route(self, method: str) -> Callable[[Any], Message]:
        def route(request: Message) -> Message:
            return self.query_at(method, request, requested_height())

        return route

    def simulate(self, request: service_pb2.SimulateRequest) -> service_pb2.SimulateResponse:
        # cosmpy sends the deprecated decoded ``tx`` field; other clients send ``tx_bytes``.
        tx_bytes = request.tx_bytes or request.tx.SerializeToString()
        with self.lock:
            result = self.app.simulate(tx_bytes)
        if not result.ok:
            raise _as_error(result)
        return service_pb2.SimulateResponse(
            gas_info=GasInfo(gas_wanted=result.gas_wanted, gas_used=result.gas_used),
            result=Result(
                data=result.data, log=result.log, events=[abci_event(e) for e in result.events]
            ),
        )

    def broadcast_tx(
        self, request: service_pb2.BroadcastTxRequest
    ) -> service_pb2.BroadcastTxResponse:
        result = self.broadcast(request.tx_bytes)
        return service_pb2.BroadcastTxResponse(
            tx_response=TxResponse(
                txhash=result.hash or hashlib.sha256(request.tx_bytes).hexdigest().upper(),
                code=result.code,
                codespace=result.codespace,
                raw_log=result.log,
                gas_wanted=result.gas_wanted,
                gas_used=result.gas_used,
            )
        )

    def get_tx(self, request: service_pb2.GetTxRequest) -> service_pb2.GetTxResponse:
        found = self.find_tx(request.hash)
        if found is None:
            raise ErrTxNotFound.wrap(request.hash)
        block, index = found
        return service_pb2.GetTxResponse(
            tx=_decode(block.txs[index]), tx_response=tx_response(block, index)
        )

    def _block(self, record: BlockRecord) -> block_pb2.Block:
        return block_pb2.Block(
            header=types_pb2.Header(
                version=Consensus(block=11),
                chain_id=self.app.chain_id,
                height=record.height,
                time=Timestamp(seconds=record.time_ns // NANOS, nanos=record.time_ns % NANOS),
                app_hash=record.app_hash,
            ),
            data=types_pb2.Data(txs=list(record.txs)),
        )

    def get_latest_block(
        self, request: tendermint_query.GetLatestBlockRequest
    ) -> tendermint_query.GetLatestBlockResponse:
        with self.lock:
            record = self.blocks.get(self.app.last_height)
        if record is None:
            raise ErrNotFound.wrap("no block has been produced yet")
        block = self._block(record)
        return tendermint_query.GetLatestBlockResponse(
            block_id=types_pb2.BlockID(hash=record.hash), block=block
        )

    def get_block_by_height(
        self, request: tendermint_query.GetBlockByHeightRequest
    ) -> tendermint_query.GetBlockByHeightResponse:
        with self.lock:
            record = self.blocks.get(request.height)
        if record is None:
            raise ErrTxNotFound.wrap(f"block at height {request.height}")
        return tendermint_query.GetBlockByHeightResponse(
            block_id=types_pb2.BlockID(hash=record.hash), block=self._block(record)
        )

    def get_node_info(
        self, request: tendermint_query.GetNodeInfoRequest
    ) -> tendermint_query.GetNodeInfoResponse:
        return tendermint_query.GetNodeInfoResponse(
            default_node_info=DefaultNodeInfo(
                network=self.app.chain_id, moniker="localnet", version="0.38.0"
            ),
            application_version=tendermint_query.VersionInfo(
                name=APP_NAME,
                app_name=APP_NAME,
                version=APP_VERSION,
                cosmos_sdk_version=COSMOS_SDK_VERSION,
            ),
        )

    def consensus_params(
        self, request: consensus_query.QueryParamsRequest
    ) -> consensus_query.QueryParamsResponse:
        return consensus_query.QueryParamsResponse(
            params=ConsensusParams(block=BlockParams(max_bytes=22_020_096, max_gas=MAX_BLOCK_GAS))
        )


def tx_response(block: BlockRecord, index: int) -> TxResponse:
    result = block.results[index]
    packed = AnyPb()
    packed.Pack(_decode(block.txs[index]), type_url_prefix="/")
    return TxResponse(
        height=block.height,
        txhash=result.hash,
        codespace=result.codespace,
        code=result.code,
        data=result.data.hex().upper(),
        raw_log=result.log,
        gas_wanted=result.gas_wanted,
        gas_used=result.gas_used,
        tx=packed,
        timestamp=rfc3339(block.time_ns),
        events=[abci_event(event) for event in result.events],
    )


def _decode(tx_bytes: bytes) -> Tx:
    tx = Tx()
    tx.ParseFromString(tx_bytes)
    return tx


def _as_error(result: TxResult) -> SdkError:
    """The registered error a failed result carries, with the same raw log."""
    kind = lookup(result.codespace, result.code) or ErrLogic
    suffix = f": {kind.description}"
    detail = result.log[: -len(suffix)] if result.log.endswith(suffix) else result.log
    return kind.wrap(detail)
