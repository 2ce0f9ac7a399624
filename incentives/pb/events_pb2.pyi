from incentives.pb import types_pb2 as _types_pb2
from cosmpy.protos.cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventPoolCreated(_message.Message):
    __slots__ = ("pool_id", "name", "rule", "start_epoch", "end_epoch")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    START_EPOCH_FIELD_NUMBER: _ClassVar[int]
    END_EPOCH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    name: str
    rule: _types_pb2.AllocationRule
    start_epoch: int
    end_epoch: int
    def __init__(self, pool_id: _Optional[int] = ..., name: _Optional[str] = ..., rule: _Optional[_Union[_types_pb2.AllocationRule, str]] = ..., start_epoch: _Optional[int] = ..., end_epoch: _Optional[int] = ...) -> None: ...

class EventPoolFunded(_message.Message):
    __slots__ = ("pool_id", "funder", "amount", "from_community_pool")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    FUNDER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FROM_COMMUNITY_POOL_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    funder: str
    amount: str
    from_community_pool: bool
    def __init__(self, pool_id: _Optional[int] = ..., funder: _Optional[str] = ..., amount: _Optional[str] = ..., from_community_pool: bool = ...) -> None: ...

class EventNodeRegistered(_message.Message):
    __slots__ = ("node_id", "owner", "gpu_model", "gpu_count")
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    GPU_MODEL_FIELD_NUMBER: _ClassVar[int]
    GPU_COUNT_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    owner: str
    gpu_model: str
    gpu_count: int
    def __init__(self, node_id: _Optional[str] = ..., owner: _Optional[str] = ..., gpu_model: _Optional[str] = ..., gpu_count: _Optional[int] = ...) -> None: ...

class EventPoolJoined(_message.Message):
    __slots__ = ("pool_id", "node_id", "owner", "until_epoch")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    UNTIL_EPOCH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    node_id: str
    owner: str
    until_epoch: int
    def __init__(self, pool_id: _Optional[int] = ..., node_id: _Optional[str] = ..., owner: _Optional[str] = ..., until_epoch: _Optional[int] = ...) -> None: ...

class EventAttestationSubmitted(_message.Message):
    __slots__ = ("pool_id", "epoch", "attester", "reports")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    ATTESTER_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    attester: str
    reports: int
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., attester: _Optional[str] = ..., reports: _Optional[int] = ...) -> None: ...

class EventPricePosted(_message.Message):
    __slots__ = ("akt_usd", "feeder", "time")
    AKT_USD_FIELD_NUMBER: _ClassVar[int]
    FEEDER_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    akt_usd: str
    feeder: str
    time: int
    def __init__(self, akt_usd: _Optional[str] = ..., feeder: _Optional[str] = ..., time: _Optional[int] = ...) -> None: ...

class EventEpochFinalized(_message.Message):
    __slots__ = ("pool_id", "epoch", "emission", "distributed", "dust", "nodes")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    EMISSION_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTED_FIELD_NUMBER: _ClassVar[int]
    DUST_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    emission: str
    distributed: str
    dust: str
    nodes: int
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., emission: _Optional[str] = ..., distributed: _Optional[str] = ..., dust: _Optional[str] = ..., nodes: _Optional[int] = ...) -> None: ...

class EventEpochDeferred(_message.Message):
    __slots__ = ("pool_id", "epoch", "reason")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    reason: str
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class EventRewardsAccrued(_message.Message):
    __slots__ = ("pool_id", "epoch", "provider", "amount")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    provider: str
    amount: str
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., provider: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class EventRewardsClaimed(_message.Message):
    __slots__ = ("provider", "pool_id", "amount", "payment_id", "epoch")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    provider: str
    pool_id: int
    amount: str
    payment_id: int
    epoch: int
    def __init__(self, provider: _Optional[str] = ..., pool_id: _Optional[int] = ..., amount: _Optional[str] = ..., payment_id: _Optional[int] = ..., epoch: _Optional[int] = ...) -> None: ...

class EventAccrualExpired(_message.Message):
    __slots__ = ("pool_id", "epoch", "provider", "amount")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    provider: str
    amount: str
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., provider: _Optional[str] = ..., amount: _Optional[str] = ...) -> None: ...

class EventRewardRedirectSet(_message.Message):
    __slots__ = ("delegator", "pool_id", "bps")
    DELEGATOR_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    BPS_FIELD_NUMBER: _ClassVar[int]
    delegator: str
    pool_id: int
    bps: int
    def __init__(self, delegator: _Optional[str] = ..., pool_id: _Optional[int] = ..., bps: _Optional[int] = ...) -> None: ...

class EventRewardsRedirected(_message.Message):
    __slots__ = ("delegator", "pool_id", "amount")
    DELEGATOR_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    delegator: str
    pool_id: int
    amount: str
    def __init__(self, delegator: _Optional[str] = ..., pool_id: _Optional[int] = ..., amount: _Optional[str] = ...) -> None: ...

class EventPoolClosed(_message.Message):
    __slots__ = ("pool_id", "returned", "reason")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    RETURNED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    returned: str
    reason: str
    def __init__(self, pool_id: _Optional[int] = ..., returned: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EventParamsUpdated(_message.Message):
    __slots__ = ("authority",)
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    authority: str
    def __init__(self, authority: _Optional[str] = ...) -> None: ...
