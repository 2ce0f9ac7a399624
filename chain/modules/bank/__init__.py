"""Bank module: account balances, total supply, module-account transfers, mint and burn."""

from chain.modules.bank.keeper import (
    EVENT_TYPE_BURN,
    EVENT_TYPE_COIN_RECEIVED,
    EVENT_TYPE_COIN_SPENT,
    EVENT_TYPE_COINBASE,
    EVENT_TYPE_TRANSFER,
    INT_VALUE,
    INVARIANT_TOTAL_SUPPLY,
    MODULE_NAME,
    PERMISSION_BURNER,
    PERMISSION_MINTER,
    BankKeeper,
    IntValue,
    Invariant,
)

__all__ = [
    "EVENT_TYPE_BURN",
    "EVENT_TYPE_COINBASE",
    "EVENT_TYPE_COIN_RECEIVED",
    "EVENT_TYPE_COIN_SPENT",
    "EVENT_TYPE_TRANSFER",
    "INT_VALUE",
    "INVARIANT_TOTAL_SUPPLY",
    "MODULE_NAME",
    "PERMISSION_BURNER",
    "PERMISSION_MINTER",
    "BankKeeper",
    "IntValue",
    "Invariant",
]
