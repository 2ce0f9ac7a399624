"""Benchmarks of the economic scenario model (a shell: it reads the clock).

``bench_scenario()`` times an AEP-26-style scenario of 10,000 nodes x 120 daily epochs x 100 Monte
Carlo runs (the model alone, target 30 s, and the whole command's work: figures, per-rule
comparison and sybil study), and the vectorized rules against the module's exact path
(``incentives.logic``) on the same epoch of 10,000 nodes, once per rule and penalty mode, with the
largest difference in uakt. Each figure is a dict for ``incentivesd bench`` to print.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from incentives.logic import (
    AvailabilityNode,
    AvailabilityRule,
    FixedRateLine,
    PenaltyMode,
    allocate_availability,
    allocate_fixed_rate,
    allocate_pro_rata,
)
from incentives.logic.fixed_point import SCALE
from incentivesd.scenario import rules
from incentivesd.scenario.model import draw_epoch, simulate
from incentivesd.scenario.monte_carlo import run_monte_carlo
from incentivesd.scenario.population import draw_nodes
from incentivesd.scenario.spec import Scenario, parse_scenario

NODES = 10_000
EPOCHS = 120
RUNS = 100
TARGET_SECONDS = 30.0
SEED = 26


def bench_scenario_spec(nodes: int = NODES, epochs: int = EPOCHS) -> Scenario:
    """The AEP-26 pilot's three pools over ``nodes`` nodes (no joins, so exactly ``nodes`` node
    slots; wallets leave at 0.3% a day) and ``epochs`` daily epochs."""
    gpu = [
        ("h100", 0.15, [8], 4000, 1.60),
        ("a100-80gb", 0.15, [4, 8], 2600, 1.10),
        ("rtxa6000", 0.15, [2, 4], 1400, 0.45),
        ("rtx4090", 0.30, [1, 2, 4], 1700, 0.35),
        ("h200", 0.10, [8], 4800, 2.20),
        ("mi300x", 0.05, [8], 4200, 1.50),
        ("t4", 0.10, [1], 300, 0.10),
    ]
    return parse_scenario(
        {
            "name": "bench-aep26",
            "epochs": epochs,
            "population": {
                "nodes": nodes,
                "nodes_per_wallet_mean": 2.5,
                "wallet_leave_rate": 0.003,
                "gpu_mix": [
                    {
                        "model": model,
                        "share": share,
                        "gpus_per_node": counts,
                        "benchmark_mean": benchmark,
                        "benchmark_sd": benchmark / 10,
                        "lease_usd_per_gpu_hour": lease,
                    }
                    for model, share, counts, benchmark, lease in gpu
                ],
            },
            "market": {"akt_usd": 3.0, "volatility_annual": 0.9},
            "pools": [
                {
                    "name": "committed",
                    "rule": "fixed_rate",
                    "budget_usd": 3_500_000,
                    "rates_usd_per_gpu_hour": {"h100": 2.49, "a100-80gb": 1.69, "rtxa6000": 0.98},
                    "max_gpus": {"h100": 83, "a100-80gb": 54, "rtxa6000": 105},
                },
                {
                    "name": "liquidity-mining",
                    "rule": "pro_rata",
                    "budget_usd": 750_000,
                    "emission_per_epoch_akt": 2083.33,
                    "eligibility": {"vendors": ["NVIDIA"], "min_vram_gb": 24},
                },
                {
                    "name": "next-gen-rnd",
                    "rule": "availability",
                    "budget_usd": 750_000,
                    "emission_per_epoch_akt": 2083.33,
                    "eligibility": {"vendors": ["NVIDIA", "AMD"], "min_launch_year": 2022},
                },
            ],
        },
        "bench",
    )


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _best(run: Callable[[], object], repeat: int) -> float:
    return min(_seconds(run) for _ in range(repeat))


def _scenario_figures(nodes: int, epochs: int, runs: int) -> list[dict[str, Any]]:
    scenario = bench_scenario_spec(nodes, epochs)
    model_seconds = _seconds(lambda: simulate(scenario, runs, SEED))
    full_seconds = _seconds(lambda: run_monte_carlo(scenario, runs, SEED))
    size = f"{nodes} nodes x {epochs} epochs x {runs} runs"
    return [
        {
            "figure": "scenario_model_s",
            "size": size,
            "value": model_seconds,
            "unit": "s",
            "node_epochs_per_s": nodes * epochs * runs / model_seconds,
            "reference": "target",
            "reference_value": TARGET_SECONDS,
            "ratio": model_seconds / TARGET_SECONDS,
        },
        {
            "figure": "scenario_full_s",
            "size": size,
            "value": full_seconds,
            "unit": "s",
            "reference": "scenario_model_s",
            "reference_value": model_seconds,
            "ratio": full_seconds / model_seconds,
        },
    ]


def _epoch(nodes: int) -> dict[str, np.ndarray]:
    """One epoch of the benchmark scenario (first run, first epoch), every node a member."""
    scenario = bench_scenario_spec(nodes, 1)
    rng = np.random.default_rng(SEED)
    population = draw_nodes(rng, scenario, 1)
    draw = draw_epoch(rng, scenario, population, 0, np.ones(1))
    active = draw.online > 0
    return {
        "wallet": population.wallet,
        "online": draw.online,
        "idle": draw.idle,
        "gpus": population.gpus,
        "benchmark": population.benchmark,
        "vram": population.vram,
        "age": np.maximum(np.floor(population.age_start_days + 1), 0.0),
        "usd_micros": np.round(population.lease_usd_per_gpu_hour * 1e6),
        "active": active,
    }


def _exact_availability(case: dict[str, np.ndarray], rule: AvailabilityRule) -> Callable[[], Any]:
    on = np.flatnonzero(case["active"][0])
    nodes = [
        AvailabilityNode(
            node_id=f"node{i:06d}",
            wallet=f"wallet{int(case['wallet'][0][i]):06d}",
            idle=int(case["idle"][0][i]),
            benchmark=int(case["benchmark"][0][i]) * SCALE,
            vram=int(case["vram"][0][i]) * SCALE,
            age=int(case["age"][0][i]) * SCALE,
        )
        for i in on
    ]
    return lambda: allocate_availability(EMISSION, nodes, rule)


EMISSION = 2083 * 10**6
PRICE = 3 * SCALE


def _paths(
    case: dict[str, np.ndarray], rule_name: str
) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(exact, vectorized) allocations of the epoch under ``rule_name``."""
    on = np.flatnonzero(case["active"][0])
    active = case["active"]
    emission = np.array([float(EMISSION)])
    if rule_name == "pro_rata":
        weights = [int(case["gpus"][0][i]) * int(case["online"][0][i]) for i in on]
        return (
            lambda: allocate_pro_rata(EMISSION, weights),
            lambda: rules.pro_rata(emission, case["gpus"], case["online"], active),
        )
    if rule_name == "fixed_rate":
        lines = [
            FixedRateLine(
                int(case["usd_micros"][0][i]), int(case["gpus"][0][i]), int(case["online"][0][i])
            )
            for i in on
        ]

        def vectorized() -> Any:
            owed = rules.fixed_rate_owed(case["usd_micros"], case["gpus"], case["online"], active)
            return rules.fixed_rate(owed, np.array([PRICE / SCALE]), np.array([np.inf]))

        return lambda: allocate_fixed_rate(lines, PRICE, 10**18), vectorized
    mode = PenaltyMode.WALLET_COUNT if rule_name.endswith("wallet_count") else PenaltyMode.NODE_RANK
    rule = AvailabilityRule(penalty_mode=mode)
    table = rules.penalty_table(rule, case["wallet"].shape[1])

    def vectorized_availability() -> Any:
        return rules.availability(
            emission,
            case["idle"],
            rules.Column.of(case["benchmark"]),
            rules.Column.of(case["vram"]),
            rules.Column.of(case["age"]),
            case["wallet"],
            active,
            rule,
            table,
        )

    return _exact_availability(case, rule), vectorized_availability


