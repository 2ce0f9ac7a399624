"""``incentivesd load`` against an in-process localnet: every accepted tx is committed, a tiny
mempool shows up as retried 'mempool is full' rejections and loses nothing, client accounts
beyond the funded dev accounts are funded first, and non-loopback hosts are refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chain.server.localnet import Localnet
from incentivesd.bench_load import bench_load
from incentivesd.cli import main


def load(net: Localnet, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "load",
            "--node",
            net.grpc_url,
            "--rpc",
            f"http://127.0.0.1:{net.port_of('rpc')}",
            "--settle",
            "20",
            *options,
        ],
    )
    return result.exit_code, result.output


def test_every_accepted_tx_is_committed_and_reported(localnet: Localnet) -> None:
    start_height = localnet.app.last_height
    code, output = load(localnet, "--clients", "2", "--txs", "30", "-o", "json")
    assert code == 0, output
    report = json.loads(output)
    assert report["sent"] == report["accepted"] == report["committed"] == 30
    assert (report["lost"], report["rejected"], report["failed_in_block"]) == ([], {}, {})
    assert report["committed_tx_per_s"] > 0
    assert 0 < report["latency_p50_ms"] <= report["latency_p99_ms"]
    assert report["blocks"] >= 1
    committed = sum(
        len(block.txs) for height, block in localnet.node.blocks.items() if height > start_height
    )
    assert committed == 30


def test_a_tiny_mempool_rejects_with_mempool_full_and_loses_nothing(localnet: Localnet) -> None:
    localnet.node.mempool_size = 2
    # 12 clients: accounts 10 and 11 are not in the genesis; account 0 funds them first.
    code, output = load(localnet, "--clients", "12", "--txs", "48", "-o", "json")
    assert code == 0, output
    report = json.loads(output)
    assert report["committed"] == report["accepted"] == 48
    assert report["rejected"]["sdk/20 mempool is full"] == report["mempool_full_retries"] > 0
    assert report["sent"] == 48 + report["mempool_full_retries"]
    assert report["max_block_txs"] <= 2
    assert (report["lost"], report["stopped_clients"]) == ([], 0)


def test_the_duration_bounds_the_run_and_what_was_accepted_still_commits(
    localnet: Localnet,
) -> None:
    localnet.node.mempool_size = 1
    code, output = load(
        localnet, "--clients", "2", "--txs", "400", "--duration", "0.2", "-o", "json"
    )
    assert code == 0, output
    report = json.loads(output)
    assert 0 < report["accepted"] < 400
    assert report["committed"] == report["accepted"]
    assert report["lost"] == []


def test_text_output_and_non_loopback_hosts(localnet: Localnet) -> None:
    code, output = load(localnet, "--clients", "1", "--txs", "3")
    assert code == 0, output
    assert "3/3 committed by 1 clients" in output
    assert "lost (accepted, never included): 0" in output
    result = CliRunner().invoke(
        main, ["load", "--node", "grpc+http://192.0.2.1:9090", "--rpc", "http://127.0.0.1:1"]
    )
    assert result.exit_code == 1
    assert "refusing to load a non-loopback host: 192.0.2.1" in result.output


@pytest.mark.slow  # four node processes
def test_the_load_bench_reports_every_client_count_against_its_reference() -> None:
    figures = bench_load(txs=40)
    assert [figure["figure"] for figure in figures] == [
        "load_1_clients_tx_per_s",
        "load_4_clients_tx_per_s",
        "load_16_clients_tx_per_s",
        "load_4_clients_mempool_8_tx_per_s",
    ]
    for figure in figures:
        assert (figure["lost"], figure["txs"]) == (0, 40)
        assert figure["reference"] == "in_process_finalize_tx_per_s"
        assert isinstance(figure["value"], float)
        assert figure["value"] > 0
        assert 0 < figure["latency_p50_ms"] <= figure["latency_p99_ms"]
