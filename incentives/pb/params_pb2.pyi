from cosmpy.protos.cosmos_proto import cosmos_pb2 as _cosmos_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Vendor(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VENDOR_UNSPECIFIED: _ClassVar[Vendor]
    VENDOR_NVIDIA: _ClassVar[Vendor]
    VENDOR_AMD: _ClassVar[Vendor]
VENDOR_UNSPECIFIED: Vendor
VENDOR_NVIDIA: Vendor
VENDOR_AMD: Vendor

class GpuModel(_message.Message):
    __slots__ = ("name", "vendor", "vram_gb", "launch_year")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    VRAM_GB_FIELD_NUMBER: _ClassVar[int]
    LAUNCH_YEAR_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor: Vendor
    vram_gb: int
    launch_year: int
    def __init__(self, name: _Optional[str] = ..., vendor: _Optional[_Union[Vendor, str]] = ..., vram_gb: _Optional[int] = ..., launch_year: _Optional[int] = ...) -> None: ...

class Params(_message.Message):
    __slots__ = ("epoch_identifier", "settlement_lag_epochs", "claim_window_epochs", "max_price_age_seconds", "price_feeders", "gpu_models", "reward_denom", "max_reports_per_attestation")
    EPOCH_IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    SETTLEMENT_LAG_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    CLAIM_WINDOW_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    MAX_PRICE_AGE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEEDERS_FIELD_NUMBER: _ClassVar[int]
    GPU_MODELS_FIELD_NUMBER: _ClassVar[int]
    REWARD_DENOM_FIELD_NUMBER: _ClassVar[int]
    MAX_REPORTS_PER_ATTESTATION_FIELD_NUMBER: _ClassVar[int]
    epoch_identifier: str
    settlement_lag_epochs: int
    claim_window_epochs: int
    max_price_age_seconds: int
    price_feeders: _containers.RepeatedScalarFieldContainer[str]
    gpu_models: _containers.RepeatedCompositeFieldContainer[GpuModel]
    reward_denom: str
    max_reports_per_attestation: int
    def __init__(self, epoch_identifier: _Optional[str] = ..., settlement_lag_epochs: _Optional[int] = ..., claim_window_epochs: _Optional[int] = ..., max_price_age_seconds: _Optional[int] = ..., price_feeders: _Optional[_Iterable[str]] = ..., gpu_models: _Optional[_Iterable[_Union[GpuModel, _Mapping]]] = ..., reward_denom: _Optional[str] = ..., max_reports_per_attestation: _Optional[int] = ...) -> None: ...
