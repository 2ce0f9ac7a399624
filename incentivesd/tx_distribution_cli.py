"""``incentivesd tx distribution``: fund the community pool, withdraw staking rewards (and a
validator's commission), set the rewards' withdraw address (``cosmos.distribution.v1beta1``).

Fails when: an address or amount is malformed (usage error), or as every tx does
(``incentivesd.tx_flow``), e.g. withdrawing from a validator the signer has no delegation with.
"""

from __future__ import annotations

from typing import Any

import click
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import (
    MsgFundCommunityPool,
    MsgSetWithdrawAddress,
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)
from google.protobuf.message import Message

from incentivesd.tx_flow import TxOptions, submit, tx_options
from incentivesd.tx_params import ADDRESS, COINS, VALOPER


@click.group("distribution")
def distribution_group() -> None:
    """Distribution transactions: community pool and staking rewards."""


@distribution_group.command("fund-community-pool")
@click.argument("amount", type=COINS)
@tx_options
def fund_community_pool_command(amount: list[Any], opts: TxOptions) -> None:
    """Send AMOUNT from the signer to the community pool."""
    submit(opts, lambda sender: [MsgFundCommunityPool(amount=amount, depositor=sender)])


@distribution_group.command("withdraw-rewards")
@click.argument("validator", metavar="VALOPER", type=VALOPER)
@click.option("--commission", is_flag=True, help="Also withdraw the validator's commission.")
@tx_options
def withdraw_rewards_command(validator: str, commission: bool, opts: TxOptions) -> None:
    """Withdraw the signer's staking rewards from validator VALOPER."""

    def build(sender: str) -> list[Message]:
        msgs: list[Message] = [
            MsgWithdrawDelegatorReward(delegator_address=sender, validator_address=validator)
        ]
        if commission:
            msgs.append(MsgWithdrawValidatorCommission(validator_address=validator))
        return msgs

    submit(opts, build)


@distribution_group.command("set-withdraw-addr")
@click.argument("withdraw_address", metavar="ADDR", type=ADDRESS)
@tx_options
def set_withdraw_addr_command(withdraw_address: str, opts: TxOptions) -> None:
    """Send the signer's future staking rewards to ADDR."""
    submit(
        opts,
        lambda sender: [
            MsgSetWithdrawAddress(delegator_address=sender, withdraw_address=withdraw_address)
        ],
    )
