"""Per-rule comparison, like RNP-015's "payouts today vs with availability rewards".

The scenario's first runs are simulated again (same seed, so the same providers and prices) in
one batch with one pool per rule, so every rule and "today" see the same activity. Each pool
spends what the scenario's pools spent per epoch (the median over runs) and is open to every
node: ``fixed_rate`` at rates proportional to each class's lease price, scaled to that spend;
``pro_rata``; ``availability`` in both penalty modes (the scenario's availability settings, else
RNP-015's). "Today" is lease income alone. Per provider (wallet) the income per epoch in AKT is
compared: Gini, top-10 share, median, and the median uplift over today.

Fails when: never for a validated scenario.
"""

from __future__ import annotations

import numpy as np

from incentivesd.scenario.figures import Cell, Figure, gini, histogram, per_wallet, top_share
from incentivesd.scenario.model import UAKT, Batch, simulate
from incentivesd.scenario.rules import Array
from incentivesd.scenario.spec import Availability, Pool, Scenario

VARIANTS = ("fixed_rate", "pro_rata", "availability_wallet_count", "availability_node_rank")


def comparison_pools(batch: Batch) -> list[Pool]:
    """The four pools of the comparison, at the batch's median spend per epoch."""
    scenario = batch.scenario
    epochs = scenario.epochs
    spent = sum((run.paid.sum(axis=1) for run in batch.pools), np.zeros(len(batch.price)))
    emission_akt = max(float(np.median(spent)) / UAKT / epochs, 1.0)
    budget_akt = emission_akt * epochs
    weighted_hours = float(
        np.median((batch.node_gpu_hours * batch.nodes.lease_usd_per_gpu_hour).sum(axis=1))
    )
    emission_usd = emission_akt * scenario.market.akt_usd * epochs
    scale = emission_usd / weighted_hours if weighted_hours > 0 else 1.0
    rates = {
        gpu.model: max(gpu.lease_usd_per_gpu_hour * scale, 1e-6)
        for gpu in scenario.population.gpu_mix
    }
    settings = next(
        (run.pool.availability for run in batch.pools if run.pool.rule == "availability"),
        Availability(),
    )
    return [
        Pool(
            name="fixed_rate",
            rule="fixed_rate",
            budget_akt=budget_akt,
            rates_usd_per_gpu_hour=rates,
        ),
        Pool(
            name="pro_rata",
            rule="pro_rata",
            budget_akt=budget_akt,
            emission_per_epoch_akt=emission_akt,
        ),
        *(
            Pool(
                name=f"availability_{mode}",
                rule="availability",
                budget_akt=budget_akt,
                emission_per_epoch_akt=emission_akt,
                availability=settings.model_copy(update={"penalty_mode": mode}),
            )
            for mode in ("wallet_count", "node_rank")
        ),
    ]


def compare_rules(batch: Batch, runs: int, seed: int) -> list[Figure]:
    """The comparison table and its histogram (income per provider per epoch, AKT)."""
    scenario: Scenario = batch.scenario
    runs = min(runs, len(batch.price))
    compared = simulate(scenario, runs, seed, pools=comparison_pools(batch))
    epochs = scenario.epochs
    ever_online = per_wallet(compared, (compared.node_gpu_hours > 0).astype(np.float64)) > 0
    today = per_wallet(compared, compared.node_lease_akt) / epochs
    series: dict[str, Array] = {"today": today}
    for run in compared.pools:
        series[run.pool.name] = today + per_wallet(compared, run.node_paid) / UAKT / epochs
    rows: list[list[Cell]] = []
    for name, income in series.items():
        ginis = [gini(income[r][ever_online[r]]) for r in range(runs)]
        tops = [top_share(income[r][ever_online[r]]) for r in range(runs)]
        medians = [float(np.median(income[r][ever_online[r]])) for r in range(runs)]
        base = today[ever_online]
        with_rule = income[ever_online]
        uplift = np.divide(with_rule - base, base, out=np.zeros_like(base), where=base > 0)
        spend = 0.0
        cost = 0.0
        for run in compared.pools:
            if run.pool.name == name:
                spend = float(np.median(run.paid.sum(axis=1))) / UAKT
                cost = float(
                    np.median(
                        run.paid_usd.sum(axis=1)
                        / np.maximum(compared.member_totals(run.member)[0], 1)
                    )
                )
        rows.append(
            [
                name,
                float(np.median(ginis)),
                float(np.median(tops)),
                float(np.median(medians)),
                float(np.median(uplift) * 100),
                spend,
                cost,
            ]
        )
    table = Figure(
        "rule_comparison",
        "Income per provider per epoch: today (leases) vs with each rule, same spend",
        [
            "payouts",
            "gini",
            "top10_share",
            "median_income_akt_per_epoch",
            "median_uplift_pct",
            "incentives_spent_akt",
            "usd_per_gpu_hour",
        ],
        rows,
    )
    columns, histogram_rows = histogram(
        {name: income[ever_online] for name, income in series.items()}, runs
    )
    chart = Figure(
        "rule_comparison_histogram",
        "Providers by income per epoch (AKT): today vs with each rule (providers per run)",
        columns,
        histogram_rows,
    )
    return [table, chart]
