"""Domain values of the incentives module: what the store holds, as frozen dataclasses.

Protobuf stays at the edges: ``incentives.types.codec`` is the only place that converts these to
and from the generated messages. Money is ``Int`` (uakt), fractions are ``Dec``, times are unix
seconds, epochs are the numbers the epochs module counts (the first epoch is 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from chain.sdk.math import Dec, Int
from incentives.logic.availability import PenaltyMode

__all__ = [
    "Accrual",
    "Allocation",
    "AllocationRule",
    "AllocationStatus",
    "AvailabilityConfig",
    "Eligibility",
    "EpochState",
    "FixedRateConfig",
    "GpuModel",
    "Membership",
    "ModelRate",
    "Node",
    "NodeAllocation",
    "NodeReport",
    "Payment",
    "PenaltyMode",
    "Pool",
    "PoolStatus",
    "Price",
    "ProRataConfig",
    "RewardRedirect",
    "Vendor",
]


ZERO = Int(0)
DEFAULT_PENALTY_DECAY = Dec.from_str("0.65")


class Vendor(IntEnum):
    UNSPECIFIED = 0
    NVIDIA = 1
    AMD = 2


class AllocationRule(IntEnum):
    UNSPECIFIED = 0
    FIXED_RATE = 1
    PRO_RATA = 2
    AVAILABILITY = 3


class PoolStatus(IntEnum):
    UNSPECIFIED = 0
    ACTIVE = 1
    CLOSED = 2


class AllocationStatus(IntEnum):
    UNSPECIFIED = 0
    FINALIZED = 1
    DEFERRED = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class GpuModel:
    """A catalog entry: the attributes a registered node inherits from its model."""

    name: str
    vendor: Vendor
    vram_gb: int
    launch_year: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Eligibility:
    """Which nodes may join a pool; an empty list or a zero is no restriction."""

    vendors: tuple[Vendor, ...] = ()
    gpu_models: tuple[str, ...] = ()
    min_vram_gb: int = 0
    min_launch_year: int = 0
    max_nodes_per_provider: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelRate:
    """FIXED_RATE price of one GPU model and the pool's cap on its GPUs (0: no cap)."""

    gpu_model: str
    usd_micros_per_gpu_hour: int
    max_gpus: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FixedRateConfig:
    rates: tuple[ModelRate, ...]
    min_commitment_epochs: int = 0

    def rate_of(self, gpu_model: str) -> ModelRate | None:
        for rate in self.rates:
            if rate.gpu_model == gpu_model:
                return rate
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProRataConfig:
    emission_per_epoch: Int


@dataclass(frozen=True, slots=True, kw_only=True)
class AvailabilityConfig:
    emission_per_epoch: Int
    weight_benchmark: int = 3
    weight_vram: int = 3
    weight_age: int = 1
    penalty_free_nodes: int = 3
    penalty_decay: Dec = DEFAULT_PENALTY_DECAY
    penalty_mode: PenaltyMode = PenaltyMode.WALLET_COUNT


@dataclass(frozen=True, slots=True, kw_only=True)
class Pool:
    """A funded budget with its schedule, eligibility, rule, attesters and ledger.

    Ledger: ``funded == balance + accrued + paid + returned`` at all times.
    """

    id: int
    name: str
    rule: AllocationRule
    admin: str
    attesters: tuple[str, ...]
    attestation_quorum: int
    eligibility: Eligibility
    fixed_rate: FixedRateConfig | None = None
    pro_rata: ProRataConfig | None = None
    availability: AvailabilityConfig | None = None
    start_epoch: int
    end_epoch: int
    status: PoolStatus = PoolStatus.ACTIVE
    funded: Int = ZERO
    balance: Int = ZERO
    accrued: Int = ZERO
    paid: Int = ZERO
    returned: Int = ZERO
    last_finalized_epoch: int = 0

    @property
    def next_epoch_to_finalize(self) -> int:
        return max(self.last_finalized_epoch + 1, self.start_epoch)


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    id: str
    owner: str
    gpu_model: str
    gpu_count: int
    benchmark_score: int
    registered_time: int
    registered_epoch: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Membership:
    """A node in a pool; ``until_epoch`` is the commitment's last epoch (0: no commitment)."""

    pool_id: int
    node_id: str
    owner: str
    joined_epoch: int
    until_epoch: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeReport:
    """An attester's measurement of one node over one epoch (benchmark 0: not measured)."""

    node_id: str
    online_seconds: int
    idle_seconds: int
    benchmark_score: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Accrual:
    pool_id: int
    epoch: int
    provider: str
    amount: Int
    expires_epoch: int


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeAllocation:
    node_id: str
    provider: str
    weight: int
    amount: Int


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """The outcome of one pool epoch: ``distributed + dust == emission``."""

    pool_id: int
    epoch: int
    status: AllocationStatus
    emission: Int = ZERO
    distributed: Int = ZERO
    dust: Int = ZERO
    price: Dec | None = None
    price_time: int = 0
    nodes: tuple[NodeAllocation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Price:
    """The AKT/USD price (USD per AKT) posted by a feeder at ``time``."""

    akt_usd: Dec
    time: int
    feeder: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RewardRedirect:
    """A delegator's standing share (basis points) of staking rewards sent to a pool."""

    delegator: str
    pool_id: int
    bps: int
    contributed: Int = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """One paid claim: an entry of the public payments ledger."""

    id: int
    pool_id: int
    epoch: int
    provider: str
    amount: Int
    height: int
    time: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EpochState:
    """The module's view of its epoch: the running epoch and when it started."""

    current_epoch: int = 0
    current_epoch_start_time: int = 0
    epoch_duration_seconds: int = 0
