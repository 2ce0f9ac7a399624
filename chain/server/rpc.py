"""The CometBFT RPC shell: CometBFT 0.38 JSON-RPC over HTTP for the node, plus CometMock-style
time controls.

Owns the translation between the CometBFT RPC surface and the node. Served on one port:

- ``POST /`` with a JSON-RPC 2.0 request (named or positional ``params``) or a batch (an array);
- ``GET /<method>?name=value`` (URI style: strings quoted, bytes as ``0x``-hex, numbers bare);
- ``GET /`` lists the methods.

Methods: ``health``, ``status``, ``net_info``, ``abci_info``, ``abci_query`` (``path`` is a gRPC
method such as ``/cosmos.bank.v1beta1.Query/Balance``, ``data`` the hex protobuf request; the
value comes back base64; failures are ``code``/``codespace``/``log`` the way baseapp reports a
gRPC error), ``broadcast_tx_sync``/``_async``/``_commit``, ``tx``, ``tx_search``, ``block``,
``block_by_hash``, ``block_results``, ``block_search``, ``blockchain``, ``header``,
``header_by_hash``, ``commit``, ``validators``, ``consensus_params``, ``num_unconfirmed_txs``,
``unconfirmed_txs``, ``genesis`` (when the node keeps its genesis document), and the localnet
controls named as CometMock names them: ``advance_blocks {num_blocks}``, ``advance_time
{duration_in_seconds}``, and ``snapshot`` / ``revert {id}`` when the node supports them.

JSON shapes follow CometBFT 0.38 exactly where CosmJS's Comet38 client checks them: int64 values
are decimal strings (``height``, ``gas_used``, ``total_count``, ``voting_power``), ``code`` and a
tx's ``index`` are numbers, hashes and addresses are upper-case hex, tx bytes, results' ``data``
and query values are base64, event attributes are plain strings with ``index: true``.

Time controls (``Node.advance``): ``advance_blocks N`` moves the height N forward, the blocks
spread linearly in time from the last block to now (at least 1 ns each); only the blocks in
which something is due run (the mempool's txs go into the first; epoch starts and ends, gov
deadlines and unbondings at the first block reaching them; the last block), the idle ones in
between are skipped in constant time, as far as the block machinery goes, and still answer
(``block``, ``header``...) as empty blocks; ``blocks`` reports N and ``executed`` the blocks run.
``advance_time S`` moves the node's clock offset S seconds forward and runs one block at each
instant something is due before the new time (an epoch timer far behind takes a block per
epoch: the epochs module ticks one epoch per block), one at the new time, and more while
anything is still due at that time; ``blocks`` is how many ran, each at the next height.

Fails when (JSON-RPC error objects with CometBFT's codes and messages): the body is not JSON
(-32700); the request is not a request object (-32600); the method is unknown (-32601); params
have the wrong type or are out of range (-32602); the method itself fails, e.g. a height not yet
committed or a tx that is not found (-32603, the reason in ``data``). Nothing a client sends can
take the server down.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import grpc
from cosmpy.protos.cosmos.crypto.ed25519.keys_pb2 import PubKey as Ed25519PubKey
from cosmpy.protos.tendermint.abci.types_pb2 import ExecTxResult
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from chain.app import TxResult
from chain.modules.staking.keeper import consensus_power
from chain.sdk.errors import (
    ErrInvalidRequest,
    ErrKeyNotFound,
    ErrUnauthorized,
    ErrUnknownRequest,
    RegisteredError,
    SdkError,
)
from chain.sdk.events import Event
from chain.server.grpc_server import status_of
from chain.server.node import APP_NAME, APP_VERSION, MAX_BLOCK_GAS, Node, rfc3339

if TYPE_CHECKING:
    from chain.server.persistence import BlockRecord

COMETBFT_VERSION = "0.38.21"
BLOCK_PROTOCOL = 11
P2P_PROTOCOL = 8
DRAIN_BODY_BYTES = 16_000_000
MAX_BODY_BYTES = 1_000_000  # CometBFT's rpc.max_body_bytes default
BROADCAST_COMMIT_TIMEOUT = 10.0  # CometBFT's rpc.timeout_broadcast_tx_commit default
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
MAX_BLOCKCHAIN_METAS = 20
MAX_ADVANCE_BLOCKS = 1_000_000
MAX_ADVANCE_SECONDS = 100 * 366 * 86_400
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

EMPTY_HASH = hashlib.sha256(b"").digest()
EMPTY_BLOCK_ID: dict[str, Any] = {"hash": "", "parts": {"total": 0, "hash": ""}}

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

# How baseapp turns a gRPC status into the ABCI query's registered error (gRPCErrorToSDKError).
_QUERY_ERROR_BY_STATUS: dict[grpc.StatusCode, RegisteredError] = {
    grpc.StatusCode.NOT_FOUND: ErrKeyNotFound,
    grpc.StatusCode.INVALID_ARGUMENT: ErrInvalidRequest,
    grpc.StatusCode.FAILED_PRECONDITION: ErrInvalidRequest,
    grpc.StatusCode.UNAUTHENTICATED: ErrUnauthorized,
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


# Encodings


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


# Params


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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# Queries over tx and block events (the CometBFT query language, conditions joined by AND)


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    op: str  # = < <= > >= CONTAINS EXISTS
    operand: str | Decimal | None

    def holds(self, values: Sequence[str]) -> bool:
        if self.op == "EXISTS":
            return bool(values)
        return any(self._holds(value) for value in values)

    def _holds(self, value: str) -> bool:
        operand = self.operand
        if isinstance(operand, Decimal):
            try:
                number = Decimal(value)
            except (InvalidOperation, ValueError):
                return False
            if not number.is_finite():
                return False
            return _compare(self.op, number, operand)
        assert operand is not None
        if self.op == "CONTAINS":
            return operand in value
        if self.key == "tx.hash":
            value, operand = value.upper(), operand.upper()
        return _compare(self.op, value, operand)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "=":
        return bool(left == right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    return False


_QUERY_TOKEN = re.compile(r"\s*(?:('[^']*')|(<=|>=|=|<|>)|([^\s'<>=]+))")


def parse_query(query: str) -> list[Condition]:
    """Parse ``key op operand [AND ...]``; operands are 'strings' or numbers.

    Fails (``RpcError`` internal, as CometBFT reports a bad query) on anything else.
    """
    tokens: list[tuple[str, str]] = []
    position = 0
    text = query.strip()
    while position < len(text):
        match = _QUERY_TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise internal(f"failed to parse query: unexpected input at {position}")
        quoted, op, word = match.groups()
        if quoted is not None:
            tokens.append(("str", quoted[1:-1]))
        elif op is not None:
            tokens.append(("op", op))
        else:
            tokens.append(("word", word))
        position = match.end()
    conditions: list[Condition] = []
    index = 0
    while True:
        if index >= len(tokens) or tokens[index][0] != "word":
            raise internal("failed to parse query: expected a key")
        key = tokens[index][1]
        index += 1
        if index >= len(tokens):
            raise internal(f"failed to parse query: expected an operator after {key}")
        kind, value = tokens[index]
        index += 1
        if kind == "word" and value == "EXISTS":
            conditions.append(Condition(key, "EXISTS", None))
        else:
            if kind == "op" or (kind == "word" and value == "CONTAINS"):
                op = value
            else:
                raise internal(f"failed to parse query: unexpected {value!r} after {key}")
            if index >= len(tokens):
                raise internal(f"failed to parse query: expected an operand for {key}")
            operand_kind, operand_text = tokens[index]
            index += 1
            operand: str | Decimal
            if operand_kind == "str":
                operand = operand_text
            elif operand_kind == "word" and op != "CONTAINS":
                try:
                    operand = Decimal(operand_text)
                except (InvalidOperation, ValueError):
                    raise internal(f"failed to parse query: bad operand {operand_text!r}") from None
                if not operand.is_finite():
                    raise internal(f"failed to parse query: bad operand {operand_text!r}")
            else:
                raise internal(f"failed to parse query: bad operand {operand_text!r}")
            conditions.append(Condition(key, op, operand))
        if index == len(tokens):
            return conditions
        if tokens[index] != ("word", "AND"):
            raise internal(f"failed to parse query: expected AND, got {tokens[index][1]!r}")
        index += 1


def _attributes(events: Iterable[Event], into: dict[str, list[str]]) -> dict[str, list[str]]:
    for event in events:
        for key, value in event.attributes:
            into.setdefault(f"{event.type}.{key}", []).append(value)
    return into


def _page(page: int | None, per_page: int | None, total: int) -> tuple[int, int]:
    """(skip, per page) as CometBFT validates them."""
    size = DEFAULT_PER_PAGE if per_page is None or per_page < 1 else min(per_page, MAX_PER_PAGE)
    if page is None:
        return 0, size
    pages = max((total - 1) // size + 1, 1)
    if page <= 0 or page > pages:
        raise internal(f"page should be within [1, {pages}] range, given {page}")
    return (page - 1) * size, size


def _order(order_by: str | None) -> bool:
    """Whether results come newest first."""
    if order_by in (None, "", "asc"):
        return False
    if order_by == "desc":
        return True
    raise internal("expected order_by to be either `asc` or `desc` or empty")


# The service


Handler = Callable[[dict[str, Any]], Any]


class RpcService:
    """CometBFT RPC methods over a node; transport-free (see ``handle_post``/``handle_get``)."""

    def __init__(self, node: Node, rpc_address: str = "tcp://127.0.0.1:26657") -> None:
        self.node = node
        self.rpc_address = rpc_address
        self.routes = node.routes()
        self._hash_index: dict[bytes, int] = {}
        self._indexed_to = 0
        self.methods: dict[str, tuple[tuple[Param, ...], Handler]] = {}
        self._register()

    def _register(self) -> None:
        height = Param("height", "int")
        specs: list[tuple[str, tuple[Param, ...], Handler]] = [
            ("health", (), lambda _: {}),
            ("status", (), self.status),
            ("net_info", (), self.net_info),
            ("abci_info", (), self.abci_info),
            (
                "abci_query",
                (Param("path", "str"), Param("data", "hex"), height, Param("prove", "bool")),
                self.abci_query,
            ),
            ("broadcast_tx_sync", (Param("tx", "bytes"),), self.broadcast_tx_sync),
            ("broadcast_tx_async", (Param("tx", "bytes"),), self.broadcast_tx_async),
            ("broadcast_tx_commit", (Param("tx", "bytes"),), self.broadcast_tx_commit),
            ("tx", (Param("hash", "hash"), Param("prove", "bool")), self.tx),
            (
                "tx_search",
                (
                    Param("query", "str"),
                    Param("prove", "bool"),
                    Param("page", "int"),
                    Param("per_page", "int"),
                    Param("order_by", "str"),
                ),
                self.tx_search,
            ),
            (
                "block_search",
                (
                    Param("query", "str"),
                    Param("page", "int"),
                    Param("per_page", "int"),
                    Param("order_by", "str"),
                ),
                self.block_search,
            ),
            ("block", (height,), self.block),
            ("block_by_hash", (Param("hash", "bytes"),), self.block_by_hash),
            ("block_results", (height,), self.block_results),
            (
                "blockchain",
                (Param("minHeight", "int"), Param("maxHeight", "int")),
                self.blockchain,
            ),
            ("header", (height,), self.header),
            ("header_by_hash", (Param("hash", "bytes"),), self.header_by_hash),
            ("commit", (height,), self.commit),
            (
                "validators",
                (height, Param("page", "int"), Param("per_page", "int")),
                self.validators,
            ),
            ("consensus_params", (height,), self.consensus_params),
            ("num_unconfirmed_txs", (), self.num_unconfirmed_txs),
            ("unconfirmed_txs", (Param("limit", "int"),), self.unconfirmed_txs),
            ("genesis", (), self.genesis),
            ("advance_blocks", (Param("num_blocks", "int"),), self.advance_blocks),
            (
                "advance_time",
                (Param("duration_in_seconds", "number"),),
                self.advance_time,
            ),
            ("snapshot", (), self.snapshot),
            ("revert", (Param("id", "int"),), self.revert),
        ]
        for name, params, handler in specs:
            self.methods[name] = (params, handler)

    # Transport-free entry points

    def call(self, method: str, params: Any) -> Any:
        """Run ``method`` with JSON-RPC ``params`` (object, array or None)."""
        entry = self.methods.get(method)
        if entry is None:
            raise RpcError(METHOD_NOT_FOUND)
        specs, handler = entry
        args: dict[str, Any] = {spec.name: None for spec in specs}  # absent: None
        if isinstance(params, dict):
            for spec in specs:
                args[spec.name] = json_param(spec, params.get(spec.name))
        elif isinstance(params, list):
            if len(params) > len(specs):
                raise invalid_params(
                    f"expected at most {len(specs)} parameters "
                    f"({', '.join(s.name for s in specs)}), got {len(params)}"
                )
            for spec, value in zip(specs, params, strict=False):
                args[spec.name] = json_param(spec, value)
        elif params is not None:
            raise invalid_params("params must be an object, an array or absent")
        return self._run(handler, args)

    def call_uri(self, method: str, query: str) -> Any:
        entry = self.methods.get(method)
        if entry is None:
            raise RpcError(METHOD_NOT_FOUND)
        specs, handler = entry
        given = dict(parse_qsl(query, keep_blank_values=True))
        args: dict[str, Any] = {}
        for spec in specs:
            text = given.get(spec.name)
            args[spec.name] = None if text in (None, "") else uri_param(spec, text)
        return self._run(handler, args)

    def _run(self, handler: Handler, args: dict[str, Any]) -> Any:
        try:
            return handler(args)
        except RpcError:
            raise
        except SdkError as error:
            raise internal(error.log) from None
        except Exception as error:  # a bug: report it, keep serving
            raise internal(f"{type(error).__name__}: {error}") from None

    def handle_post(self, path: str, body: bytes) -> tuple[int, Any]:
        """(HTTP status, JSON reply or None for no body) for a POSTed JSON-RPC body."""
        if not body.strip():
            return 200, self.method_list()
        try:
            payload = json.loads(body, parse_constant=_no_constant)
        except (ValueError, RecursionError) as error:
            reply = _error_reply(
                None, RpcError(PARSE_ERROR, f"error unmarshaling request: {error}")
            )
            return 500, reply
        if isinstance(payload, list):
            if not payload:
                return 200, _error_reply(None, RpcError(INVALID_REQUEST, "empty batch"))
            replies = [self._reply(path, item) for item in payload]
            answered = [reply for reply in replies if reply is not None]
            return 200, answered or None
        if not isinstance(payload, dict):
            return 500, _error_reply(
                None, RpcError(PARSE_ERROR, "error unmarshaling request: not an object")
            )
        return 200, self._reply(path, payload)

    def _reply(self, path: str, request: Any) -> dict[str, Any] | None:
        if not isinstance(request, dict):
            return _error_reply(None, RpcError(INVALID_REQUEST, "request must be an object"))
        if "id" not in request or request["id"] is None:
            return None  # a notification: no reply
        request_id = request["id"]
        if isinstance(request_id, bool) or not isinstance(request_id, str | int | float):
            return _error_reply(None, RpcError(INVALID_REQUEST, "invalid id type"))
        if isinstance(request_id, float):
            if not math.isfinite(request_id):
                return _error_reply(None, RpcError(INVALID_REQUEST, "invalid id"))
            request_id = int(request_id)
        if request.get("jsonrpc", "2.0") != "2.0":
            return _error_reply(request_id, RpcError(INVALID_REQUEST, "jsonrpc must be 2.0"))
        if path not in ("", "/"):
            return _error_reply(request_id, RpcError(INVALID_REQUEST, f"path {path} is invalid"))
        method = request.get("method")
        if not isinstance(method, str):
            return _error_reply(request_id, RpcError(INVALID_REQUEST, "method must be a string"))
        try:
            result = self.call(method, request.get("params"))
        except RpcError as error:
            return _error_reply(request_id, error)
        return {"jsonrpc": "2.0", "id": request_id, "result": result}

    def handle_get(self, target: str) -> tuple[int, Any]:
        """(HTTP status, JSON reply, or text for a non-JSON-RPC page) for a URI-style GET."""
        path, query = split_target(target)
        method = path.strip("/")
        if not method:
            return 200, self.method_list()
        if method not in self.methods:
            return 404, "404 page not found\n"
        try:
            result = self.call_uri(method, query)
        except RpcError as error:
            return 500, _error_reply(-1, error)
        return 200, {"jsonrpc": "2.0", "id": -1, "result": result}

    def method_list(self) -> str:
        links = "".join(
            f'<a href="/{html.escape(name)}">/{html.escape(name)}</a></br>'
            for name in sorted(self.methods)
        )
        return f"<html><body><br>Available endpoints:<br>{links}</body></html>"

    # Helpers over the node

    def _latest(self) -> BlockRecord:
        record = self.node.blocks.get(self.node.app.last_height)
        if record is None:
            raise internal("no block has been committed yet")
        return record

    def _record(self, height: int | None) -> BlockRecord:
        latest = self.node.app.last_height
        if height is None:
            return self._latest()
        if height <= 0:
            raise internal(f"height must be greater than 0, but got {height}")
        if height > latest:
            raise internal(
                f"height {height} must be less than or equal to the current blockchain "
                f"height {latest}"
            )
        record = self.node.blocks.get(height)
        if record is None:
            lowest = min(self.node.blocks, default=latest)
            raise internal(f"height {height} is not available, lowest height is {lowest}")
        return record

    def _validator_set(self) -> list[dict[str, Any]]:
        app = self.node.app
        ctx = app.query_context()
        validators = []
        for validator in app.staking.bonded_validators(ctx):
            key = _consensus_key(validator.consensus_pubkey.type_url, validator.consensus_pubkey)
            if key is None:
                key = hashlib.sha256(b"consensus:" + validator.operator_address.encode()).digest()
            validators.append(
                {
                    "address": hex_upper(hashlib.sha256(key).digest()[:20]),
                    "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key)},
                    "voting_power": str(consensus_power(validator)),
                    "proposer_priority": "0",
                }
            )
        if not validators:
            key = hashlib.sha256(b"node:" + app.chain_id.encode()).digest()
            validators.append(
                {
                    "address": hex_upper(hashlib.sha256(key).digest()[:20]),
                    "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key)},
                    "voting_power": "0",
                    "proposer_priority": "0",
                }
            )
        return validators

    def _consensus_params_json(self) -> dict[str, Any]:
        return {
            "block": {"max_bytes": "22020096", "max_gas": str(MAX_BLOCK_GAS)},
            "evidence": {
                "max_age_num_blocks": "100000",
                "max_age_duration": "172800000000000",
                "max_bytes": "1048576",
            },
            "validator": {"pub_key_types": ["ed25519"]},
            "version": {"app": "0"},
            "abci": {"vote_extensions_enable_height": "0"},
        }

    def _block_id(self, record: BlockRecord) -> dict[str, Any]:
        block_hash = record.hash
        parts = hashlib.sha256(b"parts:" + block_hash).digest()
        return {"hash": hex_upper(block_hash), "parts": {"total": 1, "hash": hex_upper(parts)}}

    def _header(self, record: BlockRecord, validators: list[dict[str, Any]]) -> dict[str, Any]:
        previous = self.node.blocks.get(record.height - 1)
        validators_hash = merkle_root(
            [bytes.fromhex(v["address"]) + v["voting_power"].encode() for v in validators]
        )
        consensus = json.dumps(self._consensus_params_json(), sort_keys=True).encode()
        if previous is None:
            last_block_id, last_commit_hash, last_results = EMPTY_BLOCK_ID, "", EMPTY_HASH
        else:
            last_block_id = self._block_id(previous)
            last_commit_hash = hex_upper(hashlib.sha256(b"commit:" + previous.hash).digest())
            last_results = merkle_root(
                [
                    ExecTxResult(
                        code=r.code, data=r.data, gas_wanted=r.gas_wanted, gas_used=r.gas_used
                    ).SerializeToString()
                    for r in previous.results
                ]
            )
        return {
            "version": {"block": str(BLOCK_PROTOCOL), "app": "0"},
            "chain_id": self.node.app.chain_id,
            "height": str(record.height),
            "time": rfc3339(record.time_ns),
            "last_block_id": last_block_id,
            "last_commit_hash": last_commit_hash,
            "data_hash": hex_upper(merkle_root([hashlib.sha256(tx).digest() for tx in record.txs])),
            "validators_hash": hex_upper(validators_hash),
            "next_validators_hash": hex_upper(validators_hash),
            "consensus_hash": hex_upper(hashlib.sha256(consensus).digest()),
            "app_hash": hex_upper(record.app_hash),
            "last_results_hash": hex_upper(last_results),
            "evidence_hash": hex_upper(EMPTY_HASH),
            "proposer_address": validators[0]["address"],
        }

    def _commit(
        self, record: BlockRecord, validators: list[dict[str, Any]], time_ns: int
    ) -> dict[str, Any]:
        """The commit for ``record``, signed (deterministically) by every validator."""
        block_id = self._block_id(record)
        signatures = [
            {
                "block_id_flag": 2,
                "validator_address": validator["address"],
                "timestamp": rfc3339(time_ns),
                "signature": b64(
                    hashlib.sha512(record.hash + bytes.fromhex(validator["address"])).digest()
                ),
            }
            for validator in validators
        ]
        return {
            "height": str(record.height),
            "round": 0,
            "block_id": block_id,
            "signatures": signatures,
        }

    def _block_json(self, record: BlockRecord) -> dict[str, Any]:
        validators = self._validator_set()
        previous = self.node.blocks.get(record.height - 1)
        if previous is None:
            last_commit: dict[str, Any] = {
                "height": str(max(record.height - 1, 0)),
                "round": 0,
                "block_id": EMPTY_BLOCK_ID,
                "signatures": [],
            }
        else:
            last_commit = self._commit(previous, validators, record.time_ns)
        return {
            "block_id": self._block_id(record),
            "block": {
                "header": self._header(record, validators),
                "data": {"txs": [b64(tx) for tx in record.txs]},
                "evidence": {"evidence": []},
                "last_commit": last_commit,
            },
        }

    def _tx_json(self, record: BlockRecord, index: int) -> dict[str, Any]:
        tx = record.txs[index]
        return {
            "hash": hex_upper(hashlib.sha256(tx).digest()),
            "height": str(record.height),
            "index": index,
            "tx_result": exec_result_json(record.results[index]),
            "tx": b64(tx),
        }

    def _find_block_by_hash(self, block_hash: bytes) -> BlockRecord | None:
        blocks = self.node.blocks
        latest = self.node.app.last_height
        if self._indexed_to > latest:  # reverted: rebuild
            self._hash_index.clear()
            self._indexed_to = 0
        for height in range(self._indexed_to + 1, latest + 1):
            record = blocks.get(height)
            if record is not None:
                self._hash_index[record.hash] = height
        self._indexed_to = latest
        found = self._hash_index.get(block_hash)
        record = None if found is None else blocks.get(found)
        return record if record is not None and record.hash == block_hash else None

    # Info

    def status(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            latest = self._latest()
            earliest = self.node.blocks.get(min(self.node.blocks), latest)
            validator = self._validator_set()[0]
            chain_id = self.node.app.chain_id
        node_id = hashlib.sha256(b"node-id:" + chain_id.encode()).digest()[:20]
        return {
            "node_info": {
                "protocol_version": {
                    "p2p": str(P2P_PROTOCOL),
                    "block": str(BLOCK_PROTOCOL),
                    "app": "0",
                },
                "id": node_id.hex(),
                "listen_addr": "tcp://127.0.0.1:26656",
                "network": chain_id,
                "version": COMETBFT_VERSION,
                "channels": "40202122233038606100",
                "moniker": "localnet",
                "other": {"tx_index": "on", "rpc_address": self.rpc_address},
            },
            "sync_info": {
                "latest_block_hash": hex_upper(latest.hash),
                "latest_app_hash": hex_upper(latest.app_hash),
                "latest_block_height": str(latest.height),
                "latest_block_time": rfc3339(latest.time_ns),
                "earliest_block_hash": hex_upper(earliest.hash),
                "earliest_app_hash": hex_upper(earliest.app_hash),
                "earliest_block_height": str(earliest.height),
                "earliest_block_time": rfc3339(earliest.time_ns),
                "catching_up": False,
            },
            "validator_info": {
                "address": validator["address"],
                "pub_key": validator["pub_key"],
                "voting_power": validator["voting_power"],
            },
        }

    def net_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"listening": True, "listeners": [], "n_peers": "0", "peers": []}

    def abci_info(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            app = self.node.app
            return {
                "response": {
                    "data": APP_NAME,
                    "version": APP_VERSION,
                    "app_version": "0",
                    "last_block_height": str(app.last_height),
                    "last_block_app_hash": b64(app.app_hash),
                }
            }

    def genesis(self, args: dict[str, Any]) -> dict[str, Any]:
        document = getattr(self.node, "genesis", None)
        if not isinstance(document, dict):
            raise internal("the node does not keep its genesis document")
        genesis_ns = int(document.get("genesis_time_ns", 0))
        return {
            "genesis": {
                "genesis_time": rfc3339(genesis_ns),
                "chain_id": document.get("chain_id", self.node.app.chain_id),
                "initial_height": str(document.get("initial_height", "1")),
                "consensus_params": self._consensus_params_json(),
                "validators": [],
                "app_hash": "",
                "app_state": document.get("app_state", {}),
            }
        }

    # ABCI query

    def abci_query(self, args: dict[str, Any]) -> dict[str, Any]:
        path: str = args["path"] or ""
        data: bytes = args["data"] or b""
        height: int = args["height"] or 0
        with self.node.lock:
            latest = self.node.app.last_height
            answered_at = height or latest
            try:
                if height < 0:
                    raise ErrInvalidRequest.wrap(
                        "cannot query with height < 0; please provide a valid height"
                    )
                if height > latest:
                    raise ErrInvalidRequest.wrap(
                        "cannot query with height in the future; please provide a valid height"
                    )
                value = self._query(path, data, height if 0 < height < latest else None)
            except SdkError as error:
                response = _query_response(error.code, error.codespace, error.log, answered_at)
                return {"response": response}
        response = _query_response(0, "", "", answered_at)
        response["value"] = b64(value)
        return {"response": response}

    def _query(self, path: str, data: bytes, past_height: int | None) -> bytes:
        """The serialized answer of gRPC method ``path`` to request bytes ``data``, on the last
        committed state or (with the node's history) at ``past_height``."""
        route = self.routes.get(path)
        if route is None:
            raise ErrUnknownRequest.wrap(f"unknown query path: {path}")
        request = request_message(path)
        try:
            request.ParseFromString(data)
        except Exception as error:
            raise ErrInvalidRequest.wrap(str(error) or "failed to decode request") from None
        latest = self.node.app.last_height
        query_at = getattr(self.node, "query_at", None)
        if past_height is not None and (
            path not in self.node.app.query_routes or not callable(query_at)
        ):
            raise ErrInvalidRequest.wrap(
                f"failed to load state at height {past_height}; version does not exist "
                f"(latest height: {latest})"
            )
        try:
            if past_height is None:
                response = route(request)
            else:
                assert callable(query_at)
                response = query_at(path, request, past_height)
        except SdkError as error:
            if error.log.startswith(("failed to load state", "cannot query with height")):
                raise
            raise as_query_error(error) from None
        return bytes(response.SerializeToString())

    # Txs

    def broadcast_tx_sync(self, args: dict[str, Any]) -> dict[str, Any]:
        tx: bytes = args["tx"] or b""
        result = self.node.broadcast(tx)
        return _broadcast_json(tx, result)

    def broadcast_tx_async(self, args: dict[str, Any]) -> dict[str, Any]:
        tx: bytes = args["tx"] or b""
        self.node.broadcast(tx)
        return {
            "code": 0,
            "data": "",
            "log": "",
            "codespace": "",
            "hash": hex_upper(hashlib.sha256(tx).digest()),
        }

    def broadcast_tx_commit(self, args: dict[str, Any]) -> dict[str, Any]:
        tx: bytes = args["tx"] or b""
        tx_hash = hashlib.sha256(tx).hexdigest().upper()
        check = self.node.broadcast(tx)
        check_json = exec_result_json(check)
        if not check.ok:
            return {
                "check_tx": check_json,
                "tx_result": exec_result_json(TxResult()),
                "hash": tx_hash,
                "height": "0",
            }
        deadline = time.monotonic() + BROADCAST_COMMIT_TIMEOUT
        while True:
            found = self.node.find_tx(tx_hash)
            if found is not None:
                record, index = found
                return {
                    "check_tx": check_json,
                    "tx_result": exec_result_json(record.results[index]),
                    "hash": tx_hash,
                    "height": str(record.height),
                }
            left = deadline - time.monotonic()
            if left <= 0:
                raise internal("timed out waiting for tx to be included in a block")
            self.node.wait_for_height(self.node.app.last_height + 1, timeout=min(left, 0.5))

    def tx(self, args: dict[str, Any]) -> dict[str, Any]:
        tx_hash: bytes = args["hash"] or b""
        with self.node.lock:
            found = self.node.find_tx(tx_hash.hex())
            if found is None:
                raise internal(f"tx ({hex_upper(tx_hash)}) not found")
            return self._tx_json(*found)

    def tx_search(self, args: dict[str, Any]) -> dict[str, Any]:
        conditions = parse_query(args["query"] or "")
        newest_first = _order(args["order_by"])
        with self.node.lock:
            matches = list(self.matching_txs(conditions))
            if newest_first:
                matches.reverse()
            skip, size = _page(args["page"], args["per_page"], len(matches))
            txs = [self._tx_json(record, index) for record, index in matches[skip : skip + size]]
        return {"txs": txs, "total_count": str(len(matches))}

    def matching_txs(self, conditions: list[Condition]) -> Iterator[tuple[BlockRecord, int]]:
        """(block, index) of every committed tx meeting all ``conditions``, oldest first (call
        under the node's lock)."""
        blocks = self.node.blocks
        candidates: Iterable[tuple[BlockRecord, int]]
        by_hash = next((c for c in conditions if c.key == "tx.hash" and c.op == "="), None)
        by_height = next(
            (
                c
                for c in conditions
                if c.key == "tx.height" and c.op == "=" and isinstance(c.operand, Decimal)
            ),
            None,
        )
        if by_hash is not None:
            found = self.node.find_tx(str(by_hash.operand))
            candidates = [] if found is None else [found]
        elif by_height is not None:
            operand = by_height.operand
            assert isinstance(operand, Decimal)
            record = blocks.get(int(operand)) if operand == operand.to_integral_value() else None
            candidates = [] if record is None else [(record, i) for i in range(len(record.txs))]
        else:
            candidates = (
                (record, index)
                for height in sorted(blocks)
                if (record := blocks[height]).txs
                for index in range(len(record.txs))
            )
        for record, index in candidates:
            attributes = _attributes(
                record.results[index].events,
                {
                    "tx.hash": [hashlib.sha256(record.txs[index]).hexdigest().upper()],
                    "tx.height": [str(record.height)],
                },
            )
            if all(c.holds(attributes.get(c.key, [])) for c in conditions):
                yield record, index

    def num_unconfirmed_txs(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            mempool = list(self.node.mempool)
        size = sum(len(tx) for tx in mempool)
        return {"n_txs": str(len(mempool)), "total": str(len(mempool)), "total_bytes": str(size)}

    def unconfirmed_txs(self, args: dict[str, Any]) -> dict[str, Any]:
        limit = args["limit"]
        size = DEFAULT_PER_PAGE if limit is None or limit < 1 else min(limit, MAX_PER_PAGE)
        with self.node.lock:
            mempool = list(self.node.mempool)
        return {
            "n_txs": str(min(len(mempool), size)),
            "total": str(len(mempool)),
            "total_bytes": str(sum(len(tx) for tx in mempool)),
            "txs": [b64(tx) for tx in mempool[:size]],
        }

    # Blocks

    def block(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            return self._block_json(self._record(args["height"]))

    def block_by_hash(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._find_block_by_hash(args["hash"] or b"")
            if record is None:
                return {"block_id": EMPTY_BLOCK_ID, "block": None}
            return self._block_json(record)

    def block_results(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
        return {
            "height": str(record.height),
            "txs_results": [exec_result_json(r) for r in record.results] or None,
            "finalize_block_events": events_json(record.events) or None,
            "validator_updates": None,
            "consensus_param_updates": None,
            "app_hash": b64(record.app_hash),
        }

    def header(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
            return {"header": self._header(record, self._validator_set())}

    def header_by_hash(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._find_block_by_hash(args["hash"] or b"")
            if record is None:
                return {"header": None}
            return {"header": self._header(record, self._validator_set())}

    def commit(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
            validators = self._validator_set()
            following = self.node.blocks.get(record.height + 1)
            commit_time = record.time_ns if following is None else following.time_ns
            return {
                "signed_header": {
                    "header": self._header(record, validators),
                    "commit": self._commit(record, validators, commit_time),
                },
                "canonical": following is not None,
            }

    def blockchain(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            latest = self.node.app.last_height
            lowest = min(self.node.blocks, default=latest)
            low = args["minHeight"] or 0
            high = args["maxHeight"] or 0
            if low < 0 or high < 0:
                raise internal("heights must be non-negative")
            high = latest if high == 0 else min(high, latest)
            low = max(low, lowest, high - MAX_BLOCKCHAIN_METAS + 1, 1)
            if low > high:
                raise internal(f"min height {low} can't be greater than max height {high}")
            validators = self._validator_set()
            metas = []
            for height in range(high, low - 1, -1):
                record = self.node.blocks.get(height)
                if record is None:
                    continue
                metas.append(
                    {
                        "block_id": self._block_id(record),
                        "block_size": str(sum(len(tx) for tx in record.txs) + 200),
                        "header": self._header(record, validators),
                        "num_txs": str(len(record.txs)),
                    }
                )
        return {"last_height": str(latest), "block_metas": metas}

    def block_search(self, args: dict[str, Any]) -> dict[str, Any]:
        conditions = parse_query(args["query"] or "")
        newest_first = _order(args["order_by"])
        with self.node.lock:
            matches = []
            for height in sorted(self.node.blocks):
                record = self.node.blocks[height]
                attributes = _attributes(record.events, {"block.height": [str(height)]})
                if all(c.holds(attributes.get(c.key, [])) for c in conditions):
                    matches.append(record)
            if newest_first:
                matches.reverse()
            skip, size = _page(args["page"], args["per_page"], len(matches))
            blocks = [self._block_json(record) for record in matches[skip : skip + size]]
        return {"blocks": blocks, "total_count": str(len(matches))}

    def validators(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
            validators = self._validator_set()
        skip, size = _page(args["page"], args["per_page"], len(validators))
        shown = validators[skip : skip + size]
        return {
            "block_height": str(record.height),
            "validators": shown,
            "count": str(len(shown)),
            "total": str(len(validators)),
        }

    def consensus_params(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
        return {
            "block_height": str(record.height),
            "consensus_params": self._consensus_params_json(),
        }

    # Localnet controls (CometMock's names)

    def advance_blocks(self, args: dict[str, Any]) -> dict[str, Any]:
        count = args["num_blocks"]
        if count is None:
            count = 1
        if not 0 <= count <= MAX_ADVANCE_BLOCKS:
            raise invalid_params(f"num_blocks must be within [0, {MAX_ADVANCE_BLOCKS}]")
        node = self.node
        with node.lock:
            executed = node.advance(num_blocks=count) if count else 0
            return {
                "height": str(node.app.last_height),
                "time": rfc3339(node.app.last_time_ns),
                "blocks": str(count),
                "executed": str(executed),
            }

    def advance_time(self, args: dict[str, Any]) -> dict[str, Any]:
        seconds: Decimal | None = args["duration_in_seconds"]
        if seconds is None:
            raise invalid_params("duration_in_seconds is required")
        if not 0 <= seconds <= MAX_ADVANCE_SECONDS:
            raise invalid_params(f"duration_in_seconds must be within [0, {MAX_ADVANCE_SECONDS}]")
        node = self.node
        with node.lock:
            produced = node.advance(seconds=seconds)
            return {
                "new_time": rfc3339(node.app.last_time_ns),
                "height": str(node.app.last_height),
                "blocks": str(produced),
                "caught_up": not self._something_due(),
            }

    def _something_due(self) -> bool:
        """Whether a block at the current chain time still has work: an epoch timer behind,
        a gov deposit or voting period that has ended, a mature unbonding."""
        due = self.node.app.next_due_ns()
        return due is not None and due <= self.node.app.last_time_ns

    def snapshot(self, args: dict[str, Any]) -> dict[str, Any]:
        take = getattr(self.node, "snapshot", None)
        if not callable(take):
            raise internal("this node does not support snapshots")
        with self.node.lock:
            snapshot_id = take()
            return {"id": _jsonable(snapshot_id), "height": str(self.node.app.last_height)}

    def revert(self, args: dict[str, Any]) -> dict[str, Any]:
        back = getattr(self.node, "revert", None)
        if not callable(back):
            raise internal("this node does not support snapshots")
        snapshot_id = args["id"]
        if snapshot_id is None:
            raise invalid_params("id is required")
        with self.node.lock:
            if back(snapshot_id) is False:
                raise internal(f"unknown snapshot {snapshot_id}")
            self._hash_index.clear()
            self._indexed_to = 0
            return {
                "reverted": True,
                "height": str(self.node.app.last_height),
                "time": rfc3339(self.node.app.last_time_ns),
            }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _consensus_key(type_url: str, packed: Any) -> bytes | None:
    if type_url != "/cosmos.crypto.ed25519.PubKey":
        return None
    key = Ed25519PubKey()
    try:
        key.ParseFromString(packed.value)
    except Exception:
        return None
    return bytes(key.key) if len(key.key) == 32 else None


def _tx_hash(text: str) -> bytes:
    """A tx hash param: base64 (CometBFT's JSON ``[]byte``) or 64 hex digits (``0x`` or not)."""
    if re.fullmatch(r"(0x)?[0-9A-Fa-f]{64}", text):
        return bytes.fromhex(text.removeprefix("0x"))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_params("hash: expected base64 or 64 hex digits") from None


def _broadcast_json(tx: bytes, result: TxResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "data": hex_upper(result.data),
        "log": result.log,
        "codespace": result.codespace,
        "hash": hex_upper(hashlib.sha256(tx).digest()),
    }


def _query_response(code: int, codespace: str, log: str, height: int) -> dict[str, Any]:
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


def as_query_error(error: SdkError) -> SdkError:
    """The error baseapp reports for a failing gRPC query routed through ABCI: the gRPC status
    text wrapped in key-not-found, invalid-request, unauthorized or unknown-request."""
    status = status_of(error)
    go_name = "".join(part.capitalize() for part in status.name.split("_"))
    kind = _QUERY_ERROR_BY_STATUS.get(status, ErrUnknownRequest)
    return kind.wrap(f"rpc error: code = {go_name} desc = {error.log}")


def request_message(method: str) -> Message:
    """A new request message of the gRPC method ``/pkg.Service/Method``."""
    service, _, name = method.lstrip("/").rpartition("/")
    pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
    descriptor = pool.FindMethodByName(f"{service}.{name}")
    request: Message = message_factory.GetMessageClass(descriptor.input_type)()
    return request


def _error_reply(request_id: Any, error: RpcError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


# HTTP


class JsonHttpServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler threads never outlive the process."""

    daemon_threads = True
    allow_reuse_address = True


class _RpcServer(JsonHttpServer):
    service: RpcService


CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "HEAD, GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Origin, Accept, Content-Type, X-Requested-With"),
)


class QuietHandler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1, CORS, no access log; helpers to read a bounded body and reply."""

    protocol_version = "HTTP/1.1"
    extra_headers: tuple[tuple[str, str], ...] = ()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def read_body(self) -> bytes | None:
        """The request body, or None (after replying 400/413) when it cannot be read."""
        length_text = self.headers.get("Content-Length", "0") or "0"
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self.reply(400, "text/plain", b"invalid Content-Length\n")
            return None
        if length > MAX_BODY_BYTES:
            # Read (and drop) a moderately oversized body first, so the client, still sending,
            # receives the 413 instead of a reset connection.
            if length <= DRAIN_BODY_BYTES:
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 65_536))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            self.close_connection = True
            self.reply(413, "text/plain", b"request body too large\n")
            return None
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (*CORS_HEADERS, *self.extra_headers):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, status: int, payload: Any) -> None:
        try:
            text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as error:
            status = 500
            text = json.dumps(_error_reply(None, internal(f"cannot encode reply: {error}")))
        self.reply(status, "application/json", text.encode())

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        for name, value in CORS_HEADERS:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _RpcHandler(QuietHandler):
    server: _RpcServer

    def do_POST(self) -> None:
        body = self.read_body()
        if body is None:
            return
        try:
            status, payload = self.server.service.handle_post(split_target(self.path)[0], body)
        except Exception as error:  # never let a request take the server down
            status, payload = 500, _error_reply(None, internal(f"{type(error).__name__}: {error}"))
        self._send(status, payload)

    def do_GET(self) -> None:
        try:
            status, payload = self.server.service.handle_get(self.path)
        except Exception as error:
            status, payload = 500, _error_reply(-1, internal(f"{type(error).__name__}: {error}"))
        self._send(status, payload)

    def _send(self, status: int, payload: Any) -> None:
        if payload is None:
            self.reply(status, "application/json", b"")
        elif isinstance(payload, str):
            kind = "text/html" if payload.startswith("<html>") else "text/plain"
            self.reply(status, f"{kind}; charset=utf-8", payload.encode())
        else:
            self.reply_json(status, payload)


def split_target(target: str) -> tuple[str, str]:
    """The path and query of an HTTP request target (origin form: ``//x`` is a path, not a
    host, and no character makes it fail, unlike ``urlsplit``)."""
    path, _, query = target.partition("#")[0].partition("?")
    return path, query


def split_address(address: str) -> tuple[str, int]:
    """``host:port`` (also ``tcp://host:port``) as (host, port)."""
    text = address.removeprefix("tcp://").removeprefix("http://")
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise OSError(f"invalid address {address!r}: expected host:port")
    return host.strip("[]"), int(port)


def serve(server: ThreadingHTTPServer, name: str) -> None:
    """Serve ``server`` on a daemon thread."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()


def stop_server(server: ThreadingHTTPServer) -> None:
    """Stop serving and close the socket."""
    server.shutdown()
    server.server_close()


def start_rpc_server(node: Node, address: str) -> tuple[ThreadingHTTPServer, int]:
    """Serve the CometBFT RPC for ``node`` on ``address`` (``host:port``; port 0 picks a free one).

    Returns the running server (stop it with ``stop_server``) and its port. Fails when the
    address cannot be bound (``OSError``).
    """
    host, port = split_address(address)
    server = _RpcServer((host, port), _RpcHandler)
    bound = int(server.server_address[1])
    server.service = RpcService(node, rpc_address=f"tcp://{host}:{bound}")
    serve(server, f"rpc-{bound}")
    return server, bound


__all__ = [
    "COMETBFT_VERSION",
    "Condition",
    "JsonHttpServer",
    "Param",
    "QuietHandler",
    "RpcError",
    "RpcService",
    "as_query_error",
    "merkle_root",
    "parse_query",
    "request_message",
    "split_address",
    "split_target",
    "start_rpc_server",
    "stop_server",
]
