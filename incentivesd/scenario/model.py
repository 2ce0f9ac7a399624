"""The epoch loop of a batch of Monte Carlo runs, vectorized over ``(runs, nodes)``.

Per run: an AKT price path (geometric Brownian motion), a market demand factor per epoch, and the
population from ``population``. Per epoch, every node that has joined and not left is online for
its base uptime plus uniform noise of the given standard deviation (whole seconds), leased for
its utilization times the demand factor, and idle for the rest. Lease revenue is GPU-hours leased
times the class's lease price. Each pool (in file order) takes in its redirected staking rewards,
then allocates with the module's rule (``rules``) among its members that were online:
``min(emission_per_epoch, balance)`` for ``pro_rata`` and ``availability``, the owed USD at the
epoch-end price for ``fixed_rate``. Dust stays in the balance; what is left at the end returns to
the community pool. Epochs finalize at their end (no settlement lag) and every accrual is claimed.

Membership is drawn once per run: the pool's eligibility (vendor, model, memory per GPU and
launch year from the module's catalog), then ``participation``, then for ``fixed_rate`` the rated
models and the ``max_gpus`` caps in join order. Runs are simulated in chunks of ``CHUNK_RUNS``
(each with its own activity stream), so results depend on the seed and the run count only.

Fails when: never for a validated scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from incentives.logic.availability import AvailabilityRule
from incentivesd.scenario import rules
from incentivesd.scenario.population import SECONDS_PER_DAY, Nodes, draw_nodes
from incentivesd.scenario.rules import Array, Mask
from incentivesd.scenario.spec import CATALOG, Pool, Scenario

SECONDS_PER_YEAR = 365 * SECONDS_PER_DAY
CHUNK_RUNS = 16
"""Runs simulated together: small enough that a chunk's arrays stay in cache."""
UNIFORM_SD_SCALE = float(np.sqrt(12.0))
"""Scales a uniform [-1/2, 1/2) draw to standard deviation 1."""
UAKT = 1e6


@dataclass
class PoolRun:
    """One pool over a batch; uakt, arrays ``(runs,)``, ``(runs, epochs)`` or ``(runs, nodes)``."""

    pool: Pool
    member: Mask
    budget: Array
    balance: Array
    paid: Array
    paid_usd: Array
    inflow: Array
    node_paid: Array
    take_up: Array | None

    def rows(self, rows: slice) -> PoolRun:
        """A view of the runs ``rows``: writes go to this pool's arrays."""
        return PoolRun(
            pool=self.pool,
            member=self.member[rows],
            budget=self.budget[rows],
            balance=self.balance[rows],
            paid=self.paid[rows],
            paid_usd=self.paid_usd[rows],
            inflow=self.inflow[rows],
            node_paid=self.node_paid[rows],
            take_up=None if self.take_up is None else self.take_up[rows],
        )


@dataclass
class Batch:
    """A batch of runs: the population, the price paths and every pool's ledger."""

    scenario: Scenario
    nodes: Nodes
    price: Array
    pools: list[PoolRun]
    node_lease_akt: Array
    node_lease_usd: Array
    node_gpu_hours: Array

    def member_totals(self, member: Mask) -> tuple[Array, Array]:
        """GPU-hours delivered and lease USD earned by the ``member`` nodes over the horizon, per
        run (a member's online time always counts in its pool)."""
        weight = member.astype(np.float64)
        return (
            np.einsum("ij,ij->i", self.node_gpu_hours, weight),
            np.einsum("ij,ij->i", self.node_lease_usd, weight),
        )


@dataclass(frozen=True)
class EpochDraw:
    """One epoch's node activity: ``(runs, nodes)`` whole seconds."""

    online: Array
    idle: Array
    leased: Array


