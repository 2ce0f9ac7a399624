"""``incentivesd bench``: print the project's benchmark figures, one JSON object per line.

Each figure carries the reference it is compared with, measured in the same run, and the ratio.
Speed is judged by these figures, never by timed tests.
"""

from __future__ import annotations

import json

import click

from incentivesd.bench import bench_allocation
from incentivesd.bench_chain import bench_finalize
from incentivesd.bench_load import bench_load
from incentivesd.bench_messages import bench_messages
from incentivesd.bench_node import bench_blocks, bench_broadcast, bench_start

SUITES = ("allocation", "messages", "chain", "node", "load")


@click.command("bench")
@click.option(
    "--only",
    type=click.Choice(SUITES),
    multiple=True,
    help="Run only these suites (default: all).",
)
@click.option(
    "--messages",
    default=2000,
    show_default=True,
    type=click.IntRange(100),
    help="Messages per message figure.",
)
def bench_command(only: tuple[str, ...], messages: int) -> None:
    """Measure the exact-path allocation, per-message costs, chain throughput and the node."""
    suites = only or SUITES
    if "allocation" in suites:
        for figure in bench_allocation():
            click.echo(json.dumps(figure, sort_keys=True))
    if "messages" in suites:
        for figure in bench_messages(messages):
            click.echo(json.dumps(figure, sort_keys=True))
    if "chain" in suites:
        for figure in bench_finalize():
            click.echo(json.dumps(figure, sort_keys=True))
    if "node" in suites:
        for figure in (*bench_start(), *bench_blocks(), *bench_broadcast()):
            click.echo(json.dumps(figure, sort_keys=True))
    if "load" in suites:
        for figure in bench_load():
            click.echo(json.dumps(figure, sort_keys=True))
