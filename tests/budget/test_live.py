"""Live checks and drafts against a localnet started by the test: the chain's deposit minimum,
community pool, epoch and pool ids feed the findings, and a drafted file's messages pass
governance and execute."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2 import QueryCommunityPoolRequest
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryProposalRequest
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgVote

from chain.devnet import DEV_MNEMONIC
from chain.server.localnet import Localnet
from incentives.pb import query_pb2
from incentivesd.budget.chain_facts import dec_int, fetch_chain_facts
from incentivesd.budget.messages import submit_proposal_message
from incentivesd.cli import main
from incentivesd.client.client import Client, wallet_from_mnemonic
from tests.budget.specs import PILOT, PROVIDER, pilot_data


def _write(tmp_path: Path, change: Any) -> Path:
    data = pilot_data()
    change(data)
    path = tmp_path / "budget.yaml"
    path.write_text(json.dumps(data, default=str))  # JSON is YAML; Decimals as their text
    return path


def _check(localnet: Localnet, path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(
        main, ["budget", "check", str(path), "--node", localnet.grpc_url, "-o", "json", *extra]
    )
    return result.exit_code, json.loads(result.output)


def _pass(localnet: Localnet, client: Client, document: dict[str, Any]) -> int:
    wallet = wallet_from_mnemonic(DEV_MNEMONIC, 0)
    proposer = str(wallet.address())
    result = client.broadcast([submit_proposal_message(document, proposer)], wallet)
    proposal_id = int(next(value for e in result.events if (value := e.attribute("proposal_id"))))
    vote = MsgVote(proposal_id=proposal_id, voter=proposer, option=gov_pb2.VOTE_OPTION_YES)
    client.broadcast([vote], wallet)
    localnet.node.advance(seconds=21)
    proposal = client.call(client.gov.Proposal, QueryProposalRequest(proposal_id=proposal_id))
    assert proposal.proposal.status == gov_pb2.PROPOSAL_STATUS_PASSED, proposal.proposal
    return proposal_id


def test_the_clean_example_passes_the_live_checks(localnet: Localnet) -> None:
    code, report = _check(localnet, PILOT)
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0), report
    with Client(localnet.grpc_url) as client:
        facts = fetch_chain_facts(client)
    assert facts.min_deposit == {"uakt": 10_000_000}
    assert facts.community_pool["uakt"] == 10_000_000 * 10**6
    assert facts.incentives is not None
    assert (facts.incentives.next_pool_id, facts.incentives.epoch_seconds) == (1, 86_400)


def test_live_findings_use_the_chains_numbers(localnet: Localnet, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["akt_usd"] = "0.01"  # 47,019,360 AKT: more than the community pool holds
        data["deposit"] = "5000000uakt"
        data["first_pool_id"] = 2
        data["schedule"]["start_epoch"] = 1
        data["schedule"]["epoch_length"] = "2d"
        data["schedule"]["epochs"] = 60

    code, report = _check(localnet, _write(tmp_path, change))
    assert code == 1
    found = {finding["code"]: finding for finding in report["findings"]}
    assert sorted(found) == ["community-pool", "deposit", "epoch-length", "pool-ids", "start-epoch"]
    assert found["community-pool"]["stated"] == "47019360000000uakt"
    assert found["community-pool"]["computed"] == "10000000000000uakt"
    assert found["deposit"]["severity"] == "warning"
    assert found["deposit"]["computed"] == "10000000uakt"
    assert (found["epoch-length"]["stated"], found["epoch-length"]["computed"]) == (
        "172800",
        "86400",
    )
    assert found["pool-ids"]["computed"] == "1"
    assert found["start-epoch"]["severity"] == "warning"  # epoch 1 is under way


def test_a_draft_with_node_resolves_next_and_its_messages_create_and_fund_the_pools(
    localnet: Localnet, tmp_path: Path
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["schedule"]["start_epoch"] = "next"
        del data["first_pool_id"]

    out = tmp_path / "proposal.json"
    result = CliRunner().invoke(
        main,
        [
            "budget",
            "draft",
            str(_write(tmp_path, change)),
            "-o",
            str(out),
            "--node",
            localnet.grpc_url,
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["messages"][0]["start_epoch"] == "2"
    assert [m.get("pool_id") for m in document["messages"][3:]] == ["1", "2", "3"]
    with Client(localnet.grpc_url) as client:
        before = client.call(client.distribution.CommunityPool, QueryCommunityPoolRequest())
        _pass(localnet, client, document)
        pools = client.call(client.incentives.Pools, query_pb2.QueryPoolsRequest()).pools
        after = client.call(client.distribution.CommunityPool, QueryCommunityPoolRequest())
    assert [(pool.id, pool.name, pool.funded) for pool in pools] == [
        (1, "committed", "86077440000"),
        (2, "liquidity mining", "60000000000"),
        (3, "next-gen R&D", "42000000000"),
    ]
    spent = dec_int(before.pool[0].amount) - dec_int(after.pool[0].amount)
    # Fees and inflation flow back into the community pool meanwhile.
    assert 188_077_440_000 - 10**8 < spent <= 188_077_440_000


def test_an_administrator_draft_pays_the_recipient(localnet: Localnet, tmp_path: Path) -> None:
    out = tmp_path / "spend.json"
    result = CliRunner().invoke(
        main,
        [
            "budget",
            "draft",
            str(PILOT),
            "-o",
            str(out),
            "--target",
            "administrator",
            "--recipient",
            PROVIDER,
            "--node",
            localnet.grpc_url,
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    with Client(localnet.grpc_url) as client:
        before = client.bank_balance(PROVIDER)
        _pass(localnet, client, document)
        assert client.bank_balance(PROVIDER) - before == 188_077_440_000
