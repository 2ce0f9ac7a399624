"""``incentivesd.keyring``: the ``file`` backend's record is encrypted (scrypt + AES-256-GCM),
opens only with its passphrase, and detects an edited public part; the ``test`` backend keeps
its plaintext format."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cosmpy.mnemonic import derive_child_key_from_mnemonic

from chain.devnet import DEV_MNEMONIC, dev_accounts
from incentivesd.keyring import (
    RECORD_VERSION,
    KeyNotFoundError,
    Keyring,
    KeyringError,
    WrongPassphraseError,
)

PASSPHRASE = "correct horse battery"


def keyring(home: Path, passphrase: str = PASSPHRASE) -> Keyring:
    return Keyring(home, "file", lambda confirm: passphrase)


def test_a_file_key_is_encrypted_and_opens_with_its_passphrase(tmp_path: Path) -> None:
    info = keyring(tmp_path).add("dev2", DEV_MNEMONIC, 2)
    assert info.address == dev_accounts(3)[2].address
    path = tmp_path / "keyring-file" / "dev2.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "test test" not in text
    assert "junk" not in text
    record = json.loads(text)
    assert record["version"] == RECORD_VERSION
    assert record["address"] == info.address
    crypto = record["crypto"]
    assert (crypto["kdf"], crypto["cipher"]) == ("scrypt", "aes-256-gcm")
    assert len(bytes.fromhex(crypto["kdfparams"]["salt"])) == 16
    assert len(bytes.fromhex(crypto["nonce"])) == 12

    expected = derive_child_key_from_mnemonic(DEV_MNEMONIC, path="m/44'/118'/0'/0/2")
    assert keyring(tmp_path).private_key("dev2") == expected
    # Listing and lookups need no passphrase: the public part is in clear.
    listed = Keyring(tmp_path, "file").keys()
    assert [key.name for key in listed] == ["dev2"]
    assert Keyring(tmp_path, "file").find(info.address) == info

    # Same mnemonic, another salt and nonce: another ciphertext.
    keyring(tmp_path).add("again", DEV_MNEMONIC, 2)
    again = json.loads((tmp_path / "keyring-file" / "again.json").read_text())
    assert again["crypto"]["ciphertext"] != crypto["ciphertext"]


def test_a_wrong_passphrase_or_an_edited_record_does_not_open(tmp_path: Path) -> None:
    keyring(tmp_path).add("dev", DEV_MNEMONIC)
    with pytest.raises(WrongPassphraseError, match="dev: wrong passphrase"):
        keyring(tmp_path, "correct horse battery!").private_key("dev")
    with pytest.raises(KeyringError, match="set INCENTIVESD_KEYRING_PASSPHRASE"):
        Keyring(tmp_path, "file").private_key("dev")

    path = tmp_path / "keyring-file" / "dev.json"
    record = json.loads(path.read_text())
    record["address"] = dev_accounts(2)[1].address
    path.write_text(json.dumps(record))
    with pytest.raises(WrongPassphraseError):
        keyring(tmp_path).private_key("dev")
    record["version"] = 99
    path.write_text(json.dumps(record))
    with pytest.raises(KeyringError, match="unsupported key record version 99"):
        keyring(tmp_path).private_key("dev")
    path.write_text("{")
    with pytest.raises(KeyringError, match="unreadable key record"):
        keyring(tmp_path).info("dev")


def test_keyring_failures(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="at least 8 characters"):
        keyring(tmp_path, "short").add("dev", DEV_MNEMONIC)
    assert not (tmp_path / "keyring-file" / "dev.json").exists()
    with pytest.raises(KeyringError, match="invalid mnemonic"):
        keyring(tmp_path).add("dev", "not a mnemonic")
    with pytest.raises(KeyringError, match="invalid key name"):
        keyring(tmp_path).add("../escape", DEV_MNEMONIC)
    keyring(tmp_path).add("dev", DEV_MNEMONIC)
    with pytest.raises(KeyringError, match="already exists"):
        keyring(tmp_path).add("dev", DEV_MNEMONIC)
    with pytest.raises(KeyNotFoundError, match="nobody: key not found in the file keyring"):
        keyring(tmp_path).private_key("nobody")
    with pytest.raises(KeyNotFoundError, match="no key with address"):
        keyring(tmp_path).find(dev_accounts(2)[1].address)
    with pytest.raises(KeyringError, match="'os' is not supported"):
        Keyring(tmp_path, "os")
    keyring(tmp_path).delete("dev")
    assert keyring(tmp_path).keys() == []


def test_the_test_backend_stays_plaintext(tmp_path: Path) -> None:
    Keyring(tmp_path).add("dev", DEV_MNEMONIC)
    record = json.loads((tmp_path / "keyring-test" / "dev.json").read_text())
    assert record["mnemonic"] == DEV_MNEMONIC
    assert "crypto" not in record
    assert Keyring(tmp_path).private_key("dev") == dev_accounts(1)[0].private_key
