"""The module's three allocation rules, vectorized over Monte Carlo runs with numpy.

Each function takes ``(runs, nodes)`` float64 arrays of integer-valued inputs (seconds, GPU counts,
benchmark scores, GB, days) and returns ``(runs, nodes)`` amounts in uakt, rounded down like
``incentives.logic.split.split_by_weight``. The formulas are the module's (``incentives.logic``),
evaluated in float64 instead of exact integers: ``tests/scenario/test_rules_pin.py`` holds every
amount within 1 uakt of the exact path. Penalty factors come from the exact path's fixed-point
powers, so only the logarithms and the divisions are approximated.

A node takes part in an epoch when its ``active`` flag is set (a pool member with online time);
inactive nodes get 0 and count in no average, wallet size or rank.

Fails when: arrays of different shapes are given (numpy broadcasting error).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from incentives.logic.availability import AvailabilityRule, PenaltyMode
from incentives.logic.fixed_point import SCALE, mul_fixed

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]
IntArray = NDArray[np.int64]


def split_floor(emission: Array, weights: Array) -> Array:
    """``floor(emission * w_i / W)`` per run; a run without weight pays nothing."""
    total = weights.sum(axis=1)
    per_weight = np.divide(emission, total, out=np.zeros_like(total), where=total > 0)
    amounts: Array = np.floor(weights * per_weight[:, None])
    return amounts


def pro_rata(emission: Array, gpus: Array, online: Array, active: Mask) -> Array:
    """PRO_RATA: ``emission`` split by GPU-seconds online."""
    return split_floor(emission, np.where(active, gpus * online, 0.0))


def fixed_rate_owed(usd_micros: Array, gpus: Array, online: Array, active: Mask) -> Array:
    """FIXED_RATE numerators ``usd_micros_per_gpu_hour * gpus * online_seconds`` per node."""
    return np.where(active, usd_micros * gpus * online, 0.0)


def fixed_rate(owed: Array, price: Array, available: Array) -> tuple[Array, Array]:
    """FIXED_RATE: pay what ``owed`` (from ``fixed_rate_owed``) is worth at ``price`` (USD per AKT,
    per run), from at most ``available`` uakt. Returns the amounts and the emission per run."""
    emission = np.minimum(np.floor(owed.sum(axis=1) / (3600.0 * price)), available)
    return split_floor(emission, owed), emission


def penalty_table(rule: AvailabilityRule, max_k: int) -> Array:
    """``P(0..max_k)`` as floats, from the exact path's iterated truncating powers."""
    table = [SCALE] * (min(max_k, rule.penalty_free_nodes) + 1)
    while len(table) <= max_k:
        table.append(mul_fixed(table[-1], rule.penalty_factor))
    return np.array(table, dtype=np.float64) / SCALE


@dataclass(frozen=True)
class Column:
    """One AVAILABILITY input (benchmark, VRAM or age) and its ``L(x)``: ``log2(x)`` for
    ``x > 1``, else 0. Build with ``Column.of``; a model reuses the logs of constant columns."""

    values: Array
    logs: Array

    @classmethod
    def of(cls, values: Array) -> Column:
        logs: Array = np.log2(np.maximum(values, 1.0))
        return cls(values, logs)


def wallet_sizes(wallet: IntArray, active: Mask) -> IntArray:
    """Active nodes of each node's wallet (wallet ids are below the node count in every run)."""
    runs, nodes = wallet.shape
    flat = (wallet + (np.arange(runs, dtype=np.int64) * nodes)[:, None]).ravel()
    counts = np.bincount(flat, weights=active.ravel(), minlength=runs * nodes).astype(np.int64)
    sizes: IntArray = (counts[flat] * active.ravel()).reshape(runs, nodes)
    return sizes


def wallet_ranks(wallet: IntArray, weight: Array) -> IntArray:
    """1-based rank of each node in its wallet by ``weight`` descending, then node index."""
    runs, nodes = wallet.shape
    index = np.broadcast_to(np.arange(nodes, dtype=np.int64), (runs, nodes))
    order = np.lexsort((index, -weight, wallet), axis=-1)
    sorted_wallet = np.take_along_axis(wallet, order, axis=1)
    position = np.broadcast_to(np.arange(nodes, dtype=np.int64), (runs, nodes))
    starts = np.ones((runs, nodes), dtype=bool)
    starts[:, 1:] = sorted_wallet[:, 1:] != sorted_wallet[:, :-1]
    group_start = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    ranks = np.empty((runs, nodes), dtype=np.int64)
    np.put_along_axis(ranks, order, position - group_start + 1, axis=1)
    return ranks


def availability_unpenalized(
    idle: Array,
    benchmark: Column,
    vram: Column,
    age: Column,
    active: Mask,
    rule: AvailabilityRule,
) -> Array:
    """RNP-015 scores before the penalty: ``idle * sum_j w_j L(x_j) / L(avg_j)``, where a term
    whose average over the active nodes is ``<= 1`` (or whose weight is 0) is dropped."""
    weight = active.astype(np.float64)
    count = weight.sum(axis=1)
    score = np.zeros_like(idle)
    for column, term_weight in (
        (benchmark, rule.weight_benchmark),
        (vram, rule.weight_vram),
        (age, rule.weight_age),
    ):
        if term_weight == 0:
            continue
        total = np.einsum("ij,ij->i", column.values, weight)
        kept = total > count
        average_log = np.log2(np.where(kept, total / np.maximum(count, 1.0), 2.0))
        factor = np.where(kept, term_weight / average_log, 0.0)
        score += column.logs * factor[:, None]
    score *= idle
    score *= weight
    return score


def availability(
    emission: Array,
    idle: Array,
    benchmark: Column,
    vram: Column,
    age: Column,
    wallet: IntArray,
    active: Mask,
    rule: AvailabilityRule,
    table: Array,
) -> Array:
    """AVAILABILITY (RNP-015) with the rule's penalty mode; ``table`` from ``penalty_table``
    must reach the largest wallet."""
    unpenalized = availability_unpenalized(idle, benchmark, vram, age, active, rule)
    if rule.penalty_mode is PenaltyMode.WALLET_COUNT:
        ks = wallet_sizes(wallet, active)
    else:
        ks = wallet_ranks(wallet, unpenalized)
    return split_floor(emission, unpenalized * table[ks])