def _speedup_figures(nodes: int) -> list[dict[str, Any]]:
    case = _epoch(nodes)
    figures = []
    for rule_name in (
        "fixed_rate",
        "pro_rata",
        "availability_wallet_count",
        "availability_node_rank",
    ):
        exact, vectorized = _paths(case, rule_name)
        exact_seconds = _best(exact, 3)
        vectorized_seconds = _best(vectorized, 3)
        exact_amounts = np.zeros(case["wallet"].shape[1])
        exact_amounts[case["active"][0]] = exact().amounts
        result = vectorized()
        model_amounts = (result[0] if isinstance(result, tuple) else result)[0]
        figures.append(
            {
                "figure": f"scenario_vectorized_vs_exact_{rule_name}",
                "nodes": nodes,
                "value": vectorized_seconds * 1e3,
                "unit": "ms",
                "reference": "exact path (incentives.logic), same epoch",
                "reference_value": exact_seconds * 1e3,
                "ratio": exact_seconds / vectorized_seconds,
                "max_abs_diff_uakt": float(np.abs(model_amounts - exact_amounts).max()),
            }
        )
    return figures


def bench_scenario(
    nodes: int = NODES, epochs: int = EPOCHS, runs: int = RUNS
) -> list[dict[str, Any]]:
    """Every scenario figure (``ratio`` of the speed-ups is exact time / vectorized time)."""
    return [*_speedup_figures(nodes), *_scenario_figures(nodes, epochs, runs)]
