"""The vectorized rules (``incentivesd.scenario.rules``) pay every node within 1 uakt of the
module's exact path (``incentives.logic``) on shared random epochs: several runs at once, each a
different epoch, for every rule and both penalty modes; and so does a whole one-epoch batch of the
model, its inputs read back from the batch."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from incentives.logic import (
    AvailabilityNode,
    AvailabilityRule,
    FixedRateLine,
    PenaltyMode,
    allocate_availability,
    allocate_fixed_rate,
    allocate_pro_rata,
    gpu_seconds,
)
from incentives.logic.fixed_point import SCALE
from incentivesd.scenario import rules
from incentivesd.scenario.model import simulate
from incentivesd.scenario.spec import parse_scenario
from tests.scenario.conftest import small_document

RUNS = 6
NODES = 240
DAY = 86_400


def _epochs(seed: int) -> dict[str, np.ndarray]:
    """RUNS random epochs of NODES nodes: wallets of 1..9 nodes (contiguous), some offline."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 10, size=(RUNS, NODES))
    wallet = np.zeros((RUNS, NODES), dtype=np.int64)
    for run in range(RUNS):
        wallet[run] = np.repeat(np.arange(NODES), sizes[run])[:NODES]
    online = np.floor(rng.uniform(0, 1, (RUNS, NODES)) * DAY)
    online[rng.uniform(size=(RUNS, NODES)) < 0.15] = 0
    idle = np.floor(online * rng.uniform(0, 1, (RUNS, NODES)))
    idle[rng.uniform(size=(RUNS, NODES)) < 0.05] = 0
    return {
        "wallet": wallet,
        "online": online,
        "idle": idle,
        "gpus": rng.choice([1, 2, 4, 8], size=(RUNS, NODES)).astype(np.float64),
        "benchmark": rng.integers(0, 6000, size=(RUNS, NODES)).astype(np.float64),
        "vram": rng.choice([16, 24, 48, 80, 160, 640], size=(RUNS, NODES)).astype(np.float64),
        "age": rng.integers(0, 900, size=(RUNS, NODES)).astype(np.float64),
        "usd_micros": rng.choice([980_000, 1_690_000, 2_490_000], size=(RUNS, NODES)).astype(
            np.float64
        ),
        "emission": rng.integers(10**6, 10**11, size=RUNS).astype(np.float64),
        "price_fixed": rng.integers(2 * 10**17, 6 * SCALE, size=RUNS),
    }


def _assert_close(model: np.ndarray, exact: tuple[int, ...], active: np.ndarray) -> None:
    exact_full = np.zeros(NODES)
    exact_full[active] = exact
    assert np.abs(model - exact_full).max() <= 1
    assert model.sum() > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pro_rata_matches_exact(seed: int) -> None:
    case = _epochs(seed)
    active = case["online"] > 0
    model = rules.pro_rata(case["emission"], case["gpus"], case["online"], active)
    for run in range(RUNS):
        on = active[run]
        weights = [
            gpu_seconds(int(g), int(s))
            for g, s in zip(case["gpus"][run][on], case["online"][run][on], strict=True)
        ]
        exact = allocate_pro_rata(int(case["emission"][run]), weights)
        _assert_close(model[run], exact.amounts, on)


@pytest.mark.parametrize("seed", [4, 5, 6])
@pytest.mark.parametrize("budget_share", [0.3, 10.0])
def test_fixed_rate_matches_exact(seed: int, budget_share: float) -> None:
    """Both an underfunded pool (available below what is owed) and a funded one."""
    case = _epochs(seed)
    active = case["online"] > 0
    price = case["price_fixed"] / SCALE
    owed = rules.fixed_rate_owed(case["usd_micros"], case["gpus"], case["online"], active)
    owed_uakt = owed.sum(axis=1) / (3600 * price)
    available = np.floor(owed_uakt * budget_share)
    model, emission = rules.fixed_rate(owed, price, available)
    for run in range(RUNS):
        on = active[run]
        lines = [
            FixedRateLine(int(u), int(g), int(s))
            for u, g, s in zip(
                case["usd_micros"][run][on],
                case["gpus"][run][on],
                case["online"][run][on],
                strict=True,
            )
        ]
        exact = allocate_fixed_rate(lines, int(case["price_fixed"][run]), int(available[run]))
        assert abs(emission[run] - (sum(exact.amounts) + exact.dust)) <= 1
        _assert_close(model[run], exact.amounts, on)


@pytest.mark.parametrize("seed", [7, 8, 9])
@pytest.mark.parametrize("mode", [PenaltyMode.WALLET_COUNT, PenaltyMode.NODE_RANK])
def test_availability_matches_exact(seed: int, mode: PenaltyMode) -> None:
    case = _epochs(seed)
    active = case["online"] > 0
    rule = AvailabilityRule(penalty_mode=mode)
    table = rules.penalty_table(rule, NODES)
    model = rules.availability(
        case["emission"],
        case["idle"],
        rules.Column.of(case["benchmark"]),
        rules.Column.of(case["vram"]),
        rules.Column.of(case["age"]),
        case["wallet"],
        active,
        rule,
        table,
    )
    for run in range(RUNS):
        on = np.flatnonzero(active[run])
        nodes = [
            AvailabilityNode(
                node_id=f"node{i:05d}",
                wallet=f"wallet{int(case['wallet'][run][i]):05d}",
                idle=int(case["idle"][run][i]),
                benchmark=int(case["benchmark"][run][i]) * SCALE,
                vram=int(case["vram"][run][i]) * SCALE,
                age=int(case["age"][run][i]) * SCALE,
            )
            for i in on
        ]
        exact = allocate_availability(int(case["emission"][run]), nodes, rule)
        _assert_close(model[run], exact.amounts, active[run])


