from incentives.pb import params_pb2 as _params_pb2
from cosmpy.protos.cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AllocationRule(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALLOCATION_RULE_UNSPECIFIED: _ClassVar[AllocationRule]
    ALLOCATION_RULE_FIXED_RATE: _ClassVar[AllocationRule]
    ALLOCATION_RULE_PRO_RATA: _ClassVar[AllocationRule]
    ALLOCATION_RULE_AVAILABILITY: _ClassVar[AllocationRule]

class PenaltyMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PENALTY_MODE_UNSPECIFIED: _ClassVar[PenaltyMode]
    PENALTY_MODE_WALLET_COUNT: _ClassVar[PenaltyMode]
    PENALTY_MODE_NODE_RANK: _ClassVar[PenaltyMode]

class PoolStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POOL_STATUS_UNSPECIFIED: _ClassVar[PoolStatus]
    POOL_STATUS_ACTIVE: _ClassVar[PoolStatus]
    POOL_STATUS_CLOSED: _ClassVar[PoolStatus]

class AllocationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALLOCATION_STATUS_UNSPECIFIED: _ClassVar[AllocationStatus]
    ALLOCATION_STATUS_FINALIZED: _ClassVar[AllocationStatus]
    ALLOCATION_STATUS_DEFERRED: _ClassVar[AllocationStatus]
ALLOCATION_RULE_UNSPECIFIED: AllocationRule
ALLOCATION_RULE_FIXED_RATE: AllocationRule
ALLOCATION_RULE_PRO_RATA: AllocationRule
ALLOCATION_RULE_AVAILABILITY: AllocationRule
PENALTY_MODE_UNSPECIFIED: PenaltyMode
PENALTY_MODE_WALLET_COUNT: PenaltyMode
PENALTY_MODE_NODE_RANK: PenaltyMode
POOL_STATUS_UNSPECIFIED: PoolStatus
POOL_STATUS_ACTIVE: PoolStatus
POOL_STATUS_CLOSED: PoolStatus
ALLOCATION_STATUS_UNSPECIFIED: AllocationStatus
ALLOCATION_STATUS_FINALIZED: AllocationStatus
ALLOCATION_STATUS_DEFERRED: AllocationStatus

class Eligibility(_message.Message):
    __slots__ = ("vendors", "gpu_models", "min_vram_gb", "min_launch_year", "max_nodes_per_provider")
    VENDORS_FIELD_NUMBER: _ClassVar[int]
    GPU_MODELS_FIELD_NUMBER: _ClassVar[int]
    MIN_VRAM_GB_FIELD_NUMBER: _ClassVar[int]
    MIN_LAUNCH_YEAR_FIELD_NUMBER: _ClassVar[int]
    MAX_NODES_PER_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    vendors: _containers.RepeatedScalarFieldContainer[_params_pb2.Vendor]
    gpu_models: _containers.RepeatedScalarFieldContainer[str]
    min_vram_gb: int
    min_launch_year: int
    max_nodes_per_provider: int
    def __init__(self, vendors: _Optional[_Iterable[_Union[_params_pb2.Vendor, str]]] = ..., gpu_models: _Optional[_Iterable[str]] = ..., min_vram_gb: _Optional[int] = ..., min_launch_year: _Optional[int] = ..., max_nodes_per_provider: _Optional[int] = ...) -> None: ...

class ModelRate(_message.Message):
    __slots__ = ("gpu_model", "usd_micros_per_gpu_hour", "max_gpus")
    GPU_MODEL_FIELD_NUMBER: _ClassVar[int]
    USD_MICROS_PER_GPU_HOUR_FIELD_NUMBER: _ClassVar[int]
    MAX_GPUS_FIELD_NUMBER: _ClassVar[int]
    gpu_model: str
    usd_micros_per_gpu_hour: int
    max_gpus: int
    def __init__(self, gpu_model: _Optional[str] = ..., usd_micros_per_gpu_hour: _Optional[int] = ..., max_gpus: _Optional[int] = ...) -> None: ...

class FixedRateConfig(_message.Message):
    __slots__ = ("rates", "min_commitment_epochs")
    RATES_FIELD_NUMBER: _ClassVar[int]
    MIN_COMMITMENT_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    rates: _containers.RepeatedCompositeFieldContainer[ModelRate]
    min_commitment_epochs: int
    def __init__(self, rates: _Optional[_Iterable[_Union[ModelRate, _Mapping]]] = ..., min_commitment_epochs: _Optional[int] = ...) -> None: ...

class ProRataConfig(_message.Message):
    __slots__ = ("emission_per_epoch",)
    EMISSION_PER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    emission_per_epoch: str
    def __init__(self, emission_per_epoch: _Optional[str] = ...) -> None: ...

class AvailabilityConfig(_message.Message):
    __slots__ = ("emission_per_epoch", "weight_benchmark", "weight_vram", "weight_age", "penalty_free_nodes", "penalty_decay", "penalty_mode")
    EMISSION_PER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_BENCHMARK_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_VRAM_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_AGE_FIELD_NUMBER: _ClassVar[int]
    PENALTY_FREE_NODES_FIELD_NUMBER: _ClassVar[int]
    PENALTY_DECAY_FIELD_NUMBER: _ClassVar[int]
    PENALTY_MODE_FIELD_NUMBER: _ClassVar[int]
    emission_per_epoch: str
    weight_benchmark: int
    weight_vram: int
    weight_age: int
    penalty_free_nodes: int
    penalty_decay: str
    penalty_mode: PenaltyMode
    def __init__(self, emission_per_epoch: _Optional[str] = ..., weight_benchmark: _Optional[int] = ..., weight_vram: _Optional[int] = ..., weight_age: _Optional[int] = ..., penalty_free_nodes: _Optional[int] = ..., penalty_decay: _Optional[str] = ..., penalty_mode: _Optional[_Union[PenaltyMode, str]] = ...) -> None: ...

class Pool(_message.Message):
    __slots__ = ("id", "name", "rule", "admin", "attesters", "attestation_quorum", "eligibility", "fixed_rate", "pro_rata", "availability", "start_epoch", "end_epoch", "status", "funded", "balance", "accrued", "paid", "returned", "last_finalized_epoch")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    ADMIN_FIELD_NUMBER: _ClassVar[int]
    ATTESTERS_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_QUORUM_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_FIELD_NUMBER: _ClassVar[int]
    FIXED_RATE_FIELD_NUMBER: _ClassVar[int]
    PRO_RATA_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    START_EPOCH_FIELD_NUMBER: _ClassVar[int]
    END_EPOCH_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FUNDED_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    ACCRUED_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    RETURNED_FIELD_NUMBER: _ClassVar[int]
    LAST_FINALIZED_EPOCH_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    rule: AllocationRule
    admin: str
    attesters: _containers.RepeatedScalarFieldContainer[str]
    attestation_quorum: int
    eligibility: Eligibility
    fixed_rate: FixedRateConfig
    pro_rata: ProRataConfig
    availability: AvailabilityConfig
    start_epoch: int
    end_epoch: int
    status: PoolStatus
    funded: str
    balance: str
    accrued: str
    paid: str
    returned: str
    last_finalized_epoch: int
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., rule: _Optional[_Union[AllocationRule, str]] = ..., admin: _Optional[str] = ..., attesters: _Optional[_Iterable[str]] = ..., attestation_quorum: _Optional[int] = ..., eligibility: _Optional[_Union[Eligibility, _Mapping]] = ..., fixed_rate: _Optional[_Union[FixedRateConfig, _Mapping]] = ..., pro_rata: _Optional[_Union[ProRataConfig, _Mapping]] = ..., availability: _Optional[_Union[AvailabilityConfig, _Mapping]] = ..., start_epoch: _Optional[int] = ..., end_epoch: _Optional[int] = ..., status: _Optional[_Union[PoolStatus, str]] = ..., funded: _Optional[str] = ..., balance: _Optional[str] = ..., accrued: _Optional[str] = ..., paid: _Optional[str] = ..., returned: _Optional[str] = ..., last_finalized_epoch: _Optional[int] = ...) -> None: ...

