"""``incentivesd tx incentives`` against a localnet, a provider's story: governance creates and
funds a pro-rata pool, the provider registers nodes (in a shell) and joins, the feeder posts a
price, the attester attests, time travel finalizes the epoch, a ``--dry-run`` claim shows the
amount and changes nothing, someone else's claim is the chain's error, and the provider's claim
pays exactly the accrual. Also: fund-pool, set-redirect and malformed reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin

from chain.server.localnet import Localnet
from incentives.pb import query_pb2, tx_pb2, types_pb2
from incentives.types.keys import GOV_AUTHORITY
from incentivesd.client.client import Client
from incentivesd.tx_flow import message_json
from tests.cli.tx_support import ACCOUNTS, add_dev_keys, balance, fee_paid, invoke, shell, tx
from tests.cli.tx_support import tx_json as run_json

PROVIDER, OTHER, ATTESTER = ACCOUNTS[1].address, ACCOUNTS[2].address, ACCOUNTS[8].address
BUDGET = 10_000_000_000


def epoch(net: Localnet) -> tuple[int, int, int]:
    """(current day epoch, its start, duration in seconds), read from the node's state."""
    with net.node.lock:
        info = net.app.epochs.get_epoch_info(net.app.query_context(), "day")
    assert info is not None
    return (
        int(info.current_epoch),
        int(info.current_epoch_start_time.seconds),
        int(info.duration.seconds),
    )


def accruals(net: Localnet, provider: str) -> query_pb2.QueryAccrualsResponse:
    with Client(net.grpc_url) as client:
        request = query_pb2.QueryAccrualsRequest(provider=provider)
        response: query_pb2.QueryAccrualsResponse = client.call(client.incentives.Accruals, request)
        return response


def pool(net: Localnet) -> dict[str, str]:
    result = invoke("q", "incentives", "pool", "1", "--node", net.grpc_url, "-o", "json")
    assert result.exit_code == 0, result.output
    found: dict[str, str] = json.loads(result.stdout)["pool"]
    return found


def create_pool(net: Localnet, home: Path, current: int) -> None:
    create = tx_pb2.MsgCreatePool(
        authority=GOV_AUTHORITY,
        name="liquidity mining",
        rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
        admin=ATTESTER,
        attesters=[ATTESTER],
        attestation_quorum=1,
        eligibility=types_pb2.Eligibility(vendors=["VENDOR_NVIDIA"], min_vram_gb=24),
        pro_rata=types_pb2.ProRataConfig(emission_per_epoch="1000000000"),
        start_epoch=current,
        end_epoch=current + 5,
    )
    fund = tx_pb2.MsgFundPoolFromCommunityPool(
        authority=GOV_AUTHORITY,
        pool_id=1,
        amount=[Coin(denom="uakt", amount=str(BUDGET))],
    )
    document = {
        "messages": [message_json(create), message_json(fund)],
        "metadata": "",
        "deposit": "10000000uakt",
        "title": "Liquidity-mining pool",
        "summary": "Create a pro-rata pool and fund it from the community pool.",
        "expedited": False,
    }
    file = home / "proposal.json"
    file.write_text(json.dumps(document))
    run_json(net, home, "gov", "submit-proposal", str(file), "--from", "dev0")
    run_json(net, home, "gov", "vote", "1", "yes", "--from", "dev0")
    assert invoke("localnet", "advance-time", "21s", "--node", rpc(net)).exit_code == 0
    assert pool(net)["status"] == "POOL_STATUS_ACTIVE"


def rpc(net: Localnet) -> str:
    return f"http://127.0.0.1:{net.port_of('rpc')}"


