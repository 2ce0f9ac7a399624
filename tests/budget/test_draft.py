"""Drafting: the clean example's proposal file byte for byte, every message back through the
protobuf JSON parser, the administrator target and the forum summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import MsgCommunityPoolSpend
from google.protobuf import json_format

from incentives.pb import tx_pb2
from incentives.types import keys
from incentives.types.msgs import validate_basic
from incentivesd.budget.checks import run_checks
from incentivesd.budget.draft import DraftError, draft, summary_markdown
from incentivesd.budget.messages import (
    MESSAGE_TYPES,
    ProposalFileError,
    document_text,
    parse_messages,
)
from incentivesd.budget.spec import load_spec
from tests.budget.specs import AS_PROPOSED, PILOT, PROVIDER, varied

GOLDEN = Path(__file__).parent / "golden" / "aep26-pilot.proposal.json"


def test_the_clean_examples_proposal_file_is_stable_to_the_byte() -> None:
    assert document_text(draft(load_spec(PILOT)).document) == GOLDEN.read_text()


def test_the_proposal_file_has_the_submit_proposal_fields() -> None:
    document = json.loads(GOLDEN.read_text())
    assert list(document) == ["messages", "metadata", "deposit", "title", "summary", "expedited"]
    assert document["deposit"] == "10000000uakt"
    assert document["expedited"] is False
    assert [entry["@type"] for entry in document["messages"]] == [
        "/akash.incentives.v1.MsgCreatePool",
    ] * 3 + ["/akash.incentives.v1.MsgFundPoolFromCommunityPool"] * 3
    assert {entry["authority"] for entry in document["messages"]} == {keys.GOV_AUTHORITY}


@pytest.mark.parametrize("example", [PILOT, AS_PROPOSED])
def test_every_drafted_message_round_trips_through_the_protobuf_json_parser(
    example: Path,
) -> None:
    result = draft(load_spec(example), start_epoch=5, first_pool_id=3)
    document = json.loads(document_text(result.document))
    for entry, built in zip(document["messages"], result.messages, strict=True):
        kind = MESSAGE_TYPES[entry["@type"]]
        body = {key: value for key, value in entry.items() if key != "@type"}
        parsed = json_format.Parse(json.dumps(body), kind())
        assert parsed == built
        assert parsed.SerializeToString(deterministic=True) == built.SerializeToString(
            deterministic=True
        )
        validate_basic(parsed)
    assert parse_messages(document) == result.messages


def test_the_pool_messages_carry_the_specs_numbers() -> None:
    result = draft(load_spec(PILOT), start_epoch=5, first_pool_id=3)
    committed, liquidity, rnd, *funds = result.messages
    assert isinstance(committed, tx_pb2.MsgCreatePool)
    assert isinstance(liquidity, tx_pb2.MsgCreatePool)
    assert isinstance(rnd, tx_pb2.MsgCreatePool)
    assert (committed.start_epoch, committed.end_epoch) == (5, 124)
    rates = [
        (r.gpu_model, r.usd_micros_per_gpu_hour, r.max_gpus) for r in committed.fixed_rate.rates
    ]
    assert rates == [
        ("h100", 2_490_000, 16),
        ("a100-80gb", 1_690_000, 16),
        ("rtxa6000", 980_000, 8),
    ]
    assert committed.fixed_rate.min_commitment_epochs == 120
    assert liquidity.pro_rata.emission_per_epoch == "500000000"
    assert list(liquidity.eligibility.vendors) == [1]
    assert liquidity.eligibility.min_vram_gb == 24
    assert rnd.availability.emission_per_epoch == "350000000"
    assert rnd.availability.penalty_decay == "0.65"
    assert rnd.eligibility.min_launch_year == 2024
    assert [(f.pool_id, f.amount[0].amount) for f in funds] == [
        (3, "86077440000"),
        (4, "60000000000"),
        (5, "42000000000"),
    ]


def test_the_administrator_target_is_one_community_pool_spend_of_the_whole_budget() -> None:
    budget = load_spec(AS_PROPOSED)
    result = draft(budget, "administrator", recipient=PROVIDER)
    (spend,) = result.messages
    assert spend == MsgCommunityPoolSpend(
        authority=keys.GOV_AUTHORITY,
        recipient=PROVIDER,
        amount=[{"denom": "uakt", "amount": "2000000000000"}],
    )
    document = json.loads(document_text(result.document))
    assert document["messages"][0]["@type"] == "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend"
    assert parse_messages(document) == [spend]
    assert result.findings == run_checks(budget, target="administrator")
    summary = summary_markdown(result)
    assert f"one community-pool spend to the administrator `{PROVIDER}`" in summary
    assert "2000000000000uakt to" in summary


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"target": "administrator"}, "needs --recipient"),
        ({"target": "administrator", "recipient": "akash1nope"}, "is not an akash1... address"),
    ],
)
def test_the_administrator_target_needs_a_valid_recipient(
    kwargs: dict[str, Any], expected: str
) -> None:
    with pytest.raises(DraftError, match=expected):
        draft(load_spec(PILOT), **kwargs)


def test_a_start_epoch_of_next_or_an_unknown_pool_id_needs_a_chain_or_an_option() -> None:
    later = varied(lambda data: data["schedule"].update(start_epoch="next"))
    with pytest.raises(DraftError, match="start_epoch is 'next'"):
        draft(later)
    assert draft(later, start_epoch=9).budget.schedule.start_epoch == 9
    unnumbered = varied(lambda data: data.pop("first_pool_id"))
    with pytest.raises(DraftError, match="first pool id is unknown"):
        draft(unnumbered)
    assert draft(unnumbered, first_pool_id=7).messages[3].pool_id == 7  # type: ignore[attr-defined]


def test_the_summary_shows_pools_line_items_and_findings() -> None:
    summary = summary_markdown(draft(load_spec(AS_PROPOSED), start_epoch=2, first_pool_id=1))
    assert summary.startswith("# Provider Incentives Pilot (AEP-26, as proposed)\n")
    assert "| committed | H100 | $2.49 | 83 | 2880 | $595,209.60 | $1,800,000.00 |" in summary
    assert "| committed | committed | FIXED_RATE | $3,500,000.00 | 70.00% | 40% |" in summary
    assert "| error | `pools[1].allocation_percent` | pool 'liquidity': stated 40.00%" in summary
    assert (
        "4. `/akash.incentives.v1.MsgFundPoolFromCommunityPool` pool 1: 1400000000000uakt"
        in summary
    )
    clean = summary_markdown(draft(load_spec(PILOT)))
    assert "None: every stated number matches the computed one." in clean


def test_a_proposal_file_with_an_unknown_or_malformed_message_is_refused() -> None:
    with pytest.raises(ProposalFileError, match="unknown @type"):
        parse_messages({"messages": [{"@type": "/cosmos.bank.v1beta1.MsgBurn"}]})
    with pytest.raises(ProposalFileError, match=r"messages\[0\]"):
        parse_messages(
            {"messages": [{"@type": "/akash.incentives.v1.MsgClosePool", "pool_id": "x"}]}
        )
