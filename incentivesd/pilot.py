"""``incentivesd pilot``: an AEP-26-style pilot through real signed txs against a localnet.

The same pilot as ``incentivesd demo``, but every step is a tx signed by a dev account and
broadcast over gRPC to the embedded localnet, started in this process on free loopback ports.
The proposal is drafted by ``incentivesd budget`` from ``localnet/budgets/aep26-pilot.yaml``
(``--budget``), rescaled to ``--epochs`` epochs from the next one and checked against the running
chain; account 0 (the validator and price feeder) submits the messages of the written
``proposal.json`` (create the three pools, fund them from the community pool), votes yes, and the
chain time travels past the voting period; providers (accounts 1..6) register their nodes and
join; every epoch account 0 posts the AKT/USD price shortly before the epoch ends and the attester
(account 8) posts uptime reports; providers claim weekly and at the end; the pools close once
their term is finalized and return the remainder to the community pool. Uptime and prices come
from a seeded generator.

Writes ``proposal.json`` (the gov v1 ``submit-proposal`` file), ``proposal.md`` (its forum
summary), ``ledger.csv`` / ``ledger.json`` (every payment with the claim tx that paid it) and
``summary.json`` to ``--out``. Fails when the budget spec is invalid, lacks a pool the fleet
joins or the attester, or a check finds an error; exits non-zero when the ledger does not add up
to the pools' paid amounts or an invariant is broken.
"""

from __future__ import annotations

import csv
import json
import random
import time
from pathlib import Path
from typing import Any

import click
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2 import QueryCommunityPoolRequest
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryProposalRequest, QueryProposalsRequest
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgVote
from google.protobuf.message import Message

from chain.devnet import DEV_MNEMONIC, devnet_genesis
from chain.server.localnet import Localnet, start_localnet
from incentives.pb import query_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentivesd.budget.chain_facts import dec_int, fetch_chain_facts
from incentivesd.budget.draft import draft, summary_markdown
from incentivesd.budget.messages import document_text, submit_proposal_message
from incentivesd.budget.spec import Budget, SpecError, load_spec, rescheduled
from incentivesd.client.client import ChainError, Client, TxResult, wallet_from_mnemonic
from incentivesd.demo import DENOM, FLEET, epochs_option, output_option, seed_option
from incentivesd.tables import render_table

VOTING_PERIOD = 10
FEEDER = 0
ATTESTER = 8
PROVIDERS = (1, 2, 3, 4, 5, 6)
CLAIM_EVERY = 7  # epochs between providers' claims (the claim window is 30 epochs)
BUDGET_FILE = Path(__file__).resolve().parents[1] / "localnet" / "budgets" / "aep26-pilot.yaml"


class PilotError(click.ClickException):
    """The pilot could not run or its books do not balance."""


class Pilot:
    """The localnet, a client and the dev wallets of one pilot run."""

    def __init__(self, net: Localnet, chain_id: str) -> None:
        self.net = net
        self.client = Client(node=net.grpc_url, chain_id=chain_id, query_interval_secs=0.005)
        self.wallets: dict[int, LocalWallet] = {
            index: wallet_from_mnemonic(DEV_MNEMONIC, index)
            for index in (FEEDER, ATTESTER, *PROVIDERS)
        }
        self.txs = 0

    def address(self, index: int) -> str:
        return str(self.wallets[index].address())

    def send(self, index: int, msgs: list[Any]) -> TxResult:
        try:
            result = self.client.broadcast(msgs, self.wallets[index])
        except ChainError as error:
            names = ", ".join(type(msg).__name__ for msg in msgs)
            raise PilotError(f"{names} by account {index}: {error}") from None
        self.txs += 1
        return result

    def chain_now(self) -> float:
        node = self.net.node
        return float(node.clock()) + node.time_offset_ns / 1e9

    def travel_to(self, unix_seconds: float) -> None:
        delta = unix_seconds - self.chain_now()
        if delta > 0:
            self.net.node.advance(seconds=int(delta) + 1)

    def epoch(self) -> tuple[int, int, int]:
        """(current epoch, its start time, duration in seconds) of the incentives epoch."""
        params = self.client.call(
            self.client.incentives.Params, query_pb2.QueryParamsRequest()
        ).params
        with self.net.node.lock:
            info = self.net.app.epochs.get_epoch_info(
                self.net.app.query_context(), params.epoch_identifier
            )
        if info is None or not info.epoch_counting_started:
            raise PilotError(f"the epoch {params.epoch_identifier!r} is not running")
        return (
            int(info.current_epoch),
            int(info.current_epoch_start_time.seconds),
            int(info.duration.seconds),
        )

    def pools(self) -> list[Any]:
        request = query_pb2.QueryPoolsRequest()
        pools = []
        while True:
            response = self.client.call(self.client.incentives.Pools, request)
            pools.extend(response.pools)
            if not response.pagination.next_key:
                return pools
            request = query_pb2.QueryPoolsRequest()
            request.pagination.key = response.pagination.next_key

    def payments(self) -> list[Any]:
        request = query_pb2.QueryPaymentsRequest()
        payments = []
        while True:
            response = self.client.call(self.client.incentives.Payments, request)
            payments.extend(response.payments)
            if not response.pagination.next_key:
                return payments
            request = query_pb2.QueryPaymentsRequest()
            request.pagination.key = response.pagination.next_key

    def claim_all(self, claims: dict[tuple[str, int], str]) -> None:
        for index in PROVIDERS:
            provider = self.address(index)
            accruals = self.client.call(
                self.client.incentives.Accruals,
                query_pb2.QueryAccrualsRequest(provider=provider),
            )
            if not accruals.accruals:
                continue
            result = self.send(index, [tx_pb2.MsgClaimRewards(provider=provider, pool_id=0)])
            claims[(provider, result.height)] = result.txhash


