"""The simulation benchmark reports one figure per ops-per-block setting with its same-run
bank-send-only reference (sizes kept small: speed is judged by ``scripts/bench``)."""

from __future__ import annotations

from incentivesd.bench_sim import bench_sim


def test_sim_figures_have_references() -> None:
    figures = bench_sim(((4, 5), (12, 2)), repeat=1)
    assert [figure["figure"] for figure in figures] == [
        "sim_ops_per_s_4_per_block",
        "sim_ops_per_s_12_per_block",
    ]
    for figure, (ops_per_block, blocks) in zip(figures, ((4, 5), (12, 2)), strict=True):
        assert figure["reference"] == "sim_bank_send_only_ops_per_s"
        assert figure["reference_value"] > 0
        assert figure["ratio"] > 0
        assert 0 < figure["ops"] <= ops_per_block * blocks
        assert figure["blocks"] == blocks
