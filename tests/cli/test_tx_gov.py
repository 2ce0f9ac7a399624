"""``incentivesd tx gov`` against a localnet: a community-pool spend proposal submitted from a
``proposal.json`` in a shell, topped up with a deposit, voted (plain and weighted) and passed by
time travel pays its recipient; malformed proposal files and votes fail with a message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import MsgCommunityPoolSpend

from chain.server.localnet import Localnet
from incentives.types.keys import GOV_AUTHORITY
from incentivesd.tx_gov_cli import read_proposal
from tests.cli.tx_support import ACCOUNTS, add_dev_keys, balance, invoke, shell, tx, tx_json

RECIPIENT = ACCOUNTS[3].address
SPEND = 5_000_000


def spend_proposal(deposit: str) -> dict[str, Any]:
    return {
        "messages": [
            {
                "@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
                "authority": GOV_AUTHORITY,
                "recipient": RECIPIENT,
                "amount": [{"denom": "uakt", "amount": str(SPEND)}],
            }
        ],
        "metadata": "ipfs://example",
        "deposit": deposit,
        "title": "Pay the pilot administrator",
        "summary": "A community-pool spend to the administrator's address.",
        "expedited": False,
    }


def proposal(net: Localnet, proposal_id: int) -> dict[str, Any]:
    result = invoke("q", "gov", "proposal", str(proposal_id), "--node", net.grpc_url, "-o", "json")
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)["proposal"]
    return found


def test_a_community_pool_spend_passes(localnet: Localnet, tmp_path: Path) -> None:
    add_dev_keys(tmp_path, 0, 1)
    file = tmp_path / "proposal.json"
    file.write_text(json.dumps(spend_proposal(deposit="4000000uakt"), indent=2))
    before = balance(localnet, RECIPIENT)

    done = shell(
        "tx", "gov", "submit-proposal", str(file), "--from", "dev0", "--home", str(tmp_path),
        "--node", localnet.grpc_url, "-y",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "proposal id: 1" in done.stdout.splitlines()
    assert proposal(localnet, 1)["status"] == "PROPOSAL_STATUS_DEPOSIT_PERIOD"

    tx_json(localnet, tmp_path, "gov", "deposit", "1", "6000000uakt", "--from", "dev1")
    submitted = proposal(localnet, 1)
    assert submitted["status"] == "PROPOSAL_STATUS_VOTING_PERIOD"
    assert submitted["total_deposit"] == [{"denom": "uakt", "amount": "10000000"}]
    assert submitted["messages"][0]["recipient"] == RECIPIENT

    tx_json(localnet, tmp_path, "gov", "vote", "1", "yes", "--from", "dev0")
    tx_json(localnet, tmp_path, "gov", "weighted-vote", "1", "yes=0.6,no=0.4", "--from", "dev1")
    rejected = tx(
        localnet, tmp_path, "gov", "weighted-vote", "1", "yes=0.6,no=0.5", "--from", "dev1"
    )
    assert rejected.exit_code == 1
    assert "codespace gov" in rejected.output
    assert "total weight overflow 1.00" in rejected.output

    rpc = f"http://127.0.0.1:{localnet.port_of('rpc')}"
    travel = invoke("localnet", "advance-time", "21s", "--node", rpc)
    assert travel.exit_code == 0, travel.output
    assert proposal(localnet, 1)["status"] == "PROPOSAL_STATUS_PASSED"
    assert balance(localnet, RECIPIENT) == before + SPEND

    late = tx(localnet, tmp_path, "gov", "vote", "1", "no", "--from", "dev1")
    assert late.exit_code == 1
    assert "codespace gov" in late.output


MALFORMED = [
    ("{not json", "not JSON"),
    ("[]", "expected a JSON object"),
    (json.dumps({**spend_proposal("1uakt"), "tittle": "x"}), "unknown field(s) tittle"),
    (json.dumps({**spend_proposal("1uakt"), "title": ""}), "title is missing or empty"),
    (json.dumps({**spend_proposal("1uakt"), "expedited": "no"}), "expedited must be a JSON bool"),
    (json.dumps({**spend_proposal("1uakt"), "deposit": "lots"}), "deposit: invalid coin 'lots'"),
    (
        json.dumps({**spend_proposal("1uakt"), "messages": [{"@type": "/cosmos.nope.MsgNope"}]}),
        "messages[0] (/cosmos.nope.MsgNope)",
    ),
    (
        json.dumps(
            {
                **spend_proposal("1uakt"),
                "messages": [
                    {"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": 5, "amount": []}
                ],
            }
        ),
        "messages[0] (/cosmos.bank.v1beta1.MsgSend)",
    ),
    (json.dumps({**spend_proposal("1uakt"), "messages": [{"authority": "x"}]}), "with an @type"),
]


@pytest.mark.parametrize(("content", "reason"), MALFORMED)
def test_a_malformed_proposal_file_is_a_usage_error(
    tmp_path: Path, content: str, reason: str
) -> None:
    add_dev_keys(tmp_path, 0)
    file = tmp_path / "proposal.json"
    file.write_text(content)
    result = invoke(
        "tx", "gov", "submit-proposal", str(file), "--from", "dev0", "--home", str(tmp_path),
        "--node", "grpc+http://127.0.0.1:1", "-y",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "Invalid value for 'FILE'" in result.output
    assert reason in result.output
    assert "Traceback" not in result.output


def test_malformed_votes_are_usage_errors(tmp_path: Path) -> None:
    node = ("--from", "dev0", "--home", str(tmp_path), "--node", "grpc+http://127.0.0.1:1", "-y")
    result = invoke("tx", "gov", "vote", "1", "maybe", *node)
    assert result.exit_code == 2
    assert "Invalid value for '{yes|no|abstain|no_with_veto}'" in result.output
    for weights, reason in [
        ("yes=0.5,maybe=0.5", "unknown vote option 'maybe'"),
        ("yes=0.5,yes=0.5", "vote option yes is repeated"),
        ("yes=1.5", "must be in (0, 1]"),
        ("yes=abc", "invalid weight 'abc'"),
        ("yes=NaN", "must be in (0, 1]"),
    ]:
        result = invoke("tx", "gov", "weighted-vote", "1", weights, *node)
        assert result.exit_code == 2, weights
        assert reason in result.output, weights
    result = invoke("tx", "gov", "deposit", "0", "1uakt", *node)
    assert result.exit_code == 2


def test_the_example_proposal_file_parses() -> None:
    example = Path(__file__).parents[2] / "localnet" / "examples" / "community-pool-spend.json"
    fields = read_proposal(example)
    (message,) = fields["messages"]
    spend = MsgCommunityPoolSpend()
    assert message.Unpack(spend)
    assert spend.authority == GOV_AUTHORITY
    assert spend.recipient == ACCOUNTS[1].address
    assert [(coin.denom, coin.amount) for coin in spend.amount] == [("uakt", "5000000000")]
    assert [(coin.denom, coin.amount) for coin in fields["initial_deposit"]] == [
        ("uakt", "10000000")
    ]
