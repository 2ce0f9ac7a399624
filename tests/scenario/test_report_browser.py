"""The HTML report, rendered by headless Chromium: every plot is laid out with its data marks, and
the page loads nothing from the network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from incentivesd.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _render(report: Path, profile: Path) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    return result.stdout


def _report(small_scenario_file: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        main, ["sim", "scenario", str(small_scenario_file), "--runs", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out / "report.html"


def test_report_is_self_contained(small_scenario_file: Path, tmp_path: Path) -> None:
    html = _report(small_scenario_file, tmp_path / "out").read_text()
    assert not re.search(r"https?://|src=|href=|@import|url\(", html)
    plots = re.findall(r'<svg class="plot" data-figure="([^"]+)" data-marks="(\d+)"', html)
    assert {name for name, _ in plots} >= {
        "burn_down",
        "cost_per_gpu_hour",
        "payout_histogram_committed",
        "rule_comparison_histogram",
        "rule_comparison_inequality",
        "sybil",
        "price",
    }
    assert all(int(marks) > 0 for _, marks in plots)


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs the Debian package)"
)
def test_chromium_renders_every_plot(small_scenario_file: Path, tmp_path: Path) -> None:
    report = _report(small_scenario_file, tmp_path / "out")
    dom = _render(report, tmp_path / "profile")
    plots = re.findall(r"<svg [^>]*class=\"plot\"[^>]*>", dom)
    assert len(plots) >= 10
    rendered = re.search(r'<body[^>]*data-plots-rendered="(\d+)"', dom)
    assert rendered is not None, "the report's script did not run"
    assert int(rendered.group(1)) == len(plots)
    total = 0
    for tag in plots:
        marks = re.search(r'data-marks="(\d+)"', tag)
        drawn = re.search(r'data-rendered-marks="(\d+)"', tag)
        assert marks is not None, tag
        assert drawn is not None, tag
        assert int(drawn.group(1)) == int(marks.group(1)) > 0, tag
        total += int(marks.group(1))
    assert dom.count('class="mark"') == total
