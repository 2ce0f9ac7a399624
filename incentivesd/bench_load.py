"""Load figures: ``incentivesd load`` with 1, 4 and 16 clients against a node process.

Each run starts a fresh ``incentivesd start`` on a temporary home (SQLite, ``synchronous=FULL``,
free loopback ports) and drives ``TXS`` pre-signed sends through ``run_load``; a fourth run uses a
node with an 8-tx mempool to show 'mempool is full' rejections (retried, nothing lost). Every
figure is committed tx/s with its p50/p99 inclusion latency; the reference, measured in the same
run, is in-process ``finalize_block`` + ``commit`` of as many pre-signed sends in one block (the
app alone, without the network, the mempool or the disk).

Fails when: a node does not start, or an accepted tx was lost (``RuntimeError``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from incentivesd.bench_chain import finalize_rate
from incentivesd.load import LoadReport, run_load

TXS = 1_500
CLIENTS = (1, 4, 16)
Figure = dict[str, object]


def _load_on_node(clients: int, txs: int, mempool_size: int) -> LoadReport:
    executable = str(Path(sys.executable).with_name("incentivesd"))
    with tempfile.TemporaryDirectory() as home:
        command = [executable, "start", "--home", home, "--mempool-size", str(mempool_size)]
        for flag in ("--grpc-address", "--rpc-address", "--api-address"):
            command += [flag, "127.0.0.1:0"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert process.stdout is not None
            banner = {}
            for line in process.stdout:
                key, _, value = line.partition(":")
                banner[key.strip()] = value.strip()
                if key == "REST":
                    break
            if "RPC" not in banner:
                raise RuntimeError("the node did not start")
            return run_load(f"grpc+http://{banner['gRPC']}", banner["RPC"], clients, txs, 120)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a node that ignores SIGTERM is not left running
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _figure(name: str, report: LoadReport, reference: float) -> Figure:
    if report.lost or report.committed != report.planned:
        raise RuntimeError(f"{name}: {report.committed}/{report.planned}, lost {report.lost}")
    figures = report.to_json()
    return {
        "figure": name,
        "value": figures["committed_tx_per_s"],
        "unit": "tx/s",
        "reference": "in_process_finalize_tx_per_s",
        "reference_value": round(reference, 1),
        "ratio": round(report.tx_per_s / reference, 3),
        "txs": report.planned,
        "latency_p50_ms": figures["latency_p50_ms"],
        "latency_p99_ms": figures["latency_p99_ms"],
        "rejected": figures["rejected"],
        "lost": len(report.lost),
    }


def bench_load(txs: int = TXS) -> list[Figure]:
    reference = finalize_rate(txs)
    figures = [
        _figure(f"load_{clients}_clients_tx_per_s", _load_on_node(clients, txs, 5_000), reference)
        for clients in CLIENTS
    ]
    full = _load_on_node(4, txs, 8)
    figures.append(_figure("load_4_clients_mempool_8_tx_per_s", full, reference))
    return figures
