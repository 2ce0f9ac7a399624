"""The REST gateway over a real loopback socket: grpc-gateway paths read from the descriptors'
``google.api.http`` options, proto JSON as the SDK's gateway writes it, the gateway's error
shape, txs, and cosmpy, unmodified, in REST mode."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from cosmpy.aerial.client import LedgerClient, NetworkConfig
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import Tx
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.devnet import ACCOUNT_BALANCE
from chain.server.localnet import Localnet
from chain.server.rest import RestService, compile_template
from tests.conftest import fresh_localnet
from tests.server.test_rpc import ACCOUNTS, signed_send

JsonObject = dict[str, Any]


@pytest.fixture
def rest_url(localnet: Localnet) -> str:
    return f"http://127.0.0.1:{localnet.port_of('api')}"


def request(
    url: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, JsonObject, dict[str, str]]:
    data = None if body is None else json.dumps(body).encode()
    sent = urllib.request.Request(url, data=data, headers=headers or {})
    if data is not None:
        sent.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(sent, timeout=30) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def get_ok(url: str) -> JsonObject:
    status, reply, _ = request(url)
    assert status == 200, reply
    return reply


def test_templates_compile_to_anchored_patterns() -> None:
    pattern, variables = compile_template("/cosmos/bank/v1beta1/denoms_metadata/{denom=**}")
    assert variables == ("denom",)
    match = pattern.fullmatch("/cosmos/bank/v1beta1/denoms_metadata/ibc/ABC")
    assert match is not None
    assert match.group(1) == "ibc/ABC"
    pattern, variables = compile_template("/a/{x}/b/{y.z}")
    assert variables == ("x", "y.z")
    assert pattern.fullmatch("/a/1/b/2") is not None
    assert pattern.fullmatch("/a/1/2/b/3") is None


def test_bank_auth_and_block_paths(localnet: Localnet, rest_url: str) -> None:
    address = ACCOUNTS[1].address
    balances = get_ok(f"{rest_url}/cosmos/bank/v1beta1/balances/{address}")
    assert balances["balances"] == [{"denom": "uakt", "amount": str(ACCOUNT_BALANCE)}]
    assert balances["pagination"]["next_key"] in ("", None)  # cosmpy pages until empty
    one = get_ok(f"{rest_url}/cosmos/bank/v1beta1/balances/{address}/by_denom?denom=uakt")
    assert one == {"balance": {"denom": "uakt", "amount": str(ACCOUNT_BALANCE)}}
    paged = get_ok(
        f"{rest_url}/cosmos/bank/v1beta1/balances/{address}"
        "?pagination.limit=1&pagination.countTotal=true"
    )
    assert paged["pagination"]["total"] == "1"
    account = get_ok(f"{rest_url}/cosmos/auth/v1beta1/accounts/{address}")["account"]
    assert account["@type"] == "/cosmos.auth.v1beta1.BaseAccount"
    assert account["account_number"].isdigit()  # uint64 as a string, snake_case
    assert account["sequence"] == "0"
    # A literal path wins over a template: blocks/latest is not blocks/{height}.
    latest = get_ok(f"{rest_url}/cosmos/base/tendermint/v1beta1/blocks/latest")
    assert latest["block"]["header"]["height"] == str(localnet.app.last_height)
    first = get_ok(f"{rest_url}/cosmos/base/tendermint/v1beta1/blocks/1")
    assert first["block"]["header"]["height"] == "1"
    assert get_ok(f"{rest_url}/cosmos/base/tendermint/v1beta1/node_info")["application_version"][
        "cosmos_sdk_version"
    ]
    params = get_ok(f"{rest_url}/cosmos/gov/v1/params/voting")
    assert params["params"]["voting_period"] == "20s"
    proposals = get_ok(
        f"{rest_url}/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_UNSPECIFIED"
    )
    assert proposals["proposals"] == []
    assert get_ok(f"{rest_url}/cosmos/distribution/v1beta1/community_pool")["pool"]
    epoch = get_ok(f"{rest_url}/cosmos/epochs/v1beta1/current_epoch?identifier=day")
    assert epoch == {"current_epoch": "1"}
    assert get_ok(f"{rest_url}/cosmos/consensus/v1/params")["params"]["block"]["max_gas"]
    assert get_ok(f"{rest_url}/akash/incentives/v1/params")["params"]
    # Probed by wallets: a default, not a 404.
    assert get_ok(f"{rest_url}/cosmos/upgrade/v1beta1/current_plan") == {}


def test_errors_have_the_gateway_shape(rest_url: str) -> None:
    status, reply, _ = request(f"{rest_url}/cosmos/nothing/here")
    assert status == 404
    assert reply == {"code": 5, "message": "Not Found", "details": []}
    status, reply, _ = request(f"{rest_url}/cosmos/base/tendermint/v1beta1/blocks/tall")
    assert status == 400
    assert reply["code"] == 3
    status, reply, _ = request(f"{rest_url}/cosmos/tx/v1beta1/txs/{'AB' * 32}")
    assert status == 404
    assert reply["code"] == 5
    assert "tx" in reply["message"]
    assert "not found" in reply["message"]  # what cosmpy's REST poller looks for
    assert reply["details"] == []
    status, reply, _ = request(f"{rest_url}/cosmos/epochs/v1beta1/current_epoch?identifier=year")
    assert status == 404
    status, reply, _ = request(f"{rest_url}/cosmos/tx/v1beta1/simulate", body=[1, 2])
    assert status == 400
    assert reply["code"] == 3
    status, reply, _ = request(f"{rest_url}/cosmos/bank/v1beta1/params", body={})
    assert status == 501  # a GET path POSTed


def test_broadcast_get_tx_simulate_and_search(localnet: Localnet, rest_url: str) -> None:
    simulated_tx = signed_send(localnet.app, 1, ACCOUNTS[2].address, 99)
    status, simulated, _ = request(
        f"{rest_url}/cosmos/tx/v1beta1/simulate",
        body={"tx_bytes": base64.b64encode(simulated_tx).decode()},
    )
    assert status == 200, simulated
    assert int(simulated["gas_info"]["gas_used"]) > 0
    decoded = Tx()
    decoded.ParseFromString(simulated_tx)
    status, as_json, _ = request(
        f"{rest_url}/cosmos/tx/v1beta1/simulate", body={"tx": json_format.MessageToDict(decoded)}
    )
    assert status == 200, as_json
    assert as_json["gas_info"]["gas_used"] == simulated["gas_info"]["gas_used"]

    tx = simulated_tx
    tx_hash = hashlib.sha256(tx).hexdigest().upper()
    status, broadcast, _ = request(
        f"{rest_url}/cosmos/tx/v1beta1/txs",
        body={"txBytes": base64.b64encode(tx).decode(), "mode": "BROADCAST_MODE_SYNC"},
    )
    assert status == 200, broadcast
    assert broadcast["tx_response"]["txhash"] == tx_hash
    assert broadcast["tx_response"]["code"] == 0
    found = None
    for _ in range(100):
        status, found, _ = request(f"{rest_url}/cosmos/tx/v1beta1/txs/{tx_hash}")
        if status == 200:
            break
        localnet.node.wait_for_height(localnet.app.last_height + 1, timeout=0.1)
    assert status == 200, found
    assert found is not None
    # Both "tx" and a snake_case "tx_response" with its own "tx", as cosmpy's REST client reads.
    assert found["tx"]["body"]["messages"][0]["@type"] == "/cosmos.bank.v1beta1.MsgSend"
    response = found["tx_response"]
    assert response["tx"]["body"]["messages"][0]["amount"] == [{"denom": "uakt", "amount": "99"}]
    assert response["tx"]["@type"] == "/cosmos.tx.v1beta1.Tx"
    assert response["txhash"] == tx_hash
    assert response["code"] == 0
    assert response["height"].isdigit()
    assert response["timestamp"].endswith("Z")
    assert any(event["type"] == "transfer" for event in response["events"])

    query = urllib.parse.quote(f"message.sender='{ACCOUNTS[1].address}'")
    search = get_ok(f"{rest_url}/cosmos/tx/v1beta1/txs?query={query}")
    assert search["total"] == "1"
    assert search["tx_responses"][0]["txhash"] == tx_hash
    events = urllib.parse.quote(f"tx.height={response['height']}")
    assert get_ok(f"{rest_url}/cosmos/tx/v1beta1/txs?events={events}")["total"] == "1"
    block = get_ok(f"{rest_url}/cosmos/tx/v1beta1/txs/block/{response['height']}")
    assert len(block["txs"]) == 1
    assert block["block"]["header"]["height"] == response["height"]


def test_a_past_height_through_the_height_header(localnet: Localnet, rest_url: str) -> None:
    if not callable(getattr(localnet.node, "query_at", None)):
        pytest.skip("this Node has no query_at() (no history) yet")
    address = ACCOUNTS[1].address
    before = localnet.app.last_height
    localnet.node.broadcast(signed_send(localnet.app, 1, ACCOUNTS[2].address, 1000))
    assert localnet.node.wait_for_height(before + 1)
    url = f"{rest_url}/cosmos/bank/v1beta1/balances/{address}/by_denom?denom=uakt"
    status, now, headers = request(url)
    assert status == 200
    assert int(headers["x-cosmos-block-height"]) >= before + 1
    status, then, _ = request(url, headers={"x-cosmos-block-height": str(before)})
    assert status == 200, then
    assert then["balance"]["amount"] == str(ACCOUNT_BALANCE)
    assert int(now["balance"]["amount"]) < ACCOUNT_BALANCE


def test_cosmpy_in_rest_mode(localnet: Localnet, rest_url: str) -> None:
    config = NetworkConfig(
        chain_id=localnet.app.chain_id,
        url=f"rest+{rest_url}",
        fee_minimum_gas_price=0.025,
        fee_denomination="uakt",
        staking_denomination="uakt",
    )
    client = LedgerClient(config, query_interval_secs=0.05, query_timeout_secs=10)
    assert client.query_bank_balance(ACCOUNTS[1].address, "uakt") == ACCOUNT_BALANCE
    assert client.query_height() == localnet.app.last_height
    recipient = ACCOUNTS[3].address
    before = client.query_bank_balance(recipient, "uakt")
    sender = LocalWallet(PrivateKey(ACCOUNTS[1].private_key), prefix="akash")
    submitted = client.send_tokens(recipient, 2_468, "uakt", sender)  # simulated gas
    submitted.wait_to_complete()
    assert submitted.response is not None
    assert submitted.response.code == 0
    assert client.query_bank_balance(recipient, "uakt") == before + 2_468
    assert client.query_account(ACCOUNTS[1].address).sequence == 1
    assert localnet.app.invariants() == []


# Nothing a client sends takes the gateway down


@pytest.fixture(scope="module")
def service() -> Iterator[RestService]:
    net = fresh_localnet()
    try:
        yield RestService(net.node)
    finally:
        net.stop()


SEGMENTS = st.sampled_from(
    [
        "cosmos",
        "bank",
        "v1beta1",
        "balances",
        ACCOUNTS[1].address,
        "by_denom",
        "tx",
        "txs",
        "blocks",
        "latest",
        "1",
        "-5",
        "99999999999999999999999",
        "gov",
        "v1",
        "proposals",
        "%2F",
        "akash",
        "incentives",
        "pools",
    ]
) | st.text(max_size=8)
QUERY = st.dictionaries(
    st.sampled_from(
        ["denom", "pagination.limit", "pagination.key", "pagination.countTotal", "query", "x.y"]
    ),
    st.text(max_size=12) | st.sampled_from(["-1", "true", "99999999999999999999999", "AA=="]),
    max_size=3,
).map(urllib.parse.urlencode)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    verb=st.sampled_from(["GET", "POST"]),
    segments=st.lists(SEGMENTS, max_size=7),
    query=QUERY,
    body=st.binary(max_size=60)
    | st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8)).map(
        lambda d: json.dumps(d).encode()
    ),
)
def test_any_request_gets_a_gateway_reply(
    service: RestService, verb: str, segments: list[str], query: str, body: bytes
) -> None:
    target = "/" + "/".join(urllib.parse.quote(s, safe="%") for s in segments) + "?" + query
    status, reply = service.handle(verb, target, body, {})
    json.dumps(reply, allow_nan=False)
    if status != 200:
        assert set(reply) == {"code", "message", "details"}
        assert status != 500, reply  # no internal errors from client input