def _proposal_id(pilot: Pilot, result: TxResult) -> int:
    for event in result.events:
        value = event.attribute("proposal_id")
        if value is not None and value.isdigit():
            return int(value)
    response = pilot.client.call(
        pilot.client.gov.Proposals, QueryProposalsRequest(proposer=pilot.address(FEEDER))
    )
    if not response.proposals:
        raise PilotError("the proposal was not found")
    return int(max(proposal.id for proposal in response.proposals))


def run_pilot(epochs: int, seed: int, out: Path, budget_file: Path = BUDGET_FILE) -> dict[str, Any]:
    """Run the pilot, write its files to ``out`` and return its summary."""
    started = time.monotonic()
    try:
        spec = load_spec(budget_file)
    except SpecError as error:
        raise PilotError(str(error)) from None
    rng = random.Random(seed)
    genesis = devnet_genesis(genesis_time=int(time.time()), voting_period=VOTING_PERIOD)
    net = start_localnet(genesis, grpc_address="127.0.0.1:0", voting_period=VOTING_PERIOD)
    try:
        pilot = Pilot(net, str(genesis["chain_id"]))
        try:
            summary = _run(pilot, spec, budget_file, epochs, rng, out)
        finally:
            pilot.client.close()
        with net.node.lock:
            broken = net.app.invariants()
    finally:
        net.stop()
    summary["seed"] = seed
    summary["invariants_broken"] = broken
    summary["wall_time_seconds"] = round(time.monotonic() - started, 2)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def _proposal(pilot: Pilot, spec: Budget, budget_file: Path, epochs: int, out: Path) -> Budget:
    """Draft the pilot's proposal from ``spec`` for the running chain, check it live and write
    ``proposal.json`` and ``proposal.md``; the budget is rescaled to ``epochs`` epochs starting
    with the next one."""
    with pilot.net.node.lock:
        next_pool_id = keys.NEXT_POOL_ID.peek(pilot.net.app.query_context())
    current, _, duration = pilot.epoch()
    budget = rescheduled(spec, start_epoch=current + 1, epochs=epochs, first_pool_id=next_pool_id)
    missing = sorted({pool for *_, pool in FLEET} - {pool.kind for pool in budget.pools})
    if missing:
        raise PilotError(f"{budget_file} has no pool of kind {', '.join(missing)}")
    if budget.schedule.epoch_length != duration:
        raise PilotError(
            f"{budget_file}: epochs of {budget.schedule.epoch_length} s, not {duration}"
        )
    attester = pilot.address(ATTESTER)
    for pool in budget.pools:
        if attester not in budget.pool_attesters(pool):
            raise PilotError(f"{budget_file}: pool {pool.kind!r} lacks the attester {attester}")
    result = draft(budget, "pools", fetch_chain_facts(pilot.client))
    errors = [finding for finding in result.findings if finding.severity == "error"]
    if errors:
        raise PilotError("; ".join(f"{error.path}: {error.message}" for error in errors))
    out.mkdir(parents=True, exist_ok=True)
    (out / "proposal.json").write_text(document_text(result.document))
    (out / "proposal.md").write_text(summary_markdown(result))
    return result.budget


