"""JSON-RPC 2.0 as CometBFT speaks it: error codes and messages, typed method parameters.

Owns ``RpcError`` (a JSON-RPC error object with CometBFT's code and message, the reason in
``data``), the error reply, and how a method's parameters are read: from JSON-RPC ``params``
(named or positional; int64 as numbers or decimal strings, bytes as base64 the way Go's
``encoding/json`` writes ``[]byte``, ``HexBytes`` as hex, tx hashes as base64 or 64 hex digits)
or from a URI query (``GET /<method>?name=value``: strings quoted, bytes as ``0x``-hex, numbers
bare).

Fails when (``RpcError``, code -32602 invalid params): a value has the wrong type, is not valid
hex or base64, or an integer overflows int64; ``no_constant`` rejects ``NaN``/``Infinity`` in a
request body (``ValueError``).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# JSON-RPC 2.0 error codes with CometBFT's messages.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
_MESSAGES = {
    PARSE_ERROR: "Parse error. Invalid JSON",
    INVALID_REQUEST: "Invalid Request",
    METHOD_NOT_FOUND: "Method not found",
    INVALID_PARAMS: "Invalid params",
    INTERNAL_ERROR: "Internal error",
}


class RpcError(Exception):
    """A JSON-RPC error: ``code`` with CometBFT's ``message`` and a reason in ``data``."""

    def __init__(self, code: int, data: str = "") -> None:
        super().__init__(data)
        self.code = code
        self.message = _MESSAGES[code]
        self.data = data

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": self.data}


def invalid_params(reason: str) -> RpcError:
    return RpcError(INVALID_PARAMS, reason)


def internal(reason: str) -> RpcError:
    return RpcError(INTERNAL_ERROR, reason)


def error_reply(request_id: Any, error: RpcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


@dataclass(frozen=True, slots=True)
class Param:
    """A method parameter: its name and how its JSON (or URI) value is read."""

    name: str
    kind: str  # int | str | bool | bytes (base64 in JSON) | hex (HexBytes) | hash | number


def _quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == '"' and text[-1] == '"'


def _unquote(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise invalid_params(f"invalid quoted string {text!r}: {error}") from None
    if not isinstance(value, str):
        raise invalid_params(f"expected a quoted string, got {text!r}")
    return value


def _hex_bytes(name: str, text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise invalid_params(f"{name}: invalid hex string {text[:80]!r}") from None


def _int64(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise invalid_params(f"{name}: expected an integer, got a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,20}", value):
        number = int(value)
    else:
        raise invalid_params(f"{name}: expected an integer (number or decimal string)")
    if not INT64_MIN <= number <= INT64_MAX:
        raise invalid_params(f"{name}: {number} overflows int64")
    return number


def _number(name: str, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise invalid_params(f"{name}: expected a number, got a boolean")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise invalid_params(f"{name}: expected a finite number")
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,30}(\.[0-9]{1,30})?", value):
        return Decimal(value)
    raise invalid_params(f"{name}: expected a number")


def json_param(param: Param, value: Any) -> Any:
    """A param's value from JSON-RPC params (None: absent)."""
    if value is None:
        return None
    name, kind = param.name, param.kind
    if kind == "int":
        return _int64(name, value)
    if kind == "number":
        return _number(name, value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise invalid_params(f"{name}: expected a boolean")
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected a string")
    if kind == "str":
        return value
    if kind == "hex":
        return _hex_bytes(name, value)
    if kind == "hash":
        return _tx_hash(value)
    try:  # bytes: base64, as Go's encoding/json writes []byte
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_params(f"{name}: invalid base64 string {value[:80]!r}") from None


def uri_param(param: Param, text: str) -> Any:
    """A param's value from a URI query (strings quoted, bytes ``0x``-hex or quoted)."""
    name, kind = param.name, param.kind
    if kind in ("int", "number"):
        return json_param(param, _unquote(text) if _quoted(text) else text)
    if kind == "bool":
        return json_param(param, text.lower())
    if kind == "hash" and _quoted(text):
        return _tx_hash(_unquote(text))
    if text[:2].lower() == "0x":
        raw = _hex_bytes(name, text[2:])
        if kind == "str":
            return raw.decode("utf-8", errors="replace")
        return raw
    value = _unquote(text) if _quoted(text) else text
    if kind == "str":
        return value
    if _quoted(text):
        return value.encode("utf-8")
    return json_param(param, value)  # bare: base64 (bytes) or hex (hex)


def no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _tx_hash(text: str) -> bytes:
    """A tx hash param: base64 (CometBFT's JSON ``[]byte``) or 64 hex digits (``0x`` or not)."""
    if re.fullmatch(r"(0x)?[0-9A-Fa-f]{64}", text):
        return bytes.fromhex(text.removeprefix("0x"))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_params("hash: expected base64 or 64 hex digits") from None


__all__ = [
    "INTERNAL_ERROR",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "METHOD_NOT_FOUND",
    "PARSE_ERROR",
    "Param",
    "RpcError",
    "error_reply",
    "internal",
    "invalid_params",
    "json_param",
    "no_constant",
    "uri_param",
]