def test_a_provider_registers_joins_and_claims(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 0, 1, 2, 8)
    current, start, duration = epoch(localnet)
    create_pool(localnet, tmp_path, current)

    done = shell(
        "tx", "incentives", "register-node", "gpu-1", "h100", "8", "--benchmark-score", "12000",
        "--from", "dev1", "--home", str(tmp_path), "--node", localnet.grpc_url, "-y",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "akash.incentives.v1.EventNodeRegistered" in done.stdout
    run_json(
        localnet,
        tmp_path,
        "incentives",
        "register-node",
        "gpu-2",
        "a100-80gb",
        "4",
        "--from",
        "dev1",
    )
    for node in ("gpu-1", "gpu-2"):
        run_json(localnet, tmp_path, "incentives", "join-pool", "1", node, "--from", "dev1")

    run_json(localnet, tmp_path, "incentives", "post-price", "2.51", "--from", "dev0")
    refused = tx(localnet, tmp_path, "incentives", "post-price", "2.51", "--from", "dev2")
    assert refused.exit_code == 1
    assert "codespace incentives" in refused.output

    reports = tmp_path / "reports.csv"
    reports.write_text("node_id,online_seconds,idle_seconds\ngpu-2,43200,0\n")
    run_json(
        localnet, tmp_path, "incentives", "attest", "1", str(current), "gpu-1=86400,3600",
        "--reports-file", str(reports), "--from", "dev8",
    )  # fmt: skip
    stranger = tx(
        localnet,
        tmp_path,
        "incentives",
        "attest",
        "1",
        str(current),
        "gpu-1=86400",
        "--from",
        "dev2",
    )
    assert stranger.exit_code == 1
    assert "codespace incentives" in stranger.output

    with localnet.node.lock:
        now = localnet.node.app.last_time_ns // 10**9
    travel = invoke(
        "localnet", "advance-time", f"{start + 2 * duration - now + 1}s", "--node", rpc(localnet)
    )
    assert travel.exit_code == 0, travel.output
    owed = accruals(localnet, PROVIDER)
    assert [(a.pool_id, a.epoch) for a in owed.accruals] == [(1, current)]
    total = int(owed.accruals[0].amount)
    # Both attested nodes are the provider's: it is owed the epoch's whole emission.
    assert total == 1_000_000_000

    before = balance(localnet, PROVIDER)
    dry = tx(localnet, tmp_path, "incentives", "claim-rewards", "--from", "dev1", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"would claim: {total}uakt (1 accruals)" in dry.output
    dry_json = run_json(
        localnet, tmp_path, "incentives", "claim-rewards", "--from", "dev1", "--dry-run"
    )
    assert dry_json["would_claim"]["total"] == f"{total}uakt"
    assert dry_json["would_claim"]["accruals"][0]["amount"] == total
    assert balance(localnet, PROVIDER) == before
    assert accruals(localnet, PROVIDER) == owed

    theft = tx(localnet, tmp_path, "incentives", "claim-rewards", "--from", "dev2")
    assert theft.exit_code == 1
    assert "the chain rejected the tx: codespace incentives" in theft.output
    assert "no rewards to claim" in theft.output
    assert "Traceback" not in theft.output

    claim = tx(
        localnet, tmp_path, "incentives", "claim-rewards", "--pool-id", "1", "--from", "dev1"
    )
    assert claim.exit_code == 0, claim.output
    assert f"claimed: {total}uakt (1 payments)" in claim.output
    assert list(accruals(localnet, PROVIDER).accruals) == []
    assert pool(localnet)["paid"] == str(total)
    (fee,) = [
        line.split()[2] for line in claim.output.splitlines() if line.split()[:2] == ["tx", "fee"]
    ]
    assert balance(localnet, PROVIDER) == before + total - int(fee.removesuffix("uakt"))

    funded = int(pool(localnet)["funded"])
    result = run_json(
        localnet, tmp_path, "incentives", "fund-pool", "1", "7000000uakt", "--from", "dev2"
    )
    assert int(pool(localnet)["funded"]) == funded + 7_000_000
    assert fee_paid(result) > 0
    run_json(localnet, tmp_path, "incentives", "set-redirect", "1", "2500", "--from", "dev0")
    with Client(localnet.grpc_url) as client:
        redirects = client.call(
            client.incentives.Redirects,
            query_pb2.QueryRedirectsRequest(delegator=ACCOUNTS[0].address),
        ).redirects
    assert [(r.pool_id, r.bps) for r in redirects] == [(1, 2500)]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("attest", "1", "1", "gpu-1"), "invalid report 'gpu-1'"),
        (("attest", "1", "1", "gpu-1=1,2,3,4"), "invalid report"),
        (("attest", "1", "1"), "give at least one report"),
        (("post-price", "-1"), "No such option"),
        (("post-price", "0.000"), "is not a positive decimal"),
        (("post-price", "1.5e3"), "is not a positive decimal"),
        (("set-redirect", "1", "10001"), "10001 is not in the range 0<=x<=10000"),
        (("fund-pool", "0", "1uakt"), "0 is not in the range x>=1"),
    ],
)
def test_malformed_incentives_input_is_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], reason: str
) -> None:
    result = invoke(
        "tx", "incentives", *args, "--from", "dev1", "--home", str(tmp_path),
        "--node", "grpc+http://127.0.0.1:1", "-y",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert reason in result.output


def test_a_malformed_reports_file(tmp_path: Path) -> None:
    reports = tmp_path / "reports.csv"
    for content, reason in [
        ("node,online\nx,1\n", "the header must be node_id,online_seconds,idle_seconds"),
        ("node_id,online_seconds,idle_seconds\ngpu-1,ten,0\n", "line 2"),
    ]:
        reports.write_text(content)
        result = invoke(
            "tx", "incentives", "attest", "1", "1", "--reports-file", str(reports),
            "--from", "dev1", "--home", str(tmp_path), "-y",
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert reason in result.output
