"""``incentivesd tx bank send`` against a localnet: a send typed in a shell moves exactly the
amount plus the fee; ``--dry-run`` and a declined confirmation move nothing; bad input (a coin,
a key, a node, an overspend) fails with a message, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from chain.server.localnet import Localnet
from tests.cli.tx_support import ACCOUNTS, add_dev_keys, balance, fee_paid, invoke, shell, tx

SENDER, RECIPIENT = ACCOUNTS[1].address, ACCOUNTS[2].address


def test_send_typed_in_a_shell_moves_the_amount_and_the_fee(
    localnet: Localnet, tmp_path: Path
) -> None:
    add_dev_keys(tmp_path, 1)
    before = balance(localnet, SENDER), balance(localnet, RECIPIENT)
    done = shell(
        "tx", "bank", "send", "dev1", RECIPIENT, "1234567uakt",
        "--home", str(tmp_path), "--node", localnet.grpc_url, "--chain-id", "akash-localnet-1",
        "--gas", "auto", "--gas-adjustment", "1.3", "--gas-prices", "0.025uakt", "-y",
        "-o", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert sorted(result) == [
        "code", "codespace", "events", "gas_used", "gas_wanted", "height", "raw_log", "txhash",
    ]  # fmt: skip
    assert result["code"] == 0
    assert len(result["txhash"]) == 64
    assert result["height"] > 1
    assert result["gas_used"] <= result["gas_wanted"]
    fee = fee_paid(result)
    assert fee == -(-result["gas_wanted"] * 25 // 1000)  # ceil(gas limit * 0.025)
    assert balance(localnet, SENDER) == before[0] - 1234567 - fee
    assert balance(localnet, RECIPIENT) == before[1] + 1234567


def test_text_output_fees_and_memo(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 1)
    before = balance(localnet, SENDER)
    result = tx(
        localnet, tmp_path, "bank", "send", "dev1", RECIPIENT, "5uakt",
        "--gas", "200000", "--fees", "7000uakt", "--memo", "thanks",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("txhash: ")
    assert "code: 0" in lines
    assert any(line.startswith("gas used: ") and "of 200000 wanted" in line for line in lines)
    assert any(line.split() == ["transfer", "amount", "5uakt"] for line in lines)
    assert balance(localnet, SENDER) == before - 5 - 7000
    # The key's address works as FROM too.
    assert tx(localnet, tmp_path, "bank", "send", SENDER, RECIPIENT, "5uakt").exit_code == 0


def test_dry_run_and_a_declined_confirmation_change_nothing(
    localnet: Localnet, tmp_path: Path
) -> None:
    add_dev_keys(tmp_path, 1)
    before = balance(localnet, SENDER), balance(localnet, RECIPIENT)
    node = ("--home", str(tmp_path), "--node", localnet.grpc_url)
    dry = invoke(
        "tx", "bank", "send", "dev1", RECIPIENT, "1000uakt", *node, "--dry-run", "-o", "json"
    )
    assert dry.exit_code == 0, dry.output
    estimate = json.loads(dry.stdout)
    assert estimate["dry_run"] is True
    assert estimate["gas_limit"] == -(-estimate["gas_used"] * 3 // 2)
    assert estimate["fee"] == f"{-(-estimate['gas_limit'] * 25 // 1000)}uakt"
    declined = invoke("tx", "bank", "send", "dev1", RECIPIENT, "1000uakt", *node, stdin="n\n")
    assert declined.exit_code == 1
    assert '"@type": "/cosmos.bank.v1beta1.MsgSend"' in declined.output
    assert "confirm transaction before signing and broadcasting" in declined.output
    assert (balance(localnet, SENDER), balance(localnet, RECIPIENT)) == before
    accepted = invoke("tx", "bank", "send", "dev1", RECIPIENT, "1000uakt", *node, stdin="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert balance(localnet, RECIPIENT) == before[1] + 1000


def test_bad_input_is_a_message_not_a_traceback(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 1)
    before = balance(localnet, SENDER)
    for coins in ("10", "1.5uakt", "0uakt", "5uakt,5uakt", "3 uakt"):
        result = tx(localnet, tmp_path, "bank", "send", "dev1", RECIPIENT, coins)
        assert result.exit_code == 2, (coins, result.output)
        assert "Invalid value for 'AMOUNT'" in result.output
    result = tx(localnet, tmp_path, "bank", "send", "dev1", "cosmos1notanaddress", "5uakt")
    assert result.exit_code == 2
    assert "Invalid value for 'TO'" in result.output
    result = tx(localnet, tmp_path, "bank", "send", "dev1", RECIPIENT, "5uakt", "--gas", "lots")
    assert result.exit_code == 2
    assert "Invalid value for '--gas'" in result.output

    result = tx(localnet, tmp_path, "bank", "send", "mallory", RECIPIENT, "5uakt")
    assert result.exit_code == 1
    assert "mallory: key not found in the test keyring" in result.output

    assert invoke("keys", "add", "unfunded", "--home", str(tmp_path)).exit_code == 0
    result = tx(localnet, tmp_path, "bank", "send", "unfunded", RECIPIENT, "5uakt")
    assert result.exit_code == 1
    assert "an account exists on chain once it has received funds" in result.output

    result = tx(localnet, tmp_path, "bank", "send", "dev1", RECIPIENT, f"{10**15}uakt")
    assert result.exit_code == 1
    assert "the chain rejected the tx: codespace sdk, code 5" in result.output
    assert "insufficient funds" in result.output
    assert balance(localnet, SENDER) == before

    unreachable = shell(
        "tx", "bank", "send", "dev1", RECIPIENT, "5uakt", "--home", str(tmp_path),
        "--node", "grpc+http://127.0.0.1:1", "-y",
    )  # fmt: skip
    assert unreachable.returncode == 1
    assert "cannot reach the node at grpc+http://127.0.0.1:1" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr
    bare = shell(
        "tx", "bank", "send", "dev1", RECIPIENT, "5uakt", "--home", str(tmp_path),
        "--node", "127.0.0.1:1", "-y",
    )  # fmt: skip
    assert bare.returncode == 1  # host:port, as the node prints it, is plaintext gRPC
    assert "cannot reach the node at grpc+http://127.0.0.1:1" in bare.stderr
    result = invoke(
        "tx", "bank", "send", "dev1", RECIPIENT, "5uakt", "--home", str(tmp_path),
        "--node", "ftp://localhost:9090", "-y",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "invalid node address" in result.output
