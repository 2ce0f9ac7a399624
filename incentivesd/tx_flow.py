"""The path every ``incentivesd tx`` command takes: the common flags, the signer's key, gas and
fee, the confirmation, the broadcast, the wait for inclusion and the printed result.

``submit`` loads the ``--from`` key from the keyring (asking for the passphrase of a ``file``
keyring), builds the command's messages for its address, then:

- with ``--dry-run``: simulates them and prints the gas estimate and the fee (and what the
  command's ``preview`` adds, e.g. what a claim would pay); nothing is broadcast;
- otherwise: sets the gas limit (``--gas auto``: simulated gas times ``--gas-adjustment``) and
  the fee (``--fees``, else gas limit times ``--gas-prices``), prints the unsigned tx on stderr
  and asks to confirm (unless ``-y``), signs, broadcasts in sync mode and polls until the tx is
  included.

``-o json`` prints one object with the stable keys ``txhash``, ``height``, ``code``,
``codespace``, ``raw_log``, ``gas_wanted``, ``gas_used`` and ``events`` (``[{type, attributes:
[{key, value}]}]``); ``-o text`` prints the same as lines and an events table.

Fails when (a message, exit code 1): the key is unknown or its passphrase wrong; the node cannot
be reached; the signer's account does not exist on chain (it never received funds); the chain
rejects the tx at simulation, CheckTx or DeliverTx (codespace, code and raw log are printed);
the tx is not included in time; the user declines. Bad flag values (coins, gas, gas prices, the
node address) are usage errors (exit code 2).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import grpc
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from incentivesd.client.client import (
    DEFAULT_CHAIN_ID,
    DEFAULT_NODE,
    DEFAULT_PREFIX,
    ChainError,
    Client,
    ClientError,
    TxResult,
)
from incentivesd.keyring import KeyringError
from incentivesd.keys_cli import DEFAULT_HOME, open_keyring
from incentivesd.tables import render_table
from incentivesd.tx_params import COINS, GasPricesType, GasType, coins_text, parse_coins


@dataclass(frozen=True, slots=True)
class TxOptions:
    """The common flags of every tx command."""

    from_: str | None
    home: Path
    keyring_backend: str
    node: str
    chain_id: str
    gas: int | str
    gas_adjustment: float
    gas_prices: str
    fees: list[Coin] | None
    memo: str
    yes: bool
    output: str
    dry_run: bool
    broadcast_mode: str


_OPTIONS = (
    click.option("--from", "from_", metavar="KEY", help="Name (or address) of the signing key."),
    click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_HOME,
        show_default=True,
        help="Directory holding keyring-<backend>/.",
    ),
    click.option(
        "--keyring-backend",
        type=click.Choice(["test", "file"]),
        default="test",
        show_default=True,
        help="'test': plaintext (localnets); 'file': encrypted, asks for the passphrase "
        "(or reads $INCENTIVESD_KEYRING_PASSPHRASE).",
    ),
    click.option(
        "--node",
        default=DEFAULT_NODE,
        show_default=True,
        help="gRPC endpoint: a URL, or host:port for plaintext gRPC.",
    ),
    click.option("--chain-id", default=DEFAULT_CHAIN_ID, show_default=True),
    click.option(
        "--gas",
        type=GasType(),
        default="auto",
        show_default=True,
        help="Gas limit; 'auto' simulates and multiplies by --gas-adjustment.",
    ),
    click.option(
        "--gas-adjustment",
        type=click.FloatRange(min=1.0),
        default=1.5,
        show_default=True,
    ),
    click.option(
        "--gas-prices",
        type=GasPricesType(),
        default="0.025uakt",
        show_default=True,
        help="Fee per unit of gas (the fee is gas limit x gas price, rounded up).",
    ),
    click.option("--fees", type=COINS, default=None, help="Exact fee; overrides --gas-prices."),
    click.option("--memo", default="", help="A note carried in the tx."),
    click.option("-y", "--yes", is_flag=True, help="Sign and broadcast without asking."),
    click.option(
        "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
    ),
    click.option(
        "--dry-run",
        is_flag=True,
        help="Simulate only: print the gas estimate (and, for claims, what would be paid).",
    ),
    click.option(
        "-b",
        "--broadcast-mode",
        type=click.Choice(["sync"]),
        default="sync",
        show_default=True,
        help="sync: CheckTx, then poll until the tx is included.",
    ),
)
_FIELDS = TxOptions.__dataclass_fields__


def tx_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the common tx flags to ``command``, which receives them as ``opts: TxOptions``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        opts = TxOptions(**{name: kwargs.pop(name) for name in _FIELDS})
        command(*args, opts=opts, **kwargs)

    decorated: Callable[..., None] = wrapper
    for option in reversed(_OPTIONS):
        decorated = option(decorated)
    return decorated


@dataclass(frozen=True, slots=True)
class Preview:
    """What a dry run adds to the gas estimate: ``data`` for JSON, ``text`` for text."""

    data: dict[str, Any]
    text: str


Build = Callable[[str], list[Message]]
PreviewFn = Callable[[Client, str], Preview]
Highlights = Callable[[TxResult], list[tuple[str, str]]]


def message_json(message: Message) -> dict[str, Any]:
    """A Msg as the SDK prints it: ``@type`` and the fields under their proto names."""
    body = MessageToDict(message, preserving_proto_field_name=True)
    return {"@type": "/" + message.DESCRIPTOR.full_name, **body}


def _signer(opts: TxOptions) -> tuple[str, LocalWallet]:
    if not opts.from_:
        raise click.UsageError("--from is required (a key name or address in the keyring)")
    keyring = open_keyring(opts.home, opts.keyring_backend)
    try:
        info = keyring.find(opts.from_)
        key = keyring.private_key(info.name)
    except KeyringError as error:
        raise click.ClickException(f"{error} (home {opts.home})") from None
    return info.address, LocalWallet(PrivateKey(key), prefix=DEFAULT_PREFIX)


def _failure(error: Exception) -> click.ClickException:
    if isinstance(error, ChainError):
        where = f" (txhash {error.txhash})" if error.txhash else ""
        return click.ClickException(
            f"the chain rejected the tx{where}: codespace {error.codespace or '?'}, "
            f"code {error.code}: {error.raw_log}"
        )
    if isinstance(error, grpc.RpcError):
        details = error.details() or ""
        if error.code() == grpc.StatusCode.NOT_FOUND and details.startswith("account "):
            details += " (an account exists on chain once it has received funds)"
        return click.ClickException(f"{error.code().name.lower()}: {details}")
    return click.ClickException(str(error))


def submit(
    opts: TxOptions,
    build: Build,
    preview: PreviewFn | None = None,
    highlights: Highlights | None = None,
) -> None:
    """Sign ``build(signer_address)`` with the ``--from`` key and broadcast it (see the module
    docstring); ``preview`` adds to a dry run, ``highlights`` to the text result."""
    address, wallet = _signer(opts)
    msgs = build(address)
    try:
        client = Client(opts.node, opts.chain_id, opts.gas_prices, opts.gas_adjustment)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    with client:
        try:
            if opts.dry_run:
                _dry_run(client, opts, msgs, wallet, address, preview)
                return
            if opts.gas == "auto":
                gas_limit = client.estimate(msgs, wallet, opts.memo)[1]
            else:
                gas_limit = int(opts.gas)
            fee = coins_text(opts.fees) if opts.fees else client.fee_for(gas_limit)
            if not opts.yes:
                _confirm(opts, msgs, address, gas_limit, fee)
            checked = client.broadcast(
                msgs, wallet, gas=gas_limit, fees=fee, memo=opts.memo, wait=False
            )
            if sys.stderr.isatty():
                click.echo(f"txhash {checked.txhash}: waiting for inclusion...", err=True)
            result = client.wait_for_tx(checked.txhash)
        except (ClientError, grpc.RpcError) as error:
            raise _failure(error) from None
    _print_result(result, opts.output, highlights(result) if highlights else [])


def _dry_run(
    client: Client,
    opts: TxOptions,
    msgs: list[Message],
    wallet: LocalWallet,
    address: str,
    preview: PreviewFn | None,
) -> None:
    used, auto_limit = client.estimate(msgs, wallet, opts.memo)
    gas_limit = auto_limit if opts.gas == "auto" else int(opts.gas)
    fee = coins_text(opts.fees) if opts.fees else client.fee_for(gas_limit)
    extra = preview(client, address) if preview else None
    if opts.output == "json":
        data = {"dry_run": True, "gas_used": used, "gas_limit": gas_limit, "fee": fee}
        click.echo(json.dumps({**data, **(extra.data if extra else {})}, sort_keys=True))
        return
    click.echo("dry run: simulated only, nothing was broadcast")
    click.echo(f"gas estimate: {used} (gas limit {gas_limit}, adjustment {opts.gas_adjustment})")
    click.echo(f"fee: {fee}")
    if extra:
        click.echo(extra.text)


def _confirm(opts: TxOptions, msgs: list[Message], address: str, gas_limit: int, fee: str) -> None:
    unsigned = {
        "body": {"messages": [message_json(msg) for msg in msgs], "memo": opts.memo},
        "auth_info": {
            "fee": {
                "amount": [{"denom": c.denom, "amount": c.amount} for c in parse_coins(fee)],
                "gas_limit": str(gas_limit),
            }
        },
        "signer": address,
        "chain_id": opts.chain_id,
    }
    click.echo(json.dumps(unsigned, indent=2), err=True)
    click.confirm(
        "confirm transaction before signing and broadcasting", abort=True, err=True, default=False
    )


def result_json(result: TxResult) -> dict[str, Any]:
    return {
        "txhash": result.txhash,
        "height": result.height,
        "code": result.code,
        "codespace": "",
        "raw_log": result.raw_log,
        "gas_wanted": result.gas_wanted,
        "gas_used": result.gas_used,
        "events": [
            {
                "type": event.type,
                "attributes": [{"key": key, "value": value} for key, value in event.attributes],
            }
            for event in result.events
        ],
    }


def _print_result(result: TxResult, output: str, highlights: list[tuple[str, str]]) -> None:
    if output == "json":
        click.echo(json.dumps(result_json(result), sort_keys=True))
        return
    click.echo(f"txhash: {result.txhash}")
    click.echo(f"height: {result.height}")
    click.echo(f"code: {result.code}")
    click.echo(f"gas used: {result.gas_used} of {result.gas_wanted} wanted")
    for label, value in highlights:
        click.echo(f"{label}: {value}")
    rows = [
        {"event": event.type, "attribute": key, "value": value}
        for event in result.events
        for key, value in event.attributes
    ]
    if rows:
        click.echo("")
        click.echo(render_table(rows))
