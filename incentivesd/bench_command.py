"""``incentivesd bench``: print the project's benchmark figures, one JSON object per line.

Each figure carries the reference it is compared with, measured in the same run, and the ratio.
Speed is judged by these figures, never by timed tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click

from incentivesd.bench import bench_allocation
from incentivesd.bench_chain import bench_finalize
from incentivesd.bench_load import bench_load
from incentivesd.bench_messages import bench_messages
from incentivesd.bench_node import bench_blocks, bench_broadcast, bench_start
from incentivesd.bench_scenario import bench_scenario
from incentivesd.bench_sim import bench_sim

Figures = Iterable[Mapping[str, Any]]

# Each suite, in the order ``bench`` runs them, with what it measures; a suite gets the number of
# messages per message figure (only ``messages`` uses it).
SUITES: dict[str, tuple[str, Callable[[int], Figures]]] = {
    "allocation": ("the exact-path reward allocation", lambda _: bench_allocation()),
    "messages": ("each incentives Msg against a bank send", bench_messages),
    "chain": ("finalize_block throughput in process", lambda _: bench_finalize()),
    "node": (
        "node start, block commit, idle blocks, gRPC broadcast",
        lambda _: (*bench_start(), *bench_blocks(), *bench_broadcast()),
    ),
    "load": ("the load generator at 1, 4 and 16 clients", lambda _: bench_load()),
    "sim": ("randomized simulation ops/s", lambda _: bench_sim()),
    "scenario": ("economic scenario Monte Carlo", lambda _: bench_scenario()),
}


@click.command("bench")
@click.option(
    "--only",
    type=click.Choice(list(SUITES)),
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
    """Measure every figure the project has a target for; see SUITES for the suites."""
    for name, (_, run) in SUITES.items():
        if only and name not in only:
            continue
        for figure in run(messages):
            click.echo(json.dumps(figure, sort_keys=True))
