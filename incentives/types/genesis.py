"""Genesis of the incentives module: the default state, JSON form and stateless validation.

Owns the canonical JSON text of a ``GenesisState``: proto field names, every field printed,
keys sorted, two-space indent. ``export(import(g)) == g`` holds byte for byte for any valid ``g``
in this form.

Fails when (``validate_genesis``, ``ErrInvalidGenesis`` naming the entry): invalid params; a
next id of 0; a pool id repeated, zero or not below ``next_pool_id``; a pool whose ledger does not
balance (``funded == balance + accrued + paid + returned``) or whose accrued total differs from
its accruals; a node repeated; a membership of an unknown pool or node, or with another owner; an
attestation of an unknown membership; an accrual of an unknown pool or with a non-positive amount;
a payment id repeated, zero or not below ``next_payment_id``; redirects above 10000 bps for one
delegator or to an unknown pool; two entries with one key (membership, attestation, accrual,
redirect, allocation); numbers or enum values that do not parse.
"""

from __future__ import annotations

import json

from google.protobuf import json_format

from chain.sdk.errors import SdkError
from incentives.pb import genesis_pb2
from incentives.types import codec
from incentives.types.errors import ErrInvalidGenesis
from incentives.types.keys import BPS_DENOMINATOR
from incentives.types.params import DEFAULT_PARAMS, validate_params


def default_genesis() -> genesis_pb2.GenesisState:
    return genesis_pb2.GenesisState(
        params=codec.params_to_pb(DEFAULT_PARAMS), next_pool_id=1, next_payment_id=1
    )


def genesis_to_dict(state: genesis_pb2.GenesisState) -> dict[str, object]:
    result: dict[str, object] = json_format.MessageToDict(
        state, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result


def genesis_to_json(state: genesis_pb2.GenesisState) -> str:
    return json.dumps(genesis_to_dict(state), sort_keys=True, indent=2) + "\n"


def genesis_from_json(text: str | dict[str, object]) -> genesis_pb2.GenesisState:
    """Parse genesis JSON (text or an already-decoded object); unknown fields are errors."""
    state = genesis_pb2.GenesisState()
    try:
        if isinstance(text, str):
            json_format.Parse(text, state)
        else:
            json_format.ParseDict(text, state)
    except json_format.ParseError as err:
        raise ErrInvalidGenesis.wrap(str(err)) from None
    return state


def validate_genesis(state: genesis_pb2.GenesisState) -> None:
    try:
        _validate(state)
    except SdkError as err:
        if err.is_(ErrInvalidGenesis):
            raise
        raise ErrInvalidGenesis.wrap(err.log) from None


def _unique(kind: str, keys: list[tuple[object, ...]]) -> None:
    seen: set[tuple[object, ...]] = set()
    for key in keys:
        if key in seen:
            raise ErrInvalidGenesis.wrap(f"{kind} {key} is repeated")
        seen.add(key)


def _validate(state: genesis_pb2.GenesisState) -> None:
    validate_params(codec.params_from_pb(state.params))
    if state.next_pool_id == 0 or state.next_payment_id == 0:
        raise ErrInvalidGenesis.wrap("next_pool_id and next_payment_id must be at least 1")
    pools = {}
    for message in state.pools:
        pool = codec.pool_from_pb(message)
        if pool.id == 0 or pool.id in pools or pool.id >= state.next_pool_id:
            raise ErrInvalidGenesis.wrap(f"pool id {pool.id} is zero, repeated or >= next_pool_id")
        if pool.funded != pool.balance + pool.accrued + pool.paid + pool.returned:
            raise ErrInvalidGenesis.wrap(f"pool {pool.id} ledger does not balance")
        if min(pool.balance, pool.accrued, pool.paid, pool.returned) < 0:
            raise ErrInvalidGenesis.wrap(f"pool {pool.id} has a negative ledger entry")
        pools[pool.id] = pool
    nodes = {}
    for node_message in state.nodes:
        if node_message.id in nodes:
            raise ErrInvalidGenesis.wrap(f"node {node_message.id} is repeated")
        nodes[node_message.id] = codec.node_from_pb(node_message)
    _unique("membership", [(item.pool_id, item.node_id) for item in state.memberships])
    members = set()
    for membership in state.memberships:
        node = nodes.get(membership.node_id)
        if membership.pool_id not in pools or node is None or node.owner != membership.owner:
            raise ErrInvalidGenesis.wrap(
                f"membership of node {membership.node_id} in pool {membership.pool_id} is invalid"
            )
        members.add((membership.pool_id, membership.node_id))
    _unique(
        "attestation",
        [(a.pool_id, a.epoch, a.report.node_id, a.attester) for a in state.attestations],
    )
    for attestation in state.attestations:
        if (attestation.pool_id, attestation.report.node_id) not in members:
            raise ErrInvalidGenesis.wrap(
                f"attestation of unknown membership {attestation.report.node_id}"
            )
    _unique("accrual", [(a.provider, a.pool_id, a.epoch) for a in state.accruals])
    accrued: dict[int, int] = {}
    for accrual_message in state.accruals:
        accrual = codec.accrual_from_pb(accrual_message)
        if accrual.pool_id not in pools or accrual.amount <= 0:
            raise ErrInvalidGenesis.wrap(f"accrual of {accrual.provider} in pool {accrual.pool_id}")
        accrued[accrual.pool_id] = accrued.get(accrual.pool_id, 0) + accrual.amount
    for pool_id, pool in pools.items():
        if accrued.get(pool_id, 0) != pool.accrued:
            raise ErrInvalidGenesis.wrap(f"pool {pool_id} accrued differs from its accruals")
    payment_ids = set()
    for payment in state.payments:
        if payment.id == 0 or payment.id in payment_ids or payment.id >= state.next_payment_id:
            raise ErrInvalidGenesis.wrap(f"payment id {payment.id} is zero, repeated or too large")
        payment_ids.add(payment.id)
    _unique("redirect", [(item.delegator, item.pool_id) for item in state.redirects])
    shares: dict[str, int] = {}
    for redirect in state.redirects:
        if redirect.pool_id not in pools:
            raise ErrInvalidGenesis.wrap(f"redirect to unknown pool {redirect.pool_id}")
        shares[redirect.delegator] = shares.get(redirect.delegator, 0) + redirect.bps
    for delegator, total in sorted(shares.items()):
        if total > BPS_DENOMINATOR:
            raise ErrInvalidGenesis.wrap(f"{delegator} redirects {total} bps")
    _unique("allocation", [(item.pool_id, item.epoch) for item in state.allocations])
    for allocation in state.allocations:
        codec.allocation_from_pb(allocation)
    if state.HasField("price"):
        codec.price_from_pb(state.price)
