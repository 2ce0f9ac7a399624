"""Module parameters: defaults, the GPU model catalog and stateless validation.

Owns ``Params`` (changed only through ``MsgUpdateParams`` by the gov authority) and the default
GPU catalog. Model names follow Akash's provider attribute names
(``capabilities/gpu/vendor/<vendor>/model/<model>``); memory and launch year are public specs.

Fails when (``validate_params``): the epoch identifier is empty; the claim window is zero; the
price age limit is zero; a price feeder is not a valid address or is listed twice; the catalog
names a model twice, has an unspecified vendor, zero memory or a launch year before 2000; the
reward denom is invalid; the report limit is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.sdk.address import decode_canonical_address
from chain.sdk.errors import SdkError
from chain.sdk.math import validate_denom
from incentives.types.errors import ErrInvalidParams
from incentives.types.state import GpuModel, Vendor

DEFAULT_GPU_MODELS: tuple[GpuModel, ...] = tuple(
    sorted(
        (
            GpuModel(name=name, vendor=vendor, vram_gb=vram, launch_year=year)
            for name, vendor, vram, year in (
                ("a10", Vendor.NVIDIA, 24, 2021),
                ("a100-40gb", Vendor.NVIDIA, 40, 2020),
                ("a100-80gb", Vendor.NVIDIA, 80, 2020),
                ("b200", Vendor.NVIDIA, 192, 2024),
                ("h100", Vendor.NVIDIA, 80, 2022),
                ("h200", Vendor.NVIDIA, 141, 2024),
                ("l40s", Vendor.NVIDIA, 48, 2023),
                ("mi300x", Vendor.AMD, 192, 2023),
                ("mi325x", Vendor.AMD, 256, 2024),
                ("mi350x", Vendor.AMD, 288, 2025),
                ("rtx3090", Vendor.NVIDIA, 24, 2020),
                ("rtx4090", Vendor.NVIDIA, 24, 2022),
                ("rtx5090", Vendor.NVIDIA, 32, 2025),
                ("rtxa6000", Vendor.NVIDIA, 48, 2020),
                ("t4", Vendor.NVIDIA, 16, 2018),
            )
        ),
        key=lambda model: model.name,
    )
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Module parameters."""

    epoch_identifier: str = "day"
    settlement_lag_epochs: int = 1
    claim_window_epochs: int = 30
    max_price_age_seconds: int = 3600
    price_feeders: tuple[str, ...] = ()
    gpu_models: tuple[GpuModel, ...] = DEFAULT_GPU_MODELS
    reward_denom: str = "uakt"
    max_reports_per_attestation: int = 1000

    def gpu_model(self, name: str) -> GpuModel | None:
        for model in self.gpu_models:
            if model.name == name:
                return model
        return None


DEFAULT_PARAMS = Params()


def validate_params(params: Params) -> None:
    """Raise ``ErrInvalidParams`` naming the first invalid field."""
    if not params.epoch_identifier.strip():
        raise ErrInvalidParams.wrap("epoch_identifier must not be empty")
    if params.claim_window_epochs <= 0:
        raise ErrInvalidParams.wrap("claim_window_epochs must be positive")
    if params.max_price_age_seconds <= 0:
        raise ErrInvalidParams.wrap("max_price_age_seconds must be positive")
    if params.max_reports_per_attestation <= 0:
        raise ErrInvalidParams.wrap("max_reports_per_attestation must be positive")
    for feeder in params.price_feeders:
        try:
            decode_canonical_address(feeder)
        except SdkError as err:
            raise ErrInvalidParams.wrap(f"price feeder {feeder!r}: {err.log}") from None
    if len(set(params.price_feeders)) != len(params.price_feeders):
        raise ErrInvalidParams.wrap("duplicate price feeder")
    names = [model.name for model in params.gpu_models]
    if len(set(names)) != len(names):
        raise ErrInvalidParams.wrap("duplicate gpu model in catalog")
    for model in params.gpu_models:
        if not model.name or model.vendor == Vendor.UNSPECIFIED:
            raise ErrInvalidParams.wrap(f"gpu model {model.name!r} needs a name and a vendor")
        if model.vram_gb <= 0 or model.launch_year < 2000:
            raise ErrInvalidParams.wrap(f"gpu model {model.name!r} has invalid specs")
    try:
        validate_denom(params.reward_denom)
    except SdkError as err:
        raise ErrInvalidParams.wrap(f"reward_denom: {err.log}") from None
