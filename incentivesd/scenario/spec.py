"""The scenario file: pydantic models of a YAML document, and ``load_scenario``.

A scenario names a horizon (``epochs`` of ``epoch_seconds``), the Monte Carlo ``runs`` and
``seed``, the provider population (initial nodes, joins, leaves, wallet sizes, GPU mix, uptime
and utilization), the market (AKT price path, lease prices, take rate), the pools (rule, budget,
eligibility, participation, optional Venice-style reward redirect) and the sybil study's attacker.
Money in the file is AKT or USD as decimal numbers; the model works in uakt.

Fails when (``ScenarioError``, the message names the file and the field): the file is unreadable
or not YAML; a field is unknown, missing or out of range; a GPU model is not in the module's
catalog; pool names repeat; a rule lacks its settings (rates for ``fixed_rate``, an emission for
``pro_rata`` and ``availability``) or a pool has no budget source.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from incentives.logic.availability import AvailabilityRule, PenaltyMode
from incentives.logic.fixed_point import SCALE, exp_neg_fixed, parse_decimal
from incentives.types.params import DEFAULT_GPU_MODELS

CATALOG = {model.name: model for model in DEFAULT_GPU_MODELS}
PENALTY_MODES = {"wallet_count": PenaltyMode.WALLET_COUNT, "node_rank": PenaltyMode.NODE_RANK}


class ScenarioError(Exception):
    """A scenario file that cannot be used, with the reason."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_model(name: str) -> str:
    if name not in CATALOG:
        raise ValueError(f"unknown GPU model {name!r} (catalog: {', '.join(sorted(CATALOG))})")
    return name


class Beta(Strict):
    """A Beta distribution by its mean and concentration (alpha + beta)."""

    mean: float = Field(gt=0, lt=1)
    concentration: float = Field(default=20.0, gt=0)


class GpuClass(Strict):
    """One kind of node in the GPU mix."""

    model: str
    share: float = Field(gt=0)
    gpus_per_node: list[int] = Field(default=[1], min_length=1)
    benchmark_mean: float = Field(gt=1)
    benchmark_sd: float = Field(default=0.0, ge=0)
    lease_usd_per_gpu_hour: float = Field(ge=0)

    @model_validator(mode="after")
    def _check(self) -> GpuClass:
        _known_model(self.model)
        if min(self.gpus_per_node) < 1 or max(self.gpus_per_node) > 1024:
            raise ValueError("gpus_per_node must be between 1 and 1024")
        return self


