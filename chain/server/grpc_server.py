"""The gRPC shell: serves any unary method of the descriptor pool that the node routes.

Owns the translation between gRPC and the node's routes: a route is a full method path
(``/cosmos.bank.v1beta1.Query/Balance``) and a function from the decoded request message to the
response message. Request and response types come from the method's descriptor in the default
pool (cosmpy's compiled cosmos protos and ours), so one generic handler serves every service.

A query's ``x-cosmos-block-height`` metadata is available to its route as
``requested_height()``. Server reflection lists every routed service, so ``grpcurl`` and similar
tools work.

Registered errors become gRPC statuses as the SDK maps them (not found -> NOT_FOUND, invalid input
-> INVALID_ARGUMENT, ...), with the raw log as details; any other exception is INTERNAL and is
never allowed to take the server down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent import futures
from contextvars import ContextVar
from typing import Any

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError, Message
from grpc_reflection.v1alpha import reflection

from chain.sdk.errors import SdkError

Route = Callable[[Any], Message]

HEIGHT_HEADER = "x-cosmos-block-height"
# The height a query asks for (the SDK's ``x-cosmos-block-height`` metadata), for the call being
# served; None is the latest. Routes read it with ``requested_height()``.
_REQUESTED_HEIGHT: ContextVar[int | None] = ContextVar("requested_height", default=None)


def requested_height() -> int | None:
    return _REQUESTED_HEIGHT.get()


_STATUS_BY_CODE = {
    ("sdk", 2): grpc.StatusCode.INVALID_ARGUMENT,  # tx decode
    ("sdk", 4): grpc.StatusCode.UNAUTHENTICATED,
    ("sdk", 5): grpc.StatusCode.FAILED_PRECONDITION,
    ("sdk", 7): grpc.StatusCode.INVALID_ARGUMENT,
    ("sdk", 9): grpc.StatusCode.NOT_FOUND,
    ("sdk", 10): grpc.StatusCode.INVALID_ARGUMENT,
    ("sdk", 18): grpc.StatusCode.INVALID_ARGUMENT,
    ("sdk", 22): grpc.StatusCode.NOT_FOUND,
    ("sdk", 26): grpc.StatusCode.INVALID_ARGUMENT,
    ("sdk", 38): grpc.StatusCode.NOT_FOUND,
}


def status_of(error: SdkError) -> grpc.StatusCode:
    """The gRPC status for a registered error; "not found" errors of any module are NOT_FOUND."""
    status = _STATUS_BY_CODE.get((error.codespace, error.code))
    if status is not None:
        return status
    if "not found" in error.kind.description:
        return grpc.StatusCode.NOT_FOUND
    return grpc.StatusCode.INVALID_ARGUMENT


class RouteHandler(grpc.GenericRpcHandler):
    """Dispatches every routed unary method; unknown methods are UNIMPLEMENTED."""

    def __init__(self, routes: Mapping[str, Route]) -> None:
        self._routes = routes
        self._handlers: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}

    def service(
        self, handler_call_details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        method: str = handler_call_details.method
        handler = self._handlers.get(method)
        if handler is None:
            route = self._routes.get(method)
            if route is None:
                return None
            handler = self._build(method, route)
            self._handlers[method] = handler
        return handler

    def _build(self, method: str, route: Route) -> grpc.RpcMethodHandler[Any, Any]:
        service, _, name = method.lstrip("/").rpartition("/")
        pool = descriptor_pool.Default()  # type: ignore[no-untyped-call]
        descriptor = pool.FindMethodByName(f"{service}.{name}")
        request_type = message_factory.GetMessageClass(descriptor.input_type)

        def deserialize(data: bytes) -> Message:
            request = request_type()
            request.ParseFromString(data)
            return request

        def call(request: Message, context: grpc.ServicerContext) -> Message:
            height: int | None = None
            for key, value in context.invocation_metadata():
                if key == HEIGHT_HEADER:
                    try:
                        height = int(value)
                    except ValueError:
                        context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"invalid height {value!r}")
            token = _REQUESTED_HEIGHT.set(height)
            try:
                return route(request)
            except SdkError as error:
                context.abort(status_of(error), error.log)
            except DecodeError as error:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
            except Exception as error:  # a bug: report it, keep serving
                context.abort(grpc.StatusCode.INTERNAL, f"{type(error).__name__}: {error}")
            finally:
                _REQUESTED_HEIGHT.reset(token)
            raise AssertionError("unreachable: abort raises")

        return grpc.unary_unary_rpc_method_handler(
            call,
            request_deserializer=deserialize,
            response_serializer=lambda message: message.SerializeToString(),
        )


def start_grpc_server(
    routes: Mapping[str, Route], address: str, workers: int = 8
) -> tuple[grpc.Server, int]:
    """Start serving ``routes`` on ``address`` (``host:port``; port 0 picks a free one).

    Returns the server and the bound port. Fails when the address cannot be bound (``OSError``).
    """
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((RouteHandler(routes),))
    services = sorted({method.lstrip("/").rpartition("/")[0] for method in routes})
    reflection.enable_server_reflection((*services, reflection.SERVICE_NAME), server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot bind gRPC address {address}")
    server.start()
    return server, port
