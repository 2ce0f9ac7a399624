"""A typed gRPC client over cosmpy: ``Client``, ``wallet_from_mnemonic``, ``ChainError``."""

from incentivesd.client.client import (
    DEFAULT_CHAIN_ID,
    DEFAULT_NODE,
    ChainError,
    Client,
    ClientError,
    Event,
    NodeUnreachableError,
    TxResult,
    TxTimeoutError,
    hd_path,
    parse_gas_price,
    wallet_from_mnemonic,
)

__all__ = [
    "DEFAULT_CHAIN_ID",
    "DEFAULT_NODE",
    "ChainError",
    "Client",
    "ClientError",
    "Event",
    "NodeUnreachableError",
    "TxResult",
    "TxTimeoutError",
    "hd_path",
    "parse_gas_price",
    "wallet_from_mnemonic",
]
