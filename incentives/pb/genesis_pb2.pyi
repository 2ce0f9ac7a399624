from incentives.pb import params_pb2 as _params_pb2
from incentives.pb import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GenesisState(_message.Message):
    __slots__ = ("params", "pools", "nodes", "memberships", "attestations", "accruals", "allocations", "price", "redirects", "payments", "next_pool_id", "next_payment_id", "epoch_state")
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    POOLS_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIPS_FIELD_NUMBER: _ClassVar[int]
    ATTESTATIONS_FIELD_NUMBER: _ClassVar[int]
    ACCRUALS_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    REDIRECTS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_POOL_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    EPOCH_STATE_FIELD_NUMBER: _ClassVar[int]
    params: _params_pb2.Params
    pools: _containers.RepeatedCompositeFieldContainer[_types_pb2.Pool]
    nodes: _containers.RepeatedCompositeFieldContainer[_types_pb2.Node]
    memberships: _containers.RepeatedCompositeFieldContainer[_types_pb2.Membership]
    attestations: _containers.RepeatedCompositeFieldContainer[_types_pb2.Attestation]
    accruals: _containers.RepeatedCompositeFieldContainer[_types_pb2.Accrual]
    allocations: _containers.RepeatedCompositeFieldContainer[_types_pb2.Allocation]
    price: _types_pb2.Price
    redirects: _containers.RepeatedCompositeFieldContainer[_types_pb2.RewardRedirect]
    payments: _containers.RepeatedCompositeFieldContainer[_types_pb2.Payment]
    next_pool_id: int
    next_payment_id: int
    epoch_state: _types_pb2.EpochState
    def __init__(self, params: _Optional[_Union[_params_pb2.Params, _Mapping]] = ..., pools: _Optional[_Iterable[_Union[_types_pb2.Pool, _Mapping]]] = ..., nodes: _Optional[_Iterable[_Union[_types_pb2.Node, _Mapping]]] = ..., memberships: _Optional[_Iterable[_Union[_types_pb2.Membership, _Mapping]]] = ..., attestations: _Optional[_Iterable[_Union[_types_pb2.Attestation, _Mapping]]] = ..., accruals: _Optional[_Iterable[_Union[_types_pb2.Accrual, _Mapping]]] = ..., allocations: _Optional[_Iterable[_Union[_types_pb2.Allocation, _Mapping]]] = ..., price: _Optional[_Union[_types_pb2.Price, _Mapping]] = ..., redirects: _Optional[_Iterable[_Union[_types_pb2.RewardRedirect, _Mapping]]] = ..., payments: _Optional[_Iterable[_Union[_types_pb2.Payment, _Mapping]]] = ..., next_pool_id: _Optional[int] = ..., next_payment_id: _Optional[int] = ..., epoch_state: _Optional[_Union[_types_pb2.EpochState, _Mapping]] = ...) -> None: ...
