"""Drafting a budget: the resolved budget, its Msgs, its findings, the ``proposal.json`` document
and the Markdown summary for the forum post.

The start epoch ``next`` becomes the epoch after the one in which the proposal would execute
(block time plus the voting period, from the chain); the first pool id comes from the option,
the spec or the chain, in that order.

Fails when (``DraftError``): the start epoch is ``next`` or the first pool id is unknown and no
chain (or a chain without the incentives module) answers; the administrator target has no
recipient or an invalid one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from google.protobuf.message import Message

from chain.sdk.address import decode_canonical_address
from chain.sdk.errors import SdkError
from incentivesd.budget.chain_facts import ChainFacts
from incentivesd.budget.checks import Finding, Target, execution_epoch, run_checks, spend_uakt, usd
from incentivesd.budget.messages import DENOM, pool_messages, proposal_document, spend_message
from incentivesd.budget.spec import UAKT_PER_AKT, AvailabilitySettings, Budget, rescheduled


class DraftError(Exception):
    """A budget that cannot be turned into messages with what is known."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted proposal and everything its summary shows."""

    budget: Budget
    target: Target
    recipient: str | None
    messages: list[Message]
    document: dict[str, Any]
    findings: list[Finding]


def resolve(
    budget: Budget,
    facts: ChainFacts | None,
    start_epoch: int | None = None,
    first_pool_id: int | None = None,
) -> Budget:
    """``budget`` with a numeric start epoch and first pool id."""
    live = facts.incentives if facts is not None else None
    start = start_epoch
    if start is None and isinstance(budget.schedule.start_epoch, int):
        start = budget.schedule.start_epoch
    if start is None:
        if facts is None or live is None:
            raise DraftError(
                "schedule.start_epoch is 'next': give --start-epoch N or --node of a chain with "
                "the incentives module"
            )
        start = execution_epoch(budget, facts) + 1
    first = first_pool_id or budget.first_pool_id
    if first is None:
        if live is None:
            raise DraftError(
                "the first pool id is unknown: set first_pool_id, give --first-pool-id N or "
                "--node of a chain with the incentives module"
            )
        first = live.next_pool_id
    return rescheduled(budget, start_epoch=start, first_pool_id=first)


def draft(
    budget: Budget,
    target: Target = "pools",
    facts: ChainFacts | None = None,
    recipient: str | None = None,
    start_epoch: int | None = None,
    first_pool_id: int | None = None,
) -> Draft:
    """The proposal for ``budget``: pools created and funded by the module, or one
    community-pool spend to ``recipient``."""
    messages: list[Message]
    if target == "pools":
        budget = resolve(budget, facts, start_epoch, first_pool_id)
        assert isinstance(budget.schedule.start_epoch, int)
        assert budget.first_pool_id is not None
        messages = pool_messages(budget, budget.schedule.start_epoch, budget.first_pool_id)
    else:
        if not recipient:
            raise DraftError("--target administrator needs --recipient ADDRESS")
        try:
            decode_canonical_address(recipient)
        except SdkError as error:
            raise DraftError(
                f"--recipient {recipient!r} is not an akash1... address: {error}"
            ) from None
        messages = [spend_message(budget, recipient)]
    findings = run_checks(budget, facts, target)
    return Draft(budget, target, recipient, messages, proposal_document(budget, messages), findings)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _akt(uakt: int) -> str:
    return f"{Decimal(uakt) / UAKT_PER_AKT:,.6f}".rstrip("0").rstrip(".") + " AKT"