def price_paths(rng: np.random.Generator, scenario: Scenario, runs: int) -> Array:
    """AKT/USD at the start of each epoch and at the end of the last: ``(runs, epochs + 1)``."""
    market = scenario.market
    dt = scenario.epoch_seconds / SECONDS_PER_YEAR
    sigma = market.volatility_annual
    steps = (market.drift_annual - sigma**2 / 2) * dt + sigma * np.sqrt(dt) * rng.standard_normal(
        (runs, scenario.epochs)
    )
    log_path = np.concatenate([np.zeros((runs, 1)), np.cumsum(steps, axis=1)], axis=1)
    paths: Array = market.akt_usd * np.exp(log_path)
    return paths


def draw_epoch(
    rng: np.random.Generator, scenario: Scenario, nodes: Nodes, epoch: int, demand: Array
) -> EpochDraw:
    """Online, idle and leased seconds of every node in ``epoch`` (0 when not in the network)."""
    present = (nodes.join <= epoch) & (epoch < nodes.leave)
    fraction = rng.random(nodes.shape, dtype=np.float32)
    fraction -= 0.5
    fraction *= scenario.population.uptime_noise * UNIFORM_SD_SCALE
    np.add(fraction, nodes.uptime, out=fraction, casting="same_kind")
    np.clip(fraction, 0.0, 1.0, out=fraction)
    online = fraction.astype(np.float64)
    online *= scenario.epoch_seconds
    np.floor(online, out=online)
    online *= present
    busy = nodes.utilization * demand[:, None]
    np.clip(busy, 0.0, 1.0, out=busy)
    busy *= online
    leased = np.floor(busy, out=busy)
    return EpochDraw(online=online, idle=online - leased, leased=leased)


def memberships(rng: np.random.Generator, nodes: Nodes, pool: Pool) -> Mask:
    """Which node slots join ``pool`` in each run."""
    rule = pool.eligibility
    member = nodes.gpus > 0
    if rule.vendors:
        member &= np.isin(nodes.vendor, rule.vendors)
    if rule.models:
        member &= np.isin(nodes.model, rule.models)
    if rule.min_vram_gb:
        per_gpu = np.array([CATALOG[str(name)].vram_gb for name in np.unique(nodes.model)])
        eligible_models = np.unique(nodes.model)[per_gpu >= rule.min_vram_gb]
        member &= np.isin(nodes.model, eligible_models)
    if rule.min_launch_year:
        member &= nodes.launch_year >= rule.min_launch_year
    member &= rng.uniform(size=nodes.shape) < pool.participation
    if pool.rule == "fixed_rate":
        member &= np.isin(nodes.model, list(pool.rates_usd_per_gpu_hour))
        member &= _within_caps(nodes, member, pool.max_gpus)
    return member


def _within_caps(nodes: Nodes, member: Mask, caps: dict[str, int]) -> Mask:
    """Members whose GPUs fit their model's cap, committing in join order (then slot order)."""
    allowed = np.ones(nodes.shape, dtype=bool)
    order = np.argsort(nodes.join, axis=1, kind="stable")
    for model, cap in sorted(caps.items()):
        counted = np.where(member & (nodes.model == model), nodes.gpus, 0.0)
        in_order = np.take_along_axis(counted, order, axis=1)
        fits = np.cumsum(in_order, axis=1) <= cap
        fits_by_slot = np.empty_like(fits)
        np.put_along_axis(fits_by_slot, order, fits, axis=1)
        allowed &= fits_by_slot | (counted == 0)
    return allowed


def _usd_micros(nodes: Nodes, pool: Pool) -> Array:
    micros = np.zeros(nodes.shape)
    for model, rate in pool.rates_usd_per_gpu_hour.items():
        micros[nodes.model == model] = round(rate * 1e6)
    return micros


def _new_pool_run(pool: Pool, member: Mask, scenario: Scenario, runs: int, width: int) -> PoolRun:
    epochs = scenario.epochs
    budget = np.full(runs, pool.budget_uakt(scenario.market.akt_usd))
    balance = np.zeros((runs, epochs + 1))
    balance[:, 0] = budget
    return PoolRun(
        pool=pool,
        member=member,
        budget=budget,
        balance=balance,
        paid=np.zeros((runs, epochs)),
        paid_usd=np.zeros((runs, epochs)),
        inflow=np.zeros((runs, epochs)),
        node_paid=np.zeros((runs, width)),
        take_up=None,
    )


