"""The module's name, account and state layout: every collection, declared once.

| prefix | name | key | value |
| --- | --- | --- | --- |
| 0x01 | params | - | Params |
| 0x02 | pools | pool_id | Pool |
| 0x03 | next_pool_id | - | u64 |
| 0x04 | nodes | node_id | Node |
| 0x05 | nodes_by_owner | (owner, node_id) | index |
| 0x06 | memberships | (pool_id, node_id) | Membership |
| 0x07 | memberships_by_node | (node_id, pool_id) | index |
| 0x08 | attestations | (pool_id, epoch, node_id, attester) | NodeReport |
| 0x09 | accruals | (provider, pool_id, epoch) | Accrual |
| 0x0a | accruals_by_expiry | (expires_epoch, provider, pool_id, epoch) | index |
| 0x0b | allocations | (pool_id, epoch) | Allocation |
| 0x0c | price | - | Price |
| 0x0d | redirects | (delegator, pool_id) | RewardRedirect |
| 0x0e | payments | payment_id | Payment |
| 0x0f | next_payment_id | - | u64 |
| 0x10 | epoch_state | - | EpochState |
| 0x11 | committed_gpus | (pool_id, gpu_model) | u64 |
| 0x12 | provider_nodes | (pool_id, owner) | u64 |
| 0x13 | payments_by_pool | (pool_id, payment_id) | index |

Indexes (0x05, 0x07, 0x0a, 0x11, 0x12, 0x13) are derived: genesis does not carry them,
``init_genesis`` rebuilds them and the ``incentives/indexes`` invariant checks them against the
primary data.
"""

from __future__ import annotations

from chain.sdk.address import module_address, module_address_text
from chain.sdk.collections import Schema, StrKey, TupleKey, U64Key, U64Value
from incentives.types import codec

MODULE_NAME = "incentives"
STORE_NAME = MODULE_NAME
GOV_MODULE_NAME = "gov"  # duplicated here to avoid depending on the gov module
MODULE_ADDRESS = module_address(MODULE_NAME)
MODULE_ADDRESS_TEXT = module_address_text(MODULE_NAME)
GOV_AUTHORITY = module_address_text(GOV_MODULE_NAME)
BPS_DENOMINATOR = 10_000

schema = Schema(STORE_NAME)

PARAMS = schema.item(b"\x01", "params", codec.PARAMS_VALUE)
POOLS = schema.map(b"\x02", "pools", U64Key, codec.POOL_VALUE)
NEXT_POOL_ID = schema.sequence(b"\x03", "next_pool_id")
NODES = schema.map(b"\x04", "nodes", StrKey, codec.NODE_VALUE)
NODES_BY_OWNER = schema.key_set(b"\x05", "nodes_by_owner", TupleKey(StrKey, StrKey))
MEMBERSHIPS = schema.map(b"\x06", "memberships", TupleKey(U64Key, StrKey), codec.MEMBERSHIP_VALUE)
MEMBERSHIPS_BY_NODE = schema.key_set(b"\x07", "memberships_by_node", TupleKey(StrKey, U64Key))
ATTESTATIONS = schema.map(
    b"\x08", "attestations", TupleKey(U64Key, U64Key, StrKey, StrKey), codec.REPORT_VALUE
)
ACCRUALS = schema.map(b"\x09", "accruals", TupleKey(StrKey, U64Key, U64Key), codec.ACCRUAL_VALUE)
ACCRUALS_BY_EXPIRY = schema.key_set(
    b"\x0a", "accruals_by_expiry", TupleKey(U64Key, StrKey, U64Key, U64Key)
)
ALLOCATIONS = schema.map(b"\x0b", "allocations", TupleKey(U64Key, U64Key), codec.ALLOCATION_VALUE)
PRICE = schema.item(b"\x0c", "price", codec.PRICE_VALUE)
REDIRECTS = schema.map(b"\x0d", "redirects", TupleKey(StrKey, U64Key), codec.REDIRECT_VALUE)
PAYMENTS = schema.map(b"\x0e", "payments", U64Key, codec.PAYMENT_VALUE)
NEXT_PAYMENT_ID = schema.sequence(b"\x0f", "next_payment_id")
EPOCH_STATE = schema.item(b"\x10", "epoch_state", codec.EPOCH_STATE_VALUE)
COMMITTED_GPUS = schema.map(b"\x11", "committed_gpus", TupleKey(U64Key, StrKey), U64Value)
PROVIDER_NODES = schema.map(b"\x12", "provider_nodes", TupleKey(U64Key, StrKey), U64Value)
PAYMENTS_BY_POOL = schema.key_set(b"\x13", "payments_by_pool", TupleKey(U64Key, U64Key))
