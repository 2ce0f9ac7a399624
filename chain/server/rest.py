"""The REST shell: the Cosmos SDK's grpc-gateway paths over the node's gRPC routes.

Owns the translation between REST and the routes. The table is generic: every routed gRPC
method whose descriptor carries a ``google.api.http`` option is served at its path template
(``/cosmos/bank/v1beta1/balances/{address}/by_denom``, ``{denom=**}`` for the rest of the path),
literal paths before templated ones (``blocks/latest`` before ``blocks/{height}``). The request
message is filled as grpc-gateway v1 fills it: the JSON body (``body: "*"``), then the path
variables, then the query string (``pagination.limit=5``, proto or JSON field names, repeated
keys for repeated fields; unknown names are ignored). Besides the node's routes it serves
``GET /cosmos/tx/v1beta1/txs`` (``query=`` or ``events=``), ``GET
/cosmos/tx/v1beta1/txs/block/{height}`` and, as empty defaults because wallets probe them, the
slashing params and signing infos and the upgrade plan.

Responses are proto JSON as the SDK's gateway marshals them (``OrigName`` and ``EmitDefaults``:
snake_case names, every default present, 64-bit integers as strings, bytes base64, enums by name,
``Any`` as ``{"@type": ...}``), so ``GetTx`` carries ``tx`` and ``tx_response`` (with
``tx_response.tx``), which cosmpy's REST client reads. The ``x-cosmos-block-height`` request
header queries a past height when the node keeps its history; every reply carries the latest
height in that header.

Fails when (grpc-gateway's ``{"code", "message", "details": []}`` with the HTTP status of the gRPC
code): no route matches (404, NOT_FOUND); the body or a parameter does not parse (400,
INVALID_ARGUMENT); the route fails (its registered error's status: NOT_FOUND 404,
INVALID_ARGUMENT 400, ...); anything else is INTERNAL (500) and never takes the server down.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

import grpc
from cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2 import PageResponse
from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2 as tendermint_query
from cosmpy.protos.cosmos.slashing.v1beta1 import query_pb2 as slashing_query
from cosmpy.protos.cosmos.tx.v1beta1 import service_pb2
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import Tx
from cosmpy.protos.cosmos.upgrade.v1beta1 import query_pb2 as upgrade_query
from google.api import annotations_pb2
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from chain.sdk.errors import SdkError
from chain.server.grpc_server import status_of
from chain.server.http_server import (
    JsonHttpServer,
    QuietHandler,
    serve,
    split_address,
    split_target,
)
from chain.server.jsonrpc import RpcError
from chain.server.node import Node, tx_response
from chain.server.rpc import RpcService
from chain.server.rpc_search import parse_query

if TYPE_CHECKING:
    from chain.server.persistence import BlockRecord

Route = Callable[[Any], Message]

HEIGHT_HEADER = "x-cosmos-block-height"
DEFAULT_TXS_LIMIT = 100
MAX_TXS_LIMIT = 100

# runtime.HTTPStatusFromCode
_HTTP_STATUS = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
}

_PROBED_DEFAULTS = (
    f"/{slashing_query.DESCRIPTOR.package}.Query/Params",
    f"/{slashing_query.DESCRIPTOR.package}.Query/SigningInfos",
    f"/{upgrade_query.DESCRIPTOR.package}.Query/CurrentPlan",
)


class GatewayError(Exception):
    """A gateway error reply: a gRPC status code and a message."""

    def __init__(self, status: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    @property
    def http_status(self) -> int:
        return _HTTP_STATUS.get(self.status, 500)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.status.value[0], "message": self.message, "details": []}


def _invalid(message: str) -> GatewayError:
    return GatewayError(grpc.StatusCode.INVALID_ARGUMENT, message)


# Path templates


_VARIABLE = re.compile(r"\{([^}=]+)(?:=([^}]*))?\}")


@dataclass(frozen=True, slots=True)
class RestRoute:
    """One HTTP binding of a gRPC method."""

    verb: str
    template: str
    pattern: re.Pattern[str]
    variables: tuple[str, ...]
    method: str
    body: str
    call: Route

    @property
    def specificity(self) -> tuple[int, int]:
        literal = len(_VARIABLE.sub("", self.template))
        return (-literal, len(self.variables))


def compile_template(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex matching ``template`` (grpc-gateway syntax) and its variables' field paths."""
    parts: list[str] = []
    variables: list[str] = []
    position = 0
    for match in _VARIABLE.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        field_path, segments = match.group(1).strip(), match.group(2)
        variables.append(field_path)
        parts.append(f"({_segments_pattern(segments)})")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts) + "/?"), tuple(variables)


