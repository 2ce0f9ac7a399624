"""A typed client for the localnet (or any Cosmos-SDK chain) over gRPC, built on cosmpy.

No business logic: it signs and broadcasts the messages it is given, waits for their inclusion,
and turns a failed tx into a ``ChainError``; queries go through cosmpy's ``LedgerClient`` or the
generated stubs (``client.gov``, ``client.distribution``, ``client.incentives``), all on one gRPC
channel.

Fees: with ``gas="auto"`` the tx is simulated and the gas limit is ``ceil(gas_used *
gas_adjustment)``; the fee, unless given, is ``ceil(gas_limit * gas_price)`` in the gas price's
denom.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import grpc
from cosmpy.aerial.client import LedgerClient, NetworkConfig
from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.urls import Protocol, parse_url
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2_grpc import QueryStub as AuthStub
from cosmpy.protos.cosmos.bank.v1beta1.query_pb2 import (
    QueryAllBalancesRequest,
    QueryBalanceRequest,
)
from cosmpy.protos.cosmos.bank.v1beta1.query_pb2_grpc import QueryStub as BankStub
from cosmpy.protos.cosmos.base.tendermint.v1beta1.query_pb2_grpc import (
    ServiceStub as TendermintStub,
)
from cosmpy.protos.cosmos.consensus.v1.query_pb2_grpc import QueryStub as ConsensusStub
from cosmpy.protos.cosmos.distribution.v1beta1.query_pb2_grpc import (
    QueryStub as DistributionStub,
)
from cosmpy.protos.cosmos.gov.v1.query_pb2_grpc import QueryStub as GovStub
from cosmpy.protos.cosmos.params.v1beta1.query_pb2_grpc import QueryStub as ParamsStub
from cosmpy.protos.cosmos.staking.v1beta1.query_pb2_grpc import QueryStub as StakingStub
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2 import (
    BroadcastMode,
    BroadcastTxRequest,
    GetTxRequest,
    SimulateRequest,
)
from cosmpy.protos.cosmos.tx.v1beta1.service_pb2_grpc import ServiceStub as TxStub

from incentives.pb import query_pb2_grpc as incentives_grpc

DEFAULT_NODE = "grpc+http://127.0.0.1:9090"
DEFAULT_CHAIN_ID = "akash-localnet-1"
DEFAULT_PREFIX = "akash"
_GAS_PRICE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$")
_CONNECTION_STATUSES = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


class ClientError(Exception):
    """Any failure of the client that is not a chain's verdict on a tx."""


class NodeUnreachableError(ClientError):
    """The node did not answer (connection refused, timeout)."""


class TxTimeoutError(ClientError):
    """A broadcast tx was not included within the timeout."""

    def __init__(self, txhash: str, timeout: float) -> None:
        super().__init__(f"tx {txhash} not included after {timeout:g} s")
        self.txhash = txhash


class ChainError(ClientError):
    """The chain rejected a tx: a non-zero code at CheckTx (broadcast), DeliverTx (inclusion) or
    simulation. ``txhash`` is empty for a failed simulation; there the gRPC status carries no
    codespace, so ``codespace`` and ``code`` are recovered from the error description at the end
    of the log when it is a registered one (``""``/``-1`` otherwise)."""

    def __init__(self, codespace: str, code: int, raw_log: str, txhash: str = "") -> None:
        super().__init__(f"{codespace or '?'} code {code}: {raw_log}")
        self.codespace = codespace
        self.code = code
        self.raw_log = raw_log
        self.txhash = txhash


@dataclass(frozen=True, slots=True)
class Event:
    """An ABCI event: its type and its attributes in order."""

    type: str
    attributes: list[tuple[str, str]]

    def attribute(self, key: str) -> str | None:
        """The last value of attribute ``key``, or None."""
        values = [value for name, value in self.attributes if name == key]
        return values[-1] if values else None


@dataclass(frozen=True, slots=True)
class TxResult:
    """An included, successful tx."""

    txhash: str
    height: int
    code: int
    gas_wanted: int
    gas_used: int
    raw_log: str
    events: list[Event] = field(default_factory=list)

    def events_of(self, type_: str) -> list[Event]:
        return [event for event in self.events if event.type == type_]


def wallet_from_mnemonic(
    mnemonic: str, index: int = 0, prefix: str = DEFAULT_PREFIX
) -> LocalWallet:
    """The wallet at HD path ``m/44'/118'/0'/0/<index>`` of ``mnemonic``."""
    key = derive_child_key_from_mnemonic(mnemonic, path=hd_path(index))
    return LocalWallet(PrivateKey(key), prefix=prefix)


def hd_path(index: int) -> str:
    return f"m/44'/118'/0'/0/{index}"


