"""Node figures: start-up, block commit, idle-block skipping and gRPC broadcast throughput.

Each figure is measured against a reference taken in the same run:

- ``start_to_grpc_s``: a cold ``incentivesd start`` process until gRPC answers; reference: a cold
  Python process importing cosmpy's client (what any client pays to start);
- ``in_process_localnet_ms``: ``start_localnet`` of a prepared genesis until gRPC answers;
  reference: ``devnet_genesis()`` (building the genesis the fixture starts from);
- ``one_tx_block_commit_ms`` (median): ``produce_block`` with one signed send, persisted to
  SQLite; reference: the median empty block;
- ``advance_10000_idle_blocks_s``: ``Node.advance(num_blocks=10_000)``; reference: 10,000 times
  the median empty block (what running every block would cost);
- ``grpc_broadcast_4_clients_tx_per_s``: pre-signed sends broadcast over gRPC from 4 threads
  of a client process until all are committed; reference: in-process ``finalize_block`` of the
  same number of txs (decoded and verified from scratch).
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import grpc
from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2 as tendermint_query
from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2_grpc as tendermint_grpc
from cosmpy.protos.cosmos.tx.v1beta1 import service_pb2, service_pb2_grpc
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, TxRaw

from chain.app import App
from chain.devnet import devnet_genesis
from chain.server.localnet import start_localnet
from chain.server.node import Node
from chain.server.persistence import ChainDB
from incentivesd.bench_chain import finalize_rate, signed_sends

Figure = dict[str, object]


def _figure(name: str, value: float, unit: str, reference: str, reference_value: float) -> Figure:
    return {
        "figure": name,
        "value": round(value, 4),
        "unit": unit,
        "reference": reference,
        "reference_value": round(reference_value, 4),
        "ratio": round(value / reference_value, 3) if reference_value else None,
    }


def _wait_for_grpc(target: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    # Reconnect every 10 ms: with gRPC's default back-off (1 s and up) a refused first attempt
    # would be measured, not the node.
    backoff = [
        ("grpc.initial_reconnect_backoff_ms", 10),
        ("grpc.min_reconnect_backoff_ms", 10),
        ("grpc.max_reconnect_backoff_ms", 10),
    ]
    with grpc.insecure_channel(target, options=backoff) as channel:
        stub = tendermint_grpc.ServiceStub(channel)
        while True:
            try:
                stub.GetNodeInfo(tendermint_query.GetNodeInfoRequest(), timeout=1)
                return
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)


def bench_start() -> list[Figure]:
    """A cold ``incentivesd start`` until its gRPC answers, and the in-process localnet."""
    executable = str(Path(sys.executable).with_name("incentivesd"))
    with tempfile.TemporaryDirectory() as home:
        port = "127.0.0.1:19390"
        begin = time.perf_counter()
        process = subprocess.Popen(
            [
                executable,
                "start",
                "--home",
                home,
                "--grpc-address",
                port,
                "--rpc-address",
                "127.0.0.1:0",
                "--api-address",
                "127.0.0.1:0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        try:
            _wait_for_grpc(port)
            started = time.perf_counter() - begin
        finally:
            process.terminate()
            process.wait(timeout=10)
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cosmpy.aerial.client"], check=True)
    python_import = time.perf_counter() - begin
    begin = time.perf_counter()
    genesis = devnet_genesis(genesis_time=int(time.time()))
    genesis_seconds = time.perf_counter() - begin
    begin = time.perf_counter()
    net = start_localnet(genesis, grpc_address="127.0.0.1:0")
    _wait_for_grpc(net.grpc_target)
    in_process = time.perf_counter() - begin
    net.stop()
    return [
        _figure("start_to_grpc_s", started, "s", "python_import_cosmpy_s", python_import),
        _figure(
            "in_process_localnet_ms",
            in_process * 1000,
            "ms",
            "devnet_genesis_ms",
            genesis_seconds * 1000,
        ),
    ]


def bench_blocks(blocks: int = 200) -> list[Figure]:
    """Median one-tx and empty block commits (persisted), and skipping 10,000 idle blocks."""
    with tempfile.TemporaryDirectory() as home:
        app = App()
        app.init_chain(devnet_genesis(genesis_time=int(time.time())))
        node = Node(app, db=ChainDB(Path(home) / "state.db"))
        txs, _ = signed_sends(app, blocks)
        empty, one_tx = [], []
        for tx in txs:
            begin = time.perf_counter()
            node.produce_block()
            empty.append(time.perf_counter() - begin)
            node.mempool.append(tx)
            begin = time.perf_counter()
            node.produce_block()
            one_tx.append(time.perf_counter() - begin)
        empty_median = statistics.median(empty)
        begin = time.perf_counter()
        node.advance(num_blocks=10_000)
        skipped = time.perf_counter() - begin
        node.stop()
    return [
        _figure(
            "one_tx_block_commit_ms",
            statistics.median(one_tx) * 1000,
            "ms",
            "empty_block_commit_ms",
            empty_median * 1000,
        ),
        _figure(
            "advance_10000_idle_blocks_s",
            skipped,
            "s",
            "run_every_block_s",
            empty_median * 10_000,
        ),
    ]


def _client_process(
    target: str, lanes: list[list[bytes]], ready: Any, go: Any, failures: Any
) -> None:
    """The clients: one thread per lane, each on its own channel, sending its txs in order
    (BROADCAST_MODE_SYNC) once ``go`` is set; rejections go to ``failures``."""
    channels = [grpc.insecure_channel(target) for _ in lanes]
    for channel in channels:
        grpc.channel_ready_future(channel).result(timeout=30)

    def send(channel: grpc.Channel, lane: list[bytes]) -> None:
        stub = service_pb2_grpc.ServiceStub(channel)
        for tx in lane:
            reply = stub.BroadcastTx(
                service_pb2.BroadcastTxRequest(tx_bytes=tx, mode=service_pb2.BROADCAST_MODE_SYNC)
            )
            if reply.tx_response.code:
                failures.put(reply.tx_response.raw_log)

    threads = [
        threading.Thread(target=send, args=(channel, lane))
        for channel, lane in zip(channels, lanes, strict=True)
    ]
    ready.set()
    go.wait()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for channel in channels:
        channel.close()


def bench_broadcast(count: int = 2_000, clients: int = 4) -> list[Figure]:
    """Committed tx/s of pre-signed sends broadcast over gRPC by ``clients`` threads of a
    client process (clients do not share the node's interpreter, as real clients do not)."""
    genesis = devnet_genesis(genesis_time=int(time.time()))
    net = start_localnet(genesis, grpc_address="127.0.0.1:0")
    txs, _ = signed_sends(net.app, count)
    by_sender: dict[bytes, list[bytes]] = defaultdict(list)
    for tx in txs:
        info = AuthInfo.FromString(TxRaw.FromString(tx).auth_info_bytes)
        by_sender[info.signer_infos[0].public_key.value].append(tx)
    lanes: list[list[bytes]] = [[] for _ in range(clients)]
    for index, key in enumerate(sorted(by_sender)):
        lanes[index % clients].extend(by_sender[key])
    spawn = multiprocessing.get_context("spawn")
    ready, go, failures = spawn.Event(), spawn.Event(), spawn.Queue()
    process = spawn.Process(
        target=_client_process, args=(net.grpc_target, lanes, ready, go, failures)
    )
    process.start()
    ready.wait(timeout=60)
    begin = time.perf_counter()
    go.set()
    deadline = time.monotonic() + 120
    while len(net.node.tx_index) < count and time.monotonic() < deadline:
        time.sleep(0.002)
    seconds = time.perf_counter() - begin
    process.join(timeout=60)
    committed = len(net.node.tx_index)
    net.stop()
    rejected = []
    while not failures.empty():
        rejected.append(failures.get())
    if rejected or committed < count:
        raise RuntimeError(f"{len(rejected)} rejected, {committed}/{count} committed")
    reference = finalize_rate(count, genesis)
    return [
        _figure(
            "grpc_broadcast_4_clients_tx_per_s",
            count / seconds,
            "tx/s",
            "in_process_finalize_tx_per_s",
            reference,
        )
    ]
