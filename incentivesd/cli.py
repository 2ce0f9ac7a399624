"""The ``incentivesd`` command line (a shell): ``main`` is the root click group.

Subcommands are imported when first used, so ``incentivesd start`` or a ``tx`` does not pay for
NumPy, pydantic or the simulators (``--help`` imports them all to list them).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click


class LazyGroup(click.Group):
    """A click group whose commands live in modules imported on first use: ``lazy`` maps a
    command name to ``"module:attribute"``."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self._lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(
    name="incentivesd",
    cls=LazyGroup,
    lazy={
        "bench": "incentivesd.bench_command:bench_command",
        "budget": "incentivesd.budget.cli:budget_group",
        "demo": "incentivesd.demo:demo_command",
        "keys": "incentivesd.keys_cli:keys_group",
        "load": "incentivesd.load_cli:load_command",
        "localnet": "incentivesd.localnet_cli:localnet_group",
        "pilot": "incentivesd.pilot:pilot_command",
        "q": "incentivesd.query_cli:query_group",
        "query": "incentivesd.query_cli:query_group",
        "start": "incentivesd.node_cli:start_command",
        "tx": "incentivesd.tx_cli:tx_group",
    },
)
def main() -> None:
    """Akash provider-incentives node, client and tools."""


@main.group(
    cls=LazyGroup,
    lazy={
        "replay": "incentivesd.sim_run:replay_command",
        "run": "incentivesd.sim_run:run_command",
        "scenario": "incentivesd.scenario.cli:scenario_command",
        "score": "incentivesd.sim_score:score",
        "shrink": "incentivesd.sim_run:shrink_command",
    },
)
def sim() -> None:
    """Score reward rules, run randomized simulations of the module and economic scenarios."""
