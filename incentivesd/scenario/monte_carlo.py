"""Statistics of a batch of runs: the figures of the report, as tables.

Figures are ``figures.Figure`` tables; quantiles are over runs (p5, p50, p95). A provider
is a wallet with at least one pool member that was online at least once; payouts per provider are
totals over the horizon in AKT.

Figures: ``price`` (AKT/USD paths), ``burn_down`` (remaining balance per pool and epoch),
``spend`` (budget, inflow, spent, returned to the community pool, exhaustion), ``cost_per_gpu_hour``
(incentive USD per GPU-hour delivered by members, gross and net of the take rate on their leases),
``payout_distribution`` (Gini and top-10 share per pool), ``payout_histogram_<pool>``, and for
pools with a redirect ``take_up_<pool>`` (one row per run). ``run_monte_carlo`` adds the
per-rule comparison (``comparison``) and the sybil study (``sybil``).

Fails when: never for a batch from ``model.simulate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from incentivesd.scenario.comparison import compare_rules
from incentivesd.scenario.figures import (
    Cell,
    Figure,
    gini,
    histogram,
    per_wallet,
    quantiles,
    top_share,
)
from incentivesd.scenario.model import UAKT, Batch, PoolRun, simulate
from incentivesd.scenario.rules import Array, Mask
from incentivesd.scenario.spec import Scenario
from incentivesd.scenario.sybil import sybil_figure


def providers(batch: Batch, member: Mask) -> Mask:
    """Wallets (by id, per run) with a member node that was ever online."""
    return per_wallet(batch, (member & (batch.node_gpu_hours > 0)).astype(np.float64)) > 0


def price_figure(batch: Batch) -> Figure:
    price = batch.price
    rows: list[list[Cell]] = [
        [epoch, *quantiles(price[:, epoch])] for epoch in range(price.shape[1])
    ]
    return Figure("price", "AKT price paths (USD)", ["epoch", "p5", "p50", "p95"], rows)


def burn_down_figure(batch: Batch) -> Figure:
    columns = ["epoch"]
    for run in batch.pools:
        columns += [f"{run.pool.name}_p5", f"{run.pool.name}_p50", f"{run.pool.name}_p95"]
    rows: list[list[Cell]] = []
    for epoch in range(batch.scenario.epochs + 1):
        row: list[Cell] = [epoch]
        for run in batch.pools:
            row += quantiles(run.balance[:, epoch] / UAKT)
        rows.append(row)
    return Figure("burn_down", "Budget burn-down: pool balance (AKT)", columns, rows)


def _exhausted(run: PoolRun) -> Mask:
    """Runs where some epoch paid less than its full emission for lack of balance."""
    pool = run.pool
    if pool.rule == "fixed_rate" or pool.emission_per_epoch_akt is None:
        return np.asarray((run.balance[:, 1:] < 1).any(axis=1), dtype=bool)
    emission = pool.emission_per_epoch_akt * UAKT
    return np.asarray((run.balance[:, :-1] + run.inflow < emission - 1).any(axis=1), dtype=bool)


def spend_figure(batch: Batch) -> Figure:
    columns = [
        "pool",
        "rule",
        "budget_akt",
        "inflow_akt_p50",
        "spent_akt_p5",
        "spent_akt_p50",
        "spent_akt_p95",
        "spent_usd_p50",
        "returned_akt_p5",
        "returned_akt_p50",
        "returned_akt_p95",
        "runs_exhausted_share",
    ]
    rows: list[list[Cell]] = []
    for run in batch.pools:
        spent = run.paid.sum(axis=1) / UAKT
        returned = run.balance[:, -1] / UAKT
        rows.append(
            [
                run.pool.name,
                run.pool.rule,
                float(run.budget[0] / UAKT),
                quantiles(run.inflow.sum(axis=1) / UAKT)[1],
                *quantiles(spent),
                quantiles(run.paid_usd.sum(axis=1))[1],
                *quantiles(returned),
                float(_exhausted(run).mean()),
            ]
        )
    return Figure("spend", "Spend and unspent return to the community pool", columns, rows)


def _cost_row(name: str, usd: Array, hours: Array, lease_usd: Array, take: float) -> list[Cell]:
    safe = np.maximum(hours, 1e-9)
    gross = usd / safe
    net = (usd - take * lease_usd) / safe
    return [name, *quantiles(gross), quantiles(net)[1], quantiles(hours)[1]]


def cost_figure(batch: Batch) -> Figure:
    columns = [
        "pool",
        "usd_per_gpu_hour_p5",
        "usd_per_gpu_hour_p50",
        "usd_per_gpu_hour_p95",
        "net_of_take_rate_p50",
        "gpu_hours_p50",
    ]
    take = batch.scenario.market.take_rate
    rows = [
        _cost_row(run.pool.name, run.paid_usd.sum(axis=1), *batch.member_totals(run.member), take)
        for run in batch.pools
    ]
    any_member = np.logical_or.reduce([run.member for run in batch.pools])
    rows.append(
        _cost_row(
            "all pools",
            sum((run.paid_usd.sum(axis=1) for run in batch.pools), np.zeros(len(batch.price))),
            *batch.member_totals(any_member),
            take,
        )
    )
    return Figure("cost_per_gpu_hour", "Incentive cost per GPU-hour delivered (USD)", columns, rows)


def distribution_row(name: str, totals: Array, included: Mask) -> list[Cell]:
    """Providers, Gini, top-10 share and median payout, over runs."""
    ginis = np.array([gini(totals[r][included[r]]) for r in range(len(totals))])
    tops = np.array([top_share(totals[r][included[r]]) for r in range(len(totals))])
    medians = np.array(
        [
            float(np.median(totals[r][included[r]])) if included[r].any() else 0.0
            for r in range(len(totals))
        ]
    )
    return [
        name,
        quantiles(included.sum(axis=1).astype(np.float64))[1],
        *quantiles(ginis),
        quantiles(tops)[1],
        quantiles(medians)[1],
    ]


DISTRIBUTION_COLUMNS = [
    "pool",
    "providers_p50",
    "gini_p5",
    "gini_p50",
    "gini_p95",
    "top10_share_p50",
    "median_payout_akt_p50",
]


def pool_totals(batch: Batch) -> list[tuple[str, Array, Mask]]:
    """Per pool and for all pools: payouts per provider (AKT) and which wallets are providers."""
    out = []
    any_member = np.zeros(batch.nodes.shape, dtype=bool)
    all_paid = np.zeros(batch.nodes.shape)
    for run in batch.pools:
        out.append(
            (run.pool.name, per_wallet(batch, run.node_paid) / UAKT, providers(batch, run.member))
        )
        any_member |= run.member
        all_paid += run.node_paid
    if len(batch.pools) > 1:
        out.append(("all pools", per_wallet(batch, all_paid) / UAKT, providers(batch, any_member)))
    return out


def distribution_figure(batch: Batch) -> Figure:
    rows = [distribution_row(name, totals, mask) for name, totals, mask in pool_totals(batch)]
    return Figure(
        "payout_distribution",
        "Payout distribution per provider (horizon totals, AKT)",
        DISTRIBUTION_COLUMNS,
        rows,
    )


def histogram_figures(batch: Batch) -> list[Figure]:
    figures = []
    runs = len(batch.price)
    for name, totals, mask in pool_totals(batch):
        columns, rows = histogram({"providers": totals[mask]}, runs)
        slug = name.replace(" ", "-")
        figures.append(
            Figure(
                f"payout_histogram_{slug}",
                f"Payouts per provider, {name} (AKT over the horizon; providers per run)",
                columns,
                rows,
            )
        )
    return figures


def take_up_figures(batch: Batch) -> list[Figure]:
    figures = []
    for run in batch.pools:
        if run.take_up is None:
            continue
        order = np.argsort(run.take_up, kind="stable")
        hours = np.maximum(batch.member_totals(run.member)[0], 1e-9)
        rows: list[list[Cell]] = [
            [
                float(run.take_up[r]),
                float(run.inflow[r].sum() / UAKT),
                float(run.paid[r].sum() / UAKT),
                float(run.paid_usd[r].sum() / hours[r]),
            ]
            for r in order
        ]
        figures.append(
            Figure(
                f"take_up_{run.pool.name}",
                f"Opt-in take-up vs redirected and paid AKT, {run.pool.name} (one row per run)",
                ["take_up", "inflow_akt", "paid_akt", "usd_per_gpu_hour"],
                rows,
            )
        )
    return figures


def batch_figures(batch: Batch) -> list[Figure]:
    """Every figure of one batch, in report order."""
    return [
        burn_down_figure(batch),
        spend_figure(batch),
        cost_figure(batch),
        distribution_figure(batch),
        *histogram_figures(batch),
        *take_up_figures(batch),
        price_figure(batch),
    ]


@dataclass(frozen=True)
class Outcome:
    """Everything a scenario evaluation produced."""

    scenario: Scenario
    runs: int
    seed: int
    node_slots: int
    figures: list[Figure]


def run_monte_carlo(
    scenario: Scenario,
    runs: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    comparison_runs: int = 20,
    sybil_runs: int = 50,
) -> Outcome:
    """Run the batch, the per-rule comparison (on the first ``comparison_runs`` runs' population)
    and the sybil study, and return every figure. ``progress`` gets one call per epoch of the
    batch."""
    batch = simulate(scenario, runs, seed, progress=progress)
    figures = [
        *batch_figures(batch),
        *compare_rules(batch, comparison_runs, seed),
        sybil_figure(scenario, min(runs, sybil_runs), seed),
    ]
    return Outcome(scenario, runs, seed, batch.nodes.shape[1], figures)
