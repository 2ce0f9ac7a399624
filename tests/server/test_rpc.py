"""The CometBFT RPC shell over a real loopback socket: the exact JSON types CosmJS checks, ABCI
queries, real signed txs, tx search, CometMock's time controls, JSON-RPC errors, a parser that
survives any input, and (when node and npm are there) CosmJS itself."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmpy.protos.cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.epochs.v1beta1 import query_pb2 as epochs_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.app import App
from chain.devnet import ACCOUNT_BALANCE, DEV_MNEMONIC, dev_accounts
from chain.modules.auth.keeper import secp256k1_address
from chain.sdk.address import decode_address, encode_address
from chain.sdk.context import NANOS
from chain.server.jsonrpc import RpcError
from chain.server.localnet import Localnet
from chain.server.rpc import RpcService
from chain.server.rpc_search import parse_query
from tests.conftest import fresh_localnet

ACCOUNTS = dev_accounts()
JsonObject = dict[str, Any]


# Fixtures and helpers


@pytest.fixture
def rpc_url(localnet: Localnet) -> str:
    return f"http://127.0.0.1:{localnet.port_of('rpc')}"


def post_raw(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def call(url: str, method: str, params: Any = None, request_id: Any = 7) -> JsonObject:
    """The whole JSON-RPC reply to ``method``."""
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}}
    status, reply = post_raw(url + "/", json.dumps(body).encode())
    decoded: JsonObject = json.loads(reply)
    assert status == 200, decoded
    assert decoded["jsonrpc"] == "2.0"
    assert decoded["id"] == request_id
    return decoded


def result(url: str, method: str, params: Any = None) -> JsonObject:
    reply = call(url, method, params)
    assert "error" not in reply, reply
    value: JsonObject = reply["result"]
    return value


def get(url: str) -> tuple[int, JsonObject]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def signed_send(
    app: App,
    sender: int,
    recipient: str,
    amount: int,
    *,
    sequence: int | None = None,
    fee: str = "5000uakt",
) -> bytes:
    """A MsgSend from dev account ``sender``, signed (SIGN_MODE_DIRECT) at its committed
    sequence unless ``sequence`` is given."""
    account = ACCOUNTS[sender]
    key = PrivateKey(account.private_key)
    state = app.auth.get_account(app.query_context(), decode_address(account.address))
    assert state is not None
    tx = Transaction()
    tx.add_message(
        MsgSend(
            from_address=account.address,
            to_address=recipient,
            amount=[Coin(denom="uakt", amount=str(amount))],
        )
    )
    tx.seal(
        SigningCfg.direct(key.public_key, state.sequence if sequence is None else sequence),
        fee=TxFee(amount=fee, gas_limit=200_000),
    )
    tx.sign(key, app.chain_id, state.account_number, deterministic=True)
    tx.complete()
    return bytes(tx.tx.SerializeToString())


def is_hex(text: str, *, upper: bool = True) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return not upper or text == text.upper()


def is_int_string(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip("-").isdigit()


def check_tx_data(data: JsonObject) -> None:
    """The ``RpcTxData`` rules of CosmJS: code a number, gas as strings, base64 data, attribute
    keys non-empty strings."""
    assert type(data["code"]) is int
    assert is_int_string(data["gas_wanted"])
    assert is_int_string(data["gas_used"])
    base64.b64decode(data["data"], validate=True)
    assert isinstance(data["log"], str)
    assert isinstance(data["codespace"], str)
    for event in data["events"]:
        assert isinstance(event["type"], str)
        for attribute in event["attributes"]:
            assert isinstance(attribute["key"], str)
            assert attribute["key"]
            assert isinstance(attribute["value"], str)
            assert attribute["index"] is True


def check_block_id(block_id: JsonObject) -> None:
    assert is_hex(block_id["hash"])
    assert block_id["hash"]
    assert type(block_id["parts"]["total"]) is int
    assert block_id["parts"]["total"] > 0
    assert is_hex(block_id["parts"]["hash"])


def check_header(header: JsonObject, chain_id: str) -> None:
    assert header["chain_id"] == chain_id
    assert is_int_string(header["height"])
    assert header["time"].endswith("Z")
    assert is_int_string(header["version"]["block"])
    for name in (
        "last_commit_hash",
        "data_hash",
        "validators_hash",
        "next_validators_hash",
        "consensus_hash",
        "app_hash",
        "last_results_hash",
        "evidence_hash",
    ):
        assert isinstance(header[name], str)
        assert is_hex(header[name])
    assert header["proposer_address"]
    assert is_hex(header["proposer_address"])


# Info methods


def test_status_has_exactly_the_types_cosmjs_checks(localnet: Localnet, rpc_url: str) -> None:
    status = result(rpc_url, "status")
    node_info = status["node_info"]
    assert node_info["version"].startswith("0.38.")  # CosmJS then picks its Comet38 client
    assert node_info["network"] == localnet.app.chain_id
    assert is_hex(node_info["id"], upper=False)
    assert node_info["id"]
    assert node_info["moniker"]
    assert node_info["listen_addr"]
    assert all(isinstance(value, str) for value in node_info["other"].values())
    assert all(isinstance(value, str) and value for value in node_info["protocol_version"].values())
    sync = status["sync_info"]
    assert sync["latest_block_height"] == str(localnet.app.last_height)
    assert is_hex(sync["latest_block_hash"])
    assert sync["latest_app_hash"] == localnet.app.app_hash.hex().upper()
    assert is_int_string(sync["earliest_block_height"])
    assert sync["catching_up"] is False
    assert sync["latest_block_time"].endswith("Z")
    validator = status["validator_info"]
    assert validator["pub_key"]["type"] == "tendermint/PubKeyEd25519"
    assert len(base64.b64decode(validator["pub_key"]["value"])) == 32
    assert validator["voting_power"] == "100000"  # 10^11 uakt bonded / 10^6
    assert len(bytes.fromhex(validator["address"])) == 20


def test_health_abci_info_validators_and_consensus_params(localnet: Localnet, rpc_url: str) -> None:
    assert result(rpc_url, "health") == {}
    info = result(rpc_url, "abci_info")["response"]
    assert info["last_block_height"] == str(localnet.app.last_height)
    assert base64.b64decode(info["last_block_app_hash"]) == localnet.app.app_hash
    validators = result(rpc_url, "validators")
    assert validators["count"] == "1"
    assert validators["total"] == "1"
    assert is_int_string(validators["block_height"])
    assert validators["validators"][0]["voting_power"] == "100000"
    params = result(rpc_url, "consensus_params")["consensus_params"]
    assert params["block"]["max_gas"] == "100000000"


def test_block_block_results_and_commit_shapes(localnet: Localnet, rpc_url: str) -> None:
    localnet.node.produce_block()
    chain_id = localnet.app.chain_id
    first = result(rpc_url, "block", {"height": "1"})
    check_block_id(first["block_id"])
    check_header(first["block"]["header"], chain_id)
    assert first["block"]["header"]["height"] == "1"
    # Height 1 has no last block: the empty shapes CometBFT gives and CosmJS expects.
    assert first["block"]["header"]["last_block_id"] == {
        "hash": "",
        "parts": {"total": 0, "hash": ""},
    }
    assert first["block"]["last_commit"]["signatures"] == []
    latest = result(rpc_url, "block")
    block = latest["block"]
    assert block["header"]["height"] == str(localnet.app.last_height)
    assert block["header"]["last_block_id"] == first["block_id"]
    assert block["data"]["txs"] == []
    assert block["evidence"] == {"evidence": []}
    commit = block["last_commit"]
    assert commit["height"] == "1"
    assert type(commit["round"]) is int
    signature = commit["signatures"][0]
    assert signature["block_id_flag"] in (1, 2, 3)
    assert len(base64.b64decode(signature["signature"])) == 64
    results = result(rpc_url, "block_results", {"height": 2})
    assert results["height"] == "2"
    assert results["txs_results"] is None
    assert any(event["type"] == "mint" for event in results["finalize_block_events"])
    # URI style, the way curl users ask.
    status, uri = get(f"{rpc_url}/block?height=1")
    assert status == 200
    assert uri["id"] == -1
    assert uri["result"] == first
    signed = result(rpc_url, "commit", {"height": 1})
    assert signed["canonical"] is True
    assert signed["signed_header"]["commit"]["block_id"] == first["block_id"]
    by_hash = result(
        rpc_url,
        "block_by_hash",
        {"hash": base64.b64encode(bytes.fromhex(first["block_id"]["hash"])).decode()},
    )
    assert by_hash == first


# ABCI queries


def test_abci_query_answers_a_bank_balance(localnet: Localnet, rpc_url: str) -> None:
    request = bank_query.QueryBalanceRequest(address=ACCOUNTS[1].address, denom="uakt")
    response = result(
        rpc_url,
        "abci_query",
        {
            "path": "/cosmos.bank.v1beta1.Query/Balance",
            "data": request.SerializeToString().hex(),
            "prove": False,
        },
    )["response"]
    assert response["code"] == 0
    assert response["height"] == str(localnet.app.last_height)
    assert response["height"] != "0"  # CosmJS: "No query height returned"
    assert response["index"] == "0"
    assert response["codespace"] == ""
    answer = bank_query.QueryBalanceResponse()
    answer.ParseFromString(base64.b64decode(response["value"]))
    assert answer.balance.denom == "uakt"
    assert int(answer.balance.amount) == ACCOUNT_BALANCE
    # The same over GET, strings quoted and bytes 0x-hex.
    query = urllib.parse.urlencode(
        {
            "path": '"/cosmos.bank.v1beta1.Query/Balance"',
            "data": "0x" + request.SerializeToString().hex(),
        }
    )
    status, reply = get(f"{rpc_url}/abci_query?{query}")
    assert status == 200
    assert reply["result"]["response"]["value"] == response["value"]


def test_abci_query_failures_read_as_baseapp_reports_them(rpc_url: str) -> None:
    malformed = result(
        rpc_url,
        "abci_query",
        {
            "path": "/cosmos.auth.v1beta1.Query/Account",
            "data": auth_query.QueryAccountRequest(address="akash1nope").SerializeToString().hex(),
        },
    )["response"]
    assert type(malformed["code"]) is int
    assert malformed["code"] != 0
    assert malformed["value"] is None
    assert malformed["log"].startswith("rpc error: code = ")
    nowhere = result(rpc_url, "abci_query", {"path": "/no.such.Query/Method", "data": ""})
    assert nowhere["response"]["code"] == 6
    assert nowhere["response"]["codespace"] == "sdk"
    assert "unknown query path" in nowhere["response"]["log"]
    future = result(
        rpc_url,
        "abci_query",
        {"path": "/cosmos.bank.v1beta1.Query/Params", "data": "", "height": "999999"},
    )
    assert future["response"]["code"] == 18
    garbage = result(
        rpc_url, "abci_query", {"path": "/cosmos.bank.v1beta1.Query/Params", "data": "ff"}
    )
    assert garbage["response"]["code"] != 0


def unknown_address() -> str:
    key = PrivateKey(hashlib.sha256(b"nobody").digest())
    return encode_address(secp256k1_address(key.public_key.public_key_bytes))


def test_a_missing_account_is_not_found_as_cosmjs_expects(rpc_url: str) -> None:
    address = unknown_address()
    response = result(
        rpc_url,
        "abci_query",
        {
            "path": "/cosmos.auth.v1beta1.Query/Account",
            "data": auth_query.QueryAccountRequest(address=address).SerializeToString().hex(),
        },
    )["response"]
    assert response["code"] == 22  # ErrKeyNotFound, as gRPCErrorToSDKError maps NotFound
    assert response["codespace"] == "sdk"
    assert response["log"].startswith("rpc error: code = NotFound desc = ")
    assert response["log"].endswith(": key not found")


# Txs


def test_broadcast_tx_commit_of_a_real_signed_tx(localnet: Localnet, rpc_url: str) -> None:
    recipient = ACCOUNTS[2].address
    tx = signed_send(localnet.app, 1, recipient, 4321)
    tx_hash = hashlib.sha256(tx).hexdigest().upper()
    committed = result(rpc_url, "broadcast_tx_commit", {"tx": base64.b64encode(tx).decode()})
    assert committed["hash"] == tx_hash
    assert is_int_string(committed["height"])
    height = int(committed["height"])
    assert height == localnet.app.last_height
    check_tx_data(committed["check_tx"])
    check_tx_data(committed["tx_result"])
    assert committed["check_tx"]["code"] == 0
    assert committed["tx_result"]["code"] == 0
    assert int(committed["tx_result"]["gas_used"]) > 0
    types = {event["type"] for event in committed["tx_result"]["events"]}
    assert {"transfer", "message", "tx"} <= types

    # tx by hash: base64 as CometBFT takes []byte in JSON, and hex for people.
    by_b64 = result(rpc_url, "tx", {"hash": base64.b64encode(bytes.fromhex(tx_hash)).decode()})
    by_hex = result(rpc_url, "tx", {"hash": tx_hash})
    assert by_b64 == by_hex
    assert by_b64["hash"] == tx_hash
    assert by_b64["height"] == str(height)
    assert type(by_b64["index"]) is int
    assert base64.b64decode(by_b64["tx"]) == tx
    check_tx_data(by_b64["tx_result"])
    status, uri = get(f"{rpc_url}/tx?hash=0x{tx_hash}")
    assert status == 200
    assert uri["result"] == by_b64

    # tx_search: by hash (CosmJS getTx), by height, by an event attribute.
    for query in (
        f"tx.hash='{tx_hash}'",
        f"tx.height={height}",
        f"message.sender='{ACCOUNTS[1].address}'",
        f"transfer.recipient='{recipient}' AND tx.height>={height}",
    ):
        found = result(rpc_url, "tx_search", {"query": query, "page": "1", "per_page": "30"})
        assert found["total_count"] == "1", query
        assert found["txs"][0] == by_b64
    assert result(rpc_url, "tx_search", {"query": "tx.height=1"}) == {
        "txs": [],
        "total_count": "0",
    }

    block = result(rpc_url, "block", {"height": str(height)})
    assert block["block"]["data"]["txs"] == [base64.b64encode(tx).decode()]
    results = result(rpc_url, "block_results", {"height": str(height)})
    assert results["txs_results"] == [committed["tx_result"]]


def test_broadcast_tx_sync_and_async_shapes(localnet: Localnet, rpc_url: str) -> None:
    bad = result(rpc_url, "broadcast_tx_sync", {"tx": base64.b64encode(b"garbage").decode()})
    assert type(bad["code"]) is int
    assert bad["code"] == 2  # tx parse error
    assert bad["codespace"] == "sdk"
    assert bad["hash"] == hashlib.sha256(b"garbage").hexdigest().upper()
    tx = signed_send(localnet.app, 3, ACCOUNTS[4].address, 10)
    synced = result(rpc_url, "broadcast_tx_sync", {"tx": base64.b64encode(tx).decode()})
    assert synced["code"] == 0
    assert synced["data"] == ""
    assert synced["hash"] == hashlib.sha256(tx).hexdigest().upper()
    deadline = time.monotonic() + 10
    while localnet.node.find_tx(synced["hash"]) is None and time.monotonic() < deadline:
        localnet.node.wait_for_height(localnet.app.last_height + 1, timeout=0.2)
    assert localnet.node.find_tx(synced["hash"]) is not None
    tx2 = signed_send(localnet.app, 3, ACCOUNTS[4].address, 10)
    queued = result(rpc_url, "broadcast_tx_async", {"tx": base64.b64encode(tx2).decode()})
    assert queued["code"] == 0
    assert queued["hash"] == hashlib.sha256(tx2).hexdigest().upper()


def test_one_tx_block_commit_latency(localnet: Localnet, rpc_url: str) -> None:
    """Reported, not asserted: broadcast_tx_commit of one signed tx, over HTTP."""
    timings = []
    for _ in range(15):
        tx = signed_send(localnet.app, 5, ACCOUNTS[6].address, 1)
        start = time.perf_counter()
        committed = result(rpc_url, "broadcast_tx_commit", {"tx": base64.b64encode(tx).decode()})
        timings.append(time.perf_counter() - start)
        assert committed["tx_result"]["code"] == 0
    timings.sort()
    print(f"\nbroadcast_tx_commit, one-tx block: median {timings[len(timings) // 2] * 1e3:.2f} ms")


# Time controls


def test_advance_time_of_three_days_ticks_three_day_epochs(
    localnet: Localnet, rpc_url: str
) -> None:
    def day_epoch() -> int:
        response = result(
            rpc_url,
            "abci_query",
            {
                "path": "/cosmos.epochs.v1beta1.Query/CurrentEpoch",
                "data": epochs_query.QueryCurrentEpochRequest(identifier="day")
                .SerializeToString()
                .hex(),
            },
        )["response"]
        answer = epochs_query.QueryCurrentEpochResponse()
        answer.ParseFromString(base64.b64decode(response["value"]))
        return int(answer.current_epoch)

    before_day, before_time = day_epoch(), localnet.app.last_time_ns
    before_height = localnet.app.last_height
    advanced = result(rpc_url, "advance_time", {"duration_in_seconds": 3 * 86_400})
    assert day_epoch() == before_day + 3
    assert localnet.app.last_time_ns - before_time >= 3 * 86_400 * NANOS
    assert advanced["caught_up"] is True
    # The hour timer needs one block per hour to catch up: 72 blocks, no more.
    blocks = int(advanced["blocks"])
    assert blocks == localnet.app.last_height - before_height
    assert 72 <= blocks <= 74  # a block per hour end before the target, one at it
    ctx = localnet.app.query_context()
    for info in localnet.app.epochs.all_epoch_infos(ctx):
        end = info.current_epoch_start_time.ToNanoseconds() + info.duration.seconds * NANOS
        assert end > localnet.app.last_time_ns, info.identifier
    # Nothing due: one block only.
    again = result(rpc_url, "advance_time", {"duration_in_seconds": "60"})
    assert again["blocks"] == "1"


def test_advance_blocks_commits_real_blocks(localnet: Localnet, rpc_url: str) -> None:
    start = localnet.app.last_height
    advanced = result(rpc_url, "advance_blocks", {"num_blocks": 5})
    assert advanced["height"] == str(start + 5)
    assert all(height in localnet.node.blocks for height in range(start, start + 6))
    assert result(rpc_url, "status")["sync_info"]["latest_block_height"] == str(start + 5)


def test_ten_thousand_idle_blocks(localnet: Localnet, rpc_url: str) -> None:
    """Reported, not asserted: advance_blocks 10,000 on an idle chain."""
    start_height = localnet.app.last_height
    start = time.perf_counter()
    advanced = result(rpc_url, "advance_blocks", {"num_blocks": 10_000})
    elapsed = time.perf_counter() - start
    assert advanced["height"] == str(start_height + 10_000)
    print(f"\nadvance_blocks 10,000 idle blocks: {elapsed:.2f} s ({elapsed / 10:.3f} ms/block)")
    # Queries still answer at once afterwards.
    assert result(rpc_url, "block")["block"]["header"]["height"] == str(start_height + 10_000)


def test_snapshot_and_revert(localnet: Localnet, rpc_url: str) -> None:
    if not callable(getattr(localnet.node, "snapshot", None)):
        pytest.skip("this Node has no snapshot()/revert() yet")
    taken = result(rpc_url, "snapshot")
    height = int(taken["height"])
    result(rpc_url, "advance_blocks", {"num_blocks": 3})
    assert localnet.app.last_height == height + 3
    reverted = result(rpc_url, "revert", {"id": taken["id"]})
    assert reverted["height"] == str(height)
    assert localnet.app.last_height == height
    assert result(rpc_url, "status")["sync_info"]["latest_block_height"] == str(height)
    unknown = call(rpc_url, "revert", {"id": 987654})
    assert unknown["error"]["code"] == -32603


# JSON-RPC errors


def test_json_rpc_errors_carry_cometbft_codes(rpc_url: str) -> None:
    status, reply = post_raw(rpc_url + "/", b"{not json")
    assert status == 500
    parse = json.loads(reply)
    assert parse["error"]["code"] == -32700
    assert parse["id"] is None
    assert call(rpc_url, "no_such_method")["error"] == {
        "code": -32601,
        "message": "Method not found",
        "data": "",
    }
    bad = call(rpc_url, "block", {"height": "tall"})["error"]
    assert bad["code"] == -32602
    assert bad["message"] == "Invalid params"
    huge = call(rpc_url, "block", {"height": 10**30})["error"]
    assert huge["code"] == -32602
    future = call(rpc_url, "block", {"height": 10**9})["error"]
    assert future["code"] == -32603
    assert "must be less than or equal to the current blockchain height" in future["data"]
    assert call(rpc_url, "advance_blocks", {"num_blocks": -1})["error"]["code"] == -32602
    assert call(rpc_url, "advance_time", {"duration_in_seconds": -5})["error"]["code"] == -32602
    assert call(rpc_url, "tx_search", {"query": "tx.height=="})["error"]["code"] == -32603
    missing = call(rpc_url, "tx", {"hash": "AA" * 32})["error"]
    assert missing["code"] == -32603
    assert "not found" in missing["data"]
    status, reply = post_raw(rpc_url + "/", json.dumps({"jsonrpc": "2.0", "id": 1}).encode())
    assert json.loads(reply)["error"]["code"] == -32600
    # Positional params and batches work; a notification gets no reply.
    assert result(rpc_url, "block", ["1"])["block"]["header"]["height"] == "1"
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "health"},
        {"jsonrpc": "2.0", "method": "health"},
        {"jsonrpc": "2.0", "id": "b", "method": "nope"},
    ]
    status, reply = post_raw(rpc_url + "/", json.dumps(batch).encode())
    replies = json.loads(reply)
    assert [r["id"] for r in replies] == [1, "b"]
    assert replies[0]["result"] == {}
    assert replies[1]["error"]["code"] == -32601
    status, _ = post_raw(rpc_url + "/", b"x" * 2_000_000)
    assert status == 413
    assert result(rpc_url, "health") == {}  # still serving


def test_the_query_language() -> None:
    conditions = parse_query("tx.height>=5 AND message.sender='akash1x' AND a.b CONTAINS 'z'")
    assert [(c.key, c.op) for c in conditions] == [
        ("tx.height", ">="),
        ("message.sender", "="),
        ("a.b", "CONTAINS"),
    ]
    assert conditions[0].holds(["7"])
    assert not conditions[0].holds(["4"])
    assert conditions[2].holds(["xyz"])
    assert parse_query("a.b EXISTS")[0].holds(["anything"])


# The parser never crashes


@pytest.fixture(scope="module")
def service() -> Iterator[RpcService]:
    net = fresh_localnet()
    try:
        yield RpcService(net.node)
    finally:
        net.stop()


SAFE_METHODS = [
    "health",
    "status",
    "abci_info",
    "abci_query",
    "block",
    "block_results",
    "block_search",
    "blockchain",
    "broadcast_tx_sync",
    "commit",
    "consensus_params",
    "header",
    "tx",
    "tx_search",
    "validators",
    "unconfirmed_txs",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
PARAM_NAMES = st.sampled_from(
    ["height", "path", "data", "prove", "tx", "hash", "query", "page", "per_page", "order_by"]
)
REQUESTS = st.fixed_dictionaries(
    {
        "jsonrpc": st.sampled_from(["2.0", "1.0", 2]),
        "id": st.integers()
        | st.text(max_size=5)
        | st.none()
        | st.booleans()
        | st.floats(allow_nan=False, allow_infinity=False),
        "method": st.sampled_from(SAFE_METHODS) | st.text(max_size=12) | st.integers(),
        "params": st.dictionaries(PARAM_NAMES, JSON, max_size=4)
        | st.lists(JSON, max_size=5)
        | JSON,
    }
)


def check_reply(reply: Any) -> None:
    json.dumps(reply, allow_nan=False)  # always serializable
    replies = reply if isinstance(reply, list) else [reply]
    for item in replies:
        assert item["jsonrpc"] == "2.0"
        assert ("result" in item) != ("error" in item)
        if "error" in item:
            assert item["error"]["code"] in (-32700, -32600, -32601, -32602, -32603)
            assert isinstance(item["error"]["data"], str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=200) | REQUESTS.map(lambda r: json.dumps(r).encode()))
def test_any_post_body_gets_a_json_rpc_reply(service: RpcService, body: bytes) -> None:
    status, reply = service.handle_post("/", body)
    assert status in (200, 500)
    if reply is not None and not isinstance(reply, str):
        check_reply(reply)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests=st.lists(REQUESTS, min_size=1, max_size=3))
def test_any_batch_gets_json_rpc_replies(service: RpcService, requests: list[JsonObject]) -> None:
    status, reply = service.handle_post("/", json.dumps(requests).encode())
    assert status == 200
    if reply is not None:
        assert isinstance(reply, list)
        check_reply(reply)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(SAFE_METHODS) | st.text(max_size=10),
    query=st.dictionaries(PARAM_NAMES, st.text(max_size=30), max_size=4).map(urllib.parse.urlencode)
    | st.text(max_size=60),
)
def test_any_uri_request_gets_a_reply(service: RpcService, method: str, query: str) -> None:
    status, reply = service.handle_get(f"/{urllib.parse.quote(method)}?{query}")
    assert status in (200, 404, 500)
    if isinstance(reply, dict):
        assert reply["id"] == -1
        check_reply(reply)


@given(st.text(max_size=80))
def test_any_query_text_parses_or_is_refused(text: str) -> None:
    try:
        parse_query(text)
    except RpcError as error:
        code = error.code
    else:
        code = 0
    assert code in (0, -32603)


# CosmJS itself


COSMJS_DIR = Path(os.environ.get("COSMJS_DIR", Path(tempfile.gettempdir()) / "cosmjs"))
COSMJS_SCRIPT = r"""
const { StargateClient, SigningStargateClient, GasPrice } = require("@cosmjs/stargate");
const { DirectSecp256k1HdWallet } = require("@cosmjs/proto-signing");
const [url, address, recipient, mnemonic, unknown] = process.argv.slice(2);
(async () => {
  const client = await StargateClient.connect(url);
  const out = {};
  out.chainId = await client.getChainId();
  out.height = await client.getHeight();
  out.balance = (await client.getBalance(address, "uakt")).amount;
  out.account = (await client.getAccount(address)).accountNumber;
  out.missing = await client.getAccount(unknown);
  out.block = (await client.getBlock()).header.height;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "akash" });
  const [signer] = await wallet.getAccounts();
  const signing = await SigningStargateClient.connectWithSigner(url, wallet, {
    broadcastPollIntervalMs: 100, gasPrice: GasPrice.fromString("0.025uakt"),
  });
  const fixed = { amount: [{ denom: "uakt", amount: "5000" }], gas: "200000" };
  const sent = await signing.sendTokens(signer.address, recipient,
    [{ denom: "uakt", amount: "777" }], fixed);
  out.code = sent.code;
  out.txHeight = sent.height;
  const auto = await signing.sendTokens(signer.address, recipient,
    [{ denom: "uakt", amount: "1" }], "auto");
  out.autoCode = auto.code;
  out.found = (await client.getTx(sent.transactionHash)).hash;
  out.hash = sent.transactionHash;
  out.recipient = (await client.getBalance(recipient, "uakt")).amount;
  console.log(JSON.stringify(out, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def cosmjs_modules() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed for the CosmJS interop test")
    if not (COSMJS_DIR / "node_modules" / "@cosmjs" / "stargate").is_dir():
        COSMJS_DIR.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "@cosmjs/stargate@0.39",
                    "@cosmjs/proto-signing@0.39",
                ],
                cwd=COSMJS_DIR,
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (subprocess.SubprocessError, OSError) as error:
            pytest.skip(f"cannot npm install @cosmjs/stargate into {COSMJS_DIR}: {error}")
    return COSMJS_DIR


def test_cosmjs_stargate_client_against_the_rpc(localnet: Localnet, rpc_url: str) -> None:
    directory = cosmjs_modules()
    script = directory / "localnet_check.js"
    script.write_text(COSMJS_SCRIPT)
    completed = subprocess.run(
        [
            "node",
            str(script),
            rpc_url,
            ACCOUNTS[1].address,
            ACCOUNTS[7].address,
            DEV_MNEMONIC,
            unknown_address(),
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    out = json.loads(completed.stdout.strip().splitlines()[-1])
    assert out["chainId"] == localnet.app.chain_id
    assert out["height"] >= 1
    assert out["balance"] == str(ACCOUNT_BALANCE)
    assert out["missing"] is None
    assert out["code"] == 0
    assert out["autoCode"] == 0
    assert out["found"] == out["hash"]
    assert int(out["recipient"]) == ACCOUNT_BALANCE + 778
