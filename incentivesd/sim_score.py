"""``incentivesd sim score``: score a CSV of nodes with a reward rule and print the payouts.

A shell around ``incentives.logic``: it reads the CSV, converts decimal text to fixed point
exactly, runs the same exact allocation as the module and prints JSON or a table. Amounts plus
dust always equal the budget.

CSV header, exactly: ``node_id,wallet,idle_fraction,ob_score,vram_gb,age_days``; idle_fraction in
[0, 1], the other numbers >= 0, all plain decimal text (at most 18 decimals). A header without
rows is an epoch without nodes: the whole budget is dust.

Bad input (unreadable or empty file, wrong header, wrong field count, empty id or wallet,
non-numeric or out-of-range field, duplicate node_id) prints ``Error: NODES.csv line N: ...`` on
stderr and exits with status 2, like any other usage error.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import click

from incentives.logic.availability import (
    AvailabilityNode,
    AvailabilityRule,
    PenaltyMode,
    allocate_availability,
)
from incentives.logic.fixed_point import SCALE, parse_decimal

HEADER = ("node_id", "wallet", "idle_fraction", "ob_score", "vram_gb", "age_days")
PENALTY_MODES = {"wallet-count": PenaltyMode.WALLET_COUNT, "node-rank": PenaltyMode.NODE_RANK}
_BUDGET_RE = re.compile(r"([0-9]+)(uakt)?")


class NodesFileError(Exception):
    """A problem in the nodes file, with its location in the message."""


@dataclass(frozen=True, slots=True)
class Payout:
    node_id: str
    wallet: str
    amount: int


def _budget(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A non-negative whole number of uakt, optionally suffixed ``uakt``."""
    match = _BUDGET_RE.fullmatch(value.strip())
    if match is None:
        raise click.BadParameter(
            f"expected a whole number of uakt such as 1000000uakt, got {value!r}"
        )
    return int(match.group(1))


def _number(where: str, column: str, text: str, maximum: int | None = None) -> int:
    try:
        value = parse_decimal(text.strip())
    except ValueError as error:
        raise NodesFileError(f"{where}: {column}: {error}") from None
    if value < 0:
        raise NodesFileError(f"{where}: {column}: must be >= 0: {text!r}")
    if maximum is not None and value > maximum:
        raise NodesFileError(f"{where}: {column}: must be between 0 and 1: {text!r}")
    return value


def read_nodes(path: str) -> list[AvailabilityNode]:
    """Parse the nodes CSV at ``path``; raise ``NodesFileError`` naming the line on bad input."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise NodesFileError(f"{path}: cannot read: {error}") from None
    try:
        return _parse(path, text)
    except csv.Error as error:
        raise NodesFileError(f"{path}: not valid CSV: {error}") from None


def _parse(path: str, text: str) -> list[AvailabilityNode]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise NodesFileError(f"{path} line 1: empty file, expected the header {','.join(HEADER)}")
    header = [name.strip() for name in header]
    if tuple(header) != HEADER:
        missing = [name for name in HEADER if name not in header]
        detail = f"missing column(s) {', '.join(missing)}; " if missing else ""
        raise NodesFileError(
            f"{path} line 1: {detail}expected the header {','.join(HEADER)}, got {','.join(header)}"
        )
    nodes: list[AvailabilityNode] = []
    first_line: dict[str, int] = {}
    for row in reader:
        where = f"{path} line {reader.line_num}"
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(HEADER):
            raise NodesFileError(f"{where}: expected {len(HEADER)} fields, got {len(row)}")
        node_id, wallet = row[0].strip(), row[1].strip()
        if not node_id:
            raise NodesFileError(f"{where}: node_id: empty")
        if not wallet:
            raise NodesFileError(f"{where}: wallet: empty")
        if node_id in first_line:
            raise NodesFileError(
                f"{where}: node_id: duplicate of line {first_line[node_id]}: {node_id!r}"
            )
        first_line[node_id] = reader.line_num
        nodes.append(
            AvailabilityNode(
                node_id=node_id,
                wallet=wallet,
                idle=_number(where, "idle_fraction", row[2], maximum=SCALE),
                benchmark=_number(where, "ob_score", row[3]),
                vram=_number(where, "vram_gb", row[4]),
                age=_number(where, "age_days", row[5]),
            )
        )
    return nodes


def _table(payouts: list[Payout], dust: int, budget: int) -> str:
    rows = [(p.node_id, p.wallet, str(p.amount)) for p in payouts]
    rows += [("dust", "", str(dust)), ("total", "", str(budget))]
    header = ("node_id", "wallet", "amount_uakt")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in [header, *rows]]
    return "\n".join(line.rstrip() for line in lines)


@click.command("score")
@click.option(
    "--rule",
    type=click.Choice(["availability"]),
    required=True,
    help="Reward rule to score with.",
)
@click.option(
    "--budget",
    metavar="UAKT",
    callback=_budget,
    required=True,
    help="Epoch emission in uakt, e.g. 1000000 or 1000000uakt.",
)
@click.option(
    "--nodes",
    "nodes_path",
    type=click.Path(dir_okay=False),
    metavar="NODES.csv",
    required=True,
    help="CSV: node_id,wallet,idle_fraction,ob_score,vram_gb,age_days.",
)
@click.option(
    "--penalty-mode",
    type=click.Choice(list(PENALTY_MODES)),
    default="wallet-count",
    show_default=True,
    help="Penalty by the wallet's node count, or by each node's rank in its wallet.",
)
@click.option(
    "-o",
    "--output",
    type=click.Choice(["json", "text"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def score(
    ctx: click.Context,
    rule: str,
    budget: int,
    nodes_path: str,
    penalty_mode: str,
    output: str,
) -> None:
    """Split a budget among the nodes of NODES.csv with the RNP-015 availability rule."""
    assert rule == "availability"  # the only choice so far; click rejects anything else
    try:
        nodes = read_nodes(nodes_path)
    except NodesFileError as error:
        click.echo(f"Error: {error}", err=True)
        ctx.exit(2)
    split = allocate_availability(
        budget, nodes, AvailabilityRule(penalty_mode=PENALTY_MODES[penalty_mode])
    )
    payouts = [
        Payout(node.node_id, node.wallet, amount)
        for node, amount in zip(nodes, split.amounts, strict=True)
    ]
    if output == "json":
        document = {
            "payouts": [
                {"node_id": p.node_id, "wallet": p.wallet, "amount": p.amount} for p in payouts
            ],
            "dust": split.dust,
        }
        click.echo(json.dumps(document, indent=2))
    else:
        click.echo(_table(payouts, split.dust, budget))
