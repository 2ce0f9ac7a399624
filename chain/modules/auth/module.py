"""The auth module as an app sees it: account queries, genesis and invariants.

Implements ``chain.sdk.module.AppModule`` over an ``AccountKeeper``. It has no Msgs (parameter
changes through governance are not offered). Queries are the ``cosmos.auth.v1beta1.Query``
service; accounts travel packed in ``Any`` exactly as the SDK packs them, so cosmpy's
``query_account`` (which accepts only ``/cosmos.auth.v1beta1.BaseAccount``) works.

Genesis is the SDK's JSON: ``{"params": {...}, "accounts": [{"@type": ..., ...}]}`` with proto
field names, 64-bit numbers as strings and ``"pub_key": null`` for an account without a key.
Import sorts accounts by number, renumbers repeated numbers with the lowest unused ones (the
SDK's ``SanitizeGenesisAccounts``: ``add-genesis-account`` writes every number as 0), advances the
global account number past the largest and creates the ``fee_collector`` module account.
Export lists accounts in store order (by address bytes), so ``export(import(export(s)))`` equals
``export(s)`` byte for byte.

Fails when:
- a query names an unknown account, module account or account number: ``ErrKeyNotFound``
  ``account <addr> not found`` (the gRPC layer maps it to ``NOT_FOUND``, which cosmpy expects);
- a query address is empty or malformed: ``ErrInvalidRequest`` / ``ErrInvalidAddress``;
- genesis JSON does not parse (``ErrJSONUnmarshal``), has invalid params, an account of another
  type, an address repeated, a pubkey that does not match its address, or a module account whose
  address is not derived from its name (``ErrInvalidRequest``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cosmpy.protos.cosmos.auth.v1beta1 import auth_pb2, genesis_pb2
from cosmpy.protos.cosmos.auth.v1beta1 import query_pb2 as pb
from google.protobuf import json_format
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import DecodeError, Message

from chain.modules.auth.keeper import (
    BASE_ACCOUNT_TYPE_URL,
    FEE_COLLECTOR_NAME,
    MODULE_ACCOUNT_TYPE_URL,
    Account,
    AccountKeeper,
    Params,
    account_from_any,
    secp256k1_address,
)
from chain.sdk.address import BECH32_PREFIX, decode_address, encode_address, module_address
from chain.sdk.context import Context
from chain.sdk.errors import (
    ErrInvalidAddress,
    ErrInvalidRequest,
    ErrJSONUnmarshal,
    ErrKeyNotFound,
    SdkError,
)
from chain.sdk.module import Invariant, MsgHandler, QueryHandler

QUERY_SERVICE = "/cosmos.auth.v1beta1.Query"
INVARIANT_ACCOUNT_NUMBERS = "auth/account-numbers"


class AuthModule:
    """``cosmos.auth.v1beta1`` wired for an app."""

    name = "auth"

    def __init__(self, keeper: AccountKeeper) -> None:
        self.keeper = keeper

    def msg_handlers(self) -> dict[str, MsgHandler]:
        return {}

    def query_handlers(self) -> dict[str, QueryHandler]:
        handlers: dict[str, Callable[[Context, Any], Message]] = {
            "Account": self.account,
            "Accounts": self.accounts,
            "AccountAddressByID": self.account_address_by_id,
            "Params": self.params,
            "ModuleAccounts": self.module_accounts,
            "ModuleAccountByName": self.module_account_by_name,
            "Bech32Prefix": self.bech32_prefix,
            "AddressBytesToString": self.address_bytes_to_string,
            "AddressStringToBytes": self.address_string_to_bytes,
            "AccountInfo": self.account_info,
        }
        return {f"{QUERY_SERVICE}/{method}": handler for method, handler in handlers.items()}

    def begin_block(self, ctx: Context) -> None:
        """Nothing: auth acts only through the ante handler and other modules."""

    def end_block(self, ctx: Context) -> None:
        """Nothing: auth acts only through the ante handler and other modules."""

    # Queries

    def _account_at(self, ctx: Context, address: str) -> Account:
        if not address:
            raise ErrInvalidRequest.wrap("Address cannot be empty")
        account = self.keeper.get_account(ctx, decode_address(address))
        if account is None:
            raise ErrKeyNotFound.wrap(f"account {address} not found")
        return account

    def account(self, ctx: Context, request: pb.QueryAccountRequest) -> pb.QueryAccountResponse:
        return pb.QueryAccountResponse(account=self._account_at(ctx, request.address).to_any())

    def account_info(
        self, ctx: Context, request: pb.QueryAccountInfoRequest
    ) -> pb.QueryAccountInfoResponse:
        account = self._account_at(ctx, request.address)
        return pb.QueryAccountInfoResponse(info=account.base_account_pb())

    def accounts(self, ctx: Context, request: pb.QueryAccountsRequest) -> pb.QueryAccountsResponse:
        items, page = self.keeper.accounts.page(ctx, request.pagination)
        return pb.QueryAccountsResponse(
            accounts=[account.to_any() for _, account in items], pagination=page
        )

    def account_address_by_id(
        self, ctx: Context, request: pb.QueryAccountAddressByIDRequest
    ) -> pb.QueryAccountAddressByIDResponse:
        if request.id != 0:
            raise ErrInvalidRequest.wrap(
                "requesting with id isn't supported, try to request using account-id"
            )
        addr = self.keeper.get_account_address_by_id(ctx, request.account_id)
        if addr is None:
            raise ErrKeyNotFound.wrap(
                f"account address not found with account number {request.account_id}"
            )
        return pb.QueryAccountAddressByIDResponse(account_address=encode_address(addr))

    def params(self, ctx: Context, request: pb.QueryParamsRequest) -> pb.QueryParamsResponse:
        return pb.QueryParamsResponse(params=self.keeper.get_params(ctx).to_pb())

    def module_accounts(
        self, ctx: Context, request: pb.QueryModuleAccountsRequest
    ) -> pb.QueryModuleAccountsResponse:
        # Like the SDK, a missing module account is created; queries run on a discarded branch.
        names = sorted(self.keeper.module_permissions)
        return pb.QueryModuleAccountsResponse(
            accounts=[self.keeper.get_module_account(ctx, name).to_any() for name in names]
        )

    def module_account_by_name(
        self, ctx: Context, request: pb.QueryModuleAccountByNameRequest
    ) -> pb.QueryModuleAccountByNameResponse:
        if not request.name:
            raise ErrInvalidRequest.wrap("module name is empty")
        if request.name not in self.keeper.module_permissions:
            raise ErrKeyNotFound.wrap(f"account {request.name} not found")
        account = self.keeper.get_module_account(ctx, request.name)
        return pb.QueryModuleAccountByNameResponse(account=account.to_any())

    def bech32_prefix(
        self, ctx: Context, request: pb.Bech32PrefixRequest
    ) -> pb.Bech32PrefixResponse:
        return pb.Bech32PrefixResponse(bech32_prefix=BECH32_PREFIX)

    def address_bytes_to_string(
        self, ctx: Context, request: pb.AddressBytesToStringRequest
    ) -> pb.AddressBytesToStringResponse:
        if not request.address_bytes:
            raise ErrInvalidRequest.wrap("empty address bytes is not allowed")
        return pb.AddressBytesToStringResponse(address_string=encode_address(request.address_bytes))

    def address_string_to_bytes(
        self, ctx: Context, request: pb.AddressStringToBytesRequest
    ) -> pb.AddressStringToBytesResponse:
        if not request.address_string.strip():
            raise ErrInvalidRequest.wrap("empty address string is not allowed")
        return pb.AddressStringToBytesResponse(address_bytes=decode_address(request.address_string))

    # Genesis

    def default_genesis(self) -> dict[str, Any]:
        return {"params": _params_json(Params()), "accounts": []}

    def init_genesis(self, ctx: Context, state: dict[str, Any]) -> None:
        """Validate ``state`` and write it (nothing is written when validation fails)."""
        params, accounts = parse_genesis(state)
        self.keeper.set_params(ctx, params)
        last: int | None = None
        for account in accounts:
            while last is None or last < account.account_number:
                last = self.keeper.next_account_number(ctx)
            self.keeper.set_account(ctx, account)
        self.keeper.get_module_account(ctx, FEE_COLLECTOR_NAME)

    def export_genesis(self, ctx: Context) -> dict[str, Any]:
        return {
            "params": _params_json(self.keeper.get_params(ctx)),
            "accounts": [account_json(account) for account in self.keeper.iterate_accounts(ctx)],
        }

    # Invariants

    def account_numbers_invariant(self, ctx: Context) -> str | None:
        """``auth/account-numbers``: numbers are unique, below the next number, and indexed."""
        next_number = self.keeper.peek_account_number(ctx)
        seen: set[int] = set()
        problems = []
        for account in self.keeper.iterate_accounts(ctx):
            number = account.account_number
            if number in seen:
                problems.append(f"\taccount number {number} is used twice\n")
            if number >= next_number:
                problems.append(f"\taccount number {number} is not below {next_number}\n")
            if self.keeper.get_account_address_by_id(ctx, number) != account.address:
                problems.append(f"\taccount number {number} is not indexed\n")
            seen.add(number)
        return "auth: account numbers invariant\n" + "".join(problems) if problems else None

    def invariants(self) -> list[tuple[str, Invariant]]:
        return [(INVARIANT_ACCOUNT_NUMBERS, self.account_numbers_invariant)]


def _params_json(params: Params) -> dict[str, Any]:
    result: dict[str, Any] = json_format.MessageToDict(
        params.to_pb(), preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result


def _base_json(base: auth_pb2.BaseAccount) -> dict[str, Any]:
    fields: dict[str, Any] = json_format.MessageToDict(
        base, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return {
        "address": fields["address"],
        "pub_key": fields.get("pub_key"),
        "account_number": fields["account_number"],
        "sequence": fields["sequence"],
    }


def account_json(account: Account) -> dict[str, Any]:
    """The SDK's genesis JSON of an account (``@type`` first, ``pub_key`` null when unset)."""
    base = _base_json(account.base_account_pb())
    if not account.is_module_account:
        return {"@type": BASE_ACCOUNT_TYPE_URL, **base}
    return {
        "@type": MODULE_ACCOUNT_TYPE_URL,
        "base_account": base,
        "name": account.name,
        "permissions": list(account.permissions),
    }


