"""Benchmark of the randomized simulation (a shell: it reads the clock).

``bench_sim()`` runs the seeded simulation of every module at 10 and 100 ops per block, with
every invariant checked after every block, and reports executed ops per second. The reference,
measured in the same run, is the same simulation drawing only valid bank sends: the floor cost
of a signed tx through ``finalize_block`` (decode, ante with signature verification, fee,
handler), the block's begin/end work, ``commit`` and the invariants.

Fails when: a benchmarked run breaks a rule of the simulation (``RuntimeError``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from incentivesd.simulation.draw import Simulation

BENCH_SEED = 20240506
TARGET_OPS_PER_S = 2000
SETTINGS = ((10, 200), (100, 20))  # (ops per block, blocks): 2,000 ops each


def _ops_per_second(make: Callable[[], Simulation], blocks: int, repeat: int) -> tuple[float, int]:
    """The best rate of ``repeat`` identical runs (the machine is shared) and the ops run."""
    best, executed = 0.0, 0
    for _ in range(repeat):
        simulation = make()
        start = time.perf_counter()
        runner = simulation.run(blocks)
        seconds = time.perf_counter() - start
        if runner.report.violations:
            raise RuntimeError(f"simulation broke a rule: {runner.report.violations[0]}")
        executed = runner.report.executed
        best = max(best, executed / seconds)
    return best, executed


def bench_sim(
    settings: tuple[tuple[int, int], ...] = SETTINGS, repeat: int = 3
) -> list[dict[str, Any]]:
    """One figure per ops-per-block setting: ops/s of the full mix against bank sends only
    (best of ``repeat`` runs each)."""
    figures: list[dict[str, Any]] = []
    for ops_per_block, blocks in settings:
        full_mix = functools.partial(Simulation, BENCH_SEED, ops_per_block)
        sends_only = functools.partial(
            Simulation, BENCH_SEED, ops_per_block, mix={"bank_send": 1}, invalid_percent=0
        )
        rate, executed = _ops_per_second(full_mix, blocks, repeat)
        reference_rate, _ = _ops_per_second(sends_only, blocks, repeat)
        figures.append(
            {
                "figure": f"sim_ops_per_s_{ops_per_block}_per_block",
                "value": round(rate),
                "unit": "ops/s",
                "ops": executed,
                "blocks": blocks,
                "invariants": "every block",
                "target": TARGET_OPS_PER_S,
                "reference": "sim_bank_send_only_ops_per_s",
                "reference_value": round(reference_rate),
                "ratio": round(rate / reference_rate, 3),
            }
        )
    return figures
