"""``incentivesd keys``: add, list, show and delete keys in the home's file keyring.

Storage and encryption are ``incentivesd.keyring``'s. Two backends (``--keyring-backend``):
``test`` (the default, for localnets: secrets in plaintext) and ``file`` (secrets encrypted with
scrypt + AES-256-GCM under a passphrase). The passphrase is read from the environment variable
``INCENTIVESD_KEYRING_PASSPHRASE`` when it is set (for scripts), else asked on the terminal,
twice when a key is added.

Fails when: the backend is unknown (usage error, exit 2); a key already exists (``add``) or is
missing (``show``, ``delete``); the mnemonic given to ``--recover`` is invalid; a passphrase is
too short, does not match its confirmation, or is wrong (exit code 1).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from cosmpy.mnemonic import generate_mnemonic

from incentivesd.keyring import BACKENDS, PASSPHRASE_ENV, KeyInfo, Keyring, KeyringError

DEFAULT_HOME = Path("~/.incentivesd")


def ask_passphrase(confirm: bool) -> str:
    """The keyring passphrase: ``$INCENTIVESD_KEYRING_PASSPHRASE``, else a prompt on the
    terminal (repeated for confirmation when ``confirm``)."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    text = "Enter a passphrase to encrypt the key" if confirm else "Enter the keyring passphrase"
    passphrase: str = click.prompt(
        text, hide_input=True, confirmation_prompt=confirm, err=True, show_default=False
    )
    return passphrase


def open_keyring(home: Path, backend: str) -> Keyring:
    try:
        return Keyring(home, backend, ask_passphrase)
    except KeyringError as error:
        raise click.ClickException(str(error)) from None


def _show(keys: list[dict[str, str]], output: str) -> None:
    if output == "json":
        click.echo(json.dumps(keys if len(keys) != 1 else keys[0], sort_keys=True))
        return
    for number, key in enumerate(keys):
        if number:
            click.echo("")
        for field in ("name", "type", "address", "pubkey", "hd_path"):
            click.echo(f"{field}: {key[field]}")


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
    type=click.Choice(BACKENDS),
    default="test",
    show_default=True,
    help="'test': plaintext, for localnets only; 'file': encrypted under a passphrase.",
)
output_option = click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group("keys")
def keys_group() -> None:
    """Manage local keys (backends: test, plaintext for localnets; file, encrypted)."""


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
    keyring = open_keyring(home, backend)
    if recover:
        if sys.stdin.isatty():
            click.echo("> Enter your bip39 mnemonic", err=True)
        mnemonic = " ".join(sys.stdin.readline().split())
    else:
        mnemonic = generate_mnemonic()
    try:
        info = keyring.add(name, mnemonic, index)
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    shown = info.as_dict()
    if not recover:
        shown["mnemonic"] = mnemonic
    _show([shown], output)
    if not recover and output == "text":
        click.echo("\n**Important** write this mnemonic phrase in a safe place.", err=True)


@keys_group.command("list")
@home_option
@backend_option
@output_option
def list_command(home: Path, backend: str, output: str) -> None:
    """List all keys."""
    try:
        keys: list[KeyInfo] = open_keyring(home, backend).keys()
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    records = [key.as_dict() for key in keys]
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
    """Show key NAME (a name or an address)."""
    try:
        info = open_keyring(home, backend).find(name)
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    if address_only:
        click.echo(info.address)
    else:
        _show([info.as_dict()], output)


@keys_group.command("delete")
@click.argument("name")
@click.option("-y", "--yes", is_flag=True, help="Delete without asking.")
@home_option
@backend_option
def delete_command(name: str, yes: bool, home: Path, backend: str) -> None:
    """Delete key NAME from the keyring (its mnemonic is the only way back)."""
    keyring = open_keyring(home, backend)
    try:
        keyring.info(name)
        if not yes:
            click.confirm(f"Delete key {name!r}? It cannot be recovered", abort=True, err=True)
        keyring.delete(name)
    except KeyringError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Key {name} deleted", err=True)