def summary_markdown(result: Draft) -> str:
    """The forum post: totals, pools, line items, settings, messages, findings."""
    budget = result.budget
    spend = spend_uakt(budget, result.target)
    schedule = budget.schedule
    lines = [f"# {budget.title}", "", budget.summary.strip(), "", "## Budget", ""]
    if isinstance(schedule.start_epoch, int):
        term = f"epochs {schedule.start_epoch}..{schedule.start_epoch + schedule.epochs - 1}"
    else:
        term = f"{schedule.epochs} epochs from the next one"
    how = (
        "pools created and funded from the community pool by the incentives module"
        if result.target == "pools"
        else f"one community-pool spend to the administrator `{result.recipient}`"
    )
    lines += _table(
        ["item", "value"],
        [
            ["total", f"{usd(budget.total_usd)} ({_akt(budget.uakt(budget.total_usd))})"],
            ["AKT/USD price for conversion", usd(budget.akt_usd)],
            ["spend from the community pool", f"{spend} {DENOM} ({_akt(spend)})"],
            [
                "duration",
                f"{budget.duration_days} days: {term} of {schedule.epoch_length} s",
            ],
            ["paid as", how],
            ["deposit", budget.deposit + (" (expedited)" if budget.expedited else "")],
        ],
    )
    lines += ["", "## Pools", ""]
    total = Fraction(budget.total_usd)
    pool_rows: list[list[object]] = []
    for pool in budget.pools:
        allocated = budget.pool_usd(pool)
        share = Fraction(allocated) * 100 / total
        stated = f"{pool.allocation_percent}%" if pool.allocation_percent is not None else "-"
        pool_rows.append(
            [
                pool.kind,
                pool.name,
                pool.rule,
                usd(allocated),
                f"{Decimal(share.numerator) / Decimal(share.denominator):.2f}%",
                stated,
                budget.pool_uakt(pool),
                budget.pool_uakt(pool) // schedule.epochs,
            ]
        )
    lines += _table(
        [
            "kind",
            "name",
            "rule",
            "allocation",
            "share",
            "stated share",
            f"funding ({DENOM})",
            f"per epoch ({DENOM})",
        ],
        pool_rows,
    )
    items = [(pool, item) for pool in budget.pools for item in pool.line_items]
    if items:
        lines += ["", "## Line items", ""]
        lines += _table(
            ["pool", "GPU", "$/GPU-hour", "GPUs", "hours", "price x GPUs x hours", "stated"],
            [
                [
                    pool.kind,
                    item.label or item.gpu_model,
                    usd(item.price_per_hour_usd),
                    item.quantity,
                    item.hours,
                    usd(item.computed_usd),
                    usd(item.total_usd) if item.total_usd is not None else "-",
                ]
                for pool, item in items
            ],
        )
    lines += ["", "## Pool settings", ""]
    for pool in budget.pools:
        rules = pool.eligibility
        settings = [
            f"vendors {', '.join(rules.vendors) or 'any'}",
            f"models {', '.join(rules.gpu_models) or 'any'}",
        ]
        if rules.min_vram_gb:
            settings.append(f"at least {rules.min_vram_gb} GB")
        if rules.min_launch_year:
            settings.append(f"launched {rules.min_launch_year} or later")
        if rules.max_nodes_per_provider:
            settings.append(f"at most {rules.max_nodes_per_provider} nodes per provider")
        if pool.rule == "FIXED_RATE":
            settings.append(f"commitments of at least {budget.min_commitment(pool)} epochs")
        if pool.rule == "AVAILABILITY":
            score = pool.availability or AvailabilitySettings()
            settings.append(
                f"score weights {score.weight_benchmark}/{score.weight_vram}/{score.weight_age}, "
                f"penalty after {score.penalty_free_nodes} nodes, decay {score.penalty_decay} "
                f"({score.penalty_mode})"
            )
        attesters = budget.pool_attesters(pool)
        settings.append(
            f"admin `{budget.pool_admin(pool)}`, {len(attesters)} attester(s) "
            f"({', '.join(f'`{a}`' for a in attesters)}), quorum {budget.pool_quorum(pool)}"
        )
        lines.append(f"- **{pool.kind}** ({pool.rule}): " + "; ".join(settings))
    lines += ["", "## Messages", ""]
    for index, entry in enumerate(result.document["messages"], start=1):
        amount = " + ".join(f"{coin['amount']}{coin['denom']}" for coin in entry.get("amount", []))
        if "pool_id" in entry:
            detail = f"pool {entry['pool_id']}: {amount}"
        elif "recipient" in entry:
            detail = f"{amount} to `{entry['recipient']}`"
        else:
            detail = entry.get("name", "")
        lines.append(f"{index}. `{entry['@type']}` {detail}".rstrip())
    if result.target == "pools":
        lines += [
            "",
            "The fund messages address the new pools by id "
            f"({budget.first_pool_id}..{(budget.first_pool_id or 0) + len(budget.pools) - 1}); "
            "redraft if another pool is created before this proposal is submitted.",
        ]
    lines += ["", "## Review findings", ""]
    if result.findings:
        lines += _table(
            ["severity", "field", "finding"],
            [
                [finding.severity, f"`{finding.path}`", finding.message]
                for finding in result.findings
            ],
        )
    else:
        lines.append("None: every stated number matches the computed one.")
    lines += [
        "",
        "## Submit",
        "",
        "```sh",
        "akash tx gov submit-proposal proposal.json --from <key> --chain-id <chain-id> \\",
        "    --gas auto --gas-adjustment 1.5 --gas-prices 0.025uakt",
        "```",
        "",
    ]
    return "\n".join(lines)
