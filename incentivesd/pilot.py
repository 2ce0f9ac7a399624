"""``incentivesd pilot``: an AEP-26-style pilot through real signed txs against a localnet.

The same pilot as ``incentivesd demo``, but every step is a tx signed by a dev account and
broadcast over gRPC to the embedded localnet, started in this process on free loopback ports:
account 0 (the validator and price feeder) submits one gov proposal that creates the three pools
and funds them from the community pool, votes yes, and the chain time travels past the voting
period; providers (accounts 1..6) register their nodes and join; every epoch account 0 posts the
AKT/USD price shortly before the epoch ends and the attester (account 8) posts uptime reports;
providers claim weekly and at the end; the pools close once their term is finalized and return
the remainder to the community pool. Uptime and prices come from a seeded generator.

Writes ``proposal.json`` (the gov v1 ``submit-proposal`` file), ``ledger.csv`` / ``ledger.json``
(every payment with the claim tx that paid it) and ``summary.json`` to ``--out``. Exits non-zero
when the ledger does not add up to the pools' paid amounts or an invariant is broken.
"""

from __future__ import annotations

import csv
import json
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2 import QueryCommunityPoolRequest
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryProposalRequest, QueryProposalsRequest
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgSubmitProposal, MsgVote
from google.protobuf import json_format
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain.devnet import DEV_MNEMONIC, devnet_genesis
from chain.server.localnet import Localnet, start_localnet
from incentives.pb import query_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentivesd.client.client import ChainError, Client, TxResult, wallet_from_mnemonic
from incentivesd.demo import AKT, DENOM, FLEET, epochs_option, output_option, seed_option
from incentivesd.tables import render_table

DEPOSIT = "10000000uakt"
VOTING_PERIOD = 10
FEEDER = 0
ATTESTER = 8
PROVIDERS = (1, 2, 3, 4, 5, 6)
CLAIM_EVERY = 7  # epochs between providers' claims (the claim window is 30 epochs)
POOL_NAMES = ("committed", "liquidity", "rnd")


class PilotError(click.ClickException):
    """The pilot could not run or its books do not balance."""


def _packed(message: Message) -> AnyPb:
    result = AnyPb()
    result.Pack(message, type_url_prefix="/")
    return result


