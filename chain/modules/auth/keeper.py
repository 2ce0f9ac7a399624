"""The account keeper: accounts, their numbers and sequences, module accounts, auth params.

Owns, in store ``acc`` (prefixes as cosmos-sdk ``x/auth/types/keys.go``):
- ``params`` (0x00): the module's ``Params``;
- ``accounts`` (0x01): address bytes -> the account as the SDK stores it, a
  ``google.protobuf.Any`` holding a ``cosmos.auth.v1beta1.BaseAccount`` or ``ModuleAccount``;
- ``next_account_number`` (0x02): the global account number sequence, starting at 0;
- ``account_numbers`` (0x03): account number -> address bytes (``AccountAddressByID``).

Accounts are immutable ``Account`` values; change one with ``dataclasses.replace`` (or the
``with_*`` helpers) and ``set_account``. Module accounts live at ``sha256(name)[:20]``; their
permissions come from the ``module_permissions`` the keeper is built with (``"minter"``,
``"burner"``, ``"staking"``). ``ensure_account`` creates a module account, not a base account,
when the address is a known module's.

Fails when: ``new_account`` is asked for an address that has an account (``ValueError``: a
programming error); ``get_module_account`` finds a base account at a module's address
(``ErrLogic`` ``account is not a module account``, where the SDK panics).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from cosmpy.protos.cosmos.auth.v1beta1 import auth_pb2
from cosmpy.protos.cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_pb2
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import DecodeError

from chain.sdk.address import decode_address, encode_address, module_address
from chain.sdk.collections import (
    BytesKey,
    CachedValue,
    Map,
    MappedValue,
    Schema,
    U64Key,
)
from chain.sdk.context import Context
from chain.sdk.errors import ErrLogic
from chain.sdk.memo import BoundedMemo

MODULE_NAME = "auth"
STORE_NAME = "acc"
FEE_COLLECTOR_NAME = "fee_collector"

BASE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.BaseAccount"
MODULE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.ModuleAccount"
SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey"
ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey"


@dataclass(frozen=True, slots=True)
class Params:
    """``cosmos.auth.v1beta1.Params`` with the SDK defaults."""

    max_memo_characters: int = 256
    tx_sig_limit: int = 7
    tx_size_cost_per_byte: int = 10
    sig_verify_cost_ed25519: int = 590
    sig_verify_cost_secp256k1: int = 1000

    def to_pb(self) -> auth_pb2.Params:
        return auth_pb2.Params(**dataclasses.asdict(self))

    @classmethod
    def from_pb(cls, message: auth_pb2.Params) -> Params:
        names = [field.name for field in dataclasses.fields(cls)]
        return cls(**{name: getattr(message, name) for name in names})

    def validate(self) -> str | None:
        """Why the params are invalid (the SDK's ``Params.Validate`` wording), or None."""
        for name, label in (
            ("max_memo_characters", "max memo characters"),
            ("tx_sig_limit", "tx signature limit"),
            ("tx_size_cost_per_byte", "tx size cost per byte"),
            ("sig_verify_cost_ed25519", "ED25519 signature verification cost"),
            ("sig_verify_cost_secp256k1", "SECK256k1 signature verification cost"),
        ):
            if getattr(self, name) == 0:
                return f"invalid {label}: 0"
        return None


DEFAULT_PARAMS = Params()


def _ripemd160(data: bytes) -> bytes:
    try:
        return hashlib.new("ripemd160", data).digest()
    except ValueError:  # OpenSSL 3 builds may leave ripemd160 out; cosmpy ships pycryptodome
        from Crypto.Hash import RIPEMD160

        return RIPEMD160.new(data).digest()


def secp256k1_address(key: bytes) -> bytes:
    """The account id of a compressed secp256k1 key: ``ripemd160(sha256(key))``."""
    return _ripemd160(hashlib.sha256(key).digest())


@dataclass(frozen=True, slots=True)
class PubKey:
    """An account's public key as the SDK keeps it: an ``Any`` (type URL and message bytes)."""

    type_url: str
    value: bytes

    @classmethod
    def secp256k1(cls, key: bytes) -> PubKey:
        """The ``/cosmos.crypto.secp256k1.PubKey`` holding a compressed 33-byte key."""
        data = secp256k1_pb2.PubKey(key=key).SerializeToString(deterministic=True)
        return cls(SECP256K1_PUBKEY_TYPE_URL, data)

    def secp256k1_key(self) -> bytes | None:
        """The key bytes of a secp256k1 pubkey (None for another type or malformed bytes)."""
        if self.type_url != SECP256K1_PUBKEY_TYPE_URL:
            return None
        try:
            key: bytes = secp256k1_pb2.PubKey.FromString(self.value).key
        except DecodeError:
            return None
        return key

    def to_any(self) -> AnyPb:
        return AnyPb(type_url=self.type_url, value=self.value)


@dataclass(frozen=True, slots=True)
class Account:
    """A ``BaseAccount``, or a ``ModuleAccount`` when ``name`` is set."""

    address: bytes
    account_number: int
    sequence: int = 0
    pub_key: PubKey | None = None
    name: str = ""
    permissions: tuple[str, ...] = ()

    @property
    def is_module_account(self) -> bool:
        return bool(self.name)

    @property
    def address_text(self) -> str:
        return encode_address(self.address)

    def with_sequence(self, sequence: int) -> Account:
        # ``dataclasses.replace`` without its field introspection (bumped once per tx).
        return Account(
            self.address, self.account_number, sequence, self.pub_key, self.name, self.permissions
        )

    def with_pub_key(self, pub_key: PubKey) -> Account:
        return dataclasses.replace(self, pub_key=pub_key)

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions

    def base_account_pb(self) -> auth_pb2.BaseAccount:
        base = auth_pb2.BaseAccount(
            address=self.address_text,
            account_number=self.account_number,
            sequence=self.sequence,
        )
        if self.pub_key is not None:
            base.pub_key.CopyFrom(self.pub_key.to_any())
        return base

    def to_any(self) -> AnyPb:
        """The account packed as the SDK packs it (type URL ``/`` + full message name)."""
        if self.is_module_account:
            module = auth_pb2.ModuleAccount(
                base_account=self.base_account_pb(),
                name=self.name,
                permissions=list(self.permissions),
            )
            return AnyPb(
                type_url=MODULE_ACCOUNT_TYPE_URL, value=module.SerializeToString(deterministic=True)
            )
        return AnyPb(
            type_url=BASE_ACCOUNT_TYPE_URL,
            value=self.base_account_pb().SerializeToString(deterministic=True),
        )


def account_from_base(base: auth_pb2.BaseAccount, address: bytes) -> Account:
    """An ``Account`` from a ``BaseAccount`` whose address text decodes to ``address``."""
    pub_key = None
    if base.HasField("pub_key"):
        pub_key = PubKey(base.pub_key.type_url, base.pub_key.value)
    return Account(address, base.account_number, base.sequence, pub_key)


def account_from_any(packed: AnyPb, address: bytes) -> Account:
    """An ``Account`` from its packed form; raises ``ValueError`` on another type URL."""
    if packed.type_url == BASE_ACCOUNT_TYPE_URL:
        return account_from_base(auth_pb2.BaseAccount.FromString(packed.value), address)
    if packed.type_url == MODULE_ACCOUNT_TYPE_URL:
        module = auth_pb2.ModuleAccount.FromString(packed.value)
        base = account_from_base(module.base_account, address)
        return dataclasses.replace(base, name=module.name, permissions=tuple(module.permissions))
    raise ValueError(f"unsupported account type {packed.type_url}")


class _AccountValue:
    """Value codec of ``Account``: the packed ``Any`` bytes. The address is the store key, so
    the decoded value takes it from the bytes of the ``BaseAccount`` address text."""

    def encode(self, value: Account) -> bytes:
        if (
            _decodes_to_itself(value)
            and 0 <= value.account_number < _U64_END
            and 0 <= value.sequence < _U64_END
        ):
            data = _base_account_any(value)
            _ACCOUNTS.remember(data, value)
            return data
        encoded: bytes = value.to_any().SerializeToString(deterministic=True)
        return encoded

    def decode(self, data: bytes) -> Account:
        account = _ACCOUNTS.get(data)
        if account is None:
            account = _decode_account(data)
            _ACCOUNTS.remember(data, account)
        return account


# Decoded accounts are immutable, so equal bytes can share one: every tx reads its signers'
# accounts several times, and the account written by one tx is read back by the next.
_ACCOUNTS: BoundedMemo[bytes, Account] = BoundedMemo(4096)


_U64_END = 1 << 64
_BASE_ACCOUNT_TYPE_URL_FIELD = (
    b"\x0a" + bytes((len(BASE_ACCOUNT_TYPE_URL),)) + BASE_ACCOUNT_TYPE_URL.encode()
)


def _varint(value: int) -> bytes:
    """Protobuf base-128 varint of a non-negative integer."""
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _base_account_any(account: Account) -> bytes:
    """``account.to_any()`` serialized deterministically, written directly, for a base account
    that ``_decodes_to_itself`` with u64 number and sequence: each field in number order,
    left out at its default."""
    address = encode_address(account.address).encode()
    body = b"\x0a" + _varint(len(address)) + address
    pub_key = account.pub_key
    if pub_key is not None:  # type URL and value are non-empty here
        type_url = pub_key.type_url.encode()
        packed = (
            b"\x0a"
            + _varint(len(type_url))
            + type_url
            + b"\x12"
            + _varint(len(pub_key.value))
            + pub_key.value
        )
        body += b"\x12" + _varint(len(packed)) + packed
    if account.account_number:
        body += b"\x18" + _varint(account.account_number)
    if account.sequence:
        body += b"\x20" + _varint(account.sequence)
    return _BASE_ACCOUNT_TYPE_URL_FIELD + b"\x12" + _varint(len(body)) + body


def _decodes_to_itself(account: Account) -> bool:
    """Whether decoding the encoding of ``account`` gives an equal account of the same field
    types (a base account of plain fields with a 20- or 32-byte address; module accounts are not
    memoized when written)."""
    pub_key = account.pub_key
    return (
        account.__class__ is Account
        and account.address.__class__ is bytes
        and len(account.address) in (20, 32)
        and account.account_number.__class__ is int
        and account.sequence.__class__ is int
        and not account.name
        and account.permissions == ()
        and (
            pub_key is None
            or (
                pub_key.__class__ is PubKey
                and pub_key.type_url.__class__ is str
                and pub_key.value.__class__ is bytes
                and bool(pub_key.type_url)
                and bool(pub_key.value)
            )
        )
    )


def _decode_account(data: bytes) -> Account:
    packed = AnyPb.FromString(data)
    if packed.type_url == MODULE_ACCOUNT_TYPE_URL:
        text = auth_pb2.ModuleAccount.FromString(packed.value).base_account.address
    else:
        text = auth_pb2.BaseAccount.FromString(packed.value).address
    return account_from_any(packed, decode_address(text))


ACCOUNT_VALUE = _AccountValue()


class _AddressValue:
    def encode(self, value: bytes) -> bytes:
        return value

    def decode(self, data: bytes) -> bytes:
        return data


class AccountKeeper:
    """Accounts and auth params; see the module docstring for what it owns and what can fail."""

    def __init__(
        self,
        store_name: str = STORE_NAME,
        module_permissions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.store_name = store_name
        permissions = {FEE_COLLECTOR_NAME: ()} if module_permissions is None else module_permissions
        self.module_permissions: dict[str, tuple[str, ...]] = {
            name: tuple(perms) for name, perms in sorted(permissions.items())
        }
        self._module_by_address = {module_address(name): name for name in self.module_permissions}
        self.schema = Schema(store_name)
        self.params = self.schema.item(
            b"\x00",
            "params",
            CachedValue(MappedValue(auth_pb2.Params, Params.to_pb, Params.from_pb)),
        )
        self.accounts: Map[bytes, Account] = self.schema.map(
            b"\x01", "accounts", BytesKey, ACCOUNT_VALUE
        )
        self.account_number_seq = self.schema.sequence(b"\x02", "next_account_number", start=0)
        self.account_numbers: Map[int, bytes] = self.schema.map(
            b"\x03", "account_numbers", U64Key, _AddressValue()
        )

    # Params

    def get_params(self, ctx: Context) -> Params:
        """The stored params (the defaults before genesis sets them)."""
        params = self.params.get(ctx)
        return DEFAULT_PARAMS if params is None else params

    def set_params(self, ctx: Context, params: Params) -> None:
        self.params.set(ctx, params)

    # Accounts

    def get_account(self, ctx: Context, addr: bytes) -> Account | None:
        return self.accounts.get(ctx, addr)

    def has_account(self, ctx: Context, addr: bytes) -> bool:
        return self.accounts.has(ctx, addr)

    def set_account(self, ctx: Context, account: Account) -> None:
        """Store ``account`` under its address and index its number."""
        self.accounts.set(ctx, account.address, account)
        self.account_numbers.set(ctx, account.account_number, account.address)

    def next_account_number(self, ctx: Context) -> int:
        """Take the next global account number."""
        return self.account_number_seq.next(ctx)

    def peek_account_number(self, ctx: Context) -> int:
        return self.account_number_seq.peek(ctx)

    def new_account(self, ctx: Context, addr: bytes) -> Account:
        """Create and store a base account at ``addr`` with the next account number."""
        if self.has_account(ctx, addr):
            raise ValueError(f"account {encode_address(addr)} already exists")
        account = Account(addr, self.next_account_number(ctx))
        self.set_account(ctx, account)
        return account

    def ensure_account(self, ctx: Context, addr: bytes) -> Account:
        """The account at ``addr``, created first if missing (a module account for a known
        module's address, else a base account): what the SDK's bank does for a recipient."""
        account = self.get_account(ctx, addr)
        if account is not None:
            return account
        name = self._module_by_address.get(addr)
        if name is not None:
            return self.get_module_account(ctx, name)
        return self.new_account(ctx, addr)

    def get_account_address_by_id(self, ctx: Context, account_number: int) -> bytes | None:
        return self.account_numbers.get(ctx, account_number)

    def iterate_accounts(self, ctx: Context) -> Iterator[Account]:
        """Every account, in store order (by address)."""
        return self.accounts.values(ctx)

    # Module accounts

    def get_module_address(self, name: str) -> bytes:
        return module_address(name)

    def get_module_account(
        self, ctx: Context, name: str, permissions: Iterable[str] | None = None
    ) -> Account:
        """The module account ``name``, created (and stored) if missing with ``permissions``
        (default: the keeper's ``module_permissions`` of ``name``, else none)."""
        addr = module_address(name)
        account = self.get_account(ctx, addr)
        if account is not None:
            if not account.is_module_account:
                raise ErrLogic.wrap("account is not a module account")
            return account
        perms = self.module_permissions.get(name, ()) if permissions is None else tuple(permissions)
        account = Account(addr, self.next_account_number(ctx), name=name, permissions=perms)
        self.set_account(ctx, account)
        return account

    def ensure_module_account(self, ctx: Context, name: str) -> None:
        """Create the module account ``name`` if missing (the bank keeper's hook)."""
        self.get_module_account(ctx, name)
