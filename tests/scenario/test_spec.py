"""Scenario files: the checked-in ones load; bad ones fail with a message naming the field, and the
command prints it without a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from incentivesd.cli import main
from incentivesd.scenario.spec import ScenarioError, load_scenario, parse_scenario
from tests.scenario.conftest import SCENARIOS, small_document


@pytest.mark.parametrize(
    "name", ["aep26-pilot.yaml", "render-availability.yaml", "venice-opt-in.yaml"]
)
def test_checked_in_scenarios_load(name: str) -> None:
    scenario = load_scenario(SCENARIOS / name)
    assert scenario.pools
    assert scenario.epochs >= 1


def test_aep26_pools_are_the_proposals() -> None:
    scenario = load_scenario(SCENARIOS / "aep26-pilot.yaml")
    assert [pool.rule for pool in scenario.pools] == ["fixed_rate", "pro_rata", "availability"]
    committed = scenario.pools[0]
    assert committed.rates_usd_per_gpu_hour == {"h100": 2.49, "a100-80gb": 1.69, "rtxa6000": 0.98}
    assert committed.max_gpus == {"h100": 83, "a100-80gb": 54, "rtxa6000": 105}
    assert committed.budget_uakt(3.0) == int(3_500_000 / 3.0 * 10**6)
    assert scenario.epochs == 120


def _broken(change: Any) -> dict[str, Any]:
    document = small_document()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(surprise=1), "surprise: Extra inputs are not permitted"),
        (
            lambda d: d["population"]["gpu_mix"][0].update(model="gtx480"),
            "population.gpu_mix.0: unknown GPU model 'gtx480'",
        ),
        (
            lambda d: d["pools"][0].pop("rates_usd_per_gpu_hour"),
            "pools.0: a fixed_rate pool needs rates_usd_per_gpu_hour",
        ),
        (
            lambda d: d["pools"][1].pop("emission_per_epoch_akt"),
            "pools.1: a pro_rata pool needs emission_per_epoch_akt",
        ),
        (
            lambda d: d["pools"][2].update(name="committed"),
            "pool names repeat",
        ),
        (lambda d: d.update(epochs=0), "epochs: Input should be greater than or equal to 1"),
        (
            lambda d: d["pools"][2]["availability"].update(penalty_mode="per_gpu"),
            "pools.2.availability.penalty_mode",
        ),
        (
            lambda d: d["pools"][2]["availability"].update(penalty_decay="1e3"),
            "penalty_decay: not a number: '1e3'",
        ),
        (
            lambda d: d["pools"][1].update(budget_akt=5, budget_usd=5),
            "give budget_akt or budget_usd, not both",
        ),
        (
            lambda d: d["population"].update(initial_age_days=[9, 3]),
            "initial_age_days must be [low, high]",
        ),
    ],
)
def test_invalid_scenarios_name_the_field(change: Any, message: str) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_scenario(_broken(change), "s.yaml")
    assert str(error.value).startswith("s.yaml: ")
    assert message in str(error.value)


def test_redirect_take_up_must_be_ordered(tmp_path: Path) -> None:
    document = yaml.safe_load((SCENARIOS / "venice-opt-in.yaml").read_text())
    document["pools"][0]["redirect"]["take_up"] = [0.5, 0.1]
    with pytest.raises(ScenarioError, match="take_up must be"):
        parse_scenario(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [unclosed", "not YAML"),
        ("- just\n- a list\n", "Input should be a valid dictionary"),
    ],
)
def test_command_reports_bad_files_without_traceback(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["sim", "scenario", str(path), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert message in result.output
    assert result.output.startswith(f"Error: {path}")


def test_command_reports_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sim", "scenario", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read" in result.output
