"""Sybil study: what a provider gains by gaming each rule, in one epoch.

Each run's population at the first epoch is joined by the scenario's attacker: ``nodes`` nodes of
one GPU model, at the population's mean uptime and utilization, the class's mean benchmark and
lease price (the population's median benchmark and $1 per GPU-hour when the model is not in the
mix) and the middle initial age. Every node is in the pool; the epoch's emission is the
scenario's (the sum of its pools' per-epoch emissions, else what the budgets allow per epoch);
``fixed_rate`` pays each class its lease price per GPU-hour, without a budget limit.
Strategies, against the honest attacker (one wallet, true idle time, true benchmark):

- ``split_wallets``: the same nodes in wallets of ``wallet_size_after_split``;
- ``fake_idle``: reporting all online time as idle (hiding its leases);
- ``inflate_benchmark_xF``: a registered benchmark F times the true one (unmeasured);
- ``all``: splitting, fake idle time and the largest inflation together.

Rules: ``fixed_rate``, ``pro_rata``, ``availability`` in each penalty mode. The gain is the
attacker's mean payout over runs under the strategy against the honest one.

Fails when: never for a validated scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incentivesd.scenario import rules
from incentivesd.scenario.figures import Cell, Figure
from incentivesd.scenario.model import UAKT, draw_epoch
from incentivesd.scenario.population import draw_nodes
from incentivesd.scenario.rules import Array, IntArray
from incentivesd.scenario.spec import CATALOG, Availability, Scenario


@dataclass(frozen=True)
class Epoch:
    """Population plus attacker, ``(runs, nodes + attackers)``."""

    online: Array
    idle: Array
    gpus: Array
    benchmark: Array
    vram: Array
    age: Array
    wallet: IntArray
    usd_micros: Array
    attacker: slice


def _emission_uakt(scenario: Scenario) -> float:
    per_epoch = [
        pool.emission_per_epoch_akt for pool in scenario.pools if pool.emission_per_epoch_akt
    ]
    if per_epoch:
        return float(sum(per_epoch)) * UAKT
    budget = sum(pool.budget_uakt(scenario.market.akt_usd) for pool in scenario.pools)
    return max(budget / scenario.epochs, UAKT)


def _epoch(scenario: Scenario, runs: int, seed: int) -> Epoch:
    population_seed, _, activity_seed, _ = np.random.SeedSequence(seed).spawn(4)
    nodes = draw_nodes(np.random.default_rng(population_seed), scenario, runs)
    draw = draw_epoch(
        np.random.default_rng(activity_seed), scenario, nodes, 0, np.ones(runs, dtype=np.float64)
    )
    attacker = scenario.attacker
    spec = scenario.population
    mix = {gpu.model: gpu for gpu in spec.gpu_mix}
    width = nodes.shape[1]
    count = attacker.nodes
    online = np.floor(spec.uptime.mean * scenario.epoch_seconds)
    idle = np.floor(online * (1 - spec.utilization.mean))
    own = mix.get(attacker.gpu_model)
    benchmark = round(own.benchmark_mean) if own else float(np.median(nodes.benchmark))
    lease = own.lease_usd_per_gpu_hour if own else 1.0
    low, high = spec.initial_age_days

    def extend(population: Array, value: float) -> Array:
        return np.concatenate([population, np.full((runs, count), value)], axis=1)

    return Epoch(
        online=extend(draw.online, online),
        idle=extend(draw.idle, idle),
        gpus=extend(nodes.gpus, attacker.gpus_per_node),
        benchmark=extend(nodes.benchmark, benchmark),
        vram=extend(nodes.vram, CATALOG[attacker.gpu_model].vram_gb * attacker.gpus_per_node),
        age=extend(np.maximum(np.floor(nodes.age_start_days + 1), 0.0), (low + high) // 2 + 1),
        wallet=np.concatenate(
            [nodes.wallet, np.full((runs, count), width, dtype=np.int64)], axis=1
        ),
        usd_micros=extend(np.round(nodes.lease_usd_per_gpu_hour * 1e6), round(lease * 1e6)),
        attacker=slice(width, width + count),
    )


def _strategies(epoch: Epoch, scenario: Scenario) -> dict[str, Epoch]:
    attacker = scenario.attacker
    part = epoch.attacker
    width = part.start

    def changed(**columns: np.ndarray) -> Epoch:
        values = {name: getattr(epoch, name) for name in Epoch.__dataclass_fields__}
        for name, column in columns.items():
            updated = values[name].copy()
            updated[:, part] = column
            values[name] = updated
        return Epoch(**values)

    split = width + np.arange(attacker.nodes) // attacker.wallet_size_after_split
    strategies = {
        "honest": epoch,
        "split_wallets": changed(wallet=split),
        "fake_idle": changed(idle=epoch.online[:, part]),
    }
    for factor in attacker.benchmark_inflation:
        strategies[f"inflate_benchmark_x{factor:g}"] = changed(
            benchmark=np.round(epoch.benchmark[:, part] * factor)
        )
    strategies["all"] = changed(
        wallet=split,
        idle=epoch.online[:, part],
        benchmark=np.round(epoch.benchmark[:, part] * max(attacker.benchmark_inflation)),
    )
    return strategies


def _attacker_payout(epoch: Epoch, rule: str, mode: str, scenario: Scenario) -> float:
    runs = len(epoch.online)
    emission = np.full(runs, _emission_uakt(scenario))
    active = epoch.online > 0
    if rule == "fixed_rate":
        owed = rules.fixed_rate_owed(epoch.usd_micros, epoch.gpus, epoch.online, active)
        amounts, _ = rules.fixed_rate(
            owed, np.full(runs, scenario.market.akt_usd), np.full(runs, np.inf)
        )
    elif rule == "pro_rata":
        amounts = rules.pro_rata(emission, epoch.gpus, epoch.online, active)
    else:
        settings = next(
            (pool.availability for pool in scenario.pools if pool.rule == "availability"),
            Availability(),
        )
        availability_rule = settings.rule(mode)
        table = rules.penalty_table(availability_rule, epoch.wallet.shape[1])
        amounts = rules.availability(
            emission,
            epoch.idle,
            rules.Column.of(epoch.benchmark),
            rules.Column.of(epoch.vram),
            rules.Column.of(epoch.age),
            epoch.wallet,
            active,
            availability_rule,
            table,
        )
    return float(amounts[:, epoch.attacker].sum(axis=1).mean()) / UAKT


def sybil_figure(scenario: Scenario, runs: int, seed: int) -> Figure:
    """The sybil table: attacker payout per epoch (AKT) and gain per rule and strategy."""
    strategies = _strategies(_epoch(scenario, runs, seed), scenario)
    rows: list[list[Cell]] = []
    for rule, mode in (
        ("fixed_rate", "-"),
        ("pro_rata", "-"),
        ("availability", "wallet_count"),
        ("availability", "node_rank"),
    ):
        honest = _attacker_payout(strategies["honest"], rule, mode, scenario)
        for name, epoch in strategies.items():
            if name == "honest":
                continue
            payout = _attacker_payout(epoch, rule, mode, scenario)
            gain = (payout / honest - 1) * 100 if honest > 0 else 0.0
            rows.append([rule, mode, name, honest, payout, gain])
    return Figure(
        "sybil",
        f"Sybil study: a provider with {scenario.attacker.nodes} "
        f"{scenario.attacker.gpu_model} nodes (AKT per epoch)",
        ["rule", "penalty_mode", "strategy", "honest_akt", "attack_akt", "gain_pct"],
        rows,
    )
