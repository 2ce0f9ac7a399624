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

How requests and parameters are read and errors shaped is ``chain.server.jsonrpc``, the query
language of ``tx_search``/``block_search`` ``chain.server.rpc_search``, the JSON shapes
``chain.server.rpc_json`` and ``chain.server.rpc_blocks``, the HTTP side
``chain.server.http_server``.

Fails when (JSON-RPC error objects with CometBFT's codes and messages): the body is not JSON
(-32700); the request is not a request object (-32600); the method is unknown (-32601); params
have the wrong type or are out of range (-32602); the method itself fails, e.g. a height not yet
committed or a tx that is not found (-32603, the reason in ``data``). Nothing a client sends can
take the server down.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

from chain.app import TxResult
from chain.sdk.errors import (
    ErrInvalidRequest,
    ErrKeyNotFound,
    ErrUnauthorized,
    ErrUnknownRequest,
    RegisteredError,
    SdkError,
)
from chain.server.grpc_server import status_of
from chain.server.http_server import (
    JsonHttpServer,
    QuietHandler,
    serve,
    split_address,
    split_target,
)
from chain.server.jsonrpc import (
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    Param,
    RpcError,
    error_reply,
    internal,
    invalid_params,
    json_param,
    no_constant,
    uri_param,
)
from chain.server.node import APP_NAME, APP_VERSION, Node, rfc3339
from chain.server.rpc_blocks import (
    BLOCK_PROTOCOL,
    block_id_json,
    block_json,
    commit_json,
    consensus_params_json,
    header_json,
    validator_set,
)
from chain.server.rpc_json import (
    EMPTY_BLOCK_ID,
    b64,
    broadcast_json,
    events_json,
    exec_result_json,
    hex_upper,
    query_response,
    tx_json,
)
from chain.server.rpc_search import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    Condition,
    collect_attributes,
    orders_newest_first,
    page_bounds,
    parse_query,
)

if TYPE_CHECKING:
    from chain.server.persistence import BlockRecord

COMETBFT_VERSION = "0.38.21"
P2P_PROTOCOL = 8
BROADCAST_COMMIT_TIMEOUT = 10.0  # CometBFT's rpc.timeout_broadcast_tx_commit default
MAX_BLOCKCHAIN_METAS = 20
MAX_ADVANCE_BLOCKS = 1_000_000
MAX_ADVANCE_SECONDS = 100 * 366 * 86_400


