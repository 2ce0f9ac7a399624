"""Genesis import and export: exact inverses over the module's store.

``init_genesis`` writes every entry and rebuilds the indexes; ``export_genesis`` reads the store
in key order. Exporting what was imported gives the same message, hence the same JSON bytes.

Fails when: the genesis state is invalid (``validate_genesis``).
"""

from __future__ import annotations

from chain.sdk.context import Context
from incentives.keeper.keeper import Keeper
from incentives.pb import genesis_pb2, types_pb2
from incentives.types import codec, keys
from incentives.types.genesis import validate_genesis
from incentives.types.state import AllocationRule


def init_genesis(keeper: Keeper, ctx: Context, state: genesis_pb2.GenesisState) -> None:
    validate_genesis(state)
    keeper.set_params(ctx, codec.params_from_pb(state.params))
    for message in state.pools:
        keeper.set_pool(ctx, codec.pool_from_pb(message))
    for node_message in state.nodes:
        node = codec.node_from_pb(node_message)
        keys.NODES.set(ctx, node.id, node)
        keys.NODES_BY_OWNER.add(ctx, (node.owner, node.id))
    for membership_message in state.memberships:
        membership = codec.membership_from_pb(membership_message)
        keys.MEMBERSHIPS.set(ctx, (membership.pool_id, membership.node_id), membership)
        keys.MEMBERSHIPS_BY_NODE.add(ctx, (membership.node_id, membership.pool_id))
        index = (membership.pool_id, membership.owner)
        keys.PROVIDER_NODES.set(ctx, index, (keys.PROVIDER_NODES.get(ctx, index) or 0) + 1)
        pool = keeper.get_pool(ctx, membership.pool_id)
        if pool.rule == AllocationRule.FIXED_RATE:
            node = keeper.get_node(ctx, membership.node_id)
            gpus = (membership.pool_id, node.gpu_model)
            keys.COMMITTED_GPUS.set(
                ctx, gpus, (keys.COMMITTED_GPUS.get(ctx, gpus) or 0) + node.gpu_count
            )
    for attestation in state.attestations:
        report = codec.report_from_pb(attestation.report)
        key = (attestation.pool_id, attestation.epoch, report.node_id, attestation.attester)
        keys.ATTESTATIONS.set(ctx, key, report)
    for accrual in state.accruals:
        keeper.add_accrual(ctx, codec.accrual_from_pb(accrual))
    for allocation_message in state.allocations:
        allocation = codec.allocation_from_pb(allocation_message)
        keys.ALLOCATIONS.set(ctx, (allocation.pool_id, allocation.epoch), allocation)
    if state.HasField("price"):
        keys.PRICE.set(ctx, codec.price_from_pb(state.price))
    for redirect_message in state.redirects:
        redirect = codec.redirect_from_pb(redirect_message)
        keys.REDIRECTS.set(ctx, (redirect.delegator, redirect.pool_id), redirect)
    for payment_message in state.payments:
        payment = codec.payment_from_pb(payment_message)
        keys.PAYMENTS.set(ctx, payment.id, payment)
        keys.PAYMENTS_BY_POOL.add(ctx, (payment.pool_id, payment.id))
    keys.NEXT_POOL_ID.set(ctx, state.next_pool_id)
    keys.NEXT_PAYMENT_ID.set(ctx, state.next_payment_id)
    if state.HasField("epoch_state"):
        keys.EPOCH_STATE.set(ctx, codec.epoch_state_from_pb(state.epoch_state))


def export_genesis(keeper: Keeper, ctx: Context) -> genesis_pb2.GenesisState:
    state = genesis_pb2.GenesisState(
        params=codec.params_to_pb(keeper.get_params(ctx)),
        pools=[codec.pool_to_pb(pool) for pool in keys.POOLS.values(ctx)],
        nodes=[codec.node_to_pb(node) for node in keys.NODES.values(ctx)],
        memberships=[codec.membership_to_pb(item) for item in keys.MEMBERSHIPS.values(ctx)],
        attestations=[
            types_pb2.Attestation(
                pool_id=pool_id, epoch=epoch, attester=attester, report=codec.report_to_pb(report)
            )
            for (pool_id, epoch, _, attester), report in keys.ATTESTATIONS.iterate(ctx)
        ],
        accruals=[codec.accrual_to_pb(item) for item in keys.ACCRUALS.values(ctx)],
        allocations=[codec.allocation_to_pb(item) for item in keys.ALLOCATIONS.values(ctx)],
        redirects=[codec.redirect_to_pb(item) for item in keys.REDIRECTS.values(ctx)],
        payments=[codec.payment_to_pb(item) for item in keys.PAYMENTS.values(ctx)],
        next_pool_id=keys.NEXT_POOL_ID.peek(ctx),
        next_payment_id=keys.NEXT_PAYMENT_ID.peek(ctx),
    )
    price = keys.PRICE.get(ctx)
    if price is not None:
        state.price.CopyFrom(codec.price_to_pb(price))
    epoch_state = keys.EPOCH_STATE.get(ctx)
    if epoch_state is not None:
        state.epoch_state.CopyFrom(codec.epoch_state_to_pb(epoch_state))
    return state