def parse_gas_price(gas_price: str) -> tuple[Decimal, str]:
    """``"0.025uakt"`` -> ``(Decimal("0.025"), "uakt")``."""
    match = _GAS_PRICE.match(gas_price)
    if match is None:
        raise ValueError(f"invalid gas price {gas_price!r} (expected e.g. 0.025uakt)")
    return Decimal(match.group(1)), match.group(2)


def node_url(node: str) -> str:
    """``node`` as a gRPC URL: a bare ``host:port`` (what ``incentivesd start`` prints) is a
    plaintext gRPC endpoint, ``grpc+http://host:port``; a URL is kept as given."""
    return node if "://" in node else f"grpc+http://{node}"


def _channel(node: str) -> grpc.Channel:
    try:
        parsed = parse_url(node)
    except RuntimeError as error:
        raise ValueError(f"invalid node address {node!r}: {error}") from None
    if parsed.protocol != Protocol.GRPC:
        raise ValueError(f"only grpc+http:// and grpc+https:// nodes are supported, not {node!r}")
    if parsed.secure:
        return grpc.secure_channel(parsed.host_and_port, grpc.ssl_channel_credentials())
    return grpc.insecure_channel(parsed.host_and_port)


def _registered_error(message: str) -> tuple[str, int]:
    """(codespace, code) of the registered error whose description ends ``message``."""
    import chain.app  # noqa: F401  (registers every module's errors)
    from chain.sdk.errors import registered_errors

    best: tuple[int, str, int] = (0, "", -1)
    for kind in registered_errors():
        suffix = f": {kind.description}"
        if (message.endswith(suffix) or message == kind.description) and len(suffix) > best[0]:
            best = (len(suffix), kind.codespace, kind.code)
    return best[1], best[2]