def _age_days(nodes: Nodes, scenario: Scenario, epoch: int) -> Array:
    end = (epoch + 1) * scenario.epoch_seconds / SECONDS_PER_DAY
    return np.maximum(np.floor(nodes.age_start_days + end), 0.0)


@dataclass(frozen=True)
class EpochInputs:
    """What every pool reads in one epoch."""

    index: int
    draw: EpochDraw
    online: Mask
    end_price: Array
    benchmark: rules.Column
    vram: rules.Column
    age: rules.Column | None


def _age_column(nodes: Nodes, scenario: Scenario, epoch: int, logs: Array) -> rules.Column:
    """Ages in whole days and their ``L`` from a table of every age up to the last epoch's."""
    age = _age_days(nodes, scenario, epoch)
    return rules.Column(age, logs[age.astype(np.intp)])


def simulate(
    scenario: Scenario,
    runs: int,
    seed: int,
    pools: list[Pool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Batch:
    """Run ``runs`` Monte Carlo runs of ``scenario`` (or of its population under ``pools``).

    Nothing depends on the pools: a batch with other pools sees the same providers, prices and
    activity. A run's population, price path and demand depend only on ``seed`` and its index,
    so a smaller batch has the first runs' providers and prices (its activity noise differs).
    """
    pools = list(scenario.pools) if pools is None else pools
    population_seed, market_seed, activity_seed, pool_seed = np.random.SeedSequence(seed).spawn(4)
    nodes = draw_nodes(np.random.default_rng(population_seed), scenario, runs)
    price_seed, demand_seed = market_seed.spawn(2)
    price = price_paths(np.random.default_rng(price_seed), scenario, runs)
    volatility = scenario.population.demand_volatility
    demand = np.exp(
        volatility * np.random.default_rng(demand_seed).standard_normal((runs, scenario.epochs))
        - volatility**2 / 2
    )
    pool_rng = np.random.default_rng(pool_seed)
    width = nodes.shape[1]
    pool_runs = [
        _new_pool_run(pool, memberships(pool_rng, nodes, pool), scenario, runs, width)
        for pool in pools
    ]
    for run in pool_runs:
        redirect = run.pool.redirect
        if redirect is not None:
            low, high = redirect.take_up
            run.take_up = pool_rng.uniform(low, high, size=runs)
    batch = Batch(
        scenario=scenario,
        nodes=nodes,
        price=price,
        pools=pool_runs,
        node_lease_akt=np.zeros((runs, width)),
        node_lease_usd=np.zeros((runs, width)),
        node_gpu_hours=np.zeros((runs, width)),
    )
    settings = [PoolSettings.of(nodes, run.pool) for run in pool_runs]
    chunks = chunk_count(runs)
    for chunk, chunk_seed in enumerate(activity_seed.spawn(chunks)):
        rows = slice(chunk * CHUNK_RUNS, min((chunk + 1) * CHUNK_RUNS, runs))
        _simulate_rows(batch, rows, np.random.default_rng(chunk_seed), demand, settings, progress)
    return batch


def chunk_count(runs: int) -> int:
    """How many chunks of ``CHUNK_RUNS`` runs a batch is simulated in (progress steps per epoch)."""
    return -(-runs // CHUNK_RUNS)


def _simulate_rows(
    batch: Batch,
    rows: slice,
    rng: np.random.Generator,
    demand: Array,
    settings: list[PoolSettings],
    progress: Callable[[int], None] | None,
) -> None:
    """The epoch loop over the runs ``rows``, writing into ``batch`` through array views."""
    scenario = batch.scenario
    nodes = batch.nodes.rows(rows)
    pool_runs = [run.rows(rows) for run in batch.pools]
    chunk_settings = [pool_settings.rows(rows) for pool_settings in settings]
    lease_akt = batch.node_lease_akt[rows]
    lease_total = batch.node_lease_usd[rows]
    hours_total = batch.node_gpu_hours[rows]
    benchmark = rules.Column.of(nodes.benchmark)
    vram = rules.Column.of(nodes.vram)
    needs_age = any(run.pool.rule == "availability" for run in pool_runs)
    last_age = _age_days(nodes, scenario, scenario.epochs - 1)
    age_logs = rules.Column.of(np.arange(float(last_age.max(initial=0.0)) + 1)).logs
    for epoch in range(scenario.epochs):
        draw = draw_epoch(rng, scenario, nodes, epoch, demand[rows, epoch])
        end_price = batch.price[rows, epoch + 1]
        gpu_hours = nodes.gpus * draw.online / 3600.0
        lease_usd = nodes.gpus * draw.leased
        lease_usd *= nodes.lease_usd_per_gpu_hour / 3600.0
        lease_akt += lease_usd / end_price[:, None]
        lease_total += lease_usd
        hours_total += gpu_hours
        inputs = EpochInputs(
            index=epoch,
            draw=draw,
            online=draw.online > 0,
            end_price=end_price,
            benchmark=benchmark,
            vram=vram,
            age=_age_column(nodes, scenario, epoch, age_logs) if needs_age else None,
        )
        for run, pool_settings in zip(pool_runs, chunk_settings, strict=True):
            _allocate(run, scenario, nodes, inputs, pool_settings)
        if progress is not None:
            progress(1)


@dataclass(frozen=True)
class PoolSettings:
    """Constants of one pool in a batch: FIXED_RATE rate numerators per node, the AVAILABILITY
    rule and its penalty table."""

    micros: Array
    rule: AvailabilityRule | None
    table: Array | None

    @classmethod
    def of(cls, nodes: Nodes, pool: Pool) -> PoolSettings:
        if pool.rule != "availability":
            return cls(_usd_micros(nodes, pool), None, None)
        rule = pool.availability.rule()
        return cls(_usd_micros(nodes, pool), rule, rules.penalty_table(rule, nodes.shape[1]))

    def rows(self, rows: slice) -> PoolSettings:
        return PoolSettings(self.micros[rows], self.rule, self.table)


def _allocate(
    run: PoolRun, scenario: Scenario, nodes: Nodes, inputs: EpochInputs, settings: PoolSettings
) -> None:
    pool = run.pool
    epoch = inputs.index
    balance = run.balance[:, epoch].copy()
    if pool.redirect is not None and run.take_up is not None:
        redirect = pool.redirect
        ramp = min(1.0, (epoch + 1) / redirect.ramp_epochs)
        rewards = redirect.staked_akt * UAKT * redirect.staking_apr
        rewards *= scenario.epoch_seconds / SECONDS_PER_YEAR
        inflow = np.floor(rewards * run.take_up * ramp * redirect.redirect_bps / 10_000)
        run.inflow[:, epoch] = inflow
        balance += inflow
    online = inputs.draw.online
    active = run.member & inputs.online
    if pool.rule == "fixed_rate":
        owed = rules.fixed_rate_owed(settings.micros, nodes.gpus, online, active)
        amounts, _ = rules.fixed_rate(owed, inputs.end_price, balance)
    else:
        assert pool.emission_per_epoch_akt is not None
        emission = np.minimum(pool.emission_per_epoch_akt * UAKT, balance)
        if pool.rule == "pro_rata":
            amounts = rules.pro_rata(emission, nodes.gpus, online, active)
        else:
            assert inputs.age is not None
            assert settings.rule is not None
            assert settings.table is not None
            amounts = rules.availability(
                emission,
                inputs.draw.idle,
                inputs.benchmark,
                inputs.vram,
                inputs.age,
                nodes.wallet,
                active,
                settings.rule,
                settings.table,
            )
    paid = amounts.sum(axis=1)
    run.node_paid += amounts
    run.paid[:, epoch] = paid
    run.paid_usd[:, epoch] = paid / UAKT * inputs.end_price
    run.balance[:, epoch + 1] = balance - paid