class Node(_message.Message):
    __slots__ = ("id", "owner", "gpu_model", "gpu_count", "benchmark_score", "registered_time", "registered_epoch")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    GPU_MODEL_FIELD_NUMBER: _ClassVar[int]
    GPU_COUNT_FIELD_NUMBER: _ClassVar[int]
    BENCHMARK_SCORE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_TIME_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_EPOCH_FIELD_NUMBER: _ClassVar[int]
    id: str
    owner: str
    gpu_model: str
    gpu_count: int
    benchmark_score: int
    registered_time: int
    registered_epoch: int
    def __init__(self, id: _Optional[str] = ..., owner: _Optional[str] = ..., gpu_model: _Optional[str] = ..., gpu_count: _Optional[int] = ..., benchmark_score: _Optional[int] = ..., registered_time: _Optional[int] = ..., registered_epoch: _Optional[int] = ...) -> None: ...

class Commitment(_message.Message):
    __slots__ = ("until_epoch",)
    UNTIL_EPOCH_FIELD_NUMBER: _ClassVar[int]
    until_epoch: int
    def __init__(self, until_epoch: _Optional[int] = ...) -> None: ...

class Membership(_message.Message):
    __slots__ = ("pool_id", "node_id", "owner", "joined_epoch", "commitment")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    JOINED_EPOCH_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    node_id: str
    owner: str
    joined_epoch: int
    commitment: Commitment
    def __init__(self, pool_id: _Optional[int] = ..., node_id: _Optional[str] = ..., owner: _Optional[str] = ..., joined_epoch: _Optional[int] = ..., commitment: _Optional[_Union[Commitment, _Mapping]] = ...) -> None: ...

