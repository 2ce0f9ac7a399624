"""The load generator: N concurrent clients broadcasting pre-signed bank sends to a loopback node.

Owns one load run (``run_load``): the clients' accounts (dev accounts 1..N of the localnet
mnemonic; accounts beyond the funded ten are funded first by account 0 in one tx), the
pre-signed txs (SIGN_MODE_DIRECT secp256k1 over real ``TxRaw`` bytes, each client's sequences
pipelined so nothing waits for inclusion), the client threads (gRPC ``BroadcastTx`` in sync
mode, in sequence order), a block watcher (CometBFT JSON-RPC ``status``, ``block`` and
``block_results`` at every new height) and the report:

- committed tx/s (txs included with code 0, over the time from the first broadcast to the last
  inclusion), p50/p99 inclusion latency (broadcast sent to the block seen by the watcher, which
  polls every ``POLL_SECONDS``);
- rejections at CheckTx by reason (``codespace/code description``); a full mempool
  (``sdk/20``) is retried with back-off, as a wallet would, so it delays a tx and loses nothing;
  any other rejection stops that client, whose later sequences could no longer apply;
- the verification that nothing accepted is lost: every tx accepted at CheckTx is looked up by
  hash (gRPC ``GetTx``) and must be included; ``lost`` lists those that are not (a tx included
  with a non-zero code counts in ``failed_in_block`` by reason).

Bounded: at most ``txs`` txs and ``duration`` seconds of broadcasting, then at most
``settle_seconds`` waiting for inclusion. Loopback only: a node or RPC address whose host is not
a loopback address is refused.

Fails when: an address is not loopback or not parseable (``LoadError``); the node cannot be
reached or a funding tx fails (``LoadError``).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import socket
import statistics
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import grpc
from cosmpy.protos.cosmos.auth.v1beta1.auth_pb2 import BaseAccount
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryAccountRequest
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2_grpc import QueryStub as AuthStub
from cosmpy.protos.cosmos.bank.v1beta1.bank_pb2 import Input, Output
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgMultiSend, MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin
from cosmpy.protos.cosmos.tx.v1beta1 import service_pb2
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2_grpc import ServiceStub as TxStub

from chain.devnet import DEV_ACCOUNT_COUNT, DEV_MNEMONIC, DevAccount, dev_accounts
from chain.signing import sign_direct
from incentivesd.client.client import parse_gas_price

SEND_GAS = 200_000
FUND_AMOUNT = 10**10  # uakt given to each client account beyond the funded dev accounts
POLL_SECONDS = 0.005
MEMPOOL_FULL = ("sdk", 20)
BACKOFF_SECONDS = (0.002, 0.1)  # first and longest wait before resending after a full mempool


class LoadError(Exception):
    """The load run could not start or its setup failed."""


def loopback_host(url: str) -> str:
    """The host of ``url`` (``grpc+http://h:p``, ``http://h:p``, ``tcp://h:p`` or ``h:p``) if it
    is a loopback address; ``LoadError`` otherwise."""
    parts = urlsplit(url if "://" in url else f"tcp://{url}")
    host = parts.hostname
    try:
        port = parts.port
    except ValueError:
        port = None
    if not host or port is None:
        raise LoadError(f"not a host:port address: {url!r}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port)}
    except socket.gaierror as error:
        raise LoadError(f"cannot resolve {host!r}: {error}") from None
    if not all(ipaddress.ip_address(address).is_loopback for address in addresses):
        raise LoadError(f"refusing to load a non-loopback host: {host} (use 127.0.0.1)")
    return f"{host}:{port}"


def tx_hash(tx: bytes) -> str:
    return hashlib.sha256(tx).hexdigest().upper()


@dataclass
class LoadReport:
    """What one run did; ``to_json`` is what ``incentivesd load -o json`` prints."""

    clients: int
    planned: int
    sent: int = 0
    accepted: int = 0
    committed: int = 0
    failed_in_block: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    mempool_full_retries: int = 0
    stopped_clients: int = 0
    lost: list[str] = field(default_factory=list)
    blocks: int = 0
    max_block_txs: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)

    @property
    def tx_per_s(self) -> float:
        return self.committed / self.seconds if self.seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)] * 1000

    def to_json(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "planned": self.planned,
            "sent": self.sent,
            "accepted": self.accepted,
            "committed": self.committed,
            "committed_tx_per_s": round(self.tx_per_s, 1),
            "latency_p50_ms": round(self.percentile_ms(0.5), 1),
            "latency_p99_ms": round(self.percentile_ms(0.99), 1),
            "latency_mean_ms": round(statistics.fmean(self.latencies) * 1000, 1)
            if self.latencies
            else 0.0,
            "rejected": dict(sorted(self.rejected.items())),
            "mempool_full_retries": self.mempool_full_retries,
            "stopped_clients": self.stopped_clients,
            "failed_in_block": dict(sorted(self.failed_in_block.items())),
            "lost": self.lost,
            "blocks": self.blocks,
            "max_block_txs": self.max_block_txs,
            "seconds": round(self.seconds, 3),
        }


class _Rpc:
    """The CometBFT JSON-RPC calls the watcher makes."""

    def __init__(self, address: str) -> None:
        self.url = f"http://{address}/"

    def call(self, method: str, **params: Any) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        request = urllib.request.Request(
            self.url, body.encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = json.load(response)
        if "error" in reply:
            raise LoadError(f"{method}: {reply['error']}")
        return reply["result"]

    def height(self) -> int:
        return int(self.call("status")["sync_info"]["latest_block_height"])


@dataclass
class _Client:
    account: DevAccount
    txs: list[bytes]


class _Run:
    def __init__(
        self,
        node: str,
        rpc: str,
        chain_id: str,
        gas_prices: str,
        mnemonic: str,
    ) -> None:
        self.node_address = loopback_host(node)
        self.rpc = _Rpc(loopback_host(rpc))
        self.chain_id = chain_id
        price, self.denom = parse_gas_price(gas_prices)
        self.fee_amount = math.ceil(Decimal(SEND_GAS) * price)
        self.mnemonic = mnemonic
        self.channel = grpc.insecure_channel(self.node_address)
        self.tx = TxStub(self.channel)
        self.auth = AuthStub(self.channel)
        self.lock = threading.Lock()
        self.sent_at: dict[str, float] = {}
        self.included: dict[str, tuple[float, int, str]] = {}  # hash -> (seen, code, reason)

    def fee(self) -> Coin:
        return Coin(denom=self.denom, amount=str(self.fee_amount))

    def account(self, address: str) -> tuple[int, int] | None:
        try:
            reply = self.auth.Account(QueryAccountRequest(address=address), timeout=10)
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise LoadError(f"cannot query account {address}: {error.details()}") from None
        account = BaseAccount()
        if not reply.account.Unpack(account):
            raise LoadError(f"account {address} is not a base account")
        return int(account.account_number), int(account.sequence)

    def broadcast(self, tx: bytes) -> tuple[int, str, str]:
        """(code, codespace, raw log) of CheckTx."""
        reply = self.tx.BroadcastTx(
            service_pb2.BroadcastTxRequest(tx_bytes=tx, mode=service_pb2.BROADCAST_MODE_SYNC),
            timeout=30,
        ).tx_response
        return int(reply.code), str(reply.codespace), str(reply.raw_log)

    def result_code(self, txhash: str) -> int | None:
        """The code ``txhash`` was included with (``GetTx``); None: not included."""
        try:
            reply = self.tx.GetTx(service_pb2.GetTxRequest(hash=txhash), timeout=10)
        except grpc.RpcError as error:
            if "not found" in (error.details() or ""):
                return None
            raise
        return int(reply.tx_response.code)

    def fund(self, funder: DevAccount, accounts: list[DevAccount], settle: float) -> None:
        """Account 0 sends ``FUND_AMOUNT`` to each of ``accounts`` in one multi-send."""
        state = self.account(funder.address)
        if state is None:
            raise LoadError(f"the funding account {funder.address} does not exist")
        coins = [Coin(denom=self.denom, amount=str(FUND_AMOUNT))]
        total = [Coin(denom=self.denom, amount=str(FUND_AMOUNT * len(accounts)))]
        msg = MsgMultiSend(
            inputs=[Input(address=funder.address, coins=total)],
            outputs=[Output(address=account.address, coins=coins) for account in accounts],
        )
        gas = SEND_GAS * (1 + len(accounts))
        fee = Coin(denom=self.denom, amount=str(self.fee_amount * (1 + len(accounts))))
        tx = sign_direct(
            funder.private_key,
            [msg],
            chain_id=self.chain_id,
            account_number=state[0],
            sequence=state[1],
            gas_limit=gas,
            fee=[fee],
        )
        code, codespace, log = self.broadcast(tx)
        if code:
            raise LoadError(f"funding the client accounts failed: {codespace}/{code} {log}")
        deadline = time.monotonic() + settle
        while self.result_code(tx_hash(tx)) != 0:
            if time.monotonic() > deadline:
                raise LoadError("funding the client accounts was not committed in time")
            time.sleep(POLL_SECONDS)

    def presign(self, accounts: list[DevAccount], txs: int, recipient: str) -> list[_Client]:
        clients = []
        for index, account in enumerate(accounts):
            state = self.account(account.address)
            if state is None:
                raise LoadError(f"client account {account.address} does not exist")
            number, sequence = state
            count = txs // len(accounts) + (1 if index < txs % len(accounts) else 0)
            msg = MsgSend(
                from_address=account.address,
                to_address=recipient,
                amount=[Coin(denom=self.denom, amount="1")],
            )
            signed = [
                sign_direct(
                    account.private_key,
                    [msg],
                    chain_id=self.chain_id,
                    account_number=number,
                    sequence=sequence + offset,
                    gas_limit=SEND_GAS,
                    fee=[self.fee()],
                )
                for offset in range(count)
            ]
            clients.append(_Client(account, signed))
        return clients

    def client_loop(
        self, client: _Client, deadline: float, report: LoadReport, stop: threading.Event
    ) -> None:
        for tx in client.txs:
            txhash = tx_hash(tx)
            backoff = BACKOFF_SECONDS[0]
            while True:
                if time.monotonic() >= deadline or stop.is_set():
                    return
                sent = time.monotonic()
                code, codespace, log = self.broadcast(tx)
                with self.lock:
                    report.sent += 1
                    if code == 0:
                        report.accepted += 1
                        self.sent_at[txhash] = sent
                    else:
                        reason = _reason(codespace, code, log)
                        report.rejected[reason] = report.rejected.get(reason, 0) + 1
                if code == 0:
                    break
                if (codespace, code) != MEMPOOL_FULL:
                    with self.lock:
                        report.stopped_clients += 1
                    return
                with self.lock:
                    report.mempool_full_retries += 1
                time.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_SECONDS[1])

    def watch(self, start_height: int, stop: threading.Event, report: LoadReport) -> None:
        height = start_height
        while not stop.is_set():
            latest = self.rpc.height()
            while height < latest:
                height += 1
                block = self.rpc.call("block", height=str(height))["block"]
                txs = [base64.b64decode(tx) for tx in block["data"]["txs"] or []]
                if not txs:
                    continue
                results = self.rpc.call("block_results", height=str(height))["txs_results"]
                seen = time.monotonic()
                with self.lock:
                    report.blocks += 1
                    report.max_block_txs = max(report.max_block_txs, len(txs))
                    for tx, result in zip(txs, results, strict=True):
                        code = int(result["code"])
                        reason = _reason(result["codespace"], code, result["log"]) if code else ""
                        self.included[tx_hash(tx)] = (seen, code, reason)
            stop.wait(POLL_SECONDS)

    def all_included(self) -> bool:
        with self.lock:
            return all(txhash in self.included for txhash in self.sent_at)


def _describe(error: BaseException) -> str:
    if isinstance(error, grpc.RpcError):
        return f"gRPC {error.code().name}: {error.details()}"
    return str(error)


def _reason(codespace: str, code: int, log: str) -> str:
    """``codespace/code description``: the registered description ends the SDK's raw log."""
    description = log.rsplit(": ", 1)[-1] if log else ""
    return f"{codespace}/{code} {description}".strip()


def run_load(
    node: str,
    rpc: str,
    clients: int,
    txs: int,
    duration: float,
    *,
    chain_id: str = "akash-localnet-1",
    gas_prices: str = "0.025uakt",
    mnemonic: str = DEV_MNEMONIC,
    settle_seconds: float = 30.0,
) -> LoadReport:
    """Broadcast ``txs`` pre-signed sends from ``clients`` concurrent clients (for at most
    ``duration`` seconds), wait for their inclusion and report; see the module docstring."""
    if clients < 1 or txs < 1 or duration <= 0:
        raise LoadError("clients and txs must be at least 1 and duration positive")
    run = _Run(node, rpc, chain_id, gas_prices, mnemonic)
    try:
        return _run(run, clients, txs, duration, settle_seconds)
    except grpc.RpcError as error:
        raise LoadError(f"the node at {run.node_address} failed: {error.details()}") from None
    except OSError as error:
        raise LoadError(f"the node's RPC failed: {error}") from None
    finally:
        run.channel.close()


def _run(run: _Run, clients: int, txs: int, duration: float, settle: float) -> LoadReport:
    accounts = dev_accounts(clients + 1, run.mnemonic)
    funder, users = accounts[0], accounts[1:]
    unfunded = [account for account in users if account.index >= DEV_ACCOUNT_COUNT]
    unfunded = [account for account in unfunded if run.account(account.address) is None]
    if unfunded:
        run.fund(funder, unfunded, settle)
    planned = run.presign(users, txs, funder.address)
    report = LoadReport(clients=clients, planned=txs)
    stop = threading.Event()
    failures: list[BaseException] = []

    def guarded(target: Callable[..., None], *args: Any) -> threading.Thread:
        def body() -> None:
            try:
                target(*args)
            except (grpc.RpcError, OSError, LoadError) as error:
                failures.append(error)
                stop.set()

        return threading.Thread(target=body, name="load")

    watcher = guarded(run.watch, run.rpc.height(), stop, report)
    watcher.start()
    begin = time.monotonic()
    deadline = begin + duration
    threads = [guarded(run.client_loop, client, deadline, report, stop) for client in planned]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        settle_deadline = time.monotonic() + settle
        while not (run.all_included() or stop.is_set()) and time.monotonic() < settle_deadline:
            time.sleep(POLL_SECONDS)
    finally:
        stop.set()
        watcher.join()
    if failures:
        raise LoadError(f"the load run failed: {_describe(failures[0])}")
    seen_times = []
    reasons: Counter[str] = Counter()
    for txhash, sent in run.sent_at.items():
        found = run.included.get(txhash)
        if found is None:
            continue
        seen, code, reason = found
        seen_times.append(seen)
        if code == 0:
            report.committed += 1
            report.latencies.append(seen - sent)
        else:
            reasons[reason] += 1
    report.failed_in_block = dict(reasons)
    report.seconds = (max(seen_times) if seen_times else time.monotonic()) - begin
    report.lost = sorted(txhash for txhash in run.sent_at if run.result_code(txhash) is None)
    return report
