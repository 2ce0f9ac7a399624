"""The Msgs a budget becomes and the gov v1 ``submit-proposal`` file that carries them.

Target ``pools``: per pool a ``MsgCreatePool`` (rule, rates from the line items, eligibility,
admin, attesters, term), then per pool a ``MsgFundPoolFromCommunityPool`` of its allocation in
uakt, all signed by the gov module account. Target ``administrator``: one
``cosmos.distribution.v1beta1.MsgCommunityPoolSpend`` of the whole budget to a recipient (how
AEP-26 was paid, on a chain without the module). The file is the JSON that ``akash tx gov
submit-proposal`` reads: ``messages`` (each with ``@type`` and the proto field names),
``metadata``, ``deposit``, ``title``, ``summary``, ``expedited``.

Fails when (``ProposalFileError``, from ``parse_messages`` and ``submit_proposal_message``): a
message has no or an unknown ``@type`` or does not parse into its proto type; the deposit is not
a coin.
"""

from __future__ import annotations

import json
from typing import Any

from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import MsgCommunityPoolSpend
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgSubmitProposal
from google.protobuf import json_format
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from incentives.pb import tx_pb2, types_pb2
from incentives.types import keys
from incentivesd.budget.spec import (
    MICROS_PER_USD,
    AvailabilitySettings,
    Budget,
    PoolSpec,
    parse_coin,
)

DENOM = "uakt"
MESSAGE_TYPES: dict[str, type[Message]] = {
    "/" + kind.DESCRIPTOR.full_name: kind
    for kind in (
        tx_pb2.MsgCreatePool,
        tx_pb2.MsgFundPoolFromCommunityPool,
        tx_pb2.MsgClosePool,
        tx_pb2.MsgUpdateParams,
        MsgCommunityPoolSpend,
    )
}


class ProposalFileError(Exception):
    """A proposal file whose messages cannot be read back."""


def _eligibility(pool: PoolSpec) -> types_pb2.Eligibility:
    rules = pool.eligibility
    return types_pb2.Eligibility(
        vendors=[f"VENDOR_{vendor}" for vendor in rules.vendors],
        gpu_models=rules.gpu_models,
        min_vram_gb=rules.min_vram_gb,
        min_launch_year=rules.min_launch_year,
        max_nodes_per_provider=rules.max_nodes_per_provider,
    )


