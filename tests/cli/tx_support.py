"""Helpers of the ``incentivesd tx`` tests: a keyring home holding dev keys, the CLI run in
process (click's runner) or as a user types it (a subprocess of the installed entry point)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from chain.devnet import DEV_MNEMONIC, dev_accounts
from chain.server.localnet import Localnet
from incentivesd.cli import main
from incentivesd.client.client import Client

ACCOUNTS = dev_accounts()
ENTRY_POINT = Path(sys.executable).with_name("incentivesd")


def add_dev_keys(home: Path, *indexes: int) -> None:
    """Keys ``dev<i>`` for the dev accounts ``indexes`` in ``home``'s test keyring."""
    for index in indexes:
        result = invoke(
            "keys", "add", f"dev{index}", "--recover", "--index", str(index), "--home", str(home),
            stdin=DEV_MNEMONIC + "\n",
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def invoke(
    *args: str, stdin: str | None = None, env: dict[str, str | None] | None = None
) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


def tx(net: Localnet, home: Path, *args: str, stdin: str | None = None) -> Result:
    """``incentivesd tx ARGS --home HOME --node NET -y`` in process."""
    return invoke("tx", *args, "--home", str(home), "--node", net.grpc_url, "-y", stdin=stdin)


def tx_json(net: Localnet, home: Path, *args: str) -> dict[str, Any]:
    """``tx`` with ``-o json``; asserts success and returns the printed result."""
    result = tx(net, home, *args, "-o", "json")
    assert result.exit_code == 0, result.output
    printed: dict[str, Any] = json.loads(result.stdout)
    return printed


def shell(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``incentivesd ARGS`` in a subprocess, as typed in a shell."""
    return subprocess.run(
        [str(ENTRY_POINT), *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def balance(net: Localnet, address: str) -> int:
    with Client(net.grpc_url) as client:
        return client.bank_balance(address)


def fee_paid(result: dict[str, Any]) -> int:
    """The fee of a tx from its ``tx`` event (``<amount>uakt``)."""
    for event in result["events"]:
        for attribute in event["attributes"]:
            if event["type"] == "tx" and attribute["key"] == "fee":
                return int(attribute["value"].removesuffix("uakt"))
    raise AssertionError("no fee event")
