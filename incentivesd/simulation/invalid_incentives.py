"""Deliberately invalid incentives Msgs, one definition for the randomized simulation and the
stateful property test: each variant must be rejected with a registered error.

``invalid_incentive_msgs(targets)`` maps a variant name to a builder of its Msg, aimed at the
given pools, node and accounts (``InvalidTargets``). Variants needing a registered node or a
closed pool appear only when the targets have one. Builders of Msgs whose authority is gov
(``authority == targets.gov``) are meant to be run as gov does it; the others are signed by
the address in their signer field.

Fails when: never; building a Msg does not run it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.message import Message

from incentives.pb import params_pb2, tx_pb2, types_pb2
from incentives.types import codec
from incentives.types.params import DEFAULT_PARAMS

DAY = 86_400


@dataclass(frozen=True)
class InvalidTargets:
    """What the invalid Msgs aim at: bech32 addresses, ids and the current epoch."""

    gov: str
    admin: str  # a plain account, also used as a non-gov authority
    outsider: str  # owns no node, attests no pool, has no accruals and no redirects
    funder: str  # an account with funds (but not 10**18 uakt), not a price feeder
    feeder: str
    attester: str
    epoch: int
    pool_id: int  # the newest pool, or an unknown id when there is none
    unknown_pool: int
    node_id: str  # a registered node, or "node-x"
    owner: str  # its owner
    has_node: bool
    closed_pool: int | None
    denom: str = "uakt"
    bad_address: str = ""  # an address with a broken checksum (variant skipped when empty)


def _bad_params() -> params_pb2.Params:
    """Params with a zero claim window (built when a variant is drawn, not with every set of
    builders)."""
    return codec.params_to_pb(dataclasses.replace(DEFAULT_PARAMS, claim_window_epochs=0))


def _coins(amount: int, denom: str) -> list[Coin]:
    return [Coin(denom=denom, amount=str(amount))]


def invalid_incentive_msgs(t: InvalidTargets) -> dict[str, Callable[[], Message]]:
    """Variant name -> builder of an invalid Msg (sorted names are stable across runs)."""

    def pool(**overrides: Any) -> Message:
        fields: dict[str, Any] = {
            "authority": t.gov,
            "name": "x",
            "admin": t.admin,
            "attesters": [t.attester],
            "attestation_quorum": 1,
            "rule": types_pb2.ALLOCATION_RULE_PRO_RATA,
            "pro_rata": types_pb2.ProRataConfig(emission_per_epoch="1"),
            "start_epoch": max(t.epoch, 1),
            "end_epoch": max(t.epoch, 1) + 3,
        }
        fields.update(overrides)
        return tx_pb2.MsgCreatePool(**fields)

    def report(**values: Any) -> list[types_pb2.NodeReport]:
        return [types_pb2.NodeReport(node_id=t.node_id, **values)]

    def attest(**fields: Any) -> Message:
        values: dict[str, Any] = {"attester": t.attester, "pool_id": t.pool_id, "epoch": t.epoch}
        values.update(fields)
        return tx_pb2.MsgSubmitAttestation(**values)

    def join_commitment_zero() -> Message:
        msg = tx_pb2.MsgJoinPool(owner=t.owner, pool_id=t.pool_id, node_id=t.node_id)
        msg.commitment.until_epoch = 0
        return msg

    builders: dict[str, Callable[[], Message]] = {
        "create-pool-not-gov": lambda: pool(authority=t.admin),
        "create-pool-no-config": lambda: pool(
            rule=types_pb2.ALLOCATION_RULE_AVAILABILITY, pro_rata=None
        ),
        "create-pool-quorum-above-attesters": lambda: pool(attestation_quorum=2),
        "create-pool-in-the-past": lambda: pool(
            start_epoch=max(t.epoch - 1, 0), end_epoch=t.epoch + 3
        ),
        "fund-cp-unknown-pool": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
            authority=t.gov, pool_id=t.unknown_pool, amount=_coins(1, t.denom)
        ),
        "fund-cp-not-gov": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
            authority=t.admin, pool_id=t.pool_id, amount=_coins(1, t.denom)
        ),
        "fund-cp-beyond-community-pool": lambda: tx_pb2.MsgFundPoolFromCommunityPool(
            authority=t.gov, pool_id=t.pool_id, amount=_coins(10**18, t.denom)
        ),
        "fund-wrong-denom": lambda: tx_pb2.MsgFundPool(
            depositor=t.funder, pool_id=t.pool_id, amount=_coins(5, "uatom")
        ),
        "fund-zero": lambda: tx_pb2.MsgFundPool(
            depositor=t.funder, pool_id=t.pool_id, amount=_coins(0, t.denom)
        ),
        "fund-beyond-balance": lambda: tx_pb2.MsgFundPool(
            depositor=t.funder, pool_id=t.pool_id, amount=_coins(10**18, t.denom)
        ),
        "fund-unknown-pool": lambda: tx_pb2.MsgFundPool(
            depositor=t.funder, pool_id=t.unknown_pool, amount=_coins(1, t.denom)
        ),
        "register-unknown-model": lambda: tx_pb2.MsgRegisterNode(
            owner=t.funder, node_id="fresh-node", gpu_model="voodoo2", gpu_count=1
        ),
        "register-zero-gpus": lambda: tx_pb2.MsgRegisterNode(
            owner=t.funder, node_id="fresh-node", gpu_model="h100", gpu_count=0
        ),
        "register-bad-id": lambda: tx_pb2.MsgRegisterNode(
            owner=t.funder, node_id="bad id!", gpu_model="h100", gpu_count=1
        ),
        "join-not-owner": lambda: tx_pb2.MsgJoinPool(
            owner=t.outsider, pool_id=t.pool_id, node_id=t.node_id
        ),
        "join-unknown-pool": lambda: tx_pb2.MsgJoinPool(
            owner=t.owner, pool_id=t.unknown_pool, node_id=t.node_id
        ),
        "join-commitment-zero": join_commitment_zero,
        "attest-not-attester": lambda: attest(
            attester=t.outsider, reports=report(online_seconds=1)
        ),
        "attest-future-epoch": lambda: attest(epoch=t.epoch + 1, reports=report(online_seconds=1)),
        "attest-idle-above-online": lambda: attest(
            reports=report(online_seconds=5, idle_seconds=6)
        ),
        "attest-longer-than-epoch": lambda: attest(reports=report(online_seconds=DAY + 1)),
        "attest-no-reports": lambda: attest(),
        "attest-non-member": lambda: attest(
            reports=[types_pb2.NodeReport(node_id="never-joined", online_seconds=5)]
        ),
        "price-not-feeder": lambda: tx_pb2.MsgPostPrice(feeder=t.funder, akt_usd="2.5"),
        "price-zero": lambda: tx_pb2.MsgPostPrice(feeder=t.feeder, akt_usd="0"),
        "price-not-decimal": lambda: tx_pb2.MsgPostPrice(feeder=t.feeder, akt_usd="2,5"),
        "claim-nothing": lambda: tx_pb2.MsgClaimRewards(provider=t.outsider),
        "claim-unknown-pool": lambda: tx_pb2.MsgClaimRewards(
            provider=t.funder, pool_id=t.unknown_pool
        ),
        "redirect-too-many-bps": lambda: tx_pb2.MsgSetRewardRedirect(
            delegator=t.funder, pool_id=t.pool_id, bps=10_001
        ),
        "redirect-unknown-pool": lambda: tx_pb2.MsgSetRewardRedirect(
            delegator=t.funder, pool_id=t.unknown_pool, bps=10
        ),
        "unset-missing-redirect": lambda: tx_pb2.MsgSetRewardRedirect(
            delegator=t.outsider, pool_id=t.pool_id, bps=0
        ),
        "close-not-gov": lambda: tx_pb2.MsgClosePool(authority=t.admin, pool_id=t.pool_id),
        "close-unknown-pool": lambda: tx_pb2.MsgClosePool(authority=t.gov, pool_id=t.unknown_pool),
        "close-pool-zero": lambda: tx_pb2.MsgClosePool(authority=t.gov, pool_id=0),
        "update-params-not-gov": lambda: tx_pb2.MsgUpdateParams(authority=t.admin),
        "update-params-invalid": lambda: tx_pb2.MsgUpdateParams(
            authority=t.gov, params=_bad_params()
        ),
    }
    if t.bad_address:
        builders["fund-bad-address"] = lambda: tx_pb2.MsgFundPool(
            depositor=t.bad_address, pool_id=t.pool_id, amount=_coins(1, t.denom)
        )
    if t.has_node:
        builders["register-taken-id"] = lambda: tx_pb2.MsgRegisterNode(
            owner=t.funder, node_id=t.node_id, gpu_model="h100", gpu_count=1
        )
    if t.closed_pool is not None:
        closed = t.closed_pool
        builders["fund-closed-pool"] = lambda: tx_pb2.MsgFundPool(
            depositor=t.funder, pool_id=closed, amount=_coins(1, t.denom)
        )
        builders["close-closed-pool"] = lambda: tx_pb2.MsgClosePool(authority=t.gov, pool_id=closed)
        builders["redirect-to-closed-pool"] = lambda: tx_pb2.MsgSetRewardRedirect(
            delegator=t.funder, pool_id=closed, bps=1
        )
    return builders
