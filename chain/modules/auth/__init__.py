"""Auth module: accounts (numbers, sequences, public keys), module accounts and auth params."""

from chain.modules.auth.keeper import (
    BASE_ACCOUNT_TYPE_URL,
    DEFAULT_PARAMS,
    ED25519_PUBKEY_TYPE_URL,
    FEE_COLLECTOR_NAME,
    MODULE_ACCOUNT_TYPE_URL,
    MODULE_NAME,
    SECP256K1_PUBKEY_TYPE_URL,
    STORE_NAME,
    Account,
    AccountKeeper,
    Params,
    PubKey,
    account_from_any,
    secp256k1_address,
)
from chain.modules.auth.module import (
    INVARIANT_ACCOUNT_NUMBERS,
    AuthModule,
    account_json,
    parse_genesis,
)

__all__ = [
    "BASE_ACCOUNT_TYPE_URL",
    "DEFAULT_PARAMS",
    "ED25519_PUBKEY_TYPE_URL",
    "FEE_COLLECTOR_NAME",
    "INVARIANT_ACCOUNT_NUMBERS",
    "MODULE_ACCOUNT_TYPE_URL",
    "MODULE_NAME",
    "SECP256K1_PUBKEY_TYPE_URL",
    "STORE_NAME",
    "Account",
    "AccountKeeper",
    "AuthModule",
    "Params",
    "PubKey",
    "account_from_any",
    "account_json",
    "parse_genesis",
    "secp256k1_address",
]
