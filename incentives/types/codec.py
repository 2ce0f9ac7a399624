"""Conversion between domain values and protobuf messages: the one place both worlds meet.

Owns ``*_to_pb`` / ``*_from_pb`` for every stored type and the collection value codecs built from
them. Int fields travel as base-10 text, Dec fields as 18-decimal text, as the SDK's
``cosmos.Int`` / ``cosmos.Dec`` scalars do.

Fails when: a message carries malformed numbers (``ErrInvalidNumber``), integers beyond 256 bits
(``ErrIntOverflow``) or enum values the domain does not know (``ErrInvalidRequest``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, TypeVar

from chain.sdk.collections import CachedValue, MappedValue
from chain.sdk.errors import ErrInvalidRequest
from chain.sdk.math import Dec, Int
from incentives.logic.availability import PenaltyMode
from incentives.pb import params_pb2, types_pb2
from incentives.types.params import Params
from incentives.types.state import (
    Accrual,
    Allocation,
    AllocationRule,
    AllocationStatus,
    AvailabilityConfig,
    Eligibility,
    EpochState,
    FixedRateConfig,
    GpuModel,
    Membership,
    ModelRate,
    Node,
    NodeAllocation,
    NodeReport,
    Payment,
    Pool,
    PoolStatus,
    Price,
    ProRataConfig,
    RewardRedirect,
    Vendor,
)

E = TypeVar("E", bound=IntEnum)


def enum_from_pb(kind: type[E], value: int) -> E:
    """The domain enum of a wire value; values the domain does not know are rejected."""
    try:
        return kind(value)
    except ValueError:
        raise ErrInvalidRequest.wrap(f"unknown {kind.__name__} value {value}") from None


def pb_enum(value: int) -> Any:
    """An enum value for a generated message field (the stubs type enums as their classes)."""
    return int(value)


def int_from_text(text: str) -> Int:
    """An ``Int`` from its text; the empty string (an unset proto field) is zero."""
    return Int.from_str(text) if text else Int(0)


def dec_from_text(text: str) -> Dec:
    return Dec.from_str(text) if text else Dec(0)


def gpu_model_to_pb(model: GpuModel) -> params_pb2.GpuModel:
    return params_pb2.GpuModel(
        name=model.name,
        vendor=pb_enum(model.vendor),
        vram_gb=model.vram_gb,
        launch_year=model.launch_year,
    )


def gpu_model_from_pb(message: params_pb2.GpuModel) -> GpuModel:
    return GpuModel(
        name=message.name,
        vendor=enum_from_pb(Vendor, message.vendor),
        vram_gb=message.vram_gb,
        launch_year=message.launch_year,
    )


def params_to_pb(params: Params) -> params_pb2.Params:
    return params_pb2.Params(
        epoch_identifier=params.epoch_identifier,
        settlement_lag_epochs=params.settlement_lag_epochs,
        claim_window_epochs=params.claim_window_epochs,
        max_price_age_seconds=params.max_price_age_seconds,
        price_feeders=params.price_feeders,
        gpu_models=[gpu_model_to_pb(model) for model in params.gpu_models],
        reward_denom=params.reward_denom,
        max_reports_per_attestation=params.max_reports_per_attestation,
    )


def params_from_pb(message: params_pb2.Params) -> Params:
    return Params(
        epoch_identifier=message.epoch_identifier,
        settlement_lag_epochs=message.settlement_lag_epochs,
        claim_window_epochs=message.claim_window_epochs,
        max_price_age_seconds=message.max_price_age_seconds,
        price_feeders=tuple(message.price_feeders),
        gpu_models=tuple(gpu_model_from_pb(model) for model in message.gpu_models),
        reward_denom=message.reward_denom,
        max_reports_per_attestation=message.max_reports_per_attestation,
    )


def eligibility_to_pb(value: Eligibility) -> types_pb2.Eligibility:
    return types_pb2.Eligibility(
        vendors=[pb_enum(vendor) for vendor in value.vendors],
        gpu_models=value.gpu_models,
        min_vram_gb=value.min_vram_gb,
        min_launch_year=value.min_launch_year,
        max_nodes_per_provider=value.max_nodes_per_provider,
    )


def eligibility_from_pb(message: types_pb2.Eligibility) -> Eligibility:
    return Eligibility(
        vendors=tuple(enum_from_pb(Vendor, vendor) for vendor in message.vendors),
        gpu_models=tuple(message.gpu_models),
        min_vram_gb=message.min_vram_gb,
        min_launch_year=message.min_launch_year,
        max_nodes_per_provider=message.max_nodes_per_provider,
    )


def fixed_rate_to_pb(value: FixedRateConfig) -> types_pb2.FixedRateConfig:
    return types_pb2.FixedRateConfig(
        rates=[
            types_pb2.ModelRate(
                gpu_model=rate.gpu_model,
                usd_micros_per_gpu_hour=rate.usd_micros_per_gpu_hour,
                max_gpus=rate.max_gpus,
            )
            for rate in value.rates
        ],
        min_commitment_epochs=value.min_commitment_epochs,
    )


def fixed_rate_from_pb(message: types_pb2.FixedRateConfig) -> FixedRateConfig:
    return FixedRateConfig(
        rates=tuple(
            ModelRate(
                gpu_model=rate.gpu_model,
                usd_micros_per_gpu_hour=rate.usd_micros_per_gpu_hour,
                max_gpus=rate.max_gpus,
            )
            for rate in message.rates
        ),
        min_commitment_epochs=message.min_commitment_epochs,
    )


def pro_rata_to_pb(value: ProRataConfig) -> types_pb2.ProRataConfig:
    return types_pb2.ProRataConfig(emission_per_epoch=str(value.emission_per_epoch))


def pro_rata_from_pb(message: types_pb2.ProRataConfig) -> ProRataConfig:
    return ProRataConfig(emission_per_epoch=int_from_text(message.emission_per_epoch))


def availability_to_pb(value: AvailabilityConfig) -> types_pb2.AvailabilityConfig:
    return types_pb2.AvailabilityConfig(
        emission_per_epoch=str(value.emission_per_epoch),
        weight_benchmark=value.weight_benchmark,
        weight_vram=value.weight_vram,
        weight_age=value.weight_age,
        penalty_free_nodes=value.penalty_free_nodes,
        penalty_decay=str(value.penalty_decay),
        penalty_mode=pb_enum(value.penalty_mode),
    )


def availability_from_pb(message: types_pb2.AvailabilityConfig) -> AvailabilityConfig:
    return AvailabilityConfig(
        emission_per_epoch=int_from_text(message.emission_per_epoch),
        weight_benchmark=message.weight_benchmark,
        weight_vram=message.weight_vram,
        weight_age=message.weight_age,
        penalty_free_nodes=message.penalty_free_nodes,
        penalty_decay=dec_from_text(message.penalty_decay),
        penalty_mode=enum_from_pb(PenaltyMode, message.penalty_mode),
    )


def pool_to_pb(pool: Pool) -> types_pb2.Pool:
    message = types_pb2.Pool(
        id=pool.id,
        name=pool.name,
        rule=pb_enum(pool.rule),
        admin=pool.admin,
        attesters=pool.attesters,
        attestation_quorum=pool.attestation_quorum,
        eligibility=eligibility_to_pb(pool.eligibility),
        start_epoch=pool.start_epoch,
        end_epoch=pool.end_epoch,
        status=pb_enum(pool.status),
        funded=str(pool.funded),
        balance=str(pool.balance),
        accrued=str(pool.accrued),
        paid=str(pool.paid),
        returned=str(pool.returned),
        last_finalized_epoch=pool.last_finalized_epoch,
    )
    if pool.fixed_rate is not None:
        message.fixed_rate.CopyFrom(fixed_rate_to_pb(pool.fixed_rate))
    if pool.pro_rata is not None:
        message.pro_rata.CopyFrom(pro_rata_to_pb(pool.pro_rata))
    if pool.availability is not None:
        message.availability.CopyFrom(availability_to_pb(pool.availability))
    return message


def pool_from_pb(message: types_pb2.Pool) -> Pool:
    return Pool(
        id=message.id,
        name=message.name,
        rule=enum_from_pb(AllocationRule, message.rule),
        admin=message.admin,
        attesters=tuple(message.attesters),
        attestation_quorum=message.attestation_quorum,
        eligibility=eligibility_from_pb(message.eligibility),
        fixed_rate=(
            fixed_rate_from_pb(message.fixed_rate) if message.HasField("fixed_rate") else None
        ),
        pro_rata=pro_rata_from_pb(message.pro_rata) if message.HasField("pro_rata") else None,
        availability=(
            availability_from_pb(message.availability) if message.HasField("availability") else None
        ),
        start_epoch=message.start_epoch,
        end_epoch=message.end_epoch,
        status=enum_from_pb(PoolStatus, message.status),
        funded=int_from_text(message.funded),
        balance=int_from_text(message.balance),
        accrued=int_from_text(message.accrued),
        paid=int_from_text(message.paid),
        returned=int_from_text(message.returned),
        last_finalized_epoch=message.last_finalized_epoch,
    )


def node_to_pb(node: Node) -> types_pb2.Node:
    return types_pb2.Node(
        id=node.id,
        owner=node.owner,
        gpu_model=node.gpu_model,
        gpu_count=node.gpu_count,
        benchmark_score=node.benchmark_score,
        registered_time=node.registered_time,
        registered_epoch=node.registered_epoch,
    )


def node_from_pb(message: types_pb2.Node) -> Node:
    return Node(
        id=message.id,
        owner=message.owner,
        gpu_model=message.gpu_model,
        gpu_count=message.gpu_count,
        benchmark_score=message.benchmark_score,
        registered_time=message.registered_time,
        registered_epoch=message.registered_epoch,
    )


def membership_to_pb(value: Membership) -> types_pb2.Membership:
    message = types_pb2.Membership(
        pool_id=value.pool_id,
        node_id=value.node_id,
        owner=value.owner,
        joined_epoch=value.joined_epoch,
    )
    if value.until_epoch:
        message.commitment.until_epoch = value.until_epoch
    return message


def membership_from_pb(message: types_pb2.Membership) -> Membership:
    return Membership(
        pool_id=message.pool_id,
        node_id=message.node_id,
        owner=message.owner,
        joined_epoch=message.joined_epoch,
        until_epoch=message.commitment.until_epoch if message.HasField("commitment") else 0,
    )


def report_to_pb(report: NodeReport) -> types_pb2.NodeReport:
    return types_pb2.NodeReport(
        node_id=report.node_id,
        online_seconds=report.online_seconds,
        idle_seconds=report.idle_seconds,
        benchmark_score=report.benchmark_score,
    )


def report_from_pb(message: types_pb2.NodeReport) -> NodeReport:
    return NodeReport(
        node_id=message.node_id,
        online_seconds=message.online_seconds,
        idle_seconds=message.idle_seconds,
        benchmark_score=message.benchmark_score,
    )


def accrual_to_pb(value: Accrual) -> types_pb2.Accrual:
    return types_pb2.Accrual(
        pool_id=value.pool_id,
        epoch=value.epoch,
        provider=value.provider,
        amount=str(value.amount),
        expires_epoch=value.expires_epoch,
    )


def accrual_from_pb(message: types_pb2.Accrual) -> Accrual:
    return Accrual(
        pool_id=message.pool_id,
        epoch=message.epoch,
        provider=message.provider,
        amount=int_from_text(message.amount),
        expires_epoch=message.expires_epoch,
    )


def allocation_to_pb(value: Allocation) -> types_pb2.Allocation:
    return types_pb2.Allocation(
        pool_id=value.pool_id,
        epoch=value.epoch,
        status=pb_enum(value.status),
        emission=str(value.emission),
        distributed=str(value.distributed),
        dust=str(value.dust),
        price="" if value.price is None else str(value.price),
        price_time=value.price_time,
        nodes=[
            types_pb2.NodeAllocation(
                node_id=node.node_id,
                provider=node.provider,
                weight=str(node.weight),
                amount=str(node.amount),
            )
            for node in value.nodes
        ],
    )


def allocation_from_pb(message: types_pb2.Allocation) -> Allocation:
    return Allocation(
        pool_id=message.pool_id,
        epoch=message.epoch,
        status=enum_from_pb(AllocationStatus, message.status),
        emission=int_from_text(message.emission),
        distributed=int_from_text(message.distributed),
        dust=int_from_text(message.dust),
        price=Dec.from_str(message.price) if message.price else None,
        price_time=message.price_time,
        nodes=tuple(
            NodeAllocation(
                node_id=node.node_id,
                provider=node.provider,
                weight=int(node.weight or "0"),
                amount=int_from_text(node.amount),
            )
            for node in message.nodes
        ),
    )


def price_to_pb(value: Price) -> types_pb2.Price:
    return types_pb2.Price(akt_usd=str(value.akt_usd), time=value.time, feeder=value.feeder)


def price_from_pb(message: types_pb2.Price) -> Price:
    return Price(akt_usd=dec_from_text(message.akt_usd), time=message.time, feeder=message.feeder)


def redirect_to_pb(value: RewardRedirect) -> types_pb2.RewardRedirect:
    return types_pb2.RewardRedirect(
        delegator=value.delegator,
        pool_id=value.pool_id,
        bps=value.bps,
        contributed=str(value.contributed),
    )


def redirect_from_pb(message: types_pb2.RewardRedirect) -> RewardRedirect:
    return RewardRedirect(
        delegator=message.delegator,
        pool_id=message.pool_id,
        bps=message.bps,
        contributed=int_from_text(message.contributed),
    )


def payment_to_pb(value: Payment) -> types_pb2.Payment:
    return types_pb2.Payment(
        id=value.id,
        pool_id=value.pool_id,
        epoch=value.epoch,
        provider=value.provider,
        amount=str(value.amount),
        height=value.height,
        time=value.time,
    )


def payment_from_pb(message: types_pb2.Payment) -> Payment:
    return Payment(
        id=message.id,
        pool_id=message.pool_id,
        epoch=message.epoch,
        provider=message.provider,
        amount=int_from_text(message.amount),
        height=message.height,
        time=message.time,
    )


def epoch_state_to_pb(value: EpochState) -> types_pb2.EpochState:
    return types_pb2.EpochState(
        current_epoch=value.current_epoch,
        current_epoch_start_time=value.current_epoch_start_time,
        epoch_duration_seconds=value.epoch_duration_seconds,
    )


def epoch_state_from_pb(message: types_pb2.EpochState) -> EpochState:
    return EpochState(
        current_epoch=message.current_epoch,
        current_epoch_start_time=message.current_epoch_start_time,
        epoch_duration_seconds=message.epoch_duration_seconds,
    )


PARAMS_VALUE = CachedValue(MappedValue(params_pb2.Params, params_to_pb, params_from_pb))
POOL_VALUE = MappedValue(types_pb2.Pool, pool_to_pb, pool_from_pb)
NODE_VALUE = MappedValue(types_pb2.Node, node_to_pb, node_from_pb)
MEMBERSHIP_VALUE = MappedValue(types_pb2.Membership, membership_to_pb, membership_from_pb)
REPORT_VALUE = MappedValue(types_pb2.NodeReport, report_to_pb, report_from_pb)
ACCRUAL_VALUE = MappedValue(types_pb2.Accrual, accrual_to_pb, accrual_from_pb)
ALLOCATION_VALUE = MappedValue(types_pb2.Allocation, allocation_to_pb, allocation_from_pb)
PRICE_VALUE = MappedValue(types_pb2.Price, price_to_pb, price_from_pb)
REDIRECT_VALUE = MappedValue(types_pb2.RewardRedirect, redirect_to_pb, redirect_from_pb)
PAYMENT_VALUE = MappedValue(types_pb2.Payment, payment_to_pb, payment_from_pb)
EPOCH_STATE_VALUE = MappedValue(types_pb2.EpochState, epoch_state_to_pb, epoch_state_from_pb)
