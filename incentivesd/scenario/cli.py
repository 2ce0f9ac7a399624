"""``incentivesd sim scenario SCENARIO.yaml``: run an economic scenario and write its report.

Loads and validates the scenario (``spec``), runs the Monte Carlo batch, the per-rule comparison
and the sybil study (``monte_carlo``), writes ``report.html`` and the CSV/JSON figures to
``--out`` (default ``scenario-reports/<name>``) and prints the summary: JSON (``-o json``) or
tables with a progress bar on stderr (``-o text``).

Fails when: the scenario file is unreadable or invalid, or the output directory cannot be
written: ``Error: ...`` on stderr and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from incentivesd.scenario.monte_carlo import Outcome, run_monte_carlo
from incentivesd.scenario.report import SUMMARY_FIGURES, records, summary, write_report
from incentivesd.scenario.spec import ScenarioError, load_scenario
from incentivesd.tables import render_table


def _print_text(outcome: Outcome, out_dir: Path) -> None:
    by_name = {figure.name: figure for figure in outcome.figures}
    for name in SUMMARY_FIGURES:
        figure = by_name[name]
        click.echo(f"\n{figure.title}")
        rows = [
            {
                key: (f"{value:.4g}" if isinstance(value, float) else value)
                for key, value in row.items()
            }
            for row in records(figure)
        ]
        click.echo(render_table(rows))
    click.echo(f"\nreport: {out_dir / 'report.html'}")


@click.command("scenario")
@click.argument("scenario_file", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False))
@click.option(
    "--runs", type=click.IntRange(1, 100_000), help="Monte Carlo runs (default: the file's)."
)
@click.option(
    "--seed", type=click.IntRange(0), help="Seed of every random draw (default: the file's)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Directory for report.html and the figures (default: scenario-reports/<name>).",
)
@click.option(
    "-o", "--output", type=click.Choice(["json", "text"]), default="text", show_default=True
)
def scenario_command(
    scenario_file: str, runs: int | None, seed: int | None, out_dir: str | None, output: str
) -> None:
    """Simulate an incentive scenario (Monte Carlo) and write an HTML report with its figures."""
    try:
        scenario = load_scenario(scenario_file)
    except ScenarioError as error:
        raise click.ClickException(str(error)) from None
    runs = scenario.runs if runs is None else runs
    seed = scenario.seed if seed is None else seed
    target = Path(out_dir) if out_dir else Path("scenario-reports") / scenario.name
    if output == "text":
        with click.progressbar(
            length=scenario.epochs, label=f"{scenario.name}: {runs} runs", file=sys.stderr
        ) as bar:
            outcome = run_monte_carlo(scenario, runs, seed, progress=bar.update)
    else:
        outcome = run_monte_carlo(scenario, runs, seed)
    try:
        files = write_report(outcome, target)
    except OSError as error:
        raise click.ClickException(f"cannot write the report to {target}: {error}") from None
    if output == "json":
        click.echo(json.dumps({**summary(outcome, files), "out": str(target)}, sort_keys=True))
    else:
        _print_text(outcome, target)
