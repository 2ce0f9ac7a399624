"""Stateless checks of every Msg (``validate_basic``) and the signer each Msg names.

Owns the checks that need no state: address syntax, non-empty and bounded fields, amounts and
ranges. Stateful checks (does the pool exist, is the signer an attester...) live in the msg server.

Fails when: see each function; every failure is a registered error naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.msg.v1 import msg_pb2
from google.protobuf.message import Message

from chain.sdk.address import decode_canonical_address
from chain.sdk.errors import ErrInvalidAddress, ErrInvalidCoins, ErrInvalidRequest, SdkError
from chain.sdk.math import Coin, Coins, Dec, Int
from incentives.pb import tx_pb2, types_pb2
from incentives.types.errors import (
    ErrInvalidCommitment,
    ErrInvalidNodeId,
    ErrInvalidPool,
    ErrInvalidPrice,
    ErrInvalidRedirect,
    ErrInvalidReport,
)
from incentives.types.keys import BPS_DENOMINATOR
from incentives.types.state import AllocationRule, PenaltyMode, Vendor

NODE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
MAX_NAME_LENGTH = 128
MAX_ATTESTERS = 32
MAX_GPU_COUNT = 1024
MAX_PENALTY_DECAY = Dec.from_int(20)


def check_address(field: str, text: str) -> bytes:
    """The account id of ``text``; ``ErrInvalidAddress`` names ``field`` otherwise.

    Only the canonical (lowercase) text is accepted: the module keys state by address text, so
    one account must have one spelling."""
    try:
        return decode_canonical_address(text)
    except SdkError as err:
        raise ErrInvalidAddress.wrap(f"invalid {field} address {text!r}: {err.detail}") from None


def coins_from_pb(field: str, coins: Iterable[CoinPb]) -> Coins:
    """Validated ``Coins`` from message coins: sorted, unique, positive amounts."""
    try:
        parsed = Coins.validate(Coin(coin.denom, Int.from_str(coin.amount)) for coin in coins)
    except SdkError as err:
        raise ErrInvalidCoins.wrap(f"{field}: {err.log}") from None
    if parsed.is_zero():
        raise ErrInvalidCoins.wrap(f"{field} must not be empty")
    return parsed


def check_node_id(node_id: str) -> None:
    if not NODE_ID_PATTERN.fullmatch(node_id):
        raise ErrInvalidNodeId.wrap(
            f"{node_id!r}: 1-64 characters of letters, digits and ._:- starting alphanumeric"
        )


def _positive_int_text(field: str, text: str) -> Int:
    try:
        value = Int.from_str(text)
    except SdkError:
        raise ErrInvalidPool.wrap(f"{field} is not an integer: {text!r}") from None
    if value <= 0:
        raise ErrInvalidPool.wrap(f"{field} must be positive")
    return value


def _check_rule_config(msg: tx_pb2.MsgCreatePool) -> None:
    configs = {
        AllocationRule.FIXED_RATE: "fixed_rate",
        AllocationRule.PRO_RATA: "pro_rata",
        AllocationRule.AVAILABILITY: "availability",
    }
    if int(msg.rule) not in configs:
        raise ErrInvalidPool.wrap(f"unknown allocation rule {msg.rule}")
    rule = AllocationRule(msg.rule)
    wanted = configs[rule]
    for name in configs.values():
        if name != wanted and msg.HasField(name):
            raise ErrInvalidPool.wrap(f"{name} config given for a {rule.name} pool")
    if not msg.HasField(wanted):
        raise ErrInvalidPool.wrap(f"{rule.name} pool needs {wanted} config")
    if rule == AllocationRule.FIXED_RATE:
        _check_fixed_rate(msg.fixed_rate)
    elif rule == AllocationRule.PRO_RATA:
        _positive_int_text("pro_rata.emission_per_epoch", msg.pro_rata.emission_per_epoch)
    else:
        _check_availability(msg.availability)


def _check_fixed_rate(config: types_pb2.FixedRateConfig) -> None:
    if not config.rates:
        raise ErrInvalidPool.wrap("fixed_rate.rates must not be empty")
    models = [rate.gpu_model for rate in config.rates]
    if len(set(models)) != len(models):
        raise ErrInvalidPool.wrap("fixed_rate.rates lists a gpu model twice")
    for rate in config.rates:
        if rate.usd_micros_per_gpu_hour == 0:
            raise ErrInvalidPool.wrap(f"fixed_rate price of {rate.gpu_model!r} must be positive")


def _check_availability(config: types_pb2.AvailabilityConfig) -> None:
    _positive_int_text("availability.emission_per_epoch", config.emission_per_epoch)
    if config.weight_benchmark + config.weight_vram + config.weight_age == 0:
        raise ErrInvalidPool.wrap("availability weights must not all be zero")
    if config.penalty_free_nodes == 0:
        raise ErrInvalidPool.wrap("availability.penalty_free_nodes must be at least 1")
    try:
        decay = Dec.from_str(config.penalty_decay)
    except SdkError:
        raise ErrInvalidPool.wrap(
            f"penalty_decay is not a decimal: {config.penalty_decay!r}"
        ) from None
    if decay.is_negative() or decay > MAX_PENALTY_DECAY:
        raise ErrInvalidPool.wrap(f"penalty_decay must be within [0, {MAX_PENALTY_DECAY}]")
    if config.penalty_mode not in {mode.value for mode in PenaltyMode}:
        raise ErrInvalidPool.wrap(f"unknown penalty mode {config.penalty_mode}")


def _check_eligibility(value: types_pb2.Eligibility) -> None:
    for vendor in value.vendors:
        if int(vendor) not in (Vendor.NVIDIA, Vendor.AMD):
            raise ErrInvalidPool.wrap(f"unknown vendor {vendor} in eligibility")
    if len(set(value.gpu_models)) != len(value.gpu_models):
        raise ErrInvalidPool.wrap("eligibility lists a gpu model twice")


def validate_create_pool(msg: tx_pb2.MsgCreatePool) -> None:
    """Fails when: an invalid authority or admin address; an empty or overlong name; no
    attesters, too many, an invalid or repeated one; a quorum of 0 or above the attesters;
    ``start_epoch`` 0 or after ``end_epoch``; a rule without its config or with another's; an
    invalid config (no rates, a zero price, a zero emission, all weights zero, a bad decay)."""
    check_address("authority", msg.authority)
    check_address("admin", msg.admin)
    if not msg.name.strip() or len(msg.name) > MAX_NAME_LENGTH:
        raise ErrInvalidPool.wrap(f"name must be 1-{MAX_NAME_LENGTH} characters")
    if not msg.attesters or len(msg.attesters) > MAX_ATTESTERS:
        raise ErrInvalidPool.wrap(f"a pool needs 1-{MAX_ATTESTERS} attesters")
    for attester in msg.attesters:
        check_address("attester", attester)
    if len(set(msg.attesters)) != len(msg.attesters):
        raise ErrInvalidPool.wrap("an attester is listed twice")
    if not 1 <= msg.attestation_quorum <= len(msg.attesters):
        raise ErrInvalidPool.wrap("attestation_quorum must be between 1 and the attester count")
    if msg.start_epoch == 0 or msg.start_epoch > msg.end_epoch:
        raise ErrInvalidPool.wrap("start_epoch must be positive and not after end_epoch")
    _check_eligibility(msg.eligibility)
    _check_rule_config(msg)


def validate_update_params(msg: tx_pb2.MsgUpdateParams) -> None:
    """Fails when: an invalid authority address (params are checked by ``validate_params``)."""
    check_address("authority", msg.authority)


def validate_fund_pool_from_community_pool(msg: tx_pb2.MsgFundPoolFromCommunityPool) -> None:
    """Fails when: an invalid authority; pool id 0; invalid or empty coins."""
    check_address("authority", msg.authority)
    _check_pool_id(msg.pool_id)
    coins_from_pb("amount", msg.amount)


def validate_fund_pool(msg: tx_pb2.MsgFundPool) -> None:
    """Fails when: an invalid depositor; pool id 0; invalid or empty coins."""
    check_address("depositor", msg.depositor)
    _check_pool_id(msg.pool_id)
    coins_from_pb("amount", msg.amount)


def validate_register_node(msg: tx_pb2.MsgRegisterNode) -> None:
    """Fails when: an invalid owner; a malformed node id; no gpu model; a gpu count of 0 or
    above 1024."""
    check_address("owner", msg.owner)
    check_node_id(msg.node_id)
    if not msg.gpu_model:
        raise ErrInvalidRequest.wrap("gpu_model must not be empty")
    if not 1 <= msg.gpu_count <= MAX_GPU_COUNT:
        raise ErrInvalidRequest.wrap(f"gpu_count must be between 1 and {MAX_GPU_COUNT}")


def validate_join_pool(msg: tx_pb2.MsgJoinPool) -> None:
    """Fails when: an invalid owner; pool id 0; a malformed node id; a commitment that ends at
    epoch 0."""
    check_address("owner", msg.owner)
    _check_pool_id(msg.pool_id)
    check_node_id(msg.node_id)
    if msg.HasField("commitment") and msg.commitment.until_epoch == 0:
        raise ErrInvalidCommitment.wrap("until_epoch must be positive")


def validate_submit_attestation(msg: tx_pb2.MsgSubmitAttestation) -> None:
    """Fails when: an invalid attester; pool id 0; epoch 0; no reports; a node reported twice;
    a malformed node id; idle time above online time."""
    check_address("attester", msg.attester)
    _check_pool_id(msg.pool_id)
    if msg.epoch == 0:
        raise ErrInvalidReport.wrap("epoch must be positive")
    if not msg.reports:
        raise ErrInvalidReport.wrap("an attestation needs at least one report")
    seen: set[str] = set()
    for report in msg.reports:
        check_node_id(report.node_id)
        if report.node_id in seen:
            raise ErrInvalidReport.wrap(f"node {report.node_id} is reported twice")
        seen.add(report.node_id)
        if report.idle_seconds > report.online_seconds:
            raise ErrInvalidReport.wrap(f"node {report.node_id}: idle time exceeds online time")


def validate_post_price(msg: tx_pb2.MsgPostPrice) -> None:
    """Fails when: an invalid feeder; a price that is not a positive decimal."""
    check_address("feeder", msg.feeder)
    try:
        price = Dec.from_str(msg.akt_usd)
    except SdkError:
        raise ErrInvalidPrice.wrap(f"not a decimal: {msg.akt_usd!r}") from None
    if not price.is_positive():
        raise ErrInvalidPrice.wrap("price must be positive")


def validate_claim_rewards(msg: tx_pb2.MsgClaimRewards) -> None:
    """Fails when: an invalid provider address."""
    check_address("provider", msg.provider)


def validate_set_reward_redirect(msg: tx_pb2.MsgSetRewardRedirect) -> None:
    """Fails when: an invalid delegator; pool id 0; more than 10000 basis points."""
    check_address("delegator", msg.delegator)
    _check_pool_id(msg.pool_id)
    if msg.bps > BPS_DENOMINATOR:
        raise ErrInvalidRedirect.wrap(f"bps must be at most {BPS_DENOMINATOR}, got {msg.bps}")


def validate_close_pool(msg: tx_pb2.MsgClosePool) -> None:
    """Fails when: an invalid authority; pool id 0."""
    check_address("authority", msg.authority)
    _check_pool_id(msg.pool_id)


def _check_pool_id(pool_id: int) -> None:
    if pool_id == 0:
        raise ErrInvalidRequest.wrap("pool_id must be positive")


VALIDATORS: dict[str, Callable[[Any], None]] = {
    "MsgCreatePool": validate_create_pool,
    "MsgUpdateParams": validate_update_params,
    "MsgFundPoolFromCommunityPool": validate_fund_pool_from_community_pool,
    "MsgFundPool": validate_fund_pool,
    "MsgRegisterNode": validate_register_node,
    "MsgJoinPool": validate_join_pool,
    "MsgSubmitAttestation": validate_submit_attestation,
    "MsgPostPrice": validate_post_price,
    "MsgClaimRewards": validate_claim_rewards,
    "MsgSetRewardRedirect": validate_set_reward_redirect,
    "MsgClosePool": validate_close_pool,
}


def validate_basic(msg: Message) -> None:
    """Run the stateless checks of ``msg`` (any module Msg)."""
    VALIDATORS[msg.DESCRIPTOR.name](msg)


def signer_field(msg: Message) -> str:
    """The field that names the signer, from the ``cosmos.msg.v1.signer`` option."""
    options = msg.DESCRIPTOR.GetOptions()
    signers: list[str] = list(options.Extensions[msg_pb2.signer])
    return signers[0]