class NodeReport(_message.Message):
    __slots__ = ("node_id", "online_seconds", "idle_seconds", "benchmark_score")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    ONLINE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    IDLE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    BENCHMARK_SCORE_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    online_seconds: int
    idle_seconds: int
    benchmark_score: int
    def __init__(self, node_id: _Optional[str] = ..., online_seconds: _Optional[int] = ..., idle_seconds: _Optional[int] = ..., benchmark_score: _Optional[int] = ...) -> None: ...

class Attestation(_message.Message):
    __slots__ = ("pool_id", "epoch", "attester", "report")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    ATTESTER_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    attester: str
    report: NodeReport
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., attester: _Optional[str] = ..., report: _Optional[_Union[NodeReport, _Mapping]] = ...) -> None: ...

class Accrual(_message.Message):
    __slots__ = ("pool_id", "epoch", "provider", "amount", "expires_epoch")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_EPOCH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    provider: str
    amount: str
    expires_epoch: int
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., provider: _Optional[str] = ..., amount: _Optional[str] = ..., expires_epoch: _Optional[int] = ...) -> None: ...

class NodeAllocation(_message.Message):
    __slots__ = ("node_id", "provider", "weight", "amount")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    provider: str
    weight: str
    amount: str
    def __init__(self, node_id: _Optional[str] = ..., provider: _Optional[str] = ..., weight: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class Allocation(_message.Message):
    __slots__ = ("pool_id", "epoch", "status", "emission", "distributed", "dust", "price", "price_time", "nodes")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EMISSION_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTED_FIELD_NUMBER: _ClassVar[int]
    DUST_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    PRICE_TIME_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    status: AllocationStatus
    emission: str
    distributed: str
    dust: str
    price: str
    price_time: int
    nodes: _containers.RepeatedCompositeFieldContainer[NodeAllocation]
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., status: _Optional[_Union[AllocationStatus, str]] = ..., emission: _Optional[str] = ..., distributed: _Optional[str] = ..., dust: _Optional[str] = ..., price: _Optional[str] = ..., price_time: _Optional[int] = ..., nodes: _Optional[_Iterable[_Union[NodeAllocation, _Mapping]]] = ...) -> None: ...

class Price(_message.Message):
    __slots__ = ("akt_usd", "time", "feeder")
    AKT_USD_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    FEEDER_FIELD_NUMBER: _ClassVar[int]
    akt_usd: str
    time: int
    feeder: str
    def __init__(self, akt_usd: _Optional[str] = ..., time: _Optional[int] = ..., feeder: _Optional[str] = ...) -> None: ...

class RewardRedirect(_message.Message):
    __slots__ = ("delegator", "pool_id", "bps", "contributed")
    DELEGATOR_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    BPS_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTED_FIELD_NUMBER: _ClassVar[int]
    delegator: str
    pool_id: int
    bps: int
    contributed: str
    def __init__(self, delegator: _Optional[str] = ..., pool_id: _Optional[int] = ..., bps: _Optional[int] = ..., contributed: _Optional[str] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("id", "pool_id", "epoch", "provider", "amount", "height", "time")
    ID_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    id: int
    pool_id: int
    epoch: int
    provider: str
    amount: str
    height: int
    time: int
    def __init__(self, id: _Optional[int] = ..., pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., provider: _Optional[str] = ..., amount: _Optional[str] = ..., height: _Optional[int] = ..., time: _Optional[int] = ...) -> None: ...

class EpochState(_message.Message):
    __slots__ = ("current_epoch", "current_epoch_start_time", "epoch_duration_seconds")
    CURRENT_EPOCH_FIELD_NUMBER: _ClassVar[int]
    CURRENT_EPOCH_START_TIME_FIELD_NUMBER: _ClassVar[int]
    EPOCH_DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    current_epoch: int
    current_epoch_start_time: int
    epoch_duration_seconds: int
    def __init__(self, current_epoch: _Optional[int] = ..., current_epoch_start_time: _Optional[int] = ..., epoch_duration_seconds: _Optional[int] = ...) -> None: ...
