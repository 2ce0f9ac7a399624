"""``incentivesd sim run`` and ``sim replay``: the seeded randomized simulation of the module.

``sim run --seed S --blocks N`` builds a random world from ``S``, runs ``N`` blocks of random
valid and invalid Msgs over ``SimApp`` and checks every invariant after every block. It prints
JSON (``-o json``, default) or a table with a progress bar (``-o text``). On a violation it
reports the seed, block and last op, writes the op log (JSON lines) to ``--log`` (default
``sim-failure-<seed>.jsonl``) and exits with status 1. An explicit ``--log`` is written on
success too, so any run can be replayed. ``sim replay FILE`` re-runs a log exactly and prints
the same report (same app hash).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from incentivesd.simulation import Report, log_lines, replay, simulate


def _print_report(report: Report, output: str) -> None:
    if output == "json":
        click.echo(json.dumps(report.to_json(), sort_keys=True))
        return
    width = max(len(name) for name in report.ops)
    click.echo(f"{'op':<{width}}  {'ok':>8}  {'failed':>8}")
    for name in sorted(report.ops):
        counts = report.ops[name]
        click.echo(f"{name:<{width}}  {counts['ok']:>8}  {counts['failed']:>8}")
    click.echo(f"seed {report.seed}, blocks {report.blocks}")
    click.echo(f"executed {report.executed}, failed {report.failed}")
    click.echo(f"app hash {report.app_hash}")
    click.echo(f"invariant violations {len(report.violations)}")


def _report_violation(report: Report) -> None:
    last = None if report.last_op is None else json.dumps(report.last_op.to_json(), sort_keys=True)
    click.echo(
        f"violation: seed {report.seed}, block {report.violation_block}: "
        + "; ".join(report.violations),
        err=True,
    )
    click.echo(f"last op: {last}", err=True)


@click.command(name="run")
@click.option("--seed", type=int, required=True, help="Seed of every random choice.")
@click.option("--blocks", type=click.IntRange(min=1), required=True, help="Blocks to run.")
@click.option(
    "--ops-per-block", type=click.IntRange(min=0), default=10, show_default=True,
    help="Random operations per block.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Op log (JSON lines); default sim-failure-<seed>.jsonl, written on a violation.",
)
def run_command(
    seed: int, blocks: int, ops_per_block: int, output: str, log_path: Path | None
) -> None:
    """Run a seeded randomized simulation of the incentives module and check its invariants."""
    if output == "text":
        with click.progressbar(length=blocks, label="blocks", file=sys.stderr) as bar:
            report, genesis, log = simulate(seed, blocks, ops_per_block, lambda _: bar.update(1))
    else:
        report, genesis, log = simulate(seed, blocks, ops_per_block)
    if log_path is not None or report.violations:
        path = log_path if log_path is not None else Path(f"sim-failure-{seed}.jsonl")
        path.write_text("\n".join(log_lines(seed, genesis, log)) + "\n", encoding="utf-8")
        if report.violations:
            click.echo(f"op log written to {path}", err=True)
    _print_report(report, output)
    if report.violations:
        _report_violation(report)
        sys.exit(1)


@click.command(name="replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Choice(["json", "text"]), default="json", show_default=True
)
def replay_command(file: Path, output: str) -> None:
    """Replay an op log written by ``sim run`` exactly and report as ``sim run`` does."""
    report = replay(file.read_text(encoding="utf-8").splitlines())
    _print_report(report, output)
    if report.violations:
        _report_violation(report)
        sys.exit(1)