def _run(
    pilot: Pilot, spec: Budget, budget_file: Path, epochs: int, rng: random.Random, out: Path
) -> dict[str, Any]:
    feeder = pilot.address(FEEDER)
    attester = pilot.address(ATTESTER)
    current, epoch_start, duration = pilot.epoch()
    budget = _proposal(pilot, spec, budget_file, epochs, out)
    assert isinstance(budget.schedule.start_epoch, int)
    assert budget.first_pool_id is not None
    start = budget.schedule.start_epoch
    end = start + epochs - 1
    pool_ids = {pool.kind: budget.first_pool_id + index for index, pool in enumerate(budget.pools)}
    document = json.loads((out / "proposal.json").read_text())

    # Governance: submit the file's messages, vote, pass the voting period.
    submit = submit_proposal_message(document, feeder)
    proposal_id = _proposal_id(pilot, pilot.send(FEEDER, [submit]))
    pilot.send(
        FEEDER,
        [MsgVote(proposal_id=proposal_id, voter=feeder, option=gov_pb2.VOTE_OPTION_YES)],
    )
    pilot.net.node.advance(seconds=VOTING_PERIOD + 1)
    proposal = pilot.client.call(
        pilot.client.gov.Proposal, QueryProposalRequest(proposal_id=proposal_id)
    ).proposal
    if proposal.status != gov_pb2.PROPOSAL_STATUS_PASSED:
        status = gov_pb2.ProposalStatus.Name(proposal.status)
        raise PilotError(f"proposal {proposal_id} did not pass: {status} {proposal.failed_reason}")
    if pilot.epoch()[0] != current:
        raise PilotError("the pools' first epoch began before providers could join")

    # Providers register their nodes and join.
    nodes: dict[int, list[str]] = {pool_id: [] for pool_id in pool_ids.values()}
    for index, (prefix, model, gpus, count, benchmark, pool) in zip(PROVIDERS, FLEET, strict=True):
        owner = pilot.address(index)
        msgs: list[Message] = []
        for number in range(count):
            node_id = f"{prefix}-{number + 1}"
            msgs.append(
                tx_pb2.MsgRegisterNode(
                    owner=owner,
                    node_id=node_id,
                    gpu_model=model,
                    gpu_count=gpus,
                    benchmark_score=benchmark,
                )
            )
            join = tx_pb2.MsgJoinPool(owner=owner, pool_id=pool_ids[pool], node_id=node_id)
            if pool == "committed":
                join.commitment.until_epoch = end
            msgs.append(join)
            nodes[pool_ids[pool]].append(node_id)
        pilot.send(index, msgs)

    # Epochs: price and uptime shortly before each epoch ends, then time travel past its end.
    lag = int(
        pilot.client.call(
            pilot.client.incentives.Params, query_pb2.QueryParamsRequest()
        ).params.settlement_lag_epochs
    )
    claims: dict[tuple[str, int], str] = {}
    price = 2.50
    for epoch in range(start, end + lag + 1):
        epoch_end = epoch_start + (epoch - current + 1) * duration
        pilot.travel_to(epoch_end - 600)
        price = max(0.5, price * (1 + rng.uniform(-0.05, 0.05)))
        pilot.send(FEEDER, [tx_pb2.MsgPostPrice(feeder=feeder, akt_usd=f"{price:.6f}")])
        if epoch <= end:
            attestations = []
            for pool_id, node_ids in nodes.items():
                if not node_ids:
                    continue
                reports = []
                for node_id in node_ids:
                    online = (
                        duration if rng.random() > 0.1 else rng.randrange(duration // 2, duration)
                    )
                    idle = rng.randrange(0, online // 2 + 1)
                    reports.append(
                        types_pb2.NodeReport(
                            node_id=node_id, online_seconds=online, idle_seconds=idle
                        )
                    )
                attestations.append(
                    tx_pb2.MsgSubmitAttestation(
                        attester=attester, pool_id=pool_id, epoch=epoch, reports=reports
                    )
                )
            pilot.send(ATTESTER, attestations)
        pilot.travel_to(epoch_end + 1)
        if (epoch - start + 1) % CLAIM_EVERY == 0 and epoch < end + lag:
            pilot.claim_all(claims)
    pilot.claim_all(claims)
    return _account(pilot, epochs, pool_ids, proposal_id, claims, out)


def _account(
    pilot: Pilot,
    epochs: int,
    pool_ids: dict[str, int],
    proposal_id: int,
    claims: dict[tuple[str, int], str],
    out: Path,
) -> dict[str, Any]:
    ledger = []
    for payment in pilot.payments():
        txhash = claims.get((payment.provider, int(payment.height)))
        if txhash is None:
            raise PilotError(f"payment {payment.id} matches no claim tx")
        ledger.append(
            {
                "id": int(payment.id),
                "pool": int(payment.pool_id),
                "epoch": int(payment.epoch),
                "provider": payment.provider,
                "amount": int(payment.amount),
                "height": int(payment.height),
                "txhash": txhash,
            }
        )
    names = {pool_id: name for name, pool_id in pool_ids.items()}
    pools = [
        {
            "pool": names[int(pool.id)],
            "id": int(pool.id),
            "rule": types_pb2.AllocationRule.Name(pool.rule).removeprefix("ALLOCATION_RULE_"),
            "status": types_pb2.PoolStatus.Name(pool.status).removeprefix("POOL_STATUS_"),
            "funded_uakt": int(pool.funded or 0),
            "paid_uakt": int(pool.paid or 0),
            "returned_uakt": int(pool.returned or 0),
        }
        for pool in pilot.pools()
        if int(pool.id) in names
    ]
    providers = []
    for index, (_, model, gpus, count, _, _) in zip(PROVIDERS, FLEET, strict=True):
        provider = pilot.address(index)
        providers.append(
            {
                "provider": provider,
                "fleet": f"{count} x {model} ({gpus} GPU)",
                "paid_uakt": sum(row["amount"] for row in ledger if row["provider"] == provider),
            }
        )
    with (out / "ledger.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["id", "pool", "epoch", "provider", "amount", "height", "txhash"]
        )
        writer.writeheader()
        writer.writerows(ledger)
    (out / "ledger.json").write_text(json.dumps(ledger, indent=2) + "\n")
    community = pilot.client.call(
        pilot.client.distribution.CommunityPool,
        QueryCommunityPoolRequest(),
    )
    community_uakt = sum(dec_int(coin.amount) for coin in community.pool if coin.denom == DENOM)
    return {
        "epochs": epochs,
        "proposal_id": proposal_id,
        "pools": pools,
        "providers": providers,
        "ledger_payments": len(ledger),
        "ledger_total_uakt": sum(row["amount"] for row in ledger),
        "paid_total_uakt": sum(pool["paid_uakt"] for pool in pools),
        "community_pool_uakt": community_uakt,
        "txs": pilot.txs,
    }


def _problems(summary: dict[str, Any]) -> list[str]:
    problems = [f"invariant broken: {diagnosis}" for diagnosis in summary["invariants_broken"]]
    if summary["ledger_total_uakt"] != summary["paid_total_uakt"]:
        problems.append(
            f"ledger total {summary['ledger_total_uakt']} != pools' paid "
            f"{summary['paid_total_uakt']}"
        )
    for pool in summary["pools"]:
        if pool["status"] != "CLOSED":
            problems.append(f"pool {pool['id']} is {pool['status']}, not CLOSED")
    return problems


@click.command("pilot")
@epochs_option
@seed_option
@click.option(
    "--out",
    default="pilot-out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for proposal.json, proposal.md, ledger.csv, ledger.json and summary.json.",
)
@click.option(
    "--budget",
    "budget_file",
    default=BUDGET_FILE,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The budget spec the proposal is drafted from (rescaled to --epochs).",
)
@output_option
def pilot_command(epochs: int, seed: int, out: Path, budget_file: Path, output: str) -> None:
    """Run an AEP-26-style pilot through signed txs against an in-process localnet."""
    summary = run_pilot(epochs, seed, out, budget_file)
    problems = _problems(summary)
    if output == "json":
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        click.echo(
            f"AEP-26-style pilot through {summary['txs']} signed txs on a localnet, "
            f"{epochs} daily epochs, seed {seed} (proposal {summary['proposal_id']}).\n"
        )
        click.echo(render_table(summary["pools"]))
        click.echo("")
        click.echo(render_table(summary["providers"]))
        click.echo(
            f"\nledger: {summary['ledger_payments']} payments, "
            f"{summary['ledger_total_uakt']} {DENOM}"
        )
        click.echo(f"community pool: {summary['community_pool_uakt']} {DENOM}")
        click.echo(
            f"files: {out}/{{proposal.json,proposal.md,ledger.csv,ledger.json,summary.json}}"
        )
        click.echo(f"wall time: {summary['wall_time_seconds']:.2f} s")
    if problems:
        raise PilotError("; ".join(problems))
