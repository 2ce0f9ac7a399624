"""``incentivesd load``: drive a loopback node with concurrent pre-signed txs and report.

Prints committed tx/s, p50/p99 inclusion latency, rejections by reason, mempool-full retries and
the lost-tx check (``incentivesd.load``); exits non-zero when an accepted tx was not included.

Fails when: an address is not loopback, the node cannot be reached or the setup fails (a message,
exit code 1); an accepted tx is missing from the chain (the report, exit code 2).
"""

from __future__ import annotations

import json
import sys

import click

from chain.devnet import DEV_MNEMONIC
from incentivesd.client.client import DEFAULT_CHAIN_ID, DEFAULT_NODE
from incentivesd.load import LoadError, run_load


@click.command("load")
@click.option("--node", default=DEFAULT_NODE, show_default=True, help="gRPC address (loopback).")
@click.option(
    "--rpc",
    default="http://127.0.0.1:26657",
    show_default=True,
    help="CometBFT JSON-RPC address (loopback), watched for blocks.",
)
@click.option("--clients", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--txs", default=1000, show_default=True, type=click.IntRange(1, 1_000_000), help="Total txs."
)
@click.option(
    "--duration",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    help="Stop broadcasting after this many seconds.",
)
@click.option("--chain-id", default=DEFAULT_CHAIN_ID, show_default=True)
@click.option("--gas-prices", default="0.025uakt", show_default=True)
@click.option(
    "--settle",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds to wait for accepted txs to be included.",
)
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text")
def load_command(
    node: str,
    rpc: str,
    clients: int,
    txs: int,
    duration: float,
    chain_id: str,
    gas_prices: str,
    settle: float,
    output: str,
) -> None:
    """Broadcast pre-signed bank sends from N dev accounts (mnemonic of the localnet) to a
    loopback node and report throughput, latency, rejections and lost txs."""
    try:
        report = run_load(
            node,
            rpc,
            clients,
            txs,
            duration,
            chain_id=chain_id,
            gas_prices=gas_prices,
            mnemonic=DEV_MNEMONIC,
            settle_seconds=settle,
        )
    except (LoadError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    figures = report.to_json()
    if output == "json":
        click.echo(json.dumps(figures, sort_keys=True))
    else:
        click.echo(
            f"{figures['committed']}/{figures['planned']} committed by {clients} clients in "
            f"{figures['seconds']} s: {figures['committed_tx_per_s']} tx/s, inclusion latency "
            f"p50 {figures['latency_p50_ms']} ms, p99 {figures['latency_p99_ms']} ms"
        )
        click.echo(
            f"sent {figures['sent']}, accepted {figures['accepted']}, "
            f"mempool-full retries {figures['mempool_full_retries']}, "
            f"blocks {figures['blocks']} (largest {figures['max_block_txs']} txs)"
        )
        for reason, count in figures["rejected"].items():
            click.echo(f"rejected at CheckTx: {count} x {reason}")
        for reason, count in figures["failed_in_block"].items():
            click.echo(f"failed in a block: {count} x {reason}")
        click.echo(f"lost (accepted, never included): {len(report.lost)}")
    if report.lost:
        click.echo(f"error: {len(report.lost)} accepted txs were not included", err=True)
        sys.exit(2)