def _segments_pattern(segments: str | None) -> str:
    if segments is None or segments == "*":
        return "[^/]+"
    pieces = []
    for segment in segments.split("/"):
        if segment == "**":
            pieces.append(".+")
        elif segment == "*":
            pieces.append("[^/]+")
        else:
            pieces.append(re.escape(segment))
    return "/".join(pieces)


def http_bindings(method: str) -> list[tuple[str, str, str]]:
    """(verb, template, body) of every ``google.api.http`` binding of gRPC ``method``."""
    service, _, name = method.lstrip("/").rpartition("/")
    pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
    try:
        descriptor = pool.FindMethodByName(f"{service}.{name}")
    except KeyError:
        return []
    options = descriptor.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return []
    rule = options.Extensions[annotations_pb2.http]
    bindings = []
    for binding in (rule, *rule.additional_bindings):
        kind = binding.WhichOneof("pattern")
        if kind in ("get", "post", "put", "delete", "patch"):
            bindings.append((kind.upper(), str(getattr(binding, kind)), str(binding.body)))
    return bindings


def build_routes(routes: Mapping[str, Route]) -> list[RestRoute]:
    """The REST table of every routed method with an HTTP binding, most specific first."""
    table = []
    for method, call in routes.items():
        for verb, template, body in http_bindings(method):
            pattern, variables = compile_template(template)
            table.append(RestRoute(verb, template, pattern, variables, method, body, call))
    table.sort(key=lambda route: route.specificity)
    return table


# Requests


def _field(message_descriptor: Any, name: str) -> FieldDescriptor | None:
    field = message_descriptor.fields_by_name.get(name)
    if field is not None:
        return field  # type: ignore[no-any-return]
    for candidate in message_descriptor.fields:
        if candidate.json_name == name:
            return candidate  # type: ignore[no-any-return]
    return None


def _json_value(field: FieldDescriptor, text: str) -> Any:
    """The proto-JSON value for a query or path parameter's text."""
    kind = field.type
    if kind == FieldDescriptor.TYPE_BOOL:
        lowered = text.lower()
        if lowered in ("1", "t", "true"):
            return True
        if lowered in ("0", "f", "false"):
            return False
        raise _invalid(f"invalid boolean {text!r} for {field.name}")
    if kind == FieldDescriptor.TYPE_ENUM:
        return int(text) if re.fullmatch(r"-?[0-9]{1,20}", text) else text  # int() caps digits
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        try:
            return float(text)
        except ValueError:
            raise _invalid(f"invalid number {text!r} for {field.name}") from None
    if kind == FieldDescriptor.TYPE_BYTES:
        return text.replace(" ", "+")  # a '+' of base64 decoded as a space in a query string
    return text


def set_parameter(tree: dict[str, Any], descriptor: Any, field_path: str, text: str) -> bool:
    """Put ``text`` at ``field_path`` (dotted, proto or JSON names) in the JSON ``tree`` of a
    message of ``descriptor``. False (nothing set) when the path names no field."""
    names = field_path.split(".")
    node = tree
    for depth, name in enumerate(names):
        field = _field(descriptor, name)
        if field is None:
            return False
        last = depth == len(names) - 1
        if not last:
            if field.type != FieldDescriptor.TYPE_MESSAGE or _is_repeated(field):
                return False
            child = node.setdefault(field.name, {})
            if not isinstance(child, dict):
                return False
            node, descriptor = child, field.message_type
            continue
        if field.type == FieldDescriptor.TYPE_MESSAGE and not _is_well_known(field):
            return False
        value = _json_value(field, text)
        if _is_repeated(field):
            existing = node.setdefault(field.name, [])
            if isinstance(existing, list):
                existing.append(value)
        else:
            node[field.name] = value
    return True


