"""``incentivesd tx bank send FROM TO AMOUNT``: a ``cosmos.bank.v1beta1.MsgSend``.

FROM is the signing key (a name or an address in the keyring) and replaces ``--from``, as in the
Cosmos SDK. Fails when: TO or AMOUNT is malformed (usage error), or as every tx does
(``incentivesd.tx_flow``), e.g. an insufficient balance is the chain's ``sdk`` code 5.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import click
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend

from incentivesd.tx_flow import TxOptions, submit, tx_options
from incentivesd.tx_params import ADDRESS, COINS


@click.group("bank")
def bank_group() -> None:
    """Bank transactions."""


@bank_group.command("send")
@click.argument("from_key", metavar="FROM")
@click.argument("to_address", metavar="TO", type=ADDRESS)
@click.argument("amount", type=COINS)
@tx_options
def send_command(from_key: str, to_address: str, amount: list[Any], opts: TxOptions) -> None:
    """Send AMOUNT (e.g. 1000uakt) from key FROM to address TO."""
    opts = dataclasses.replace(opts, from_=from_key)
    submit(
        opts,
        lambda sender: [MsgSend(from_address=sender, to_address=to_address, amount=amount)],
    )
