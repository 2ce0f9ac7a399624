"""The gRPC shell serves routed methods over a real loopback socket and maps registered errors
to gRPC statuses."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2_grpc as bank_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from chain.server.grpc_server import start_grpc_server
from incentives.pb import query_pb2, query_pb2_grpc
from tests.incentives.world import World


@pytest.fixture
def channel() -> Iterator[grpc.Channel]:
    world = World()
    world.create_pool("pro_rata")
    handlers = world.app.incentives.query_handlers()
    routes = {
        path: (lambda request, handler=handler: handler(world.app.context(), request))
        for path, handler in handlers.items()
    }
    server, port = start_grpc_server(routes, "127.0.0.1:0")
    opened = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield opened
    finally:
        opened.close()
        server.stop(grace=None)


def test_a_routed_query_is_answered(channel: grpc.Channel) -> None:
    response = query_pb2_grpc.QueryStub(channel).Pool(query_pb2.QueryPoolRequest(pool_id=1))
    assert response.pool.id == 1
    assert response.pool.name == "pro_rata pool"


def test_a_not_found_error_is_the_not_found_status(channel: grpc.Channel) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        query_pb2_grpc.QueryStub(channel).Pool(query_pb2.QueryPoolRequest(pool_id=99))
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    assert "pool 99: pool not found" in raised.value.details()


def test_an_unrouted_method_is_unimplemented(channel: grpc.Channel) -> None:
    bank = bank_grpc.QueryStub(channel)
    with pytest.raises(grpc.RpcError) as raised:
        bank.Balance(bank_query.QueryBalanceRequest(address="x", denom="uakt"))
    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_reflection_lists_the_routed_services(channel: grpc.Channel) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    response = next(iter(stub.ServerReflectionInfo(iter([request]))))
    names = {service.name for service in response.list_services_response.service}
    assert "akash.incentives.v1.Query" in names
