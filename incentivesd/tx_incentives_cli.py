"""``incentivesd tx incentives``: the provider, attester, price-feeder and funder messages of
``akash.incentives.v1`` (pools are created and funded from the community pool by governance: see
``tx gov submit-proposal``).

- ``register-node NODE_ID GPU_MODEL GPU_COUNT [--benchmark-score N]``
- ``join-pool POOL_ID NODE_ID [--commit-until EPOCH]`` (FIXED_RATE pools need the commitment)
- ``attest POOL_ID EPOCH [NODE_ID=ONLINE[,IDLE[,BENCHMARK]]]... [--reports-file CSV]``
- ``post-price AKT_USD``
- ``claim-rewards [--pool-id N]`` (0, the default: every pool); ``--dry-run`` also prints the
  unclaimed accruals the claim would pay (``Query/Accruals``)
- ``set-redirect POOL_ID BPS`` (0 opts out)
- ``fund-pool POOL_ID AMOUNT``

Fails when: a report, reports file or price is malformed (usage error, exit code 2), or as every
tx does (``incentivesd.tx_flow``): the module's rejections are the chain's ``incentives`` errors
(``incentives/README.md`` lists when each Msg fails), e.g. a claim with nothing accrued.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import click

from incentives.pb import query_pb2, tx_pb2, types_pb2
from incentivesd.client.client import Client, TxResult
from incentivesd.tables import render_table
from incentivesd.tx_flow import Preview, PreviewFn, TxOptions, submit, tx_options
from incentivesd.tx_params import COINS, coins_text

_REPORT = re.compile(r"^(?P<node>[^=\s]+)=(?P<online>\d+)(?:,(?P<idle>\d+)(?:,(?P<bench>\d+))?)?$")
_PRICE = re.compile(r"^\d+(\.\d{1,18})?$")
_CLAIMED = "akash.incentives.v1.EventRewardsClaimed"
_CSV_COLUMNS = ("node_id", "online_seconds", "idle_seconds", "benchmark_score")


def parse_report(text: str) -> types_pb2.NodeReport:
    """``node-1=86400,3600,12000`` -> a NodeReport (online, idle and benchmark seconds/score;
    idle and benchmark default to 0)."""
    match = _REPORT.match(text.strip())
    if match is None:
        raise ValueError(f"invalid report {text!r} (expected NODE_ID=ONLINE[,IDLE[,BENCHMARK]])")
    return types_pb2.NodeReport(
        node_id=match["node"],
        online_seconds=int(match["online"]),
        idle_seconds=int(match["idle"] or 0),
        benchmark_score=int(match["bench"] or 0),
    )


def read_reports(path: Path) -> list[types_pb2.NodeReport]:
    """Reports from a CSV with the header ``node_id,online_seconds,idle_seconds`` and an optional
    ``benchmark_score`` column."""
    try:
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            header = tuple(reader.fieldnames or ())
            if header[:3] != _CSV_COLUMNS[:3] or not set(header) <= set(_CSV_COLUMNS):
                raise ValueError(f"the header must be {','.join(_CSV_COLUMNS)} (last optional)")
            reports = []
            for line, row in enumerate(reader, start=2):
                values = [row.get(column) or "0" for column in _CSV_COLUMNS[1:]]
                if not row["node_id"] or not all(value.isdigit() for value in values):
                    raise ValueError(f"line {line}: expected a node id and non-negative integers")
                reports.append(
                    types_pb2.NodeReport(
                        node_id=row["node_id"],
                        online_seconds=int(values[0]),
                        idle_seconds=int(values[1]),
                        benchmark_score=int(values[2]),
                    )
                )
    except OSError as error:
        raise ValueError(f"cannot read it: {error}") from None
    return reports


pool_id_argument = click.argument("pool_id", type=click.IntRange(min=1))


@click.group("incentives")
def incentives_group() -> None:
    """Provider incentives: nodes, pools, attestations, prices, claims."""


@incentives_group.command("register-node")
@click.argument("node_id")
@click.argument("gpu_model")
@click.argument("gpu_count", type=click.IntRange(min=1))
@click.option("--benchmark-score", type=click.IntRange(min=0), default=0, show_default=True)
@tx_options
def register_node_command(
    node_id: str, gpu_model: str, gpu_count: int, benchmark_score: int, opts: TxOptions
) -> None:
    """Register GPU node NODE_ID (GPU_COUNT x GPU_MODEL, a model of the params' catalog)."""
    submit(
        opts,
        lambda owner: [
            tx_pb2.MsgRegisterNode(
                owner=owner,
                node_id=node_id,
                gpu_model=gpu_model,
                gpu_count=gpu_count,
                benchmark_score=benchmark_score,
            )
        ],
    )


@incentives_group.command("join-pool")
@pool_id_argument
@click.argument("node_id")
@click.option(
    "--commit-until",
    type=click.IntRange(min=1),
    default=None,
    help="Last epoch the node commits to serve (FIXED_RATE pools require it).",
)
@tx_options
def join_pool_command(
    pool_id: int, node_id: str, commit_until: int | None, opts: TxOptions
) -> None:
    """Enroll your node NODE_ID in pool POOL_ID."""

    def build(owner: str) -> list[Any]:
        msg = tx_pb2.MsgJoinPool(owner=owner, pool_id=pool_id, node_id=node_id)
        if commit_until is not None:
            msg.commitment.until_epoch = commit_until
        return [msg]

    submit(opts, build)


@incentives_group.command("attest")
@pool_id_argument
@click.argument("epoch", type=click.IntRange(min=1))
@click.argument("reports", metavar="[NODE_ID=ONLINE[,IDLE[,BENCHMARK]]]...", nargs=-1)
@click.option(
    "--reports-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV: node_id,online_seconds,idle_seconds[,benchmark_score].",
)
@tx_options
def attest_command(
    pool_id: int,
    epoch: int,
    reports: tuple[str, ...],
    reports_file: Path | None,
    opts: TxOptions,
) -> None:
    """Attest the nodes' uptime in EPOCH of pool POOL_ID (pool attesters only)."""
    try:
        parsed = [parse_report(report) for report in reports]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'REPORTS'") from None
    if reports_file is not None:
        try:
            parsed.extend(read_reports(reports_file))
        except ValueError as error:
            raise click.BadParameter(
                f"{reports_file}: {error}", param_hint="'--reports-file'"
            ) from None
    if not parsed:
        raise click.UsageError("give at least one report (NODE_ID=ONLINE,...) or --reports-file")
    submit(
        opts,
        lambda attester: [
            tx_pb2.MsgSubmitAttestation(
                attester=attester, pool_id=pool_id, epoch=epoch, reports=parsed
            )
        ],
    )


@incentives_group.command("post-price")
@click.argument("akt_usd", metavar="AKT_USD")
@tx_options
def post_price_command(akt_usd: str, opts: TxOptions) -> None:
    """Post the AKT/USD price, e.g. 2.51 (price feeders only)."""
    if _PRICE.match(akt_usd) is None or not any(ch in "123456789" for ch in akt_usd):
        raise click.BadParameter(
            f"{akt_usd!r} is not a positive decimal with at most 18 decimals",
            param_hint="'AKT_USD'",
        )
    submit(opts, lambda feeder: [tx_pb2.MsgPostPrice(feeder=feeder, akt_usd=akt_usd)])


def _accruals_preview(pool_id: int) -> PreviewFn:
    """The provider's unclaimed accruals (of ``pool_id``, 0: every pool), as a dry run shows."""

    def preview(client: Client, provider: str) -> Preview:
        response = client.call(
            client.incentives.Accruals,
            query_pb2.QueryAccrualsRequest(provider=provider, pool_id=pool_id),
        )
        rows = [
            {
                "pool": int(accrual.pool_id),
                "epoch": int(accrual.epoch),
                "amount": int(accrual.amount),
                "expires_epoch": int(accrual.expires_epoch),
            }
            for accrual in response.accruals
        ]
        total = coins_text(response.total)
        text = f"would claim: {total or 'nothing'} ({len(rows)} accruals)"
        if rows:
            text += "\n\n" + render_table(rows)
        return Preview({"would_claim": {"total": total, "accruals": rows}}, text)

    return preview


def _claimed(result: TxResult) -> list[tuple[str, str]]:
    """The coins the module sent to the provider and the number of ledger payments."""
    claims = result.events_of(_CLAIMED)
    providers = {json.loads(event.attribute("provider") or '""') for event in claims}
    paid = [
        event.attribute("amount") or ""
        for event in result.events_of("transfer")
        if event.attribute("recipient") in providers
    ]
    return [("claimed", f"{','.join(paid)} ({len(claims)} payments)")]


@incentives_group.command("claim-rewards")
@click.option(
    "--pool-id", type=click.IntRange(min=0), default=0, show_default=True, help="0: every pool."
)
@tx_options
def claim_rewards_command(pool_id: int, opts: TxOptions) -> None:
    """Claim your unclaimed rewards (--dry-run shows what the claim would pay)."""
    submit(
        opts,
        lambda provider: [tx_pb2.MsgClaimRewards(provider=provider, pool_id=pool_id)],
        preview=_accruals_preview(pool_id),
        highlights=_claimed,
    )


@incentives_group.command("set-redirect")
@pool_id_argument
@click.argument("bps", type=click.IntRange(min=0, max=10_000))
@tx_options
def set_redirect_command(pool_id: int, bps: int, opts: TxOptions) -> None:
    """Redirect BPS basis points of your staking rewards to pool POOL_ID (0 opts out)."""
    submit(
        opts,
        lambda delegator: [
            tx_pb2.MsgSetRewardRedirect(delegator=delegator, pool_id=pool_id, bps=bps)
        ],
    )


@incentives_group.command("fund-pool")
@pool_id_argument
@click.argument("amount", type=COINS)
@tx_options
def fund_pool_command(pool_id: int, amount: list[Any], opts: TxOptions) -> None:
    """Deposit AMOUNT (the reward denom) into pool POOL_ID."""
    submit(
        opts,
        lambda depositor: [tx_pb2.MsgFundPool(depositor=depositor, pool_id=pool_id, amount=amount)],
    )
