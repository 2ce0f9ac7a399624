"""The benchmarks run and report every figure with its same-run reference (sizes kept small
here: speed is judged by ``scripts/bench``, never by tests)."""

from __future__ import annotations

from incentivesd.bench_chain import bench_finalize
from incentivesd.bench_messages import bench_messages
from incentivesd.bench_node import bench_blocks, bench_broadcast

KEYS = {"figure", "value", "unit", "reference", "reference_value", "ratio"}


def test_message_figures_have_references() -> None:
    figures = bench_messages(100)
    assert [figure["figure"] for figure in figures] == [
        "msg_register_us",
        "msg_join_us",
        "msg_attest_us",
        "msg_claim_us",
    ]
    assert all(set(figure) >= KEYS for figure in figures)


def test_chain_and_node_figures_have_references() -> None:
    figures = [*bench_finalize(50), *bench_blocks(5), *bench_broadcast(40)]
    assert {figure["figure"] for figure in figures} == {
        "finalize_block_bank_sends_tx_per_s",
        "finalize_block_distinct_sends_tx_per_s",
        "one_tx_block_commit_ms",
        "advance_10000_idle_blocks_s",
        "grpc_broadcast_4_clients_tx_per_s",
    }
    assert all(set(figure) >= KEYS for figure in figures)