def _pool_msgs(
    authority: str, attester: str, start: int, epochs: int, budget: dict[str, int]
) -> list[tx_pb2.MsgCreatePool]:
    common: dict[str, Any] = {
        "authority": authority,
        "admin": attester,
        "attesters": [attester],
        "attestation_quorum": 1,
        "start_epoch": start,
        "end_epoch": start + epochs - 1,
    }
    rates = [
        types_pb2.ModelRate(gpu_model="h100", usd_micros_per_gpu_hour=2_490_000, max_gpus=83),
        types_pb2.ModelRate(gpu_model="a100-80gb", usd_micros_per_gpu_hour=1_690_000, max_gpus=54),
        types_pb2.ModelRate(gpu_model="rtxa6000", usd_micros_per_gpu_hour=980_000, max_gpus=105),
    ]
    return [
        tx_pb2.MsgCreatePool(
            name="committed",
            rule=types_pb2.ALLOCATION_RULE_FIXED_RATE,
            fixed_rate=types_pb2.FixedRateConfig(rates=rates, min_commitment_epochs=epochs),
            **common,
        ),
        tx_pb2.MsgCreatePool(
            name="liquidity mining",
            rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
            eligibility=types_pb2.Eligibility(vendors=["VENDOR_NVIDIA"], min_vram_gb=24),
            pro_rata=types_pb2.ProRataConfig(
                emission_per_epoch=str(budget["liquidity"] * AKT // epochs)
            ),
            **common,
        ),
        tx_pb2.MsgCreatePool(
            name="next-gen R&D",
            rule=types_pb2.ALLOCATION_RULE_AVAILABILITY,
            eligibility=types_pb2.Eligibility(
                vendors=["VENDOR_NVIDIA", "VENDOR_AMD"], min_launch_year=2024
            ),
            availability=types_pb2.AvailabilityConfig(
                emission_per_epoch=str(budget["rnd"] * AKT // epochs),
                weight_benchmark=3,
                weight_vram=3,
                weight_age=1,
                penalty_free_nodes=3,
                penalty_decay="0.65",
                penalty_mode="PENALTY_MODE_WALLET_COUNT",
            ),
            **common,
        ),
    ]


def proposal_file(messages: list[Message], title: str, summary: str) -> dict[str, Any]:
    """The gov v1 ``submit-proposal`` JSON file carrying ``messages``."""
    encoded = []
    for message in messages:
        body = json_format.MessageToDict(message, preserving_proto_field_name=True)
        encoded.append({"@type": "/" + message.DESCRIPTOR.full_name, **body})
    return {
        "messages": encoded,
        "metadata": "",
        "deposit": DEPOSIT,
        "title": title,
        "summary": summary,
        "expedited": False,
    }


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


def run_pilot(epochs: int, seed: int, out: Path) -> dict[str, Any]:
    """Run the pilot, write its files to ``out`` and return its summary."""
    started = time.monotonic()
    rng = random.Random(seed)
    genesis = devnet_genesis(genesis_time=int(time.time()), voting_period=VOTING_PERIOD)
    net = start_localnet(genesis, grpc_address="127.0.0.1:0", voting_period=VOTING_PERIOD)
    try:
        pilot = Pilot(net, str(genesis["chain_id"]))
        try:
            summary = _run(pilot, epochs, rng, out)
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


def _run(pilot: Pilot, epochs: int, rng: random.Random, out: Path) -> dict[str, Any]:
    feeder = pilot.address(FEEDER)
    attester = pilot.address(ATTESTER)
    with pilot.net.node.lock:
        next_pool_id = keys.NEXT_POOL_ID.peek(pilot.net.app.query_context())
    current, epoch_start, duration = pilot.epoch()
    start, end = current + 1, current + epochs
    # AKT per epoch: the committed pool's is about its fleet's cost at $2.50/AKT plus a margin.
    budget = {"committed": 900 * epochs, "liquidity": 500 * epochs, "rnd": 350 * epochs}
    creates = _pool_msgs(keys.GOV_AUTHORITY, attester, start, epochs, budget)
    pool_ids = {name: next_pool_id + offset for offset, name in enumerate(POOL_NAMES)}
    funds = [
        tx_pb2.MsgFundPoolFromCommunityPool(
            authority=keys.GOV_AUTHORITY,
            pool_id=pool_ids[name],
            amount=[Coin(denom=DENOM, amount=str(budget[name] * AKT))],
        )
        for name in POOL_NAMES
    ]
    messages: list[Message] = [*creates, *funds]
    title = f"AEP-26 provider incentives pilot ({epochs} epochs)"
    description = (
        f"Create the committed (FIXED_RATE), liquidity-mining (PRO_RATA) and next-gen R&D "
        f"(AVAILABILITY) pools for epochs {start}..{end} and fund them from the community pool."
    )
    document = proposal_file(messages, title, description)
    out.mkdir(parents=True, exist_ok=True)
    (out / "proposal.json").write_text(json.dumps(document, indent=2) + "\n")

    # Governance: submit, vote, pass the voting period.
    submit = MsgSubmitProposal(
        messages=[_packed(message) for message in messages],
        initial_deposit=[Coin(denom=DENOM, amount=DEPOSIT.removesuffix(DENOM))],
        proposer=feeder,
        metadata="",
        title=title,
        summary=description,
    )
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
    community_uakt = sum(_dec_int(coin.amount) for coin in community.pool if coin.denom == DENOM)
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


def _dec_int(amount: str) -> int:
    """The integer part of a gRPC ``Dec`` (``"1.5"`` or the SDK's raw ``"1500000000000000000"``)."""
    if "." in amount:
        return int(Decimal(amount))
    return int(amount or 0) // 10**18


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
    help="Directory for proposal.json, ledger.csv, ledger.json and summary.json.",
)
@output_option
def pilot_command(epochs: int, seed: int, out: Path, output: str) -> None:
    """Run an AEP-26-style pilot through signed txs against an in-process localnet."""
    summary = run_pilot(epochs, seed, out)
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
        click.echo(f"files: {out}/{{proposal.json,ledger.csv,ledger.json,summary.json}}")
        click.echo(f"wall time: {summary['wall_time_seconds']:.2f} s")
    if problems:
        raise PilotError("; ".join(problems))
