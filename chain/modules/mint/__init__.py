"""Mint module: fixed inflation by block time into the fee collector."""

from chain.modules.mint.keeper import (
    DEFAULT_INFLATION,
    MODULE_NAME,
    SECONDS_PER_YEAR,
    MintKeeper,
    default_minter,
    default_params,
    provision,
)
from chain.modules.mint.module import MintModule

__all__ = [
    "DEFAULT_INFLATION",
    "MODULE_NAME",
    "SECONDS_PER_YEAR",
    "MintKeeper",
    "MintModule",
    "default_minter",
    "default_params",
    "provision",
]
