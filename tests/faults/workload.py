"""What the fault suite's clients do to a node, and what they saw it commit.

``Workload`` drives one long-lived ``incentivesd.client.Client`` (cosmpy signing, gRPC) through
the node's lives: bank-send bursts with pipelined sequences, gov v1 proposals that pay the
community pool to a sink address on execution, and incentives operations (price posts,
attestations, claims) across epoch ends moved by the ``advance_time`` control. Every tx it sends
carries an explicit sequence the workload tracks itself.

``Ledger`` is the clients' view: txs accepted at CheckTx, txs seen included (and where), blocks
seen with their app hashes. ``Workload.reconcile`` checks a restarted node against that view:
nothing seen committed is missing or different, the txs accepted but not seen are either in the
chain or left no trace (each account's sequence is exactly one past its last included tx), and
every proposal that passed paid exactly once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.tendermint.v1beta1 import query_pb2 as tendermint_query
from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2_grpc import ServiceStub
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.distribution.v1beta1.tx_pb2 import MsgCommunityPoolSpend
from cosmpy.protos.cosmos.epochs.v1beta1 import query_pb2 as epochs_query
from cosmpy.protos.cosmos.epochs.v1beta1.query_pb2_grpc import QueryStub as EpochsStub
from cosmpy.protos.cosmos.gov.v1 import gov_pb2
from cosmpy.protos.cosmos.gov.v1.query_pb2 import QueryProposalsRequest
from cosmpy.protos.cosmos.gov.v1.tx_pb2 import MsgSubmitProposal, MsgVote
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2 import GetTxRequest
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2_grpc import ServiceStub as TxStub
from google.protobuf.any_pb2 import Any as AnyPb
from google.protobuf.message import Message

from chain.devnet import DEV_MNEMONIC
from incentives.pb import query_pb2, tx_pb2, types_pb2
from incentives.types import keys
from incentivesd.client import ChainError, Client, NodeUnreachableError, wallet_from_mnemonic
from tests.faults.node_process import VOTING_PERIOD, NodeProcess

SEND_GAS = 200_000
DEPOSIT = "10000000uakt"
SPENDS = (1_000, 2_000)  # uakt each passed proposal pays the sink, one message each
FEEDER, ATTESTER, PROVIDERS, SENDERS = 0, 8, (1, 2, 3), (4, 5, 6, 7, 9)
SINK_INDEX = 20  # an address of the mnemonic outside the dev accounts: only proposals pay it
EPOCH = "day"


@dataclass
class Ledger:
    """What the clients saw (see the module docstring)."""

    included: dict[str, int] = field(default_factory=dict)  # txhash -> height (0: unknown)
    accepted: dict[str, tuple[int, int]] = field(default_factory=dict)  # -> (account, sequence)
    sequences: dict[tuple[int, int], str] = field(default_factory=dict)  # (account, seq) -> hash
    blocks: dict[int, bytes] = field(default_factory=dict)  # height -> app hash
    this_life: list[str] = field(default_factory=list)
    blocks_this_life: list[int] = field(default_factory=list)
    skipped: int = 0  # ops whose simulation failed (never broadcast)


class Workload:
    def __init__(self, client: Client, node: NodeProcess, rng: random.Random) -> None:
        self.client = client
        self.node = node
        self.rng = rng
        self.ledger = Ledger()
        self.wallets: dict[int, LocalWallet] = {
            index: wallet_from_mnemonic(DEV_MNEMONIC, index) for index in range(10)
        }
        self.sink = str(wallet_from_mnemonic(DEV_MNEMONIC, SINK_INDEX).address())
        self.next_sequence: dict[int, int] = {}
        self.tendermint = ServiceStub(client.channel)
        self.txs = TxStub(client.channel)
        self.epochs = EpochsStub(client.channel)
        self.pool_id = 0
        self.node_ids: list[str] = []

    def address(self, index: int) -> str:
        return str(self.wallets[index].address())

    # Sending

    def send(
        self, index: int, msgs: list[Message], gas: int | None = None, wait: bool = True
    ) -> str | None:
        """Broadcast ``msgs`` signed by dev account ``index`` at its tracked sequence; the hash
        (None: the simulation failed, nothing was sent). Waits for inclusion with ``wait``."""
        sequence = self.next_sequence[index]
        try:
            result = self.client.broadcast(
                msgs,
                self.wallets[index],
                gas="auto" if gas is None else gas,
                sequence=sequence,
                wait=False,
            )
        except ChainError as error:
            if error.txhash:  # CheckTx refused it: the tracked sequence is wrong
                raise AssertionError(f"CheckTx refused a tx of account {index}: {error}") from None
            self.ledger.skipped += 1
            return None
        txhash = result.txhash
        self.next_sequence[index] = sequence + 1
        self.ledger.accepted[txhash] = (index, sequence)
        self.ledger.sequences[(index, sequence)] = txhash
        if wait:
            self.wait(txhash)
        return txhash

    def wait(self, txhash: str) -> None:
        try:
            height = self.client.wait_for_tx(txhash, timeout=10).height
        except ChainError:  # included, failed: it is in the chain all the same
            height = 0
        self.ledger.included[txhash] = height
        self.ledger.this_life.append(txhash)
        self.ledger.accepted.pop(txhash, None)

    def see_latest_block(self) -> int:
        reply = self.client.call(
            self.tendermint.GetLatestBlock, tendermint_query.GetLatestBlockRequest()
        )
        height = int(reply.block.header.height)
        self.ledger.blocks[height] = bytes(reply.block.header.app_hash)
        self.ledger.blocks_this_life.append(height)
        return height

    def advance(self, seconds: int) -> None:
        try:
            self.node.rpc("advance_time", duration_in_seconds=str(seconds))
        except OSError as error:
            raise NodeUnreachableError(f"advance_time: {error}") from None
        self.see_latest_block()

    # Flows

    def send_burst(self) -> None:
        """A few pipelined sends (none waits for the previous), then their inclusion."""
        hashes = []
        for _ in range(self.rng.randint(2, 6)):
            sender = self.rng.choice(SENDERS)
            msg = MsgSend(
                from_address=self.address(sender),
                to_address=self.address(self.rng.randrange(10)),
                amount=[Coin(denom="uakt", amount=str(self.rng.randint(1, 999)))],
            )
            txhash = self.send(sender, [msg], gas=SEND_GAS, wait=False)
            assert txhash is not None
            hashes.append(txhash)
        for txhash in hashes:
            self.wait(txhash)
        self.see_latest_block()

    def gov_flow(self) -> None:
        """A proposal paying the sink from the community pool: submit, vote, pass its end."""
        spends = [
            _packed(
                MsgCommunityPoolSpend(
                    authority=keys.GOV_AUTHORITY,
                    recipient=self.sink,
                    amount=[Coin(denom="uakt", amount=str(amount))],
                )
            )
            for amount in SPENDS
        ]
        self.propose(spends, "pay the sink")
        self.advance(VOTING_PERIOD + 1)

    def propose(self, messages: list[AnyPb], title: str) -> None:
        feeder = self.address(FEEDER)
        submit = MsgSubmitProposal(
            messages=messages,
            initial_deposit=[Coin(denom="uakt", amount=DEPOSIT.removesuffix("uakt"))],
            proposer=feeder,
            title=title,
            summary=title,
        )
        submitted = self.send(FEEDER, [submit], gas=600_000)
        assert submitted is not None
        found = self.client.call(self.txs.GetTx, GetTxRequest(hash=submitted)).tx_response
        proposal_id = next(
            int(attribute.value)
            for event in found.events
            for attribute in event.attributes
            if attribute.key == "proposal_id"
        )
        vote = MsgVote(proposal_id=proposal_id, voter=feeder, option=gov_pb2.VOTE_OPTION_YES)
        self.send(FEEDER, [vote], gas=SEND_GAS)

    def epoch_flow(self) -> None:
        """Price, attestation of the pool's nodes, an epoch end (hooks run), claims."""
        self.send(FEEDER, [tx_pb2.MsgPostPrice(feeder=self.address(FEEDER), akt_usd="2.500000")])
        epoch = self.client.call(
            self.epochs.CurrentEpoch, epochs_query.QueryCurrentEpochRequest(identifier=EPOCH)
        ).current_epoch
        reports = [
            types_pb2.NodeReport(
                node_id=node_id, online_seconds=86_400, idle_seconds=self.rng.randrange(3600)
            )
            for node_id in self.node_ids
        ]
        attest = tx_pb2.MsgSubmitAttestation(
            attester=self.address(ATTESTER), pool_id=self.pool_id, epoch=epoch, reports=reports
        )
        self.send(ATTESTER, [attest])
        self.advance(86_400)
        for index in PROVIDERS:
            provider = self.address(index)
            accruals = self.client.call(
                self.client.incentives.Accruals, query_pb2.QueryAccrualsRequest(provider=provider)
            )
            if accruals.accruals:
                self.send(index, [tx_pb2.MsgClaimRewards(provider=provider, pool_id=0)])

    def setup_incentives(self) -> None:
        """A gov proposal creating and funding a pro-rata pool, then providers joining it."""
        epoch = self.client.call(
            self.epochs.CurrentEpoch, epochs_query.QueryCurrentEpochRequest(identifier=EPOCH)
        ).current_epoch
        self.pool_id = 1
        create = tx_pb2.MsgCreatePool(
            authority=keys.GOV_AUTHORITY,
            name="faults",
            rule=types_pb2.ALLOCATION_RULE_PRO_RATA,
            admin=self.address(ATTESTER),
            attesters=[self.address(ATTESTER)],
            attestation_quorum=1,
            eligibility=types_pb2.Eligibility(vendors=["VENDOR_NVIDIA"], min_vram_gb=24),
            pro_rata=types_pb2.ProRataConfig(emission_per_epoch=str(1_000 * 10**6)),
            start_epoch=epoch + 1,
            end_epoch=epoch + 1_000,
        )
        fund = tx_pb2.MsgFundPoolFromCommunityPool(
            authority=keys.GOV_AUTHORITY,
            pool_id=self.pool_id,
            amount=[Coin(denom="uakt", amount=str(100_000 * 10**6))],
        )
        self.propose([_packed(create), _packed(fund)], "faults pool")
        self.advance(VOTING_PERIOD + 1)
        for index in PROVIDERS:
            owner = self.address(index)
            node_id = f"faults-{index}"
            register = tx_pb2.MsgRegisterNode(
                owner=owner, node_id=node_id, gpu_model="h100", gpu_count=8, benchmark_score=2950
            )
            join = tx_pb2.MsgJoinPool(owner=owner, pool_id=self.pool_id, node_id=node_id)
            assert self.send(index, [register, join]) is not None
            self.node_ids.append(node_id)

    def mixed(self) -> None:
        """Until the node dies: bursts, now and then an hour of time travel or a proposal."""
        flows: list[Callable[[], None]] = [self.send_burst] * 6 + [self.gov_flow]
        flows += [lambda: self.advance(3_600)]
        while True:
            self.rng.choice(flows)()

    # Checks after a restart

    def resync(self) -> None:
        """Each account's next sequence from the chain (the mempool died with the node)."""
        for index in self.wallets:
            self.next_sequence[index] = self.client.account(self.address(index))[1]

    def reconnect(self, timeout: float = 10.0) -> float:
        """Seconds until the client's first call to the restarted node succeeds. A call made
        while the node was down leaves the gRPC channel in its reconnect back-off (about 1 s);
        the same channel must then come back by itself."""
        begin = time.monotonic()
        while True:
            try:
                self.see_latest_block()
                return time.monotonic() - begin
            except NodeUnreachableError:
                if time.monotonic() - begin > timeout:
                    raise
                time.sleep(0.02)

    def reconcile(self) -> dict[str, Any]:
        """Check the restarted node against the ledger (see the module docstring); returns
        what was found for the report."""
        ledger = self.ledger
        reconnected = self.reconnect()
        latest = self.see_latest_block()
        seen_top = max(ledger.blocks)
        assert latest >= seen_top, f"the node is at {latest}, the clients saw {seen_top}"
        sample = self.rng.sample(sorted(ledger.blocks), min(3, len(ledger.blocks)))
        for height in {*ledger.blocks_this_life, *sample}:
            if height > latest:
                continue
            reply = self.client.call(
                self.tendermint.GetBlockByHeight,
                tendermint_query.GetBlockByHeightRequest(height=height),
            )
            assert bytes(reply.block.header.app_hash) == ledger.blocks[height], height
        for txhash in ledger.this_life:
            height = self._find(txhash)
            assert height is not None, f"tx {txhash} was seen included and is missing"
            assert ledger.included[txhash] in (0, height), (txhash, ledger.included[txhash])
            ledger.included[txhash] = height
        recovered = 0
        for txhash in list(ledger.accepted):
            height = self._find(txhash)
            if height is not None:  # in the block that was committing when the node died
                ledger.included[txhash] = height
                del ledger.accepted[txhash]
                recovered += 1
        dropped = len(ledger.accepted)
        self.resync()
        for index, sequence in self.next_sequence.items():
            last = ledger.sequences.get((index, sequence - 1))
            if last is not None:
                assert last in ledger.included, f"account {index}: seq {sequence - 1} not included"
            unapplied = ledger.sequences.get((index, sequence))
            assert unapplied is None or unapplied in ledger.accepted, (
                f"account {index}: tx at sequence {sequence} was seen included, "
                "but the chain did not apply it"
            )
        ledger.sequences = {
            key: txhash for key, txhash in ledger.sequences.items() if txhash in ledger.included
        }
        ledger.accepted.clear()
        self.check_spends()
        ledger.this_life.clear()
        ledger.blocks_this_life.clear()
        return {"recovered": recovered, "dropped": dropped, "reconnect_seconds": reconnected}

    def _find(self, txhash: str) -> int | None:
        try:
            found = self.client.call(self.txs.GetTx, GetTxRequest(hash=txhash))
        except grpc.RpcError as error:
            if "not found" in (error.details() or ""):
                return None
            raise
        return int(found.tx_response.height)

    def check_spends(self) -> int:
        """Every passed proposal paid the sink once: its balance is their sum. Returns how
        many passed."""
        passed = 0
        request = QueryProposalsRequest()
        while True:
            reply = self.client.call(self.client.gov.Proposals, request)
            for proposal in reply.proposals:
                assert proposal.status != gov_pb2.PROPOSAL_STATUS_FAILED, proposal.failed_reason
                spends = any("CommunityPoolSpend" in m.type_url for m in proposal.messages)
                if spends and proposal.status == gov_pb2.PROPOSAL_STATUS_PASSED:
                    passed += 1
            if not reply.pagination.next_key:
                break
            request = QueryProposalsRequest()
            request.pagination.key = reply.pagination.next_key
        assert self.client.bank_balance(self.sink) == passed * sum(SPENDS)
        return passed


def _packed(message: Message) -> AnyPb:
    packed = AnyPb()
    packed.Pack(message, type_url_prefix="/")
    return packed
