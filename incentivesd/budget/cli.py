"""``incentivesd budget check`` and ``incentivesd budget draft``: the governance proposer's
commands.

``check BUDGET.yaml [--node URL] [--target pools|administrator] [-o text|json]`` prints the
findings; ``draft BUDGET.yaml -o proposal.json [--summary-md FILE]`` writes the gov v1 proposal
file (and the forum summary) after the same checks.

Fails when (exit code 1, a message on stderr, no traceback): the spec is unreadable or invalid
(each problem with its field path); the node cannot be reached or refuses a query; the draft
lacks a start epoch, a first pool id or a recipient; a check finds an error (``check`` prints the
findings first; ``draft`` writes nothing unless ``--force``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import grpc

from incentivesd.budget.chain_facts import ChainFacts, fetch_chain_facts
from incentivesd.budget.checks import Finding, Target, has_errors, run_checks, spend_uakt
from incentivesd.budget.draft import DraftError, draft, summary_markdown
from incentivesd.budget.messages import DENOM, document_text
from incentivesd.budget.spec import Budget, SpecError, load_spec
from incentivesd.client.client import Client, ClientError

budget_argument = click.argument(
    "budget_file", metavar="BUDGET.yaml", type=click.Path(path_type=Path)
)
node_option = click.option(
    "--node",
    default=None,
    help="A node's gRPC endpoint (grpc+http://HOST:PORT) for the live checks.",
)
target_option = click.option(
    "--target",
    type=click.Choice(["pools", "administrator"]),
    default="pools",
    show_default=True,
    help="pools: create and fund the pools through the incentives module; administrator: one "
    "MsgCommunityPoolSpend to --recipient (for a chain without the module).",
)


def _load(path: Path) -> Budget:
    try:
        return load_spec(path)
    except SpecError as error:
        raise click.ClickException(str(error)) from None


def _facts(node: str | None, target: str) -> ChainFacts | None:
    if node is None:
        return None
    try:
        with Client(node) as client:
            return fetch_chain_facts(client, incentives=target == "pools")
    except (ValueError, ClientError) as error:
        raise click.ClickException(str(error)) from None
    except grpc.RpcError as error:
        raise click.ClickException(
            f"{node} refused a query ({error.code().name.lower()}: {error.details()})"
        ) from None


def _text(findings: list[Finding]) -> str:
    errors = sum(finding.severity == "error" for finding in findings)
    lines = [f"{errors} error(s), {len(findings) - errors} warning(s)"]
    for finding in findings:
        lines.append(f"{finding.severity:7}  {finding.path}  [{finding.code}]")
        lines.append(f"         {finding.message}")
    return "\n".join(lines)


@click.group("budget")
def budget_group() -> None:
    """Check budget proposals and draft them as gov v1 proposal files."""


@budget_group.command("check")
@budget_argument
@node_option
@target_option
@click.option(
    "-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check_command(budget_file: Path, node: str | None, target: Target, output: str) -> None:
    """Check BUDGET.yaml's arithmetic, and with --node its deposit, spend and schedule against the
    chain. Errors exit 1; warnings exit 0."""
    budget = _load(budget_file)
    facts = _facts(node, target)
    findings = run_checks(budget, facts, target)
    if output == "json":
        errors = sum(finding.severity == "error" for finding in findings)
        report = {
            "budget": str(budget_file),
            "target": target,
            "node": node,
            "spend_uakt": spend_uakt(budget, target),
            "errors": errors,
            "warnings": len(findings) - errors,
            "findings": [finding.as_dict() for finding in findings],
        }
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(f"{budget_file}: {budget.title}")
        click.echo(_text(findings))
    if has_errors(findings):
        raise click.exceptions.Exit(1)


@budget_group.command("draft")
@budget_argument
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the gov v1 proposal file.",
)
@click.option(
    "--summary-md",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the Markdown summary for the forum post here.",
)
@node_option
@target_option
@click.option(
    "--recipient", default=None, help="The administrator's address (--target administrator)."
)
@click.option(
    "--start-epoch", type=click.IntRange(min=1), default=None, help="Override schedule.start_epoch."
)
@click.option(
    "--first-pool-id",
    type=click.IntRange(min=1),
    default=None,
    help="Id the chain gives the first new pool.",
)
@click.option("--force", is_flag=True, help="Write the files even when a check finds an error.")
def draft_command(
    budget_file: Path,
    out: Path,
    summary_md: Path | None,
    node: str | None,
    target: Target,
    recipient: str | None,
    start_epoch: int | None,
    first_pool_id: int | None,
    force: bool,
) -> None:
    """Write BUDGET.yaml as a proposal file for `akash tx gov submit-proposal`."""
    budget = _load(budget_file)
    facts = _facts(node, target)
    try:
        result = draft(budget, target, facts, recipient, start_epoch, first_pool_id)
    except DraftError as error:
        raise click.ClickException(str(error)) from None
    if result.findings:
        click.echo(_text(result.findings), err=True)
    if has_errors(result.findings) and not force:
        raise click.ClickException(
            f"not written: the budget has errors (--force writes {out} anyway)"
        )
    try:
        out.write_text(document_text(result.document))
        if summary_md is not None:
            summary_md.write_text(summary_markdown(result))
    except OSError as error:
        raise click.ClickException(f"cannot write: {error}") from None
    spend = spend_uakt(result.budget, target)
    click.echo(
        f"wrote {out}: {len(result.messages)} message(s), {spend}{DENOM} from the community pool"
        + (f"; summary {summary_md}" if summary_md else "")
    )
