"""The CometBFT JSON-RPC and the REST gateway of a localnet started here, over real loopback
sockets, with random bodies, params, paths, query strings, headers and raw bytes.

JSON-RPC: every reply is empty (a notification), the method list, or well-formed JSON-RPC 2.0
whose error has one of the five JSON-RPC codes and never reports a Python exception (the shape
the server gives a bug it caught). REST: every reply is the gateway's ``{code, message,
details}`` with a 4xx status (501 only for a verb the path does not take), never a 500. Raw
garbage on the socket gets at most a 400. After every input both servers still answer
``health`` and the node's invariants hold.

The time controls (``advance_time``, ``advance_blocks``, ``snapshot``, ``revert``) are left out:
their valid params legitimately run blocks.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from chain.app import App
from chain.server.localnet import Localnet
from chain.server.node import Node
from chain.server.rest import RestService
from chain.server.rpc import RpcService
from tests.conftest import fresh_localnet
from tests.fuzz.strategies import mostly

TIME_CONTROLS = {"advance_time", "advance_blocks", "snapshot", "revert"}
JSON_RPC_CODES = {-32700, -32600, -32601, -32602, -32603}
# How the servers word a Python exception they caught: "KeyError: 'x'", "ValueError: ...".
PYTHON_EXCEPTION = re.compile(r"^[A-Z][A-Za-z]*(Error|Exception|Exit|Interrupt)\b|Traceback")
FUZZ = settings(max_examples=80)


@pytest.fixture(scope="module")
def net() -> Iterator[Localnet]:
    localnet = fresh_localnet()
    try:
        yield localnet
    finally:
        localnet.stop()
    assert localnet.node.broken_invariants == []


def _methods() -> list[tuple[str, list[str]]]:
    """The RPC methods with their param names, and the REST routes as "VERB template", read
    from the services over a node that is never started."""
    node = Node(App())
    rpc, rest = RpcService(node), RestService(node)
    methods = [
        (name, [param.name for param in params])
        for name, (params, _) in sorted(rpc.methods.items())
        if name not in TIME_CONTROLS
    ]
    templates = sorted({(route.verb, route.template) for route in rest.table})
    return methods + [(f"{verb} {template}", []) for verb, template in templates]


_ALL = _methods()
METHODS = [name for name, _ in _ALL if " " not in name]
PARAM_NAMES = sorted({param for _, params in _ALL for param in params})
ROUTES = [name.split(" ", 1) for name, _ in _ALL if " " in name]

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["0x00", "AA==", "-1", "9" * 30, '"1"', "ab" * 32, "tx.height=1"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
REQUEST = st.fixed_dictionaries(
    {
        "jsonrpc": mostly("2.0", JSON),
        "id": mostly(1, JSON),
        "method": mostly("status", st.sampled_from(METHODS) | JSON),
        "params": st.dictionaries(st.sampled_from(PARAM_NAMES), JSON, max_size=4)
        | st.lists(JSON, max_size=4)
        | JSON,
    }
)
BODY = st.one_of(
    REQUEST.map(lambda request: json.dumps(request).encode()),
    st.lists(REQUEST, max_size=3).map(lambda requests: json.dumps(requests).encode()),
    st.binary(max_size=200),
    st.sampled_from([b"[" * 100_000, b'{"a":' * 50_000, b"\xff\xfe", b"null", b"{}", b"[]"]),
)
SEGMENT = st.one_of(
    st.sampled_from(["1", "0", "-1", "uakt", "..", "%", "%2F", "%00", "9" * 30, "akash1"]),
    st.text(max_size=12),
)
QUERY = st.one_of(
    st.dictionaries(
        st.sampled_from(
            [
                *PARAM_NAMES,
                "pagination.limit",
                "pagination.key",
                "pagination.offset",
                "pagination.count_total",
                "pagination.reverse",
                "events",
                "order_by",
                "status",
                "pool_id",
                "x.y",
            ]
        ),
        st.one_of(
            st.sampled_from(["-1", "1", "true", "AA==", "9" * 30, "9" * 5_000, '"x"', "0x0g"]),
            st.text(max_size=15),
        ),
        max_size=4,
    ).map(urllib.parse.urlencode),
    st.text(max_size=60).map(lambda text: urllib.parse.quote(text, safe="=&%+/")),
)


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def request(
    port: int, verb: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = _connection(port)
    try:
        connection.request(verb, target, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def still_serving(net: Localnet) -> None:
    status, body = request(net.port_of("rpc"), "GET", "/health")
    assert status == 200
    assert json.loads(body)["result"] == {}
    status, _ = request(net.port_of("api"), "GET", "/cosmos/base/tendermint/v1beta1/node_info")
    assert status == 200


def check_json_rpc(item: Any) -> None:
    assert isinstance(item, dict), item
    assert item["jsonrpc"] == "2.0"
    assert ("result" in item) != ("error" in item)
    if "error" in item:
        error = item["error"]
        assert error["code"] in JSON_RPC_CODES
        assert isinstance(error["message"], str)
        assert not PYTHON_EXCEPTION.search(error.get("data", "")), error


def check_rpc_reply(status: int, body: bytes) -> None:
    assert status in (200, 400, 404, 413, 500), status
    if status == 404:
        assert body == b"404 page not found\n"
        return
    if not body or body.startswith(b"<html>"):
        return
    reply = json.loads(body)
    for item in reply if isinstance(reply, list) else [reply]:
        check_json_rpc(item)


def check_rest_reply(status: int, body: bytes) -> None:
    reply = json.loads(body)
    if status == 200:
        return
    assert 400 <= status < 500 or (status == 501 and reply["message"] == "Method Not Allowed"), (
        status,
        reply,
    )
    assert set(reply) == {"code", "message", "details"}
    assert not PYTHON_EXCEPTION.search(reply["message"]), reply


@FUZZ
@given(body=BODY)
@example(body=b'{"jsonrpc":"2.0","id":1,"method":"tx","params":{"hash":"0x"}}')
# Were internal errors ("KeyError: 'tx'"): a method called without its params, or with fewer
# positional params than it takes.
@example(body=b'{"jsonrpc":"2.0","id":1,"method":"broadcast_tx_sync"}')
@example(body=b'{"jsonrpc":"2.0","id":1,"method":"abci_query","params":["/x"]}')
def test_json_rpc_posts(net: Localnet, body: bytes) -> None:
    status, reply = request(net.port_of("rpc"), "POST", "/", body)
    event(f"HTTP {status}")
    check_rpc_reply(status, reply)
    still_serving(net)


@FUZZ
@given(method=mostly("block", st.sampled_from(METHODS) | SEGMENT, percent=50), query=QUERY)
@example(method="block", query="height=" + "9" * 5_000)
def test_json_rpc_uri_gets(net: Localnet, method: str, query: str) -> None:
    target = f"/{urllib.parse.quote(method)}?{query}"
    check_rpc_reply(*request(net.port_of("rpc"), "GET", target))
    still_serving(net)


@st.composite
def rest_targets(draw: st.DrawFn) -> tuple[str, str]:
    """A route's verb and path, its variables replaced by random segments (sometimes the
    other verb or random path segments instead)."""
    verb, template = draw(st.sampled_from(ROUTES))
    path = re.sub(
        r"\{[^}]*\}",
        lambda _: urllib.parse.quote(draw(SEGMENT), safe="%"),
        template,
    )
    if draw(st.integers(0, 9)) == 0:
        path = "/" + "/".join(urllib.parse.quote(s) for s in draw(st.lists(SEGMENT, max_size=5)))
    return draw(mostly(verb, st.sampled_from(["GET", "POST", "PUT", "DELETE"]))), path


@FUZZ
@given(
    target=rest_targets(),
    query=QUERY,
    body=st.one_of(st.just(b""), BODY),
    height=st.one_of(
        st.just(""), st.sampled_from(["0", "1", "-1", "x", "9" * 30]), st.text(max_size=5)
    ),
)
@example(
    target=("GET", "/cosmos/gov/v1/proposals"),
    query="proposal_status=" + "9" * 5_000,
    body=b"",
    height="",
)
def test_rest_requests(
    net: Localnet, target: tuple[str, str], query: str, body: bytes, height: str
) -> None:
    verb, path = target
    headers = {"x-cosmos-block-height": height} if height.isprintable() and height else {}
    status, reply = request(net.port_of("api"), verb, f"{path}?{query}", body, headers)
    event(f"HTTP {status}")
    check_rest_reply(status, reply)
    still_serving(net)


@settings(max_examples=40)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
                b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
                b"GET / HTTP/9.9\r\n\r\n",
            ]
        ),
    ),
    server=st.sampled_from(["rpc", "api"]),
)
@example(data=b"GET a://[x HTTP/1.1\r\n\r\n", server="rpc")  # were 500s: urlsplit's
@example(data=b"GET a://[x HTTP/1.1\r\n\r\n", server="api")  # "Invalid IPv6 URL"
def test_raw_bytes_on_the_socket(net: Localnet, data: bytes, server: str) -> None:
    with socket.create_connection(("127.0.0.1", net.port_of(server)), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := sock.recv(65_536):
            reply += chunk
    if reply:
        # A status line, or for an HTTP/0.9-style request line only http.server's error page.
        found = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply) or re.search(
            rb"Error code: (\d{3})", reply
        )
        assert found is not None, reply[:200]
        status = int(found.group(1))
        assert status < 500 or status == 505 or b"Parse error" in reply, reply[:200]
    still_serving(net)
