"""The local keyring: one JSON record per key in ``<home>/keyring-<backend>/<name>.json`` (mode
0600), as the Cosmos SDK lays out its file keyrings.

Every record carries the public part in clear: ``name``, ``type`` ("local"), ``address``,
``pubkey`` (hex, compressed secp256k1) and ``hd_path``. The secret is the ``mnemonic`` (or, for
an imported raw key, ``private_key`` hex).

- ``test`` backend: the secret is stored in **plaintext** next to the public part. For localnets
  and tests only (the dev keys are public anyway).
- ``file`` backend: record ``version`` 1 holds the secret encrypted under a passphrase. The key is
  derived with scrypt (``n``, ``r``, ``p`` and a random 16-byte salt, all stored in the record)
  and the secret (JSON) is sealed with AES-256-GCM (random 12-byte nonce); the public part is the
  cipher's associated data, so an edited address or path fails decryption like a wrong
  passphrase does. Passphrases are at least 8 characters.

The passphrase comes from a callable given to ``Keyring`` (``confirm=True`` when a new key is
being encrypted), asked only when a secret is read or written.

Fails when (``KeyringError``): the backend is unknown; a key name is invalid, already taken
(add) or missing (``KeyNotFoundError``); a mnemonic is invalid; a passphrase is too short or
wrong (``WrongPassphraseError``); a record is unreadable or of an unknown version.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cosmpy.crypto.address import Address
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from incentivesd.client.client import DEFAULT_PREFIX, hd_path

BACKENDS = ("test", "file")
PASSPHRASE_ENV = "INCENTIVESD_KEYRING_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8
RECORD_VERSION = 1
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PUBLIC_FIELDS = ("name", "type", "address", "pubkey", "hd_path")

Passphrase = Callable[[bool], str]


class KeyringError(Exception):
    """A keyring operation failed; the message says why."""


class KeyNotFoundError(KeyringError):
    """No key of that name (or address) is in the keyring."""


class WrongPassphraseError(KeyringError):
    """The passphrase does not decrypt the key (or its record was altered)."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """The public part of a key."""

    name: str
    type: str
    address: str
    pubkey: str
    hd_path: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def key_info(name: str, mnemonic: str, index: int) -> KeyInfo:
    """The key of ``mnemonic`` at HD index ``index``; ``ValueError`` for an invalid mnemonic."""
    path = hd_path(index)
    try:
        key = derive_child_key_from_mnemonic(mnemonic, path=path)
    except Exception as error:
        raise ValueError(str(error)) from None
    public = PrivateKey(key).public_key
    return KeyInfo(
        name=name,
        type="local",
        address=str(Address(public, prefix=DEFAULT_PREFIX)),
        pubkey=public.public_key_bytes.hex(),
        hd_path=path,
    )


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _associated_data(info: dict[str, Any]) -> bytes:
    public = {field: info[field] for field in _PUBLIC_FIELDS}
    return json.dumps({"version": RECORD_VERSION, **public}, sort_keys=True).encode()


def seal(info: KeyInfo, secret: dict[str, str], passphrase: str) -> dict[str, Any]:
    """The version-1 ``file`` record of ``info`` with ``secret`` encrypted under ``passphrase``."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise KeyringError(f"the passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    public = info.as_dict()
    plaintext = json.dumps(secret, sort_keys=True).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _associated_data(public))
    return {
        "version": RECORD_VERSION,
        **public,
        "crypto": {
            "kdf": "scrypt",
            "kdfparams": {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
            "cipher": "aes-256-gcm",
            "nonce": nonce.hex(),
            "ciphertext": ciphertext.hex(),
        },
    }


def unseal(record: dict[str, Any], passphrase: str) -> dict[str, str]:
    """The secret of a ``file`` record; ``WrongPassphraseError`` when it does not decrypt."""
    name = record.get("name", "?")
    if record.get("version") != RECORD_VERSION:
        raise KeyringError(f"{name}: unsupported key record version {record.get('version')!r}")
    try:
        crypto = record["crypto"]
        params = crypto["kdfparams"]
        if crypto["kdf"] != "scrypt" or crypto["cipher"] != "aes-256-gcm":
            raise KeyringError(f"{name}: unsupported cipher {crypto['kdf']}/{crypto['cipher']}")
        key = _derive(
            passphrase, bytes.fromhex(params["salt"]), params["n"], params["r"], params["p"]
        )
        plaintext = AESGCM(key).decrypt(
            bytes.fromhex(crypto["nonce"]),
            bytes.fromhex(crypto["ciphertext"]),
            _associated_data(record),
        )
    except InvalidTag:
        raise WrongPassphraseError(
            f"{name}: wrong passphrase (or the key file was altered)"
        ) from None
    except (KeyError, TypeError, ValueError) as error:
        raise KeyringError(f"{name}: malformed key record ({error})") from None
    secret: dict[str, str] = json.loads(plaintext)
    return secret


def _private_key_of(secret: dict[str, str], path: str) -> bytes:
    if "private_key" in secret:
        return bytes.fromhex(secret["private_key"])
    key: bytes = derive_child_key_from_mnemonic(secret["mnemonic"], path=path)
    return key


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _no_passphrase(confirm: bool) -> str:
    raise KeyringError(f"a passphrase is needed: set {PASSPHRASE_ENV}")


class Keyring:
    """The keys of one backend in one home directory."""

    def __init__(self, home: Path, backend: str = "test", passphrase: Passphrase | None = None):
        if backend not in BACKENDS:
            raise KeyringError(
                f"keyring backend {backend!r} is not supported (one of: {', '.join(BACKENDS)})"
            )
        self.backend = backend
        self.directory = home.expanduser() / f"keyring-{backend}"
        self._passphrase = passphrase or _no_passphrase

    def _path(self, name: str) -> Path:
        if _NAME.match(name) is None:
            raise KeyringError(f"invalid key name {name!r}")
        return self.directory / f"{name}.json"

    def _record(self, name: str) -> dict[str, Any]:
        path = self._path(name)
        if not path.is_file():
            raise KeyNotFoundError(f"{name}: key not found in the {self.backend} keyring")
        try:
            record: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise KeyringError(f"{name}: unreadable key record ({error})") from None
        return record

    def add(self, name: str, mnemonic: str, index: int = 0) -> KeyInfo:
        """Store the key of ``mnemonic`` at HD index ``index`` as ``name``."""
        path = self._path(name)
        if path.exists():
            raise KeyringError(f"{name}: key already exists")
        try:
            info = key_info(name, mnemonic, index)
        except ValueError as error:
            raise KeyringError(f"invalid mnemonic: {error}") from None
        secret = {"mnemonic": mnemonic}
        if self.backend == "file":
            record = seal(info, secret, self._passphrase(True))
        else:
            record = {**info.as_dict(), **secret}
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_private(path, json.dumps(record, indent=2, sort_keys=True) + "\n")
        return info

    def info(self, name: str) -> KeyInfo:
        record = self._record(name)
        try:
            return KeyInfo(**{field: record[field] for field in _PUBLIC_FIELDS})
        except KeyError as error:
            raise KeyringError(f"{name}: malformed key record (no {error})") from None

    def keys(self) -> list[KeyInfo]:
        """Every key, sorted by name."""
        if not self.directory.is_dir():
            return []
        return [self.info(path.stem) for path in sorted(self.directory.glob("*.json"))]

    def find(self, name_or_address: str) -> KeyInfo:
        """The key named ``name_or_address`` or, for a bech32 address, the key with it."""
        if name_or_address.startswith(f"{DEFAULT_PREFIX}1") and len(name_or_address) > 30:
            for info in self.keys():
                if info.address == name_or_address:
                    return info
            raise KeyNotFoundError(
                f"no key with address {name_or_address} in the {self.backend} keyring"
            )
        return self.info(name_or_address)

    def private_key(self, name: str) -> bytes:
        """The secp256k1 private key of ``name`` (asks for the passphrase on ``file``)."""
        record = self._record(name)
        if self.backend == "file":
            secret = unseal(record, self._passphrase(False))
        else:
            secret = {key: record[key] for key in ("mnemonic", "private_key") if key in record}
        return _private_key_of(secret, record["hd_path"])

    def delete(self, name: str) -> None:
        self._record(name)
        self._path(name).unlink()
