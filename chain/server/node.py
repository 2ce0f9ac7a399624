"""The node: owns time, the mempool, block production, the block and tx records, and the routes
the gRPC shell serves.

One lock guards the app: every query, admission and block runs under it, so the pure app never
sees two callers at once. Block production:

- ``block_time == 0`` (the default): a block as soon as txs are waiting (a producer thread wakes
  on admission and takes everything in the mempool);
- ``block_time > 0``: a block every ``block_time`` seconds, empty or not.

Block times come from the wall clock plus the time-travel offset, and never go back or repeat.
The mempool is bounded (``mempool_size`` txs); a full mempool refuses with ``ErrMempoolIsFull``.

Fails when: the app rejects a tx (results, never exceptions); ``GetTx`` of an unknown hash
(``ErrTxNotFound``-style NOT_FOUND status "tx not found: HASH", which cosmpy polls on).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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

from chain.app import App, TxResult
from chain.sdk.context import NANOS
from chain.sdk.errors import ErrLogic, ErrMempoolIsFull, ErrNotFound, SdkError, lookup, register
from chain.sdk.events import Event

APP_NAME = "incentivesd"
APP_VERSION = "0.1.0"
COSMOS_SDK_VERSION = "0.53.0"
MAX_BLOCK_GAS = 100_000_000

ErrTxNotFound = register("node", 2, "tx not found")


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A committed block: its txs, their results and the app hash after it."""

    height: int
    time_ns: int
    txs: tuple[bytes, ...]
    results: tuple[TxResult, ...]
    events: tuple[Event, ...]
    app_hash: bytes

    @property
    def hash(self) -> bytes:
        digest = hashlib.sha256(self.height.to_bytes(8, "big") + self.app_hash)
        for tx in self.txs:
            digest.update(hashlib.sha256(tx).digest())
        return digest.digest()


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


class Node:
    """The app, its mempool and its blocks, driven by the wall clock (plus time travel)."""

    def __init__(
        self,
        app: App,
        block_time: float = 0.0,
        mempool_size: int = 5_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.block_time = block_time
        self.mempool_size = mempool_size
        self.clock = clock
        self.time_offset_ns = 0
        self.lock = threading.RLock()
        self.mempool: list[bytes] = []
        self.blocks: dict[int, BlockRecord] = {}
        self.tx_index: dict[str, tuple[int, int]] = {}
        self._wake = threading.Condition(self.lock)
        self._stopping = False
        self._producer: threading.Thread | None = None

    # Block production

    def _next_time_ns(self) -> int:
        now = int(self.clock() * NANOS) + self.time_offset_ns
        return max(now, self.app.last_time_ns + 1)

    def produce_block(self, time_ns: int | None = None) -> BlockRecord:
        """Finalize and commit a block of every waiting tx (at ``time_ns`` or now)."""
        with self.lock:
            txs, self.mempool = self.mempool, []
            block_time = (
                self._next_time_ns() if time_ns is None else max(time_ns, self.app.last_time_ns + 1)
            )
            result = self.app.finalize_block(block_time, txs)
            app_hash = self.app.commit()
            record = BlockRecord(
                height=result.height,
                time_ns=result.time_ns,
                txs=result.txs,
                results=result.tx_results,
                events=result.events,
                app_hash=app_hash,
            )
            self.blocks[record.height] = record
            for index, tx_result in enumerate(record.results):
                self.tx_index[tx_result.hash] = (record.height, index)
            self._wake.notify_all()
            return record

    def start(self) -> None:
        """Start the producer thread."""
        self._producer = threading.Thread(target=self._produce, name="block-producer", daemon=True)
        self._producer.start()

    def stop(self) -> None:
        with self.lock:
            self._stopping = True
            self._wake.notify_all()
        if self._producer is not None:
            self._producer.join(timeout=5)

    def _produce(self) -> None:
        with self.lock:
            while not self._stopping:
                if self.block_time > 0:
                    self._wake.wait(timeout=self.block_time)
                    if not self._stopping:
                        self.produce_block()
                elif self.mempool:
                    self.produce_block()
                else:
                    self._wake.wait()

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
                self._wake.notify_all()
            return result

    def find_tx(self, tx_hash: str) -> tuple[BlockRecord, int] | None:
        with self.lock:
            location = self.tx_index.get(tx_hash.upper())
            if location is None:
                return None
            return self.blocks[location[0]], location[1]

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
            with self.lock:
                return self.app.query(method, request)

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
