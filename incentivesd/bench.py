"""Benchmarks of the payout math (a shell: it reads the clock and uses seeded randomness).

``bench_allocation()`` times the exact AVAILABILITY allocation (``incentives.logic``) on realistic
random epochs of 10k, 100k and 1M nodes and the ``decimal`` reference on 10k nodes, and returns
one dict per figure for ``scripts/bench`` to print or compare with its targets.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from incentives.logic.availability import (
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
)
from incentives.logic.fixed_point import SCALE
from incentives.logic.reference import reference_availability

BENCH_SEED = 20240506
BENCH_BUDGET = 25_000 * 10**6 * 1_000  # uakt
VRAM_GB = (8, 12, 16, 24, 32, 40, 48, 80, 141)
RNP015_DECAY = Decimal("0.65")
TARGET_SECONDS_PER_NODE = 1.0 / 100_000  # 100k nodes in one second


def bench_nodes(count: int, seed: int = BENCH_SEED) -> list[AvailabilityNode]:
    """A realistic epoch of ``count`` nodes: OB scores 100..5000 (a fifth with two decimals),
    VRAM from common GPU sizes, ages of 1..1500 days, idle fractions with 4 decimals, and
    wallets holding 1..10 nodes."""
    rng = random.Random(seed)
    vram_values = [gb * SCALE for gb in VRAM_GB]
    nodes: list[AvailabilityNode] = []
    wallet_number = 0
    while len(nodes) < count:
        wallet = f"wallet{wallet_number:07d}"
        wallet_number += 1
        for _ in range(min(rng.randint(1, 10), count - len(nodes))):
            benchmark = rng.randint(100, 5000) * SCALE
            if rng.random() < 0.2:
                benchmark += rng.randint(1, 99) * 10**16
            nodes.append(
                AvailabilityNode(
                    node_id=f"node{len(nodes):07d}",
                    wallet=wallet,
                    idle=rng.randint(0, 10_000) * 10**14,
                    benchmark=benchmark,
                    vram=rng.choice(vram_values),
                    age=rng.randint(1, 1500) * SCALE,
                )
            )
    return nodes


def _best_seconds(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _time_allocation(nodes: list[AvailabilityNode], rule: AvailabilityRule, repeat: int) -> float:
    return _best_seconds(lambda: allocate_availability(BENCH_BUDGET, nodes, rule), repeat)


def bench_allocation() -> list[dict[str, Any]]:
    """Time the exact availability allocation at 10k, 100k and 1M nodes (best of 3; 1 run at 1M)
    in both penalty modes at 100k, and the decimal reference at 10k.

    ``speedup_vs_reference`` compares time per node. The 10k figure also reports the largest
    difference in uakt between the exact and the reference amounts (penalty by real exp(-0.65 m)).
    """
    rule = AvailabilityRule()
    nodes_10k = bench_nodes(10_000)
    start = time.perf_counter()
    reference = reference_availability(BENCH_BUDGET, nodes_10k, rule, penalty_decay=RNP015_DECAY)
    reference_seconds = time.perf_counter() - start
    exact = allocate_availability(BENCH_BUDGET, nodes_10k, rule)
    max_diff = max(abs(a - b) for a, b in zip(exact.amounts, reference.amounts, strict=True))
    reference_per_node = reference_seconds / len(nodes_10k)

    figures: list[dict[str, Any]] = []
    cases = [
        ("availability_exact_10k", 10_000, rule, 3),
        ("availability_exact_100k", 100_000, rule, 3),
        (
            "availability_exact_node_rank_100k",
            100_000,
            AvailabilityRule(penalty_mode=PenaltyMode.NODE_RANK),
            3,
        ),
        ("availability_exact_1m", 1_000_000, rule, 1),
    ]
    nodes = nodes_10k
    for figure, count, case_rule, repeat in cases:
        if len(nodes) != count:
            nodes = bench_nodes(count)
        seconds = _time_allocation(nodes, case_rule, repeat)
        result: dict[str, Any] = {
            "figure": figure,
            "nodes": count,
            "seconds": seconds,
            "per_node_us": seconds / count * 1e6,
            "target_seconds": TARGET_SECONDS_PER_NODE * count,
            "reference": "decimal_reference_10k",
            "reference_seconds": reference_seconds,
            "speedup_vs_reference": reference_per_node / (seconds / count),
        }
        if nodes is nodes_10k:
            result["max_abs_diff_uakt_vs_reference"] = max_diff
        figures.append(result)
    return figures