class Population(Strict):
    """Providers (wallets) and their nodes."""

    nodes: int = Field(ge=1, le=2_000_000)
    nodes_per_wallet_mean: float = Field(default=2.0, ge=1)
    nodes_per_wallet_max: int = Field(default=50, ge=1, le=10_000)
    joins_per_epoch: float = Field(default=0.0, ge=0)
    wallet_leave_rate: float = Field(default=0.0, ge=0, le=1)
    initial_age_days: tuple[int, int] = (30, 720)
    uptime: Beta = Beta(mean=0.95, concentration=20)
    uptime_noise: float = Field(default=0.05, ge=0, le=1)
    utilization: Beta = Beta(mean=0.4, concentration=4)
    demand_volatility: float = Field(default=0.1, ge=0, le=2)
    gpu_mix: list[GpuClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Population:
        low, high = self.initial_age_days
        if not 0 <= low <= high:
            raise ValueError("initial_age_days must be [low, high] with 0 <= low <= high")
        return self


class Market(Strict):
    """AKT price path (geometric Brownian motion) and the network's take rate on leases."""

    akt_usd: float = Field(gt=0)
    drift_annual: float = 0.0
    volatility_annual: float = Field(default=0.8, ge=0, le=5)
    take_rate: float = Field(default=0.04, ge=0, le=1)


class Eligibility(Strict):
    """Which nodes may join (the module's pool eligibility, from the GPU catalog)."""

    vendors: list[Literal["NVIDIA", "AMD"]] = []
    models: list[str] = []
    min_vram_gb: int = Field(default=0, ge=0)
    min_launch_year: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Eligibility:
        for name in self.models:
            _known_model(name)
        return self


class Availability(Strict):
    """AVAILABILITY settings (RNP-015 defaults)."""

    weight_benchmark: int = Field(default=3, ge=0)
    weight_vram: int = Field(default=3, ge=0)
    weight_age: int = Field(default=1, ge=0)
    penalty_free_nodes: int = Field(default=3, ge=1)
    penalty_decay: str = "0.65"
    penalty_mode: Literal["wallet_count", "node_rank"] = "wallet_count"

    @model_validator(mode="after")
    def _check(self) -> Availability:
        try:
            decay = parse_decimal(self.penalty_decay)
        except ValueError as error:
            raise ValueError(f"penalty_decay: {error}") from None
        if not 0 <= decay <= 20 * SCALE:
            raise ValueError("penalty_decay must be between 0 and 20")
        if self.weight_benchmark + self.weight_vram + self.weight_age == 0:
            raise ValueError("at least one availability weight must be positive")
        return self

    def rule(self, mode: str | None = None) -> AvailabilityRule:
        """The exact path's rule object (``mode`` overrides the penalty mode)."""
        return AvailabilityRule(
            weight_benchmark=self.weight_benchmark,
            weight_vram=self.weight_vram,
            weight_age=self.weight_age,
            penalty_free_nodes=self.penalty_free_nodes,
            penalty_factor=exp_neg_fixed(parse_decimal(self.penalty_decay)),
            penalty_mode=PENALTY_MODES[mode or self.penalty_mode],
        )


class Redirect(Strict):
    """Venice-style opt-in: stakers send a share of their staking rewards to the pool.

    Each run draws its final take-up uniformly from ``take_up``; take-up ramps linearly from 0 to
    it over ``ramp_epochs``.
    """

    staked_akt: float = Field(gt=0)
    staking_apr: float = Field(gt=0, le=5)
    redirect_bps: int = Field(default=10_000, ge=1, le=10_000)
    take_up: tuple[float, float] = (0.05, 0.5)
    ramp_epochs: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _check(self) -> Redirect:
        low, high = self.take_up
        if not 0 <= low <= high <= 1:
            raise ValueError("take_up must be [low, high] with 0 <= low <= high <= 1")
        return self


class Pool(Strict):
    """One incentive pool, as governance would create it."""

    name: str = Field(min_length=1, max_length=128)
    rule: Literal["fixed_rate", "pro_rata", "availability"]
    budget_akt: float | None = Field(default=None, ge=0)
    budget_usd: float | None = Field(default=None, ge=0)
    emission_per_epoch_akt: float | None = Field(default=None, gt=0)
    rates_usd_per_gpu_hour: dict[str, float] = {}
    max_gpus: dict[str, int] = {}
    eligibility: Eligibility = Eligibility()
    participation: float = Field(default=1.0, ge=0, le=1)
    availability: Availability = Availability()
    redirect: Redirect | None = None

    @model_validator(mode="after")
    def _check(self) -> Pool:
        if self.budget_akt is not None and self.budget_usd is not None:
            raise ValueError("give budget_akt or budget_usd, not both")
        if self.budget_akt is None and self.budget_usd is None and self.redirect is None:
            raise ValueError("a pool needs budget_akt, budget_usd or a redirect")
        for name, rate in self.rates_usd_per_gpu_hour.items():
            _known_model(name)
            if rate <= 0:
                raise ValueError(f"rate of {name!r} must be > 0")
        for name, cap in self.max_gpus.items():
            _known_model(name)
            if cap < 0:
                raise ValueError(f"max_gpus of {name!r} must be >= 0")
        if self.rule == "fixed_rate" and not self.rates_usd_per_gpu_hour:
            raise ValueError("a fixed_rate pool needs rates_usd_per_gpu_hour")
        if self.rule != "fixed_rate" and self.emission_per_epoch_akt is None:
            raise ValueError(f"a {self.rule} pool needs emission_per_epoch_akt")
        return self

    def budget_uakt(self, akt_usd: float) -> float:
        """Initial funding in uakt (a USD budget converted at the initial price)."""
        if self.budget_akt is not None:
            return float(Decimal(str(self.budget_akt)) * 10**6)
        if self.budget_usd is not None:
            return float(int(self.budget_usd / akt_usd * 10**6))
        return 0.0


class Attacker(Strict):
    """The sybil study's provider: its nodes and how far it inflates its benchmark."""

    nodes: int = Field(default=12, ge=2, le=1000)
    gpu_model: str = "rtx4090"
    gpus_per_node: int = Field(default=1, ge=1, le=1024)
    wallet_size_after_split: int = Field(default=3, ge=1)
    benchmark_inflation: list[float] = Field(default=[2.0, 10.0], min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Attacker:
        _known_model(self.gpu_model)
        if min(self.benchmark_inflation) <= 1:
            raise ValueError("benchmark_inflation factors must be > 1")
        return self


class Scenario(Strict):
    """A whole scenario file."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = ""
    epochs: int = Field(ge=1, le=3650)
    epoch_seconds: int = Field(default=86_400, ge=60)
    runs: int = Field(default=200, ge=1, le=100_000)
    seed: int = Field(default=0, ge=0)
    population: Population
    market: Market
    pools: list[Pool] = Field(min_length=1, max_length=16)
    attacker: Attacker = Attacker()

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        names = [pool.name for pool in self.pools]
        if len(set(names)) != len(names):
            raise ValueError(f"pool names repeat: {sorted(names)}")
        return self


def _location(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location if not str(part).startswith("function-")]
    return ".".join(parts) or "(top level)"


def parse_scenario(data: object, source: str = "scenario") -> Scenario:
    """Validate a parsed YAML document; raise ``ScenarioError`` naming the first bad field."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ScenarioError(f"{source}: {_location(first['loc'])}: {message}") from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate the scenario file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}: cannot read: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path}: not YAML: {error}") from None
    return parse_scenario(data, str(path))
