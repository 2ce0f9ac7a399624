"""``incentivesd sim run``, ``sim replay`` and ``sim shrink``: the seeded randomized simulation.

``sim run --seed S --blocks N`` draws a random genesis from ``S`` and runs ``N`` blocks of random
valid and invalid signed txs over every Msg of every module through the real app, checking
every invariant after every block. It prints JSON (``-o json``, default) or a table with a
progress bar (``-o text``). On a violation it reports the seed, block and last op, writes the
op log (JSON lines) to ``--log`` (default ``sim-failure-<seed>.jsonl``), with ``--shrink`` also
a minimal failing log beside it (``.min.jsonl``), and exits with status 1. An explicit ``--log``
is written on success too, so any run can be replayed. ``--export-at K`` exports the state
after block K, imports it into a fresh app and runs the rest of the blocks on both, which must
agree. ``sim replay FILE`` re-runs a log exactly and prints the same report (same app hash);
``sim shrink FILE`` narrows a failing log to a minimal failing one.

Fails when: a file is not an op log (a message, exit 2); a run breaks a rule (exit 1).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from incentivesd.simulation import OpLog, Report, replay, simulate
from incentivesd.simulation.shrink import ShrinkResult, shrink

OUTPUT = click.option(
    "-o", "--output", type=click.Choice(["json", "text"]), default="json", show_default=True
)
HASHES = click.option("--hashes", is_flag=True, help="Include the app hash of every block.")


def _print_report(report: Report, output: str, hashes: bool = False) -> None:
    if output == "json":
        click.echo(json.dumps(report.to_json(hashes), sort_keys=True))
        return
    names = [*report.ops, *(f"gov-exec {name}" for name in report.proposal_msgs)] or ["op"]
    width = max(len(name) for name in names)
    click.echo(f"{'op':<{width}}  {'ok':>8}  {'failed':>8}")
    for name in sorted(report.ops):
        counts = report.ops[name]
        click.echo(f"{name:<{width}}  {counts['ok']:>8}  {counts['failed']:>8}")
    for name in sorted(report.proposal_msgs):
        counts = report.proposal_msgs[name]
        click.echo(f"{'gov-exec ' + name:<{width}}  {counts['ok']:>8}  {counts['failed']:>8}")
    proposals = ", ".join(f"{k} {v}" for k, v in sorted(report.proposals.items())) or "none"
    click.echo(f"proposals: {proposals}")
    click.echo(f"seed {report.seed}, blocks {report.blocks}")
    click.echo(f"executed {report.executed}, failed {report.failed}")
    if report.export_check is not None:
        check = report.export_check
        click.echo(
            f"export at block {check['at']}: re-export identical {check['roundtrip_identical']},"
            f" final app hash match {check['final_app_hash_match']}"
        )
    click.echo(f"app hash {report.app_hash}")
    if hashes:
        for number, app_hash in enumerate(report.app_hashes, start=1):
            click.echo(f"block {number} {app_hash}")
    click.echo(f"invariant violations {len(report.violations)}")


def _report_violation(report: Report) -> None:
    last = None if report.last_op is None else json.dumps(report.last_op.to_json(), sort_keys=True)
    click.echo(
        f"violation: seed {report.seed}, block {report.violation_block}: "
        + "; ".join(report.violations),
        err=True,
    )
    click.echo(f"last op: {last}", err=True)


def _read_log(path: Path) -> OpLog:
    try:
        return OpLog.parse(path.read_text(encoding="utf-8").splitlines())
    except (ValueError, KeyError, TypeError, StopIteration) as error:
        raise click.UsageError(f"{path} is not an op log: {error}") from None


def _shrunk_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".jsonl") + ".min.jsonl")


def _shrink_summary(result: ShrinkResult, path: Path) -> dict[str, object]:
    return {
        "original_blocks": result.original_blocks,
        "original_ops": result.original_ops,
        "blocks": len(result.log.blocks),
        "ops": result.log.op_count,
        "replays": result.replays,
        "violation": result.violation,
        "log": str(path),
    }


@click.command(name="run")
@click.option("--seed", type=int, required=True, help="Seed of every random choice.")
@click.option("--blocks", type=click.IntRange(min=1), required=True, help="Blocks to run.")
@click.option(
    "--ops-per-block", type=click.IntRange(min=0), default=10, show_default=True,
    help="Random txs per block.",
)  # fmt: skip
@OUTPUT
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Op log (JSON lines); default sim-failure-<seed>.jsonl, written on a violation.",
)
@click.option(
    "--export-at",
    type=click.IntRange(min=1),
    default=None,
    help="Export after this block, import into a fresh app and run the rest on both.",
)
@click.option("--shrink", "do_shrink", is_flag=True, help="On a violation, also shrink the log.")
@HASHES
def run_command(
    seed: int,
    blocks: int,
    ops_per_block: int,
    output: str,
    log_path: Path | None,
    export_at: int | None,
    do_shrink: bool,
    hashes: bool,
) -> None:
    """Run a seeded randomized simulation of every module and check every invariant."""
    if export_at is not None and export_at >= blocks:
        raise click.BadParameter(f"must be below --blocks ({blocks})", param_hint="--export-at")
    if output == "text":
        with click.progressbar(length=blocks, label="blocks", file=sys.stderr) as bar:
            report, log = simulate(
                seed, blocks, ops_per_block, lambda _: bar.update(1), export_at=export_at
            )
    else:
        report, log = simulate(seed, blocks, ops_per_block, export_at=export_at)
    if log_path is not None or report.violations:
        path = log_path if log_path is not None else Path(f"sim-failure-{seed}.jsonl")
        path.write_text(log.text(), encoding="utf-8")
        if report.violations:
            click.echo(f"op log written to {path}", err=True)
            if do_shrink:
                shrunk = _shrunk_path(path)
                result = shrink(log)
                shrunk.write_text(result.log.text(), encoding="utf-8")
                click.echo(
                    f"shrunk op log: {json.dumps(_shrink_summary(result, shrunk))}", err=True
                )
    _print_report(report, output, hashes)
    if report.violations:
        _report_violation(report)
        sys.exit(1)


@click.command(name="replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@OUTPUT
@HASHES
def replay_command(file: Path, output: str, hashes: bool) -> None:
    """Replay an op log written by ``sim run`` exactly and report as ``sim run`` does."""
    report = replay(_read_log(file))
    _print_report(report, output, hashes)
    if report.violations:
        _report_violation(report)
        sys.exit(1)


@click.command(name="shrink")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the minimal log; default FILE with .min.jsonl.",
)
@OUTPUT
def shrink_command(file: Path, out_path: Path | None, output: str) -> None:
    """Narrow a failing op log to a minimal one that fails the same way."""
    log = _read_log(file)
    try:
        result = shrink(log)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    path = out_path if out_path is not None else _shrunk_path(file)
    path.write_text(result.log.text(), encoding="utf-8")
    summary = _shrink_summary(result, path)
    if output == "json":
        click.echo(json.dumps(summary, sort_keys=True))
        return
    click.echo(
        f"{summary['original_blocks']} blocks, {summary['original_ops']} ops -> "
        f"{summary['blocks']} blocks, {summary['ops']} ops ({summary['replays']} replays)"
    )
    click.echo(f"violation: {summary['violation']}")
    click.echo(f"minimal log written to {path}")
