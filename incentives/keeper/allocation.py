"""Epoch allocation of a pool: gather the epoch's attested nodes, apply the pool's rule.

Owns the step from stored state to the pure payout math in ``incentives.logic``: quorum
aggregation of attestations, the per-rule inputs, and the resulting ``Allocation`` (node amounts
in node-id order). It writes nothing; ``finalize_epoch`` in ``hooks`` writes the outcome.

Rules, per pool epoch:
- a node counts when at least ``attestation_quorum`` attesters reported it; each measured value
  is the lower median of the reports (the single report when the quorum is 1);
- PRO_RATA weight = GPUs x online seconds; AVAILABILITY weights follow RNP-015 over the nodes with
  online time (benchmark from the report when measured, else the registered score; memory from
  the GPU catalog; age in whole days at the epoch's end); FIXED_RATE owes each node its model's
  USD price per GPU-hour for its online GPU-hours, converted at the stored AKT/USD price;
- the epoch's emission never exceeds the pool balance; ``distributed + dust == emission``.

Fails when: FIXED_RATE has no price, or a price older than ``max_price_age_seconds`` at the block
time (``ErrNoPrice``): the epoch is deferred, never paid at a stale price.
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.sdk.context import Context
from chain.sdk.math import Int
from incentives.logic.availability import AvailabilityNode, AvailabilityRule, availability_weights
from incentives.logic.fixed_point import SCALE, exp_neg_fixed
from incentives.logic.fixed_rate import FixedRateLine, allocate_fixed_rate
from incentives.logic.split import split_by_weight
from incentives.types import keys
from incentives.types.errors import ErrNoPrice
from incentives.types.params import Params
from incentives.types.state import (
    Allocation,
    AllocationRule,
    AllocationStatus,
    Membership,
    Node,
    NodeAllocation,
    NodeReport,
    Pool,
    Price,
)

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True, slots=True)
class AttestedNode:
    """A pool member with its aggregated report for one epoch."""

    membership: Membership
    node: Node
    report: NodeReport


def lower_median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def aggregate_reports(reports: list[NodeReport]) -> NodeReport:
    """One report from several attesters: the lower median of each measured value."""
    measured = [report.benchmark_score for report in reports if report.benchmark_score]
    return NodeReport(
        node_id=reports[0].node_id,
        online_seconds=lower_median([report.online_seconds for report in reports]),
        idle_seconds=lower_median([report.idle_seconds for report in reports]),
        benchmark_score=lower_median(measured) if measured else 0,
    )


def attested_nodes(
    ctx: Context, pool: Pool, epoch: int, override: NodeReport | None = None
) -> list[AttestedNode]:
    """The pool's members with a quorum of reports for ``epoch``, in node-id order.

    ``override`` replaces one node's reports (used by the reward estimate).
    """
    by_node: dict[str, list[NodeReport]] = {}
    for (_, _, node_id, _), report in keys.ATTESTATIONS.iterate(ctx, prefix=(pool.id, epoch)):
        by_node.setdefault(node_id, []).append(report)
    if override is not None:
        by_node[override.node_id] = [override] * pool.attestation_quorum
    result = []
    for node_id in sorted(by_node):
        reports = by_node[node_id]
        membership = keys.MEMBERSHIPS.get(ctx, (pool.id, node_id))
        node = keys.NODES.get(ctx, node_id)
        if membership is None or node is None or len(reports) < pool.attestation_quorum:
            continue
        result.append(AttestedNode(membership, node, aggregate_reports(reports)))
    return result


def fresh_price(ctx: Context, params: Params) -> Price:
    price = keys.PRICE.get(ctx)
    if price is None:
        raise ErrNoPrice.wrap("no AKT/USD price has been posted")
    age = ctx.block_time - price.time
    if age > params.max_price_age_seconds:
        raise ErrNoPrice.wrap(
            f"price from {price.time} is {age}s old, limit {params.max_price_age_seconds}s"
        )
    return price


def compute_allocation(
    ctx: Context, params: Params, pool: Pool, epoch: int, nodes: list[AttestedNode], end_time: int
) -> Allocation:
    """The pool's allocation for ``epoch`` over ``nodes`` (raises ``ErrNoPrice`` to defer)."""
    price: Price | None = None
    if pool.rule == AllocationRule.FIXED_RATE:
        price = fresh_price(ctx, params)
        weights, amounts, dust, emission = _fixed_rate(pool, nodes, price)
    else:
        weights = (
            _availability_weights(params, pool, nodes, end_time)
            if pool.rule == AllocationRule.AVAILABILITY
            else [node.node.gpu_count * node.report.online_seconds for node in nodes]
        )
        emission = min(_emission_per_epoch(pool), int(pool.balance))
        split = split_by_weight(emission, weights)
        amounts, dust = list(split.amounts), split.dust
    return Allocation(
        pool_id=pool.id,
        epoch=epoch,
        status=AllocationStatus.FINALIZED,
        emission=Int(emission),
        distributed=Int(emission - dust),
        dust=Int(dust),
        price=None if price is None else price.akt_usd,
        price_time=0 if price is None else price.time,
        nodes=tuple(
            NodeAllocation(
                node_id=node.node.id,
                provider=node.node.owner,
                weight=weight,
                amount=Int(amount),
            )
            for node, weight, amount in zip(nodes, weights, amounts, strict=True)
        ),
    )


