"""``incentivesd keys``: a file keyring for the ``test`` backend, as in the Cosmos SDK.

Keys live in ``<home>/keyring-test/<name>.json`` (mode 0600), one JSON object per key: ``name``,
``type`` ("local"), ``address``, ``pubkey`` (hex, compressed secp256k1), ``hd_path``, and the
``mnemonic`` (or, for an imported raw key, ``private_key`` hex). The ``test`` backend stores its
secrets in **plaintext** by definition: it is for localnets and tests only. No encrypted backend
(``file``, ``os``) is offered: the standard library has no authenticated cipher, and this project
does not roll its own.

Fails when: the backend is not ``test``, a key already exists (``add``) or is missing (``show``),
the mnemonic given to ``--recover`` is invalid (exit code 1).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click
from cosmpy.crypto.address import Address
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic, generate_mnemonic

from incentivesd.client.client import DEFAULT_PREFIX, hd_path

DEFAULT_HOME = Path("~/.incentivesd")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def keyring_dir(home: Path, backend: str = "test") -> Path:
    if backend != "test":
        raise click.ClickException(
            f"keyring backend {backend!r} is not supported; only 'test' (plaintext) is"
        )
    return home.expanduser() / "keyring-test"


def key_record(name: str, mnemonic: str, index: int) -> dict[str, Any]:
    """The keyring record of ``mnemonic`` at HD index ``index``."""
    path = hd_path(index)
    key = derive_child_key_from_mnemonic(mnemonic, path=path)
    public = PrivateKey(key).public_key
    return {
        "name": name,
        "type": "local",
        "address": str(Address(public, prefix=DEFAULT_PREFIX)),
        "pubkey": public.public_key_bytes.hex(),
        "hd_path": path,
        "mnemonic": mnemonic,
    }


def load_key(home: Path, name: str, backend: str = "test") -> dict[str, Any]:
    path = keyring_dir(home, backend) / f"{name}.json"
    if not path.is_file():
        raise click.ClickException(f"{name}: key not found")
    record: dict[str, Any] = json.loads(path.read_text())
    return record


def private_key_of(record: dict[str, Any]) -> bytes:
    """The secp256k1 private key of a keyring record."""
    if "private_key" in record:
        return bytes.fromhex(record["private_key"])
    key: bytes = derive_child_key_from_mnemonic(record["mnemonic"], path=record["hd_path"])
    return key


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in ("name", "type", "address", "pubkey", "hd_path")}


def _show(records: list[dict[str, Any]], output: str) -> None:
    if output == "json":
        click.echo(json.dumps(records if len(records) != 1 else records[0], sort_keys=True))
        return
    for number, record in enumerate(records):
        if number:
            click.echo("")
        for key in ("name", "type", "address", "pubkey", "hd_path"):
            click.echo(f"{key}: {record[key]}")


home_option = click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_HOME,
    show_default=True,
    help="Directory holding keyring-<backend>/.",
)
backend_option = click.option(
    "--keyring-backend",
    "backend",
    type=click.Choice(["test"]),
    default="test",
    show_default=True,
    help="Only 'test': keys in plaintext files (never use with real funds).",
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group("keys")
def keys_group() -> None:
    """Manage local keys (test keyring backend: plaintext, for localnets)."""


@keys_group.command("add")
@click.argument("name")
@click.option("--recover", is_flag=True, help="Read the mnemonic from stdin.")
@click.option("--index", type=click.IntRange(min=0), default=0, show_default=True)
@home_option
@backend_option
@output_option
def add_command(
    name: str, recover: bool, index: int, home: Path, backend: str, output: str
) -> None:
    """Create key NAME (a new 24-word mnemonic) or, with --recover, import it from stdin."""
    if _NAME.match(name) is None:
        raise click.ClickException(f"invalid key name {name!r}")
    directory = keyring_dir(home, backend)
    path = directory / f"{name}.json"
    if path.exists():
        raise click.ClickException(f"{name}: key already exists")
    if recover:
        if sys.stdin.isatty():
            click.echo("> Enter your bip39 mnemonic", err=True)
        mnemonic = " ".join(sys.stdin.readline().split())
    else:
        mnemonic = generate_mnemonic()
    try:
        record = key_record(name, mnemonic, index)
    except Exception as error:
        raise click.ClickException(f"invalid mnemonic: {error}") from None
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_private(path, json.dumps(record, indent=2, sort_keys=True) + "\n")
    public = _public(record)
    if not recover:
        public["mnemonic"] = mnemonic
    _show([public], output)
    if not recover and output == "text":
        click.echo("\n**Important** write this mnemonic phrase in a safe place.", err=True)


@keys_group.command("list")
@home_option
@backend_option
@output_option
def list_command(home: Path, backend: str, output: str) -> None:
    """List all keys."""
    directory = keyring_dir(home, backend)
    paths = sorted(directory.glob("*.json")) if directory.is_dir() else []
    records = [_public(json.loads(path.read_text())) for path in paths]
    if output == "json":
        click.echo(json.dumps(records, sort_keys=True))
    else:
        _show(records, output)


@keys_group.command("show")
@click.argument("name")
@click.option("-a", "--address", "address_only", is_flag=True, help="Print the address only.")
@home_option
@backend_option
@output_option
def show_command(name: str, address_only: bool, home: Path, backend: str, output: str) -> None:
    """Show key NAME."""
    record = load_key(home, name, backend)
    if address_only:
        click.echo(record["address"])
    else:
        _show([_public(record)], output)
