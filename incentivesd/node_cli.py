"""``incentivesd start``: run the embedded localnet until interrupted.

Creates the devnet genesis (dev accounts from the documented mnemonic, a validator, a funded
community pool) and serves it; prints the accounts and endpoints the way anvil does.
"""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path
from types import FrameType

import click

from chain.devnet import ACCOUNT_BALANCE, DEV_MNEMONIC, dev_accounts, devnet_genesis
from chain.server.localnet import start_localnet
from chain.server.persistence import PersistenceError, home_genesis_path

_DURATION = re.compile(r"(\d+)(ms|s|m|h|d)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds in ``"20s"``, ``"500ms"``, ``"2m"``, ``"1h"``, ``"3d"`` or plain ``"20"``."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise click.BadParameter(f"not a duration: {text!r} (e.g. 20s, 500ms, 2m, 3d)")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@click.command("start")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path.home() / ".incentivesd",
    show_default=True,
    help="Node home: created with a new genesis if empty, resumed otherwise.",
)
@click.option("--chain-id", default="akash-localnet-1", show_default=True)
@click.option(
    "--grpc-address",
    default="127.0.0.1:9090",
    show_default=True,
    help="host:port; port 0 picks a free one.",
)
@click.option(
    "--rpc-address", default="127.0.0.1:26657", show_default=True, help="CometBFT JSON-RPC."
)
@click.option("--api-address", default="127.0.0.1:1317", show_default=True, help="REST gateway.")
@click.option("--minimum-gas-prices", default="0.025uakt", show_default=True)
@click.option(
    "--voting-period", default="20s", show_default=True, help="Gov voting and deposit period."
)
@click.option(
    "--block-time",
    default="0",
    show_default=True,
    help="0: a block as soon as a tx arrives; else an interval (e.g. 1s).",
)
@click.option(
    "--mempool-size",
    default=5000,
    show_default=True,
    type=click.IntRange(1),
    help="Most txs waiting; a full mempool refuses with 'mempool is full'.",
)
def start_command(
    home: Path,
    chain_id: str,
    grpc_address: str,
    rpc_address: str,
    api_address: str,
    minimum_gas_prices: str,
    voting_period: str,
    block_time: str,
    mempool_size: int,
) -> None:
    """Start the localnet and serve it until Ctrl-C."""
    period = int(parse_duration(voting_period))
    accounts = dev_accounts()
    genesis_file = home_genesis_path(home)
    if genesis_file.exists():
        genesis = json.loads(genesis_file.read_text())
        chain_id = genesis.get("chain_id", chain_id)
    else:
        genesis = devnet_genesis(
            chain_id=chain_id,
            genesis_time=int(time.time()),
            voting_period=period,
            accounts=accounts,
        )
    try:
        net = start_localnet(
            genesis,
            grpc_address=grpc_address,
            rpc_address=rpc_address,
            api_address=api_address,
            block_time=parse_duration(block_time),
            minimum_gas_prices=minimum_gas_prices,
            voting_period=period,
            home=home,
        )
    except (OSError, PersistenceError) as error:
        raise click.ClickException(f"cannot start: {error}") from None
    net.node.mempool_size = mempool_size
    # Before the banner: a SIGTERM sent once the ports are printed stops the node cleanly. The
    # handler takes no lock (it may interrupt the main thread anywhere, even inside a lock).
    signals: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        signals.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    click.echo("Available accounts")
    click.echo("==================")
    for account in accounts:
        click.echo(f"({account.index}) {account.address} ({ACCOUNT_BALANCE // 10**6:,} AKT)")
    click.echo("\nPrivate keys")
    click.echo("==================")
    for account in accounts:
        click.echo(f"({account.index}) 0x{account.private_key.hex()}")
    click.echo(f"\nMnemonic:  {DEV_MNEMONIC}")
    click.echo("HD path:   m/44'/118'/0'/0/i")
    click.echo(f"Chain ID:  {chain_id}")
    click.echo(f"Home:      {home} (height {net.app.last_height})")
    click.echo(f"gRPC:      {net.grpc_target}")
    click.echo(f"RPC:       http://{net.host}:{net.port_of('rpc')}")
    click.echo(f"REST:      http://{net.host}:{net.port_of('api')}")
    click.echo("Account 0 operates the validator; the community pool holds 10,000,000 AKT.")
    click.echo("Ready. Ctrl-C stops the node.", err=True)
    # Short sleeps: Python runs a handler on the main thread only, at its next bytecode, and the
    # kernel may deliver the signal to a server thread without waking the main one.
    while not signals:
        time.sleep(0.2)
    net.stop()
    click.echo("stopped", err=True)