def test_availability_edge_cases_match_exact() -> None:
    """A dropped term (every age <= 1 day), a lone node and an epoch without idle time."""
    rule = AvailabilityRule(penalty_mode=PenaltyMode.NODE_RANK)
    table = rules.penalty_table(rule, 8)
    wallet = np.array([[0, 0, 0, 0, 0, 1], [0, 1, 1, 1, 1, 1], [0, 0, 1, 1, 2, 2]])
    idle = np.array([[5.0, 4, 3, 2, 1, 9], [7, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
    active = np.array([[True] * 6, [True] + [False] * 5, [True] * 6])
    benchmark = np.array([[900.0, 900, 800, 10, 1, 0]] * 3)
    vram = np.array([[24.0, 24, 48, 80, 80, 16]] * 3)
    age = np.array([[1.0, 0, 1, 1, 0, 1], [30, 1, 1, 1, 1, 1], [3, 3, 3, 3, 3, 3]])
    emission = np.array([1_000_003.0, 999.0, 5000.0])
    model = rules.availability(
        emission,
        idle,
        rules.Column.of(benchmark),
        rules.Column.of(vram),
        rules.Column.of(age),
        wallet,
        active,
        rule,
        table,
    )
    for run in range(3):
        on = np.flatnonzero(active[run])
        nodes = [
            AvailabilityNode(
                node_id=f"n{i}",
                wallet=f"w{wallet[run][i]}",
                idle=int(idle[run][i]),
                benchmark=int(benchmark[run][i]) * SCALE,
                vram=int(vram[run][i]) * SCALE,
                age=int(age[run][i]) * SCALE,
            )
            for i in on
        ]
        exact = allocate_availability(int(emission[run]), nodes, rule)
        expected = np.zeros(6)
        expected[on] = exact.amounts
        assert np.abs(model[run] - expected).max() <= 1
    assert model[1, 0] == 999
    assert model[2].sum() == 0


def test_model_epoch_matches_exact_path() -> None:
    """A whole one-epoch batch of the model, every pool rule and penalty mode: each node's payout
    is within 1 uakt of the module's exact allocation of the same epoch."""
    document = small_document()
    document["epochs"] = 1
    document["population"].update(nodes=400, nodes_per_wallet_mean=4, joins_per_epoch=0)
    rank_pool = dict(document["pools"][2], name="rank")
    rank_pool["availability"] = {"penalty_mode": "node_rank"}
    document["pools"].append(rank_pool)
    batch = simulate(parse_scenario(document), 3, 17)
    nodes = batch.nodes
    online = np.round(batch.node_gpu_hours * 3600 / np.maximum(nodes.gpus, 1))
    lease_rate = np.maximum(nodes.gpus * nodes.lease_usd_per_gpu_hour, 1e-12)
    idle = online - np.round(batch.node_lease_usd * 3600 / lease_rate)
    age = np.maximum(np.floor(nodes.age_start_days + 1), 0)
    price = [int(Decimal(float(p)) * SCALE) for p in batch.price[:, 1]]
    for run in batch.pools:
        pool = run.pool
        for r in range(3):
            on = np.flatnonzero(run.member[r] & (online[r] > 0))
            assert len(on) > 0
            budget = int(run.budget[r])
            if pool.rule == "pro_rata":
                emission = min(int(pool.emission_per_epoch_akt * 10**6), budget)
                exact = allocate_pro_rata(
                    emission, [int(nodes.gpus[r][i]) * int(online[r][i]) for i in on]
                )
            elif pool.rule == "fixed_rate":
                rates = pool.rates_usd_per_gpu_hour
                lines = [
                    FixedRateLine(
                        round(rates[str(nodes.model[r][i])] * 1e6),
                        int(nodes.gpus[r][i]),
                        int(online[r][i]),
                    )
                    for i in on
                ]
                exact = allocate_fixed_rate(lines, price[r], budget)
            else:
                emission = min(int(pool.emission_per_epoch_akt * 10**6), budget)
                exact = allocate_availability(
                    emission,
                    [
                        AvailabilityNode(
                            node_id=f"node{i:06d}",
                            wallet=f"wallet{int(nodes.wallet[r][i]):06d}",
                            idle=int(idle[r][i]),
                            benchmark=int(nodes.benchmark[r][i]) * SCALE,
                            vram=int(nodes.vram[r][i]) * SCALE,
                            age=int(age[r][i]) * SCALE,
                        )
                        for i in on
                    ],
                    pool.availability.rule(),
                )
            expected = np.zeros(nodes.shape[1])
            expected[on] = exact.amounts
            assert np.abs(run.node_paid[r] - expected).max() <= 1, pool.name
            assert run.node_paid[r].sum() > 0
