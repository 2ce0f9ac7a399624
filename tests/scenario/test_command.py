"""``incentivesd sim scenario``: every figure is written (CSV, JSON, HTML report), the same seed
writes the same bytes, and text mode shows a progress bar and the tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from incentivesd.cli import main
from tests.scenario.conftest import SCENARIOS

FIGURES = {
    "burn_down",
    "spend",
    "cost_per_gpu_hour",
    "payout_distribution",
    "payout_histogram_committed",
    "payout_histogram_liquidity-mining",
    "payout_histogram_next-gen-rnd",
    "payout_histogram_all-pools",
    "rule_comparison",
    "rule_comparison_histogram",
    "sybil",
    "price",
}


def _run(scenario: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        main, ["sim", "scenario", str(scenario), "--runs", "3", "--out", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_every_output_is_written(small_scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    summary = json.loads(_run(small_scenario_file, out, "-o", "json"))
    expected = {f"{name}.{ext}" for name in FIGURES for ext in ("csv", "json")}
    expected |= {"report.html", "summary.json"}
    assert set(summary["files"]) == expected
    assert {path.name for path in out.iterdir()} == expected
    assert summary["runs"] == 3
    assert summary["pools"] == ["committed", "liquidity-mining", "next-gen-rnd"]
    for name in FIGURES:
        figure = json.loads((out / f"{name}.json").read_text())
        with (out / f"{name}.csv").open() as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == figure["columns"]
        assert len(rows) - 1 == len(figure["rows"]) > 0
    spend = {row["pool"]: row for row in summary["figures"]["spend"]}
    liquidity = spend["liquidity-mining"]
    assert liquidity["spent_akt_p50"] + liquidity["returned_akt_p50"] == liquidity["budget_akt"]
    costs = {row["pool"]: row for row in summary["figures"]["cost_per_gpu_hour"]}
    assert 0.98 <= costs["committed"]["usd_per_gpu_hour_p50"] <= 2.49
    distribution = summary["figures"]["payout_distribution"]
    assert all(0 <= row["gini_p50"] < 1 and 0 < row["top10_share_p50"] <= 1 for row in distribution)
    comparison = [row["payouts"] for row in summary["figures"]["rule_comparison"]]
    assert comparison == [
        "today",
        "fixed_rate",
        "pro_rata",
        "availability_wallet_count",
        "availability_node_rank",
    ]
    assert len(summary["figures"]["sybil"]) == 4 * 5
    burn = json.loads((out / "burn_down.json").read_text())
    assert len(burn["rows"]) == 12 + 1


def test_same_seed_same_bytes(small_scenario_file: Path, tmp_path: Path) -> None:
    first = _run(small_scenario_file, tmp_path / "a", "-o", "json", "--seed", "9")
    second = _run(small_scenario_file, tmp_path / "b", "-o", "json", "--seed", "9")
    other = _run(small_scenario_file, tmp_path / "c", "-o", "json", "--seed", "10")
    strip = lambda text: {k: v for k, v in json.loads(text).items() if k != "out"}  # noqa: E731
    assert strip(first) == strip(second)
    assert first.replace(str(tmp_path / "a"), "") == second.replace(str(tmp_path / "b"), "")
    assert strip(first)["figures"] != strip(other)["figures"]
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_venice_take_up_figure(tmp_path: Path) -> None:
    out = tmp_path / "venice"
    summary = json.loads(_run(SCENARIOS / "venice-opt-in.yaml", out, "-o", "json"))
    assert "take_up_network-expansion.csv" in summary["files"]
    take_up = json.loads((out / "take_up_network-expansion.json").read_text())
    shares = [row[0] for row in take_up["rows"]]
    assert shares == sorted(shares)
    assert len(shares) == 3


def test_text_mode_shows_progress_and_tables(small_scenario_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["sim", "scenario", str(small_scenario_file), "--runs", "2", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "aep26-pilot: 2 runs" in result.stderr
    assert "Spend and unspent return to the community pool" in result.stdout
    assert "Sybil study" in result.stdout
    assert f"report: {tmp_path / 'report.html'}" in result.stdout
