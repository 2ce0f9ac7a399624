"""The Monte Carlo model keeps each pool's books, respects eligibility and caps, and its sybil
study finds what the rules let a provider gain."""

from __future__ import annotations

import numpy as np
import pytest

from incentivesd.scenario.figures import gini, top_share
from incentivesd.scenario.model import UAKT, simulate
from incentivesd.scenario.spec import CATALOG, load_scenario, parse_scenario
from incentivesd.scenario.sybil import sybil_figure
from tests.scenario.conftest import SCENARIOS, small_document


def test_pool_ledgers_balance_and_payouts_add_up() -> None:
    scenario = parse_scenario(small_document())
    batch = simulate(scenario, 5, 3)
    for run in batch.pools:
        spent = run.paid.sum(axis=1)
        assert np.allclose(run.budget + run.inflow.sum(axis=1) - spent, run.balance[:, -1])
        assert np.allclose(run.node_paid.sum(axis=1), spent)
        assert (np.diff(run.balance, axis=1) <= 0).all()
        assert (run.balance >= 0).all()
        assert spent.min() > 0
        assert not run.node_paid[~run.member].any()
    liquidity = batch.pools[1]
    assert (liquidity.paid <= 20_000 * UAKT).all()


def test_membership_follows_eligibility_and_caps() -> None:
    scenario = parse_scenario(small_document())
    batch = simulate(scenario, 4, 11)
    committed, liquidity, rnd = batch.pools
    models = batch.nodes.model
    assert set(np.unique(models[committed.member])) <= {"h100", "a100-80gb", "rtxa6000"}
    for model, cap in {"h100": 83, "a100-80gb": 54, "rtxa6000": 105}.items():
        gpus = np.where(committed.member & (models == model), batch.nodes.gpus, 0).sum(axis=1)
        assert (gpus <= cap).all()
    for name in np.unique(models[liquidity.member]):
        assert CATALOG[str(name)].vram_gb >= 24
        assert CATALOG[str(name)].vendor.name == "NVIDIA"
    assert (batch.nodes.launch_year[rnd.member] >= 2022).all()
    assert not liquidity.member[models == "mi300x"].any()


def test_same_seed_same_batch_other_seed_other_batch() -> None:
    scenario = parse_scenario(small_document())
    first, again, other = (
        simulate(scenario, 3, 5),
        simulate(scenario, 3, 5),
        simulate(scenario, 3, 6),
    )
    for a, b, c in zip(first.pools, again.pools, other.pools, strict=True):
        assert np.array_equal(a.node_paid, b.node_paid)
        assert not np.array_equal(a.paid, c.paid)


def test_redirect_funds_the_venice_pool_with_take_up() -> None:
    scenario = load_scenario(SCENARIOS / "venice-opt-in.yaml")
    batch = simulate(scenario, 6, 1)
    (pool,) = batch.pools
    assert pool.take_up is not None
    assert ((pool.take_up >= 0.02) & (pool.take_up <= 0.4)).all()
    inflow = pool.inflow.sum(axis=1)
    order = np.argsort(pool.take_up)
    assert (np.diff(inflow[order]) > 0).all()
    assert (pool.budget == 0).all()
    assert pool.paid[:, 0].sum() > 0


def test_gini_and_top_share() -> None:
    assert gini(np.full(10, 7.0)) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 12.0])) == pytest.approx(0.75)
    assert top_share(np.arange(20.0), top=10) == pytest.approx(sum(range(10, 20)) / sum(range(20)))


def test_sybil_study_finds_the_availability_rules_weak_spots() -> None:
    scenario = load_scenario(SCENARIOS / "render-availability.yaml")
    figure = sybil_figure(scenario, 4, 2)
    gain = {(str(row[0]), str(row[1]), str(row[2])): float(row[5]) for row in figure.rows}
    for rule in ("fixed_rate", "pro_rata"):
        assert all(value == 0 for (r, _, _), value in gain.items() if r == rule)
    count = gain[("availability", "wallet_count", "split_wallets")]
    rank = gain[("availability", "node_rank", "split_wallets")]
    assert count > rank > 0
    for mode in ("wallet_count", "node_rank"):
        assert gain[("availability", mode, "fake_idle")] > 0
        x2 = gain[("availability", mode, "inflate_benchmark_x2")]
        x10 = gain[("availability", mode, "inflate_benchmark_x10")]
        assert 0 < x2 < x10
        assert gain[("availability", mode, "all")] > max(
            count if mode == "wallet_count" else rank, x10
        )
