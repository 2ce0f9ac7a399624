"""``incentivesd tx gov``: submit a gov v1 proposal from a ``proposal.json``, deposit, vote and
vote weighted (``cosmos.gov.v1``).

The proposal file is the one ``<chaind> tx gov submit-proposal`` reads: ``messages`` (each an
object with ``@type``, e.g. ``/cosmos.distribution.v1beta1.MsgCommunityPoolSpend``, and the
message's fields), ``metadata``, ``deposit`` (coins, may be empty), ``title``, ``summary`` and
``expedited``. Messages are parsed with protobuf's JSON parser against the descriptor pool, which
holds cosmpy's Cosmos SDK messages and ``akash.incentives.v1``.

Fails when: the proposal file is not JSON, has a missing, unknown or mistyped field, a message of
an unknown type or with a bad field, or a bad deposit; a vote option or weight is malformed
(usage errors, exit code 2); or as every tx does (``incentivesd.tx_flow``), e.g. a vote outside
the voting period or weights that do not sum to 1 are the chain's ``gov`` errors.
"""

from __future__ import annotations

import copy
import importlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import (
    MsgDeposit,
    MsgSubmitProposal,
    MsgVote,
    MsgVoteWeighted,
)
from google.protobuf import json_format
from google.protobuf.any_pb2 import Any as AnyPb

from incentivesd.client.client import TxResult
from incentivesd.tx_flow import TxOptions, submit, tx_options
from incentivesd.tx_params import COINS, parse_coins

# Modules whose messages a proposal may carry; importing them registers their descriptors.
_MESSAGE_MODULES = (
    "cosmpy.protos.cosmos.auth.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.bank.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.consensus.v1.tx_pb2",
    "cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.gov.v1.tx_pb2",
    "cosmpy.protos.cosmos.mint.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.slashing.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.staking.v1beta1.tx_pb2",
    "cosmpy.protos.cosmos.upgrade.v1beta1.tx_pb2",
    "incentives.pb.tx_pb2",
)
_FIELDS = {
    "messages": list,
    "metadata": str,
    "deposit": str,
    "title": str,
    "summary": str,
    "expedited": bool,
}
OPTIONS = {
    "yes": gov_pb2.VOTE_OPTION_YES,
    "no": gov_pb2.VOTE_OPTION_NO,
    "abstain": gov_pb2.VOTE_OPTION_ABSTAIN,
    "no_with_veto": gov_pb2.VOTE_OPTION_NO_WITH_VETO,
}


class ProposalFileError(ValueError):
    """The proposal file is malformed; the message names the field."""


