"""``incentivesd query incentives ledger`` and ``ledger-verify``: the public payments ledger.

``ledger`` rebuilds every payment from the claim txs' events on the node's CometBFT RPC
(``--rpc``) and writes it as CSV or JSON, for public disclosure. ``ledger-verify`` rebuilds it the
same way and checks it against the module's own records (gRPC ``--node``): every payment on
both sides with the same fields, each pool's ``paid`` equal to its payments, each claim tx's
bank transfer equal to its events, and with ``--against FILE`` a published ledger file equal to
the chain's; it prints every mismatch and exits 1 on any.

Fails when (exit 1, the reason on stderr): the RPC endpoint or the node cannot be reached; the
pool does not exist; the ledger file cannot be read; any mismatch (``ledger-verify``).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from incentivesd.client.client import Client
from incentivesd.ledger import (
    DEFAULT_RPC,
    LedgerEntry,
    Mismatch,
    RpcClient,
    audit,
    compare,
    dumps,
    ledger_from_events,
    ledger_from_records,
    module_address,
    pools_paid,
    read_ledger,
    reward_denom,
)
from incentivesd.query_common import fail_on_errors, node_option, output_option

rpc_option = click.option(
    "--rpc", default=DEFAULT_RPC, show_default=True, help="The node's CometBFT RPC endpoint."
)
ledger_pool_option = click.option(
    "--pool",
    "pool_id",
    type=click.IntRange(min=1),
    default=None,
    help="Only this pool (default: every pool).",
)


def _total(entries: list[LedgerEntry]) -> int:
    return sum(entry.amount for entry in entries)


@click.command("ledger")
@ledger_pool_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the ledger to FILE (default: standard output).",
)
@rpc_option
@node_option
def ledger_command(pool_id: int | None, fmt: str, out: Path | None, rpc: str, node: str) -> None:
    """Every reward payment (pool, epoch, provider, amount, denom, height, time, claim tx),
    rebuilt from chain events, as CSV or JSON."""

    def build() -> list[LedgerEntry]:
        events = RpcClient(rpc)
        with Client(node) as client:
            if pool_id is not None:
                pools_paid(client, pool_id)  # the pool must exist
            denom = reward_denom(client)
            entries, _ = ledger_from_events(events, denom, module_address(client), pool_id)
        return entries

    entries = fail_on_errors(build)
    text = dumps(entries, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text)
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
    denom = entries[0].denom if entries else ""
    click.echo(f"wrote {len(entries)} payments ({_total(entries)}{denom}) to {out}")


@click.command("ledger-verify")
@ledger_pool_option
@click.option(
    "--against",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Also check this published ledger file (CSV or JSON) against the chain.",
)
@rpc_option
@node_option
@output_option
def ledger_verify_command(
    pool_id: int | None, against: Path | None, rpc: str, node: str, output: str
) -> None:
    """Rebuild the ledger from chain events and check it against the module's records (and a
    published file); every mismatch is reported, and any makes the exit code 1."""

    def verify() -> tuple[list[LedgerEntry], list[LedgerEntry], dict[int, int], list[Mismatch]]:
        events_rpc = RpcClient(rpc)
        with Client(node) as client:
            paid = pools_paid(client, pool_id)
            denom = reward_denom(client)
            events, transfers = ledger_from_events(
                events_rpc, denom, module_address(client), pool_id
            )
            records = ledger_from_records(client, denom, pool_id)
        mismatches = audit(events, records, paid, transfers)
        if against is not None:
            published = [
                entry for entry in read_ledger(against) if pool_id is None or entry.pool == pool_id
            ]
            mismatches += compare(events, published, "chain events", str(against))
        return events, records, paid, mismatches

    events, records, paid, mismatches = fail_on_errors(verify)
    denom = events[0].denom if events else (records[0].denom if records else "")
    if output == "json":
        report = {
            "ok": not mismatches,
            "pool": pool_id,
            "payments": len(events),
            "total": str(_total(events)),
            "denom": denom,
            "records": len(records),
            "pools_paid": {str(pool): str(amount) for pool, amount in sorted(paid.items())},
            "mismatches": [asdict(item) for item in mismatches],
        }
        click.echo(json.dumps(report, sort_keys=True))
    else:
        click.echo(f"chain events:   {len(events)} payments, {_total(events)}{denom}")
        click.echo(f"module records: {len(records)} payments, {_total(records)}{denom}")
        click.echo(f"pools' paid:    {len(paid)} pools, {sum(paid.values())}{denom}")
        if against is not None:
            click.echo(f"checked file:   {against}")
        for item in mismatches:
            click.echo(f"MISMATCH {item.kind}: {item.message}")
        if not mismatches:
            click.echo("ledger verified: no mismatch")
    if mismatches:
        raise click.ClickException(f"{len(mismatches)} mismatch(es) in the ledger")
