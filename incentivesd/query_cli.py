"""``incentivesd query`` (alias ``q``): read-only queries of a node over gRPC, one group per
module (``incentivesd.query_cosmos_cli``: bank, auth, gov, distribution, staking;
``incentivesd.query_incentives_cli``: incentives, with the public ledger).

Output and errors: see ``incentivesd.query_common``.
"""

from __future__ import annotations

import click

from incentivesd.query_cosmos_cli import register
from incentivesd.query_incentives_cli import incentives_group


@click.group("query")
def query_group() -> None:
    """Query a node over gRPC (-o json|text)."""


register(query_group)
query_group.add_command(incentives_group)
