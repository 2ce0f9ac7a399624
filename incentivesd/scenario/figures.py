"""Figures as tables, and the statistics they share.

A ``Figure`` is a name, a title, column names and rows of numbers or text; ``report`` writes each
as CSV and JSON and plots it. Quantiles are over runs (p5, p50, p95); ``gini`` and ``top_share``
describe one run's payouts per provider; ``per_wallet`` sums node values by wallet; ``histogram``
bins several series on shared edges.

Fails when: never (empty inputs give zeros).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incentivesd.scenario.model import Batch
from incentivesd.scenario.rules import Array

Cell = float | int | str


@dataclass(frozen=True)
class Figure:
    """One figure's data: a table."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]

    def column(self, name: str) -> list[Cell]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def quantiles(values: Array) -> tuple[float, float, float]:
    """p5, p50, p95 over the first axis."""
    low, mid, high = np.percentile(values, [5, 50, 95], axis=0)
    return float(low), float(mid), float(high)


def gini(values: Array) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = one takes all)."""
    if len(values) == 0 or values.sum() <= 0:
        return 0.0
    ordered = np.sort(values)
    ranks = np.arange(1, len(ordered) + 1)
    return float(((2 * ranks - len(ordered) - 1) * ordered).sum() / (len(ordered) * ordered.sum()))


def top_share(values: Array, top: int = 10) -> float:
    """Share of the total taken by the ``top`` largest values."""
    total = values.sum()
    if total <= 0:
        return 0.0
    return float(np.sort(values)[-top:].sum() / total)


def per_wallet(batch: Batch, node_values: Array) -> Array:
    """``(runs, nodes)`` totals per wallet id (wallet ids are below the node count)."""
    runs, width = node_values.shape
    flat = batch.nodes.wallet + (np.arange(runs) * width)[:, None]
    totals = np.bincount(flat.ravel(), node_values.ravel(), minlength=runs * width)
    return np.asarray(totals, dtype=np.float64).reshape(runs, width)


def histogram(
    series: dict[str, Array], runs: int, bins: int = 24
) -> tuple[list[str], list[list[Cell]]]:
    """Shared bins (0 to the 99th percentile of all values, the last bin open-ended) and the mean
    number of providers per run in each bin, per series."""
    pooled = np.concatenate(list(series.values())) if series else np.zeros(0)
    top = float(np.percentile(pooled, 99)) if len(pooled) else 1.0
    edges = np.linspace(0.0, top if top > 0 else 1.0, bins + 1)
    columns = ["bin_low_akt", "bin_high_akt", *series]
    counts = {}
    for name, values in series.items():
        clipped = np.minimum(values, edges[-1])
        counts[name] = np.histogram(clipped, bins=edges)[0] / runs
    rows: list[list[Cell]] = [
        [float(edges[i]), float(edges[i + 1]), *(float(counts[name][i]) for name in series)]
        for i in range(bins)
    ]
    return columns, rows
