from incentives.pb import params_pb2 as _params_pb2
from incentives.pb import types_pb2 as _types_pb2
from cosmpy.protos.cosmos.base.v1beta1 import coin_pb2 as _coin_pb2
from cosmpy.protos.cosmos.msg.v1 import msg_pb2 as _msg_pb2
from cosmpy.protos.cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgCreatePool(_message.Message):
    __slots__ = ("authority", "name", "rule", "admin", "attesters", "attestation_quorum", "eligibility", "fixed_rate", "pro_rata", "availability", "start_epoch", "end_epoch")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
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
    authority: str
    name: str
    rule: _types_pb2.AllocationRule
    admin: str
    attesters: _containers.RepeatedScalarFieldContainer[str]
    attestation_quorum: int
    eligibility: _types_pb2.Eligibility
    fixed_rate: _types_pb2.FixedRateConfig
    pro_rata: _types_pb2.ProRataConfig
    availability: _types_pb2.AvailabilityConfig
    start_epoch: int
    end_epoch: int
    def __init__(self, authority: _Optional[str] = ..., name: _Optional[str] = ..., rule: _Optional[_Union[_types_pb2.AllocationRule, str]] = ..., admin: _Optional[str] = ..., attesters: _Optional[_Iterable[str]] = ..., attestation_quorum: _Optional[int] = ..., eligibility: _Optional[_Union[_types_pb2.Eligibility, _Mapping]] = ..., fixed_rate: _Optional[_Union[_types_pb2.FixedRateConfig, _Mapping]] = ..., pro_rata: _Optional[_Union[_types_pb2.ProRataConfig, _Mapping]] = ..., availability: _Optional[_Union[_types_pb2.AvailabilityConfig, _Mapping]] = ..., start_epoch: _Optional[int] = ..., end_epoch: _Optional[int] = ...) -> None: ...

class MsgCreatePoolResponse(_message.Message):
    __slots__ = ("pool_id",)
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    def __init__(self, pool_id: _Optional[int] = ...) -> None: ...

class MsgUpdateParams(_message.Message):
    __slots__ = ("authority", "params")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    authority: str
    params: _params_pb2.Params
    def __init__(self, authority: _Optional[str] = ..., params: _Optional[_Union[_params_pb2.Params, _Mapping]] = ...) -> None: ...

class MsgUpdateParamsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgFundPoolFromCommunityPool(_message.Message):
    __slots__ = ("authority", "pool_id", "amount")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    authority: str
    pool_id: int
    amount: _containers.RepeatedCompositeFieldContainer[_coin_pb2.Coin]
    def __init__(self, authority: _Optional[str] = ..., pool_id: _Optional[int] = ..., amount: _Optional[_Iterable[_Union[_coin_pb2.Coin, _Mapping]]] = ...) -> None: ...

class MsgFundPoolFromCommunityPoolResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgFundPool(_message.Message):
    __slots__ = ("depositor", "pool_id", "amount")
    DEPOSITOR_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    depositor: str
    pool_id: int
    amount: _containers.RepeatedCompositeFieldContainer[_coin_pb2.Coin]
    def __init__(self, depositor: _Optional[str] = ..., pool_id: _Optional[int] = ..., amount: _Optional[_Iterable[_Union[_coin_pb2.Coin, _Mapping]]] = ...) -> None: ...

class MsgFundPoolResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgRegisterNode(_message.Message):
    __slots__ = ("owner", "node_id", "gpu_model", "gpu_count", "benchmark_score")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    GPU_MODEL_FIELD_NUMBER: _ClassVar[int]
    GPU_COUNT_FIELD_NUMBER: _ClassVar[int]
    BENCHMARK_SCORE_FIELD_NUMBER: _ClassVar[int]
    owner: str
    node_id: str
    gpu_model: str
    gpu_count: int
    benchmark_score: int
    def __init__(self, owner: _Optional[str] = ..., node_id: _Optional[str] = ..., gpu_model: _Optional[str] = ..., gpu_count: _Optional[int] = ..., benchmark_score: _Optional[int] = ...) -> None: ...

class MsgRegisterNodeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgJoinPool(_message.Message):
    __slots__ = ("owner", "pool_id", "node_id", "commitment")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    owner: str
    pool_id: int
    node_id: str
    commitment: _types_pb2.Commitment
    def __init__(self, owner: _Optional[str] = ..., pool_id: _Optional[int] = ..., node_id: _Optional[str] = ..., commitment: _Optional[_Union[_types_pb2.Commitment, _Mapping]] = ...) -> None: ...

class MsgJoinPoolResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgSubmitAttestation(_message.Message):
    __slots__ = ("attester", "pool_id", "epoch", "reports")
    ATTESTER_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    attester: str
    pool_id: int
    epoch: int
    reports: _containers.RepeatedCompositeFieldContainer[_types_pb2.NodeReport]
    def __init__(self, attester: _Optional[str] = ..., pool_id: _Optional[int] = ..., epoch: _Optional[int] = ..., reports: _Optional[_Iterable[_Union[_types_pb2.NodeReport, _Mapping]]] = ...) -> None: ...

class MsgSubmitAttestationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgPostPrice(_message.Message):
    __slots__ = ("feeder", "akt_usd")
    FEEDER_FIELD_NUMBER: _ClassVar[int]
    AKT_USD_FIELD_NUMBER: _ClassVar[int]
    feeder: str
    akt_usd: str
    def __init__(self, feeder: _Optional[str] = ..., akt_usd: _Optional[str] = ...) -> None: ...

class MsgPostPriceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgClaimRewards(_message.Message):
    __slots__ = ("provider", "pool_id")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    provider: str
    pool_id: int
    def __init__(self, provider: _Optional[str] = ..., pool_id: _Optional[int] = ...) -> None: ...

class MsgClaimRewardsResponse(_message.Message):
    __slots__ = ("amount",)
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    amount: _containers.RepeatedCompositeFieldContainer[_coin_pb2.Coin]
    def __init__(self, amount: _Optional[_Iterable[_Union[_coin_pb2.Coin, _Mapping]]] = ...) -> None: ...

class MsgSetRewardRedirect(_message.Message):
    __slots__ = ("delegator", "pool_id", "bps")
    DELEGATOR_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    BPS_FIELD_NUMBER: _ClassVar[int]
    delegator: str
    pool_id: int
    bps: int
    def __init__(self, delegator: _Optional[str] = ..., pool_id: _Optional[int] = ..., bps: _Optional[int] = ...) -> None: ...

class MsgSetRewardRedirectResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgClosePool(_message.Message):
    __slots__ = ("authority", "pool_id")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    authority: str
    pool_id: int
    def __init__(self, authority: _Optional[str] = ..., pool_id: _Optional[int] = ...) -> None: ...

class MsgClosePoolResponse(_message.Message):
    __slots__ = ("returned",)
    RETURNED_FIELD_NUMBER: _ClassVar[int]
    returned: _containers.RepeatedCompositeFieldContainer[_coin_pb2.Coin]
    def __init__(self, returned: _Optional[_Iterable[_Union[_coin_pb2.Coin, _Mapping]]] = ...) -> None: ...
