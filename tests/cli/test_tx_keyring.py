"""``incentivesd tx`` signing with the encrypted ``file`` keyring: the passphrase from the
environment or the terminal signs; a wrong one is a clear error and nothing is sent."""

from __future__ import annotations

from pathlib import Path

from chain.devnet import DEV_MNEMONIC
from chain.server.localnet import Localnet
from tests.cli.tx_support import ACCOUNTS, balance, invoke

PASSPHRASE = "a long passphrase"
SENDER, RECIPIENT = ACCOUNTS[5].address, ACCOUNTS[6].address


def test_file_keyring_signs_with_its_passphrase_only(localnet: Localnet, tmp_path: Path) -> None:
    file_keyring = ("--home", str(tmp_path), "--keyring-backend", "file")
    added = invoke(
        "keys", "add", "dev5", "--recover", "--index", "5", *file_keyring,
        env={"INCENTIVESD_KEYRING_PASSPHRASE": PASSPHRASE}, stdin=DEV_MNEMONIC + "\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    send = ("tx", "bank", "send", "dev5", RECIPIENT, "1000uakt", *file_keyring)
    node = ("--node", localnet.grpc_url, "-y")
    before = balance(localnet, RECIPIENT)

    result = invoke(*send, *node, env={"INCENTIVESD_KEYRING_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 0, result.output
    assert balance(localnet, RECIPIENT) == before + 1000

    result = invoke(
        *send, *node, stdin=PASSPHRASE + "\n", env={"INCENTIVESD_KEYRING_PASSPHRASE": None}
    )
    assert result.exit_code == 0, result.output
    assert "Enter the keyring passphrase" in result.output
    assert balance(localnet, RECIPIENT) == before + 2000

    spent = balance(localnet, SENDER)
    result = invoke(*send, *node, env={"INCENTIVESD_KEYRING_PASSPHRASE": "not the passphrase"})
    assert result.exit_code == 1
    assert "dev5: wrong passphrase" in result.output
    assert "Traceback" not in result.output
    assert balance(localnet, SENDER) == spent

    # The test keyring of the same home does not hold the key.
    result = invoke(
        "tx", "bank", "send", "dev5", RECIPIENT, "1uakt", "--home", str(tmp_path), *node
    )
    assert result.exit_code == 1
    assert "dev5: key not found in the test keyring" in result.output