class Client:
    """One node, one chain id, one gas price; see the module docstring."""

    def __init__(
        self,
        node: str = DEFAULT_NODE,
        chain_id: str = DEFAULT_CHAIN_ID,
        gas_prices: str = "0.025uakt",
        gas_adjustment: float = 1.5,
        query_interval_secs: float = 0.1,
        timeout_secs: float = 15.0,
    ) -> None:
        self.node = node = node_url(node)
        self.chain_id = chain_id
        self.gas_price, self.fee_denom = parse_gas_price(gas_prices)
        self.gas_adjustment = Decimal(str(gas_adjustment))
        self.query_interval_secs = query_interval_secs
        self.timeout_secs = timeout_secs
        self.channel = _channel(node)
        config = NetworkConfig(
            chain_id=chain_id,
            url=node,
            fee_minimum_gas_price=float(self.gas_price),
            fee_denomination=self.fee_denom,
            staking_denomination=self.fee_denom,
        )
        ledger = LedgerClient(
            config, query_interval_secs=query_interval_secs, query_timeout_secs=timeout_secs
        )
        # LedgerClient opens its own (lazy, never connected) channel; rebind its stubs to ours so
        # that every call shares one connection and ``close`` ends it.
        ledger.auth = AuthStub(self.channel)
        ledger.txs = TxStub(self.channel)
        ledger.bank = BankStub(self.channel)
        ledger.staking = StakingStub(self.channel)
        ledger.distribution = DistributionStub(self.channel)
        ledger.params = ParamsStub(self.channel)
        ledger.consensus = ConsensusStub(self.channel)
        ledger.tendermint = TendermintStub(self.channel)
        self.ledger = ledger
        self._tx = TxStub(self.channel)
        # Query stubs on the same channel: cosmos.bank.v1beta1, cosmos.gov.v1,
        # cosmos.distribution.v1beta1 and akash.incentives.v1.
        self.bank: Any = BankStub(self.channel)
        self.gov: Any = GovStub(self.channel)
        self.distribution: Any = DistributionStub(self.channel)
        self.incentives: Any = incentives_grpc.QueryStub(self.channel)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def call(self, method: Any, request: Any) -> Any:
        """``method(request)`` with connection failures as ``NodeUnreachableError``; other gRPC
        errors propagate as ``grpc.RpcError``."""
        try:
            return method(request, timeout=self.timeout_secs)
        except grpc.RpcError as error:
            if error.code() in _CONNECTION_STATUSES:
                raise NodeUnreachableError(
                    f"cannot reach the node at {self.node}: {error.details()}"
                ) from None
            raise

    def bank_balance(self, address: str, denom: str = "uakt") -> int:
        response = self.call(self.bank.Balance, QueryBalanceRequest(address=address, denom=denom))
        return int(response.balance.amount or 0)

    def all_balances(self, address: str) -> dict[str, int]:
        balances: dict[str, int] = {}
        request = QueryAllBalancesRequest(address=address)
        while True:
            response = self.call(self.bank.AllBalances, request)
            for coin in response.balances:
                balances[coin.denom] = int(coin.amount)
            if not response.pagination.next_key:
                return balances
            request = QueryAllBalancesRequest(address=address)
            request.pagination.key = response.pagination.next_key

    def account(self, address: str) -> tuple[int, int]:
        """(account number, sequence)."""
        try:
            account = self.ledger.query_account(address)
        except grpc.RpcError as error:
            if error.code() in _CONNECTION_STATUSES:
                raise NodeUnreachableError(
                    f"cannot reach the node at {self.node}: {error.details()}"
                ) from None
            raise
        return int(account.number), int(account.sequence)

    def fee_for(self, gas: int) -> str:
        return f"{math.ceil(Decimal(gas) * self.gas_price)}{self.fee_denom}"

    def simulate(self, msgs: list[Any], wallet: LocalWallet, memo: str = "") -> int:
        """Gas used by ``msgs`` signed by ``wallet`` at its current sequence."""
        number, sequence = self.account(str(wallet.address()))
        return self._simulate(self._signed(msgs, wallet, number, sequence, TxFee([], 0), memo))

    def estimate(self, msgs: list[Any], wallet: LocalWallet, memo: str = "") -> tuple[int, int]:
        """(gas used by a simulation of ``msgs``, the gas limit ``ceil(used * gas_adjustment)``
        that ``broadcast`` with ``gas="auto"`` would set)."""
        used = self.simulate(msgs, wallet, memo)
        return used, math.ceil(Decimal(used) * self.gas_adjustment)

    def _simulate(self, tx: Transaction) -> int:
        try:
            response = self.call(self._tx.Simulate, SimulateRequest(tx=tx.tx))
        except grpc.RpcError as error:
            message = error.details() or ""
            codespace, code = _registered_error(message)
            raise ChainError(codespace, code, message) from None
        return int(response.gas_info.gas_used)

    def broadcast(
        self,
        msgs: list[Any] | Any,
        wallet: LocalWallet,
        gas: int | Literal["auto"] = "auto",
        fees: str | None = None,
        memo: str = "",
        sequence: int | None = None,
        wait: bool = True,
    ) -> TxResult:
        """Sign ``msgs`` with ``wallet``, broadcast them (sync mode) and, with ``wait``, poll
        until the tx is included. Raises ``ChainError`` on a non-zero code at simulation,
        CheckTx or DeliverTx. ``sequence`` overrides the account's (for pipelining)."""
        messages = list(msgs) if isinstance(msgs, list | tuple) else [msgs]
        number, current = self.account(str(wallet.address()))
        sequence = current if sequence is None else sequence
        if gas == "auto":
            draft = self._signed(messages, wallet, number, sequence, TxFee([], 0), memo)
            gas_limit = math.ceil(Decimal(self._simulate(draft)) * self.gas_adjustment)
        else:
            gas_limit = int(gas)
        fee = TxFee(amount=fees or self.fee_for(gas_limit), gas_limit=gas_limit)
        tx = self._signed(messages, wallet, number, sequence, fee, memo)
        request = BroadcastTxRequest(
            tx_bytes=tx.tx.SerializeToString(), mode=BroadcastMode.BROADCAST_MODE_SYNC
        )
        checked = self.call(self._tx.BroadcastTx, request).tx_response
        if checked.code != 0:
            raise ChainError(checked.codespace, checked.code, checked.raw_log, checked.txhash)
        if not wait:
            return _result(checked)
        return self.wait_for_tx(checked.txhash)

    def wait_for_tx(self, txhash: str, timeout: float | None = None) -> TxResult:
        """Poll GetTx until ``txhash`` is included; ``ChainError`` if it failed."""
        timeout = self.timeout_secs if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = self.call(self._tx.GetTx, GetTxRequest(hash=txhash)).tx_response
            except grpc.RpcError as error:
                if "not found" not in (error.details() or ""):
                    raise
            else:
                if response.code != 0:
                    raise ChainError(response.codespace, response.code, response.raw_log, txhash)
                return _result(response)
            if time.monotonic() >= deadline:
                raise TxTimeoutError(txhash, timeout)
            time.sleep(self.query_interval_secs)

    def _signed(
        self,
        msgs: list[Any],
        wallet: LocalWallet,
        number: int,
        sequence: int,
        fee: TxFee,
        memo: str,
    ) -> Transaction:
        tx = Transaction()
        for msg in msgs:
            tx.add_message(msg)
        tx.seal(SigningCfg.direct(wallet.public_key(), sequence), fee=fee, memo=memo)
        tx.sign(wallet.signer(), self.chain_id, number)
        tx.complete()
        return tx


def _result(response: Any) -> TxResult:
    return TxResult(
        txhash=str(response.txhash),
        height=int(response.height),
        code=int(response.code),
        gas_wanted=int(response.gas_wanted),
        gas_used=int(response.gas_used),
        raw_log=str(response.raw_log),
        events=[
            Event(
                event.type,
                [(_text(attr.key), _text(attr.value)) for attr in event.attributes],
            )
            for event in response.events
        ],
    )


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value