def read_proposal(path: Path) -> dict[str, Any]:
    """The proposal file at ``path`` as ``MsgSubmitProposal`` fields (without the proposer)."""
    try:
        document = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as error:
        raise ProposalFileError(f"cannot read it: {error}") from None
    except json.JSONDecodeError as error:
        raise ProposalFileError(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise ProposalFileError("expected a JSON object")
    unknown = sorted(set(document) - set(_FIELDS))
    if unknown:
        raise ProposalFileError(f"unknown field(s) {', '.join(unknown)}")
    for field, kind in _FIELDS.items():
        if field in document and not isinstance(document[field], kind):
            raise ProposalFileError(f"{field} must be a JSON {kind.__name__}")
    for field in ("title", "summary"):
        if not document.get(field, "").strip():
            raise ProposalFileError(f"{field} is missing or empty")
    for module in _MESSAGE_MODULES:
        importlib.import_module(module)
    messages = []
    for index, entry in enumerate(document.get("messages", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("@type"), str):
            raise ProposalFileError(f"messages[{index}] must be an object with an @type")
        packed = AnyPb()
        try:
            json_format.ParseDict(copy.deepcopy(entry), packed)
        except json_format.ParseError as error:
            raise ProposalFileError(f"messages[{index}] ({entry['@type']}): {error}") from None
        messages.append(packed)
    deposit = document.get("deposit", "").strip()
    try:
        initial_deposit = parse_coins(deposit) if deposit else []
    except ValueError as error:
        raise ProposalFileError(f"deposit: {error}") from None
    return {
        "messages": messages,
        "initial_deposit": initial_deposit,
        "metadata": document.get("metadata", ""),
        "title": document["title"],
        "summary": document["summary"],
        "expedited": document.get("expedited", False),
    }


def parse_weighted_options(text: str) -> list[gov_pb2.WeightedVoteOption]:
    """``"yes=0.6,no=0.4"`` -> weighted options with 18-decimal weights; ``ValueError`` for an
    unknown option, a repeated one, or a weight that is not a decimal in (0, 1]."""
    options = []
    seen = set()
    for part in text.split(","):
        name, _, weight_text = part.strip().partition("=")
        name = name.strip().lower()
        if name not in OPTIONS:
            raise ValueError(f"unknown vote option {name!r} (one of {', '.join(OPTIONS)})")
        if name in seen:
            raise ValueError(f"vote option {name} is repeated")
        seen.add(name)
        try:
            weight = Decimal(weight_text.strip())
        except InvalidOperation:
            raise ValueError(f"invalid weight {weight_text!r} for {name}") from None
        if (
            not weight.is_finite()
            or not (0 < weight <= 1)
            or weight != weight.quantize(Decimal(10) ** -18)
        ):
            raise ValueError(f"weight {weight_text!r} of {name} must be in (0, 1], 18 decimals")
        options.append(gov_pb2.WeightedVoteOption(option=OPTIONS[name], weight=f"{weight:.18f}"))
    return options


def _proposal_id(result: TxResult) -> list[tuple[str, str]]:
    for event in result.events:
        value = event.attribute("proposal_id")
        if value is not None:
            return [("proposal id", value.strip('"'))]
    return []


@click.group("gov")
def gov_group() -> None:
    """Governance transactions (gov v1)."""


@gov_group.command("submit-proposal")
@click.argument("proposal_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@tx_options
def submit_proposal_command(proposal_file: Path, opts: TxOptions) -> None:
    """Submit the gov v1 proposal in FILE (proposal.json), with its deposit."""
    try:
        fields = read_proposal(proposal_file)
    except ProposalFileError as error:
        raise click.BadParameter(f"{proposal_file}: {error}", param_hint="'FILE'") from None
    submit(
        opts,
        lambda proposer: [MsgSubmitProposal(proposer=proposer, **fields)],
        highlights=_proposal_id,
    )


@gov_group.command("deposit")
@click.argument("proposal_id", metavar="ID", type=click.IntRange(min=1))
@click.argument("amount", type=COINS)
@tx_options
def deposit_command(proposal_id: int, amount: list[Any], opts: TxOptions) -> None:
    """Deposit AMOUNT on proposal ID."""
    submit(
        opts,
        lambda depositor: [MsgDeposit(proposal_id=proposal_id, depositor=depositor, amount=amount)],
    )


@gov_group.command("vote")
@click.argument("proposal_id", metavar="ID", type=click.IntRange(min=1))
@click.argument("option", type=click.Choice(list(OPTIONS), case_sensitive=False))
@click.option("--metadata", default="", help="Vote metadata (e.g. a justification URL).")
@tx_options
def vote_command(proposal_id: int, option: str, metadata: str, opts: TxOptions) -> None:
    """Vote OPTION on proposal ID."""
    submit(
        opts,
        lambda voter: [
            MsgVote(
                proposal_id=proposal_id,
                voter=voter,
                option=OPTIONS[option.lower()],
                metadata=metadata,
            )
        ],
    )


@gov_group.command("weighted-vote")
@click.argument("proposal_id", metavar="ID", type=click.IntRange(min=1))
@click.argument("weights", metavar="OPTIONS")
@click.option("--metadata", default="", help="Vote metadata (e.g. a justification URL).")
@tx_options
def weighted_vote_command(proposal_id: int, weights: str, metadata: str, opts: TxOptions) -> None:
    """Split a vote on proposal ID, e.g. OPTIONS yes=0.6,no=0.4 (weights sum to 1)."""
    try:
        options = parse_weighted_options(weights)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'OPTIONS'") from None
    submit(
        opts,
        lambda voter: [
            MsgVoteWeighted(
                proposal_id=proposal_id, voter=voter, options=options, metadata=metadata
            )
        ],
    )