def _emission_per_epoch(pool: Pool) -> int:
    if pool.pro_rata is not None:
        return int(pool.pro_rata.emission_per_epoch)
    if pool.availability is not None:
        return int(pool.availability.emission_per_epoch)
    return 0


def _fixed_rate(
    pool: Pool, nodes: list[AttestedNode], price: Price
) -> tuple[list[int], list[int], int, int]:
    config = pool.fixed_rate
    lines = []
    for node in nodes:
        rate = config.rate_of(node.node.gpu_model) if config is not None else None
        lines.append(
            FixedRateLine(
                usd_micros_per_gpu_hour=rate.usd_micros_per_gpu_hour if rate else 0,
                gpu_count=node.node.gpu_count,
                online_seconds=node.report.online_seconds,
            )
        )
    split = allocate_fixed_rate(lines, price.akt_usd.raw, int(pool.balance))
    weights = [
        line.usd_micros_per_gpu_hour * line.gpu_count * line.online_seconds for line in lines
    ]
    emission = sum(split.amounts) + split.dust
    return weights, list(split.amounts), split.dust, emission


def _availability_weights(
    params: Params, pool: Pool, nodes: list[AttestedNode], end_time: int
) -> list[int]:
    config = pool.availability
    if config is None:
        return [0] * len(nodes)
    rule = AvailabilityRule(
        weight_benchmark=config.weight_benchmark,
        weight_vram=config.weight_vram,
        weight_age=config.weight_age,
        penalty_free_nodes=config.penalty_free_nodes,
        penalty_factor=exp_neg_fixed(config.penalty_decay.raw),
        penalty_mode=config.penalty_mode,
    )
    inputs = []
    positions = []
    for position, node in enumerate(nodes):
        if node.report.online_seconds == 0:
            continue
        model = params.gpu_model(node.node.gpu_model)
        benchmark = node.report.benchmark_score or node.node.benchmark_score
        age_days = max(0, end_time - node.node.registered_time) // SECONDS_PER_DAY
        inputs.append(
            AvailabilityNode(
                node_id=node.node.id,
                wallet=node.node.owner,
                idle=node.report.idle_seconds,
                benchmark=benchmark * SCALE,
                vram=(model.vram_gb if model else 0) * node.node.gpu_count * SCALE,
                age=age_days * SCALE,
            )
        )
        positions.append(position)
    weights = [0] * len(nodes)
    for position, weight in zip(positions, availability_weights(inputs, rule), strict=True):
        weights[position] = weight
    return weights
