"""The ``incentivesd`` command line (a shell): ``main`` is the root click group."""

from __future__ import annotations

import click

from incentivesd.bench_command import bench_command
from incentivesd.budget.cli import budget_group
from incentivesd.demo import demo_command
from incentivesd.keys_cli import keys_group
from incentivesd.load_cli import load_command
from incentivesd.localnet_cli import localnet_group
from incentivesd.node_cli import start_command
from incentivesd.pilot import pilot_command
from incentivesd.query_cli import query_group
from incentivesd.scenario.cli import scenario_command
from incentivesd.sim_run import replay_command, run_command, shrink_command
from incentivesd.sim_score import score
from incentivesd.tx_cli import tx_group


@click.group(name="incentivesd")
def main() -> None:
    """Akash provider-incentives node, client and tools."""


@main.group()
def sim() -> None:
    """Score reward rules and run randomized simulations of the module."""


sim.add_command(score)
sim.add_command(run_command)
sim.add_command(replay_command)
sim.add_command(scenario_command)
sim.add_command(shrink_command)
main.add_command(demo_command)
main.add_command(pilot_command)
main.add_command(bench_command)
main.add_command(start_command)
main.add_command(load_command)
main.add_command(localnet_group)
main.add_command(keys_group)
main.add_command(budget_group)
main.add_command(query_group, name="query")
main.add_command(query_group, name="q")
main.add_command(tx_group)