def create_pool_message(
    budget: Budget, pool: PoolSpec, start_epoch: int, authority: str = keys.GOV_AUTHORITY
) -> tx_pb2.MsgCreatePool:
    """The pool's ``MsgCreatePool``; PRO_RATA and AVAILABILITY emit ``funding // epochs`` per
    epoch (the remainder returns to the community pool when the pool closes)."""
    epochs = budget.schedule.epochs
    message = tx_pb2.MsgCreatePool(
        authority=authority,
        name=pool.name,
        rule=f"ALLOCATION_RULE_{pool.rule}",
        admin=budget.pool_admin(pool),
        attesters=budget.pool_attesters(pool),
        attestation_quorum=budget.pool_quorum(pool),
        eligibility=_eligibility(pool),
        start_epoch=start_epoch,
        end_epoch=start_epoch + epochs - 1,
    )
    emission = str(budget.pool_uakt(pool) // epochs)
    if pool.rule == "FIXED_RATE":
        message.fixed_rate.CopyFrom(
            types_pb2.FixedRateConfig(
                rates=[
                    types_pb2.ModelRate(
                        gpu_model=item.gpu_model,
                        usd_micros_per_gpu_hour=int(item.price_per_hour_usd * MICROS_PER_USD),
                        max_gpus=item.quantity,
                    )
                    for item in pool.line_items
                ],
                min_commitment_epochs=budget.min_commitment(pool),
            )
        )
    elif pool.rule == "PRO_RATA":
        message.pro_rata.CopyFrom(types_pb2.ProRataConfig(emission_per_epoch=emission))
    else:
        settings = pool.availability or AvailabilitySettings()
        message.availability.CopyFrom(
            types_pb2.AvailabilityConfig(
                emission_per_epoch=emission,
                weight_benchmark=settings.weight_benchmark,
                weight_vram=settings.weight_vram,
                weight_age=settings.weight_age,
                penalty_free_nodes=settings.penalty_free_nodes,
                penalty_decay=str(settings.penalty_decay),
                penalty_mode=f"PENALTY_MODE_{settings.penalty_mode}",
            )
        )
    return message


def pool_messages(
    budget: Budget, start_epoch: int, first_pool_id: int, authority: str = keys.GOV_AUTHORITY
) -> list[Message]:
    """Every ``MsgCreatePool``, then every ``MsgFundPoolFromCommunityPool`` (pool ids counted
    from ``first_pool_id`` in the spec's order)."""
    creates: list[Message] = [
        create_pool_message(budget, pool, start_epoch, authority) for pool in budget.pools
    ]
    funds: list[Message] = [
        tx_pb2.MsgFundPoolFromCommunityPool(
            authority=authority,
            pool_id=first_pool_id + index,
            amount=[Coin(denom=DENOM, amount=str(budget.pool_uakt(pool)))],
        )
        for index, pool in enumerate(budget.pools)
    ]
    return creates + funds


def spend_message(
    budget: Budget, recipient: str, authority: str = keys.GOV_AUTHORITY
) -> MsgCommunityPoolSpend:
    """One community-pool spend of the whole budget (``total_usd`` in uakt) to ``recipient``."""
    return MsgCommunityPoolSpend(
        authority=authority,
        recipient=recipient,
        amount=[Coin(denom=DENOM, amount=str(budget.uakt(budget.total_usd)))],
    )


def proposal_document(budget: Budget, messages: list[Message]) -> dict[str, Any]:
    """The gov v1 ``submit-proposal`` JSON document carrying ``messages``."""
    encoded = []
    for message in messages:
        body = json_format.MessageToDict(message, preserving_proto_field_name=True)
        encoded.append({"@type": "/" + message.DESCRIPTOR.full_name, **body})
    return {
        "messages": encoded,
        "metadata": budget.metadata,
        "deposit": budget.deposit,
        "title": budget.title,
        "summary": budget.summary,
        "expedited": budget.expedited,
    }


def document_text(document: dict[str, Any]) -> str:
    """The file's bytes: two-space JSON, keys in the document's order, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def submit_proposal_message(document: dict[str, Any], proposer: str) -> MsgSubmitProposal:
    """The ``MsgSubmitProposal`` that ``tx gov submit-proposal`` builds from the file."""
    try:
        amount, denom = parse_coin(str(document.get("deposit", "")))
    except ValueError as error:
        raise ProposalFileError(f"deposit: {error}") from None
    packed = []
    for message in parse_messages(document):
        wrapped = AnyPb()
        wrapped.Pack(message, type_url_prefix="/")
        packed.append(wrapped)
    return MsgSubmitProposal(
        messages=packed,
        initial_deposit=[Coin(denom=denom, amount=str(amount))],
        proposer=proposer,
        metadata=document.get("metadata", ""),
        title=document.get("title", ""),
        summary=document.get("summary", ""),
        expedited=bool(document.get("expedited", False)),
    )


def parse_messages(document: dict[str, Any]) -> list[Message]:
    """The proposal file's messages parsed back into their proto types."""
    messages = []
    for index, entry in enumerate(document.get("messages", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("@type"), str):
            raise ProposalFileError(f"messages[{index}] has no @type")
        kind = MESSAGE_TYPES.get(entry["@type"])
        if kind is None:
            raise ProposalFileError(f"messages[{index}]: unknown @type {entry['@type']}")
        body = {key: value for key, value in entry.items() if key != "@type"}
        try:
            messages.append(json_format.Parse(json.dumps(body), kind()))
        except json_format.ParseError as error:
            raise ProposalFileError(f"messages[{index}]: {error}") from None
    return messages
