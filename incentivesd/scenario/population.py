"""Providers and their nodes for a batch of Monte Carlo runs, as ``(runs, nodes)`` arrays.

Each run draws its own population from the scenario: the initial nodes grouped into wallets
(geometric sizes with the given mean, capped), wallets joining later (Poisson, with a uniform join
epoch), wallets leaving (a per-epoch hazard; all of a wallet's nodes leave together), each node's
GPU class (by share), GPUs per node, benchmark score (integer, normal around the class mean),
base uptime and utilization (Beta) and age in days at the start. Runs have different node counts,
so arrays are padded to the largest: a padding slot never joins and has a wallet of its own.

A wallet's nodes are contiguous and wallet ids are below the node count, as ``rules`` expects.

Fails when: never for a validated scenario (numpy raises only on invalid distribution
parameters, which ``spec`` rules out).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from incentivesd.scenario.rules import Array, IntArray
from incentivesd.scenario.spec import CATALOG, Population, Scenario

SECONDS_PER_DAY = 86_400
StrArray = NDArray[np.str_]


@dataclass(frozen=True)
class Nodes:
    """Every node slot of a batch; arrays are ``(runs, nodes)``."""

    wallet: IntArray
    join: IntArray
    leave: IntArray
    gpu_class: IntArray
    gpus: Array
    benchmark: Array
    vram: Array
    uptime: Array
    utilization: Array
    age_start_days: Array
    lease_usd_per_gpu_hour: Array
    vendor: StrArray
    launch_year: IntArray
    model: StrArray

    def rows(self, rows: slice) -> Nodes:
        """The node slots of the runs ``rows`` (array views)."""
        return Nodes(**{field.name: getattr(self, field.name)[rows] for field in fields(self)})

    @property
    def shape(self) -> tuple[int, int]:
        runs, nodes = self.wallet.shape
        return runs, nodes


def _wallet_sizes(rng: np.random.Generator, spec: Population, nodes: int) -> IntArray:
    """Wallet sizes summing to exactly ``nodes``."""
    estimate = int(nodes / spec.nodes_per_wallet_mean) + 16
    sizes = np.minimum(
        rng.geometric(1.0 / spec.nodes_per_wallet_mean, size=estimate), spec.nodes_per_wallet_max
    )
    while sizes.sum() < nodes:
        more = rng.geometric(1.0 / spec.nodes_per_wallet_mean, size=estimate)
        sizes = np.concatenate([sizes, np.minimum(more, spec.nodes_per_wallet_max)])
    cut = int(np.searchsorted(np.cumsum(sizes), nodes))
    sizes = sizes[: cut + 1].copy()
    sizes[-1] -= sizes.sum() - nodes
    return sizes.astype(np.int64)


def _beta(rng: np.random.Generator, mean: float, concentration: float, size: int) -> Array:
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=size)


def _one_run(rng: np.random.Generator, scenario: Scenario) -> dict[str, np.ndarray]:
    spec = scenario.population
    epochs = scenario.epochs
    sizes = [_wallet_sizes(rng, spec, spec.nodes)]
    joins = [np.zeros(len(sizes[0]), dtype=np.int64)]
    joining_wallets = int(rng.poisson(spec.joins_per_epoch * epochs / spec.nodes_per_wallet_mean))
    if joining_wallets and epochs > 1:
        more = np.minimum(
            rng.geometric(1.0 / spec.nodes_per_wallet_mean, size=joining_wallets),
            spec.nodes_per_wallet_max,
        )
        sizes.append(more.astype(np.int64))
        joins.append(np.sort(rng.integers(1, epochs, size=joining_wallets)))
    wallet_sizes = np.concatenate(sizes)
    wallet_join = np.concatenate(joins)
    if spec.wallet_leave_rate > 0:
        stay = rng.geometric(spec.wallet_leave_rate, size=len(wallet_sizes))
    else:
        stay = np.full(len(wallet_sizes), epochs + 1, dtype=np.int64)
    wallet_leave = np.minimum(wallet_join + stay, epochs + 1)
    count = int(wallet_sizes.sum())
    wallet = np.repeat(np.arange(len(wallet_sizes), dtype=np.int64), wallet_sizes)
    mix = spec.gpu_mix
    shares = np.array([gpu.share for gpu in mix])
    gpu_class = rng.choice(len(mix), size=count, p=shares / shares.sum())
    gpus = np.zeros(count)
    benchmark = np.zeros(count)
    lease = np.zeros(count)
    for index, gpu in enumerate(mix):
        chosen = gpu_class == index
        picked = rng.choice(gpu.gpus_per_node, size=int(chosen.sum()))
        gpus[chosen] = picked
        scores = rng.normal(gpu.benchmark_mean, gpu.benchmark_sd, size=int(chosen.sum()))
        benchmark[chosen] = np.maximum(np.rint(scores), 2.0)
        lease[chosen] = gpu.lease_usd_per_gpu_hour
    join = wallet_join[wallet]
    low, high = spec.initial_age_days
    age = rng.integers(low, high + 1, size=count).astype(np.float64)
    age = np.where(join > 0, -join * scenario.epoch_seconds / SECONDS_PER_DAY, age)
    return {
        "wallet": wallet,
        "join": join,
        "leave": wallet_leave[wallet],
        "gpu_class": gpu_class.astype(np.int64),
        "gpus": gpus,
        "benchmark": benchmark,
        "uptime": _beta(rng, spec.uptime.mean, spec.uptime.concentration, count),
        "utilization": _beta(rng, spec.utilization.mean, spec.utilization.concentration, count),
        "age_start_days": age,
        "lease_usd_per_gpu_hour": lease,
    }


def draw_nodes(rng: np.random.Generator, scenario: Scenario, runs: int) -> Nodes:
    """The populations of ``runs`` runs, padded to a common node count."""
    drawn = [_one_run(rng, scenario) for _ in range(runs)]
    width = max(len(run["wallet"]) for run in drawn)
    padded: dict[str, np.ndarray] = {}
    for name in drawn[0]:
        dtype = drawn[0][name].dtype
        padded[name] = np.zeros((runs, width), dtype=dtype)
    for row, run in enumerate(drawn):
        count = len(run["wallet"])
        for name, values in run.items():
            padded[name][row, :count] = values
        first_free = int(run["wallet"][-1]) + 1
        padded["wallet"][row, count:] = np.arange(first_free, first_free + width - count)
        padded["join"][row, count:] = scenario.epochs + 1
        padded["leave"][row, count:] = scenario.epochs + 1
    mix = scenario.population.gpu_mix
    model = np.array([gpu.model for gpu in mix])[padded["gpu_class"]]
    vram_gb = np.array([CATALOG[gpu.model].vram_gb for gpu in mix], dtype=np.float64)
    vendor = np.array([CATALOG[gpu.model].vendor.name for gpu in mix])[padded["gpu_class"]]
    year = np.array([CATALOG[gpu.model].launch_year for gpu in mix], dtype=np.int64)
    return Nodes(
        wallet=padded["wallet"],
        join=padded["join"],
        leave=padded["leave"],
        gpu_class=padded["gpu_class"],
        gpus=padded["gpus"],
        benchmark=padded["benchmark"],
        vram=vram_gb[padded["gpu_class"]] * padded["gpus"],
        uptime=padded["uptime"],
        utilization=padded["utilization"],
        age_start_days=padded["age_start_days"],
        lease_usd_per_gpu_hour=padded["lease_usd_per_gpu_hour"],
        vendor=vendor,
        launch_year=year[padded["gpu_class"]],
        model=model,
    )
