"""``incentivesd tx``: sign and broadcast transactions (bank, gov, distribution, incentives).

The subcommands live in ``tx_<module>_cli.py``; the common flags and the sign, confirm,
broadcast and print path in ``incentivesd.tx_flow``.
"""

from __future__ import annotations

import click

from incentivesd.tx_bank_cli import bank_group
from incentivesd.tx_distribution_cli import distribution_group
from incentivesd.tx_gov_cli import gov_group
from incentivesd.tx_incentives_cli import incentives_group


@click.group("tx")
def tx_group() -> None:
    """Sign and broadcast transactions (--from KEY, --node, --chain-id, --gas auto, -y)."""


tx_group.add_command(bank_group)
tx_group.add_command(gov_group)
tx_group.add_command(distribution_group)
tx_group.add_command(incentives_group)
