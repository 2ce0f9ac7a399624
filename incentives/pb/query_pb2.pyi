from incentives.pb import params_pb2 as _params_pb2
from incentives.pb import types_pb2 as _types_pb2
from cosmpy.protos.cosmos.base.query.v1beta1 import pagination_pb2 as _pagination_pb2
from cosmpy.protos.cosmos.base.v1beta1 import coin_pb2 as _coin_pb2
from cosmpy.protos.cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QueryParamsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class QueryParamsResponse(_message.Message):
    __slots__ = ("params",)
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    params: _params_pb2.Params
    def __init__(self, params: _Optional[_Union[_params_pb2.Params, _Mapping]] = ...) -> None: ...

class QueryPoolRequest(_message.Message):
    __slots__ = ("pool_id",)
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    def __init__(self, pool_id: _Optional[int] = ...) -> None: ...

class QueryPoolResponse(_message.Message):
    __slots__ = ("pool",)
    POOL_FIELD_NUMBER: _ClassVar[int]
    pool: _types_pb2.Pool
    def __init__(self, pool: _Optional[_Union[_types_pb2.Pool, _Mapping]] = ...) -> None: ...

class QueryPoolsRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _pagination_pb2.PageRequest
    def __init__(self, pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryPoolsResponse(_message.Message):
    __slots__ = ("pools", "pagination")
    POOLS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pools: _containers.RepeatedCompositeFieldContainer[_types_pb2.Pool]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, pools: _Optional[_Iterable[_Union[_types_pb2.Pool, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryNodeRequest(_message.Message):
    __slots__ = ("node_id",)
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    def __init__(self, node_id: _Optional[str] = ...) -> None: ...

class QueryNodeResponse(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: _types_pb2.Node
    def __init__(self, node: _Optional[_Union[_types_pb2.Node, _Mapping]] = ...) -> None: ...

class QueryNodesRequest(_message.Message):
    __slots__ = ("owner", "pagination")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    owner: str
    pagination: _pagination_pb2.PageRequest
    def __init__(self, owner: _Optional[str] = ..., pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryNodesResponse(_message.Message):
    __slots__ = ("nodes", "pagination")
    NODES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[_types_pb2.Node]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, nodes: _Optional[_Iterable[_Union[_types_pb2.Node, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryAccrualsRequest(_message.Message):
    __slots__ = ("provider", "pool_id")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    provider: str
    pool_id: int
    def __init__(self, provider: _Optional[str] = ..., pool_id: _Optional[int] = ...) -> None: ...

class QueryAccrualsResponse(_message.Message):
    __slots__ = ("accruals", "total")
    ACCRUALS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    accruals: _containers.RepeatedCompositeFieldContainer[_types_pb2.Accrual]
    total: _containers.RepeatedCompositeFieldContainer[_coin_pb2.Coin]
    def __init__(self, accruals: _Optional[_Iterable[_Union[_types_pb2.Accrual, _Mapping]]] = ..., total: _Optional[_Iterable[_Union[_coin_pb2.Coin, _Mapping]]] = ...) -> None: ...

class QueryAllocationRequest(_message.Message):
    __slots__ = ("pool_id", "epoch")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    epoch: int
    def __init__(self, pool_id: _Optional[int] = ..., epoch: _Optional[int] = ...) -> None: ...

class QueryAllocationResponse(_message.Message):
    __slots__ = ("allocation",)
    ALLOCATION_FIELD_NUMBER: _ClassVar[int]
    allocation: _types_pb2.Allocation
    def __init__(self, allocation: _Optional[_Union[_types_pb2.Allocation, _Mapping]] = ...) -> None: ...

class QueryPaymentsRequest(_message.Message):
    __slots__ = ("pool_id", "pagination")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    pagination: _pagination_pb2.PageRequest
    def __init__(self, pool_id: _Optional[int] = ..., pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryPaymentsResponse(_message.Message):
    __slots__ = ("payments", "pagination")
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[_types_pb2.Payment]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, payments: _Optional[_Iterable[_Union[_types_pb2.Payment, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryRedirectsRequest(_message.Message):
    __slots__ = ("delegator",)
    DELEGATOR_FIELD_NUMBER: _ClassVar[int]
    delegator: str
    def __init__(self, delegator: _Optional[str] = ...) -> None: ...

class QueryRedirectsResponse(_message.Message):
    __slots__ = ("redirects",)
    REDIRECTS_FIELD_NUMBER: _ClassVar[int]
    redirects: _containers.RepeatedCompositeFieldContainer[_types_pb2.RewardRedirect]
    def __init__(self, redirects: _Optional[_Iterable[_Union[_types_pb2.RewardRedirect, _Mapping]]] = ...) -> None: ...

class QueryPriceRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class QueryPriceResponse(_message.Message):
    __slots__ = ("price",)
    PRICE_FIELD_NUMBER: _ClassVar[int]
    price: _types_pb2.Price
    def __init__(self, price: _Optional[_Union[_types_pb2.Price, _Mapping]] = ...) -> None: ...

class QueryEstimateRewardRequest(_message.Message):
    __slots__ = ("pool_id", "node_id", "online_seconds", "idle_seconds")
    POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    ONLINE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    IDLE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    pool_id: int
    node_id: str
    online_seconds: int
    idle_seconds: int
    def __init__(self, pool_id: _Optional[int] = ..., node_id: _Optional[str] = ..., online_seconds: _Optional[int] = ..., idle_seconds: _Optional[int] = ...) -> None: ...

class QueryEstimateRewardResponse(_message.Message):
    __slots__ = ("amount", "emission", "epoch")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EMISSION_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    amount: str
    emission: str
    epoch: int
    def __init__(self, amount: _Optional[str] = ..., emission: _Optional[str] = ..., epoch: _Optional[int] = ...) -> None: ...