def parse_genesis(state: dict[str, Any]) -> tuple[Params, list[Account]]:
    """The params and the sanitized accounts (sorted by number) of a genesis state."""
    try:
        message = json_format.ParseDict(state, genesis_pb2.GenesisState())
    except (json_format.ParseError, TypeError, ValueError) as error:
        raise ErrJSONUnmarshal.wrap(f"auth genesis: {error}") from None
    params = Params.from_pb(message.params)
    problem = params.validate()
    if problem is not None:
        raise ErrInvalidRequest.wrap(problem)
    accounts = [_genesis_account(packed) for packed in message.accounts]
    seen: set[bytes] = set()
    for account in accounts:
        if account.address in seen:
            raise ErrInvalidRequest.wrap(
                "duplicate account found in genesis state; address: " + account.address_text
            )
        seen.add(account.address)
    return params, _sanitize(accounts)


def _genesis_account(packed: AnyPb) -> Account:
    if packed.type_url not in (BASE_ACCOUNT_TYPE_URL, MODULE_ACCOUNT_TYPE_URL):
        raise ErrInvalidRequest.wrap(f"unsupported genesis account type {packed.type_url}")
    try:
        if packed.type_url == MODULE_ACCOUNT_TYPE_URL:
            text = auth_pb2.ModuleAccount.FromString(packed.value).base_account.address
        else:
            text = auth_pb2.BaseAccount.FromString(packed.value).address
        account = account_from_any(packed, decode_address(text))
    except DecodeError as error:
        raise ErrJSONUnmarshal.wrap(f"auth genesis account: {error}") from None
    except SdkError as error:
        raise ErrInvalidAddress.wrap(f"auth genesis account: {error.detail}") from None
    if account.pub_key is not None:
        key = account.pub_key.secp256k1_key()
        if key is not None and secp256k1_address(key) != account.address:
            raise ErrInvalidRequest.wrap("account address and pubkey address do not match")
    if account.is_module_account:
        if not account.name.strip():
            raise ErrInvalidRequest.wrap("module account name cannot be blank")
        if module_address(account.name) != account.address:
            raise ErrInvalidRequest.wrap(
                f"address {account.address_text} cannot be derived from the module name "
                f"'{account.name}'"
            )
    return account


def _sanitize(accounts: list[Account]) -> list[Account]:
    """Renumber repeated account numbers with the lowest unused ones, then sort by number."""
    used: set[int] = set()
    repeated: list[int] = []
    for index, account in enumerate(accounts):
        if account.account_number in used:
            repeated.append(index)
        used.add(account.account_number)
    next_free = 0
    result = list(accounts)
    for index in repeated:
        while next_free in used:
            next_free += 1
        result[index] = Account(
            result[index].address,
            next_free,
            result[index].sequence,
            result[index].pub_key,
            result[index].name,
            result[index].permissions,
        )
        used.add(next_free)
    return sorted(result, key=lambda account: account.account_number)