def _is_repeated(field: FieldDescriptor) -> bool:
    return bool(field.label == FieldDescriptor.LABEL_REPEATED)


def _is_well_known(field: FieldDescriptor) -> bool:
    return field.message_type.full_name in (
        "google.protobuf.Timestamp",
        "google.protobuf.Duration",
    )


def new_request(method: str) -> Message:
    service, _, name = method.lstrip("/").rpartition("/")
    pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
    descriptor = pool.FindMethodByName(f"{service}.{name}")
    request: Message = message_factory.GetMessageClass(descriptor.input_type)()
    return request


def to_json(message: Message) -> dict[str, Any]:
    """Proto JSON as the SDK's gateway writes it (OrigName, EmitDefaults)."""
    result: dict[str, Any] = json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
    )
    return result


# The service


class RestService:
    """The gateway over a node; transport-free (see ``handle``)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.rpc = RpcService(node)
        routes: dict[str, Route] = dict(node.routes())
        routes["/cosmos.tx.v1beta1.Service/GetTxsEvent"] = self.get_txs_event
        routes["/cosmos.tx.v1beta1.Service/GetBlockWithTxs"] = self.get_block_with_txs
        for method in _PROBED_DEFAULTS:
            routes.setdefault(method, _empty_response(method))
        self.routes = routes
        self.table = build_routes(routes)

    def handle(
        self, verb: str, target: str, body: bytes, headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON reply) for one request."""
        try:
            return 200, self._handle(verb, target, body, headers)
        except GatewayError as error:
            return error.http_status, error.to_json()
        except SdkError as error:
            failure = GatewayError(status_of(error), error.log)
            return failure.http_status, failure.to_json()
        except RpcError as error:
            failure = GatewayError(grpc.StatusCode.INVALID_ARGUMENT, error.data or error.message)
            return failure.http_status, failure.to_json()
        except Exception as error:  # a bug: report it, keep serving
            failure = GatewayError(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")
            return failure.http_status, failure.to_json()

    def _handle(
        self, verb: str, target: str, body: bytes, headers: Mapping[str, str]
    ) -> dict[str, Any]:
        path, query = split_target(target)
        other_verb = False
        for route in self.table:
            match = route.pattern.fullmatch(path)
            if match is None:
                continue
            if route.verb != verb:
                other_verb = True
                continue
            request = self._request(route, match, query, body)
            return to_json(self._call(route, request, headers))
        if other_verb:
            raise GatewayError(grpc.StatusCode.UNIMPLEMENTED, "Method Not Allowed")
        raise GatewayError(grpc.StatusCode.NOT_FOUND, "Not Found")

    def _request(self, route: RestRoute, match: re.Match[str], query: str, body: bytes) -> Message:
        request = new_request(route.method)
        descriptor = request.DESCRIPTOR
        tree: dict[str, Any] = {}
        if route.body == "*" and body.strip():
            try:
                parsed = json.loads(body)
            except (ValueError, RecursionError) as error:
                raise _invalid(f"invalid JSON body: {error}") from None
            if not isinstance(parsed, dict):
                raise _invalid("the JSON body must be an object")
            tree = parsed
        bound = set()
        for field_path, text in zip(route.variables, match.groups(), strict=True):
            if not set_parameter(tree, descriptor, field_path, unquote(text)):
                raise _invalid(f"unknown path parameter {field_path}")
            bound.add(field_path)
        for key, text in parse_qsl(query, keep_blank_values=True):
            if key not in bound:
                set_parameter(tree, descriptor, key, text)  # unknown names are ignored
        try:
            json_format.ParseDict(tree, request)
        except (json_format.ParseError, ValueError, TypeError, RecursionError) as error:
            raise _invalid(str(error)) from None
        return request

    def _call(self, route: RestRoute, request: Message, headers: Mapping[str, str]) -> Message:
        height_text = headers.get(HEIGHT_HEADER, "").strip()
        if height_text and height_text != "0":
            if not re.fullmatch(r"[0-9]{1,19}", height_text):
                raise _invalid(f"invalid {HEIGHT_HEADER} header {height_text!r}")
            height = int(height_text)
            query_at = getattr(self.node, "query_at", None)
            if route.method in self.node.app.query_routes and callable(query_at):
                response: Message = query_at(route.method, request, height)
                return response
        return route.call(request)

    # Routes the node does not have

    def get_txs_event(
        self, request: service_pb2.GetTxsEventRequest
    ) -> service_pb2.GetTxsEventResponse:
        query = request.query or " AND ".join(request.events)
        if not query:
            raise _invalid("query cannot be empty")
        conditions = parse_query(query)
        limit = request.limit or request.pagination.limit or DEFAULT_TXS_LIMIT
        limit = min(limit, MAX_TXS_LIMIT)
        page = request.page or 1
        with self.node.lock:
            matches = list(self.rpc.matching_txs(conditions))
            if request.order_by == service_pb2.ORDER_BY_DESC:
                matches.reverse()
            start = (page - 1) * limit
            if matches and start >= len(matches):
                raise _invalid(f"page {page} is out of range: {len(matches)} txs, {limit} per page")
            shown = matches[start : start + limit]
            return service_pb2.GetTxsEventResponse(
                txs=[_decode(record.txs[index]) for record, index in shown],
                tx_responses=[tx_response(record, index) for record, index in shown],
                pagination=PageResponse(total=len(matches)),
                total=len(matches),
            )

    def get_block_with_txs(
        self, request: service_pb2.GetBlockWithTxsRequest
    ) -> service_pb2.GetBlockWithTxsResponse:
        with self.node.lock:
            record: BlockRecord | None = self.node.blocks.get(request.height)
            if record is None:
                raise _invalid(
                    f"height {request.height} is not available (latest {self.node.app.last_height})"
                )
            block = self.node.get_block_by_height(
                tendermint_query.GetBlockByHeightRequest(height=request.height)
            )
        return service_pb2.GetBlockWithTxsResponse(
            txs=[_decode(tx) for tx in record.txs],
            block_id=block.block_id,
            block=block.block,
            pagination=PageResponse(total=len(record.txs)),
        )


def _decode(tx_bytes: bytes) -> Tx:
    tx = Tx()
    tx.ParseFromString(tx_bytes)
    return tx


def _empty_response(method: str) -> Route:
    service, _, name = method.lstrip("/").rpartition("/")
    pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
    response_class = message_factory.GetMessageClass(
        pool.FindMethodByName(f"{service}.{name}").output_type
    )

    def route(request: Message) -> Message:
        response: Message = response_class()
        return response

    return route


# HTTP


class _RestServer(JsonHttpServer):
    service: RestService


class _RestHandler(QuietHandler):
    server: _RestServer

    def _serve(self, verb: str) -> None:
        body = self.read_body()
        if body is None:
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            status, payload = self.server.service.handle(verb, self.path, body, headers)
        except Exception as error:  # never let a request take the server down
            failure = GatewayError(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")
            status, payload = failure.http_status, failure.to_json()
        self.extra_headers = ((HEIGHT_HEADER, str(self.server.service.node.app.last_height)),)
        self.reply_json(status, payload)

    def do_GET(self) -> None:  # noqa: N802 (http.server names)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802 (http.server names)
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802 (http.server names)
        self._serve("PUT")

    def do_DELETE(self) -> None:  # noqa: N802 (http.server names)
        self._serve("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802 (http.server names)
        self._serve("PATCH")


def start_rest_server(node: Node, address: str) -> tuple[ThreadingHTTPServer, int]:
    """Serve the REST gateway for ``node`` on ``address`` (``host:port``; port 0 picks a free
    one). Returns the running server (stop it with ``chain.server.http_server.stop_server``) and its
    port. Fails when the address cannot be bound (``OSError``)."""
    host, port = split_address(address)
    server = _RestServer((host, port), _RestHandler)
    server.service = RestService(node)
    bound = int(server.server_address[1])
    serve(server, f"rest-{bound}")
    return server, bound
