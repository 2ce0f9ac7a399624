"""The ``incentivesd`` command line (a shell): ``main`` is the root click group."""

from __future__ import annotations

import click

from incentivesd.bench_command import bench_command
from incentivesd.demo import demo_command
from incentivesd.localnet_cli import localnet_group
from incentivesd.node_cli import start_command
from incentivesd.sim_score import score


@click.group(name="incentivesd")
def main() -> None:
    """Akash provider-incentives node, client and tools."""


@main.group()
def sim() -> None:
    """Simulate reward rules on scenario files."""


sim.add_command(score)
main.add_command(demo_command)
main.add_command(bench_command)
main.add_command(start_command)
main.add_command(localnet_group)
