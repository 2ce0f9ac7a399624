"""Shared scenario fixtures: the checked-in scenario files and a small test scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

SCENARIOS = Path(__file__).resolve().parents[2] / "localnet" / "scenarios"


def small_document() -> dict[str, Any]:
    """The AEP-26 pilot scaled down: 60 initial nodes, 12 epochs."""
    document: dict[str, Any] = yaml.safe_load((SCENARIOS / "aep26-pilot.yaml").read_text())
    document["population"]["nodes"] = 60
    document["epochs"] = 12
    for pool in document["pools"]:
        if "emission_per_epoch_akt" in pool:
            pool["emission_per_epoch_akt"] = 20_000.0
    return document


@pytest.fixture
def small_scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small_document()))
    return path
