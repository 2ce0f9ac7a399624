"""The scenario benchmark reports each figure with its same-run reference, and the vectorized
rules it times pay what the exact path pays (sizes kept small: speed is judged by
``scripts/bench``, never by tests)."""

from __future__ import annotations

from incentivesd.bench_scenario import bench_scenario

KEYS = {"figure", "value", "unit", "reference", "reference_value", "ratio"}


def test_scenario_figures() -> None:
    figures = bench_scenario(nodes=1500, epochs=4, runs=3)
    assert [figure["figure"] for figure in figures] == [
        "scenario_vectorized_vs_exact_fixed_rate",
        "scenario_vectorized_vs_exact_pro_rata",
        "scenario_vectorized_vs_exact_availability_wallet_count",
        "scenario_vectorized_vs_exact_availability_node_rank",
        "scenario_model_s",
        "scenario_full_s",
    ]
    assert all(set(figure) >= KEYS for figure in figures)
    assert all(figure["max_abs_diff_uakt"] <= 1 for figure in figures[:4])
    assert all(figure["value"] > 0 and figure["ratio"] > 0 for figure in figures)