# How baseapp turns a gRPC status into the ABCI query's registered error (gRPCErrorToSDKError).
_QUERY_ERROR_BY_STATUS: dict[grpc.StatusCode, RegisteredError] = {
    grpc.StatusCode.NOT_FOUND: ErrKeyNotFound,
    grpc.StatusCode.INVALID_ARGUMENT: ErrInvalidRequest,
    grpc.StatusCode.FAILED_PRECONDITION: ErrInvalidRequest,
    grpc.StatusCode.UNAUTHENTICATED: ErrUnauthorized,
}


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
            payload = json.loads(body, parse_constant=no_constant)
        except (ValueError, RecursionError) as error:
            reply = error_reply(None, RpcError(PARSE_ERROR, f"error unmarshaling request: {error}"))
            return 500, reply
        if isinstance(payload, list):
            if not payload:
                return 200, error_reply(None, RpcError(INVALID_REQUEST, "empty batch"))
            replies = [self._reply(path, item) for item in payload]
            answered = [reply for reply in replies if reply is not None]
            return 200, answered or None
        if not isinstance(payload, dict):
            return 500, error_reply(
                None, RpcError(PARSE_ERROR, "error unmarshaling request: not an object")
            )
        return 200, self._reply(path, payload)

    def _reply(self, path: str, request: Any) -> dict[str, Any] | None:
        if not isinstance(request, dict):
            return error_reply(None, RpcError(INVALID_REQUEST, "request must be an object"))
        if "id" not in request or request["id"] is None:
            return None  # a notification: no reply
        request_id = request["id"]
        if isinstance(request_id, bool) or not isinstance(request_id, str | int | float):
            return error_reply(None, RpcError(INVALID_REQUEST, "invalid id type"))
        if isinstance(request_id, float):
            if not math.isfinite(request_id):
                return error_reply(None, RpcError(INVALID_REQUEST, "invalid id"))
            request_id = int(request_id)
        if request.get("jsonrpc", "2.0") != "2.0":
            return error_reply(request_id, RpcError(INVALID_REQUEST, "jsonrpc must be 2.0"))
        if path not in ("", "/"):
            return error_reply(request_id, RpcError(INVALID_REQUEST, f"path {path} is invalid"))
        method = request.get("method")
        if not isinstance(method, str):
            return error_reply(request_id, RpcError(INVALID_REQUEST, "method must be a string"))
        try:
            result = self.call(method, request.get("params"))
        except RpcError as error:
            return error_reply(request_id, error)
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
            return 500, error_reply(-1, error)
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
            validator = validator_set(self.node)[0]
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
                "consensus_params": consensus_params_json(),
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
                response = query_response(error.code, error.codespace, error.log, answered_at)
                return {"response": response}
        response = query_response(0, "", "", answered_at)
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
        return broadcast_json(tx, result)

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
            return tx_json(*found)

    def tx_search(self, args: dict[str, Any]) -> dict[str, Any]:
        conditions = parse_query(args["query"] or "")
        newest_first = orders_newest_first(args["order_by"])
        with self.node.lock:
            matches = list(self.matching_txs(conditions))
            if newest_first:
                matches.reverse()
            skip, size = page_bounds(args["page"], args["per_page"], len(matches))
            txs = [tx_json(record, index) for record, index in matches[skip : skip + size]]
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
            attributes = collect_attributes(
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
            return block_json(self.node, self._record(args["height"]))

    def block_by_hash(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._find_block_by_hash(args["hash"] or b"")
            if record is None:
                return {"block_id": EMPTY_BLOCK_ID, "block": None}
            return block_json(self.node, record)

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
            return {"header": header_json(self.node, record, validator_set(self.node))}

    def header_by_hash(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._find_block_by_hash(args["hash"] or b"")
            if record is None:
                return {"header": None}
            return {"header": header_json(self.node, record, validator_set(self.node))}

    def commit(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
            validators = validator_set(self.node)
            following = self.node.blocks.get(record.height + 1)
            commit_time = record.time_ns if following is None else following.time_ns
            return {
                "signed_header": {
                    "header": header_json(self.node, record, validators),
                    "commit": commit_json(record, validators, commit_time),
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
            validators = validator_set(self.node)
            metas = []
            for height in range(high, low - 1, -1):
                record = self.node.blocks.get(height)
                if record is None:
                    continue
                metas.append(
                    {
                        "block_id": block_id_json(record),
                        "block_size": str(sum(len(tx) for tx in record.txs) + 200),
                        "header": header_json(self.node, record, validators),
                        "num_txs": str(len(record.txs)),
                    }
                )
        return {"last_height": str(latest), "block_metas": metas}

    def block_search(self, args: dict[str, Any]) -> dict[str, Any]:
        conditions = parse_query(args["query"] or "")
        newest_first = orders_newest_first(args["order_by"])
        with self.node.lock:
            matches = []
            for height in sorted(self.node.blocks):
                record = self.node.blocks[height]
                attributes = collect_attributes(record.events, {"block.height": [str(height)]})
                if all(c.holds(attributes.get(c.key, [])) for c in conditions):
                    matches.append(record)
            if newest_first:
                matches.reverse()
            skip, size = page_bounds(args["page"], args["per_page"], len(matches))
            blocks = [block_json(self.node, record) for record in matches[skip : skip + size]]
        return {"blocks": blocks, "total_count": str(len(matches))}

    def validators(self, args: dict[str, Any]) -> dict[str, Any]:
        with self.node.lock:
            record = self._record(args["height"])
            validators = validator_set(self.node)
        skip, size = page_bounds(args["page"], args["per_page"], len(validators))
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
            "consensus_params": consensus_params_json(),
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


class _RpcServer(JsonHttpServer):
    service: RpcService


class _RpcHandler(QuietHandler):
    server: _RpcServer

    def do_POST(self) -> None:  # noqa: N802 (http.server names)
        body = self.read_body()
        if body is None:
            return
        try:
            status, payload = self.server.service.handle_post(split_target(self.path)[0], body)
        except Exception as error:  # never let a request take the server down
            status, payload = 500, error_reply(None, internal(f"{type(error).__name__}: {error}"))
        self._send(status, payload)

    def do_GET(self) -> None:  # noqa: N802 (http.server names)
        try:
            status, payload = self.server.service.handle_get(self.path)
        except Exception as error:
            status, payload = 500, error_reply(-1, internal(f"{type(error).__name__}: {error}"))
        self._send(status, payload)

    def _send(self, status: int, payload: Any) -> None:
        if payload is None:
            self.reply(status, "application/json", b"")
        elif isinstance(payload, str):
            kind = "text/html" if payload.startswith("<html>") else "text/plain"
            self.reply(status, f"{kind}; charset=utf-8", payload.encode())
        else:
            self.reply_json(status, payload)


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
    "RpcService",
    "as_query_error",
    "request_message",
    "start_rpc_server",
]
