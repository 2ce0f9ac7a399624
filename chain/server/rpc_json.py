"""The CometBFT 0.38 JSON shapes the RPC answers with, from the node's records.

Owns the encodings (upper-case hex, base64), CometBFT's RFC 6962 merkle root, and the JSON of
events, execution results (``ExecTxResult``, also ``ResponseCheckTx``'s shape), committed txs,
broadcast replies and ABCI query responses. They follow CometBFT 0.38 exactly where CosmJS's
Comet38 client checks them: int64 values are decimal strings (``height``, ``gas_used``,
``total_count``, ``voting_power``), ``code`` and a tx's ``index`` are numbers, hashes and addresses
are upper-case hex, tx bytes, results' ``data`` and query values are base64, event attributes are
plain strings with ``index: true``.

Fails when: nothing here fails on a well-formed record; a ``tx_json`` index outside the block
raises ``IndexError``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from chain.app import TxResult
from chain.sdk.events import Event

if TYPE_CHECKING:
    from chain.server.persistence import BlockRecord

EMPTY_HASH = hashlib.sha256(b"").digest()
EMPTY_BLOCK_ID: dict[str, Any] = {"hash": "", "parts": {"total": 0, "hash": ""}}


def hex_upper(data: bytes) -> str:
    return data.hex().upper()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def merkle_root(items: Sequence[bytes]) -> bytes:
    """CometBFT's RFC 6962 merkle root (``merkle.HashFromByteSlices``)."""
    count = len(items)
    if count == 0:
        return EMPTY_HASH
    if count == 1:
        return hashlib.sha256(b"\x00" + items[0]).digest()
    split = 1 << ((count - 1).bit_length() - 1)
    left, right = merkle_root(items[:split]), merkle_root(items[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def events_json(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [
        {
            "type": event.type,
            "attributes": [
                {"key": key, "value": value, "index": True} for key, value in event.attributes
            ],
        }
        for event in events
    ]


def exec_result_json(result: TxResult) -> dict[str, Any]:
    """An ``ExecTxResult`` (also the shape of ``ResponseCheckTx`` without its extra fields)."""
    return {
        "code": result.code,
        "data": b64(result.data),
        "log": result.log,
        "info": "",
        "gas_wanted": str(result.gas_wanted),
        "gas_used": str(result.gas_used),
        "events": events_json(result.events),
        "codespace": result.codespace,
    }


def tx_json(record: BlockRecord, index: int) -> dict[str, Any]:
    tx = record.txs[index]
    return {
        "hash": hex_upper(hashlib.sha256(tx).digest()),
        "height": str(record.height),
        "index": index,
        "tx_result": exec_result_json(record.results[index]),
        "tx": b64(tx),
    }


def broadcast_json(tx: bytes, result: TxResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "data": hex_upper(result.data),
        "log": result.log,
        "codespace": result.codespace,
        "hash": hex_upper(hashlib.sha256(tx).digest()),
    }


def query_response(code: int, codespace: str, log: str, height: int) -> dict[str, Any]:
    return {
        "code": code,
        "log": log,
        "info": "",
        "index": "0",
        "key": None,
        "value": None,
        "proofOps": None,
        "height": str(height),
        "codespace": codespace,
    }


__all__ = [
    "EMPTY_BLOCK_ID",
    "EMPTY_HASH",
    "b64",
    "broadcast_json",
    "events_json",
    "exec_result_json",
    "hex_upper",
    "merkle_root",
    "query_response",
    "tx_json",
]
