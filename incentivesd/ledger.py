"""The public payments ledger: every reward payment, rebuilt from chain events, and its audit.

Owns the ledger's one row shape (``LedgerEntry``: payment id, pool, epoch, provider, amount,
denom, height, block time, claim tx hash), its CSV and JSON files (written and read back), the
two ways to build it, and their comparison:

- ``ledger_from_events``: every ``akash.incentives.v1.EventRewardsClaimed`` of every successful
  tx, found with the CometBFT JSON-RPC ``tx_search`` (all pages, oldest first), the block time
  from ``header``. Along the way each claim tx's bank ``transfer`` events from the module
  account to the provider are summed, so the audit can check the coins really moved.
- ``ledger_from_records``: the module's own records, the gRPC ``Payments`` query (all pages).

``audit`` compares them payment by payment (missing, extra, a field that differs), checks each
pool's ``paid`` total against its payments and each claim tx's transfer against its events, and
``compare`` checks a published ledger file against the chain's.

Fails when (``LedgerError``): the RPC endpoint cannot be reached or answers with an error or
not in the CometBFT shape; a ledger file cannot be read or is not a ledger.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cosmpy.protos.cosmos.auth.v1beta1.auth_pb2 import ModuleAccount
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2 import QueryModuleAccountByNameRequest
from cosmpy.protos.cosmos.auth.v1beta1.query_pb2_grpc import QueryStub as AuthStub

from incentives.pb import query_pb2
from incentivesd.client.client import Client, ClientError

DEFAULT_RPC = "http://127.0.0.1:26657"
CLAIM_EVENT = "akash.incentives.v1.EventRewardsClaimed"
MODULE_NAME = "incentives"
PER_PAGE = 100
RPC_TIMEOUT_SECONDS = 15.0


class LedgerError(ClientError):
    """The ledger could not be built or read; the message says why."""


@dataclass(frozen=True, slots=True, order=True)
class LedgerEntry:
    """One payment. ``time`` is the block time (RFC 3339, UTC, seconds); ``txhash`` is the claim
    tx's hash (upper-case hex), empty when the source does not know it (the module's records)."""

    payment_id: int
    pool: int
    epoch: int
    provider: str
    amount: int
    denom: str
    height: int
    time: str
    txhash: str


FIELDS = tuple(field.name for field in fields(LedgerEntry))
# Column names other writers use for the same fields (the pilot's ledger says ``id``).
_ALIASES = {"id": "payment_id", "pool_id": "pool", "tx_hash": "txhash"}


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One disagreement: ``kind`` is missing | extra | different | pool-total | transfer; ``key``
    names the payment, pool or tx; ``expected`` is the reference's value, ``actual`` the
    checked one's; ``message`` says it in a sentence."""

    kind: str
    key: str
    field: str
    expected: str
    actual: str
    message: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """What one claim tx paid one provider: by its events and by its bank transfers."""

    txhash: str
    provider: str
    claimed: int
    transferred: int


def rfc3339(unix_seconds: int) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seconds_of(timestamp: str) -> int:
    """Unix seconds of an RFC 3339 time with up to nanosecond fractions."""
    text = timestamp.strip().replace("Z", "+00:00")
    main, _, rest = text.partition(".")
    if rest:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = main + rest[digits:]
    return int(datetime.fromisoformat(text).timestamp())


# Files


def to_rows(entries: Iterable[LedgerEntry]) -> list[dict[str, Any]]:
    """Entries as JSON objects: amounts as strings (cosmos Int), the other numbers as numbers."""
    return [{**asdict(entry), "amount": str(entry.amount)} for entry in entries]


def dumps(entries: Sequence[LedgerEntry], fmt: str) -> str:
    """The ledger as ``csv`` (a header line, then a row per payment) or ``json`` (a list)."""
    if fmt == "json":
        return json.dumps(to_rows(entries), indent=2) + "\n"
    if fmt != "csv":
        raise ValueError(f"unknown ledger format {fmt!r} (csv or json)")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(entry) for entry in entries)
    return buffer.getvalue()


def write_ledger(entries: Sequence[LedgerEntry], path: Path) -> None:
    """Write the ledger to ``path``, CSV or JSON by its suffix (``.json``: JSON)."""
    path.write_text(dumps(entries, "json" if path.suffix == ".json" else "csv"))


def read_ledger(path: Path) -> list[LedgerEntry]:
    """A ledger file written by ``write_ledger`` (or with the pilot's columns: ``id`` for
    ``payment_id``; ``denom``, ``time`` and ``txhash`` may be absent)."""
    try:
        text = path.read_text()
    except OSError as error:
        raise LedgerError(f"cannot read {path}: {error.strerror}") from None
    if text.lstrip().startswith("["):
        try:
            rows = json.loads(text)
        except ValueError as error:
            raise LedgerError(f"{path}: not JSON: {error}") from None
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    if not isinstance(rows, list):
        raise LedgerError(f"{path}: expected a list of payments")
    return [_entry(path, number, row) for number, row in enumerate(rows, start=1)]


def _entry(path: Path, number: int, row: Any) -> LedgerEntry:
    if not isinstance(row, dict):
        raise LedgerError(f"{path}: payment {number} is not an object")
    values = {_ALIASES.get(key, key): value for key, value in row.items()}
    try:
        return LedgerEntry(
            payment_id=int(values["payment_id"]),
            pool=int(values["pool"]),
            epoch=int(values["epoch"]),
            provider=str(values["provider"]),
            amount=int(values["amount"]),
            denom=str(values.get("denom") or ""),
            height=int(values["height"]),
            time=str(values.get("time") or ""),
            txhash=str(values.get("txhash") or "").upper(),
        )
    except KeyError as error:
        raise LedgerError(f"{path}: payment {number} has no {error.args[0]}") from None
    except (TypeError, ValueError) as error:
        raise LedgerError(f"{path}: payment {number}: {error}") from None


# Sources


class RpcClient:
    """A CometBFT JSON-RPC endpoint (``http://host:26657``; ``tcp://`` as CometBFT's own
    configuration writes it is read as ``http://``)."""

    def __init__(self, url: str = DEFAULT_RPC, timeout: float = RPC_TIMEOUT_SECONDS) -> None:
        if url.startswith("tcp://"):
            url = "http://" + url.removeprefix("tcp://")
        if not url.startswith(("http://", "https://")):
            raise LedgerError(f"invalid RPC address {url!r} (expected http://host:port)")
        self.url = url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, **params: Any) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        request = urllib.request.Request(
            self.url + "/",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            answer = _error_body(error)
            if answer is None:
                raise LedgerError(f"RPC {self.url} {method}: HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise LedgerError(f"cannot reach the RPC endpoint at {self.url}: {reason}") from None
        except ValueError:
            raise LedgerError(f"RPC {self.url} {method}: the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise LedgerError(f"RPC {self.url} {method}: unexpected answer")
        if answer.get("error"):
            failure = answer["error"]
            detail = (
                failure.get("data") or failure.get("message")
                if isinstance(failure, dict)
                else failure
            )
            raise LedgerError(f"RPC {self.url} {method}: {detail}")
        return answer.get("result")


def _error_body(error: urllib.error.HTTPError) -> Any:
    try:
        return json.loads(error.read())
    except ValueError:
        return None


def _attribute_value(value: str) -> str:
    """A typed event's attribute is JSON (``"\\"42\\""``); older chains write it bare."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, str) else str(decoded)


def _amount_of(coins: str, denom: str) -> int:
    """The amount of ``denom`` in a coins string (``"5uakt,7ufoo"``)."""
    total = 0
    for coin in coins.split(","):
        digits = len(coin) - len(coin.lstrip("0123456789"))
        if digits and coin[digits:] == denom:
            total += int(coin[:digits])
    return total


def claim_txs(rpc: RpcClient, per_page: int = PER_PAGE) -> Iterator[dict[str, Any]]:
    """Every tx with a claim event, oldest first, through all ``tx_search`` pages."""
    query = f"{CLAIM_EVENT}.payment_id EXISTS"
    page, seen = 1, 0
    while True:
        result = rpc.call(
            "tx_search",
            query=query,
            prove=False,
            page=str(page),
            per_page=str(per_page),
            order_by="asc",
        )
        try:
            txs = result["txs"]
            total = int(result["total_count"])
        except (KeyError, TypeError, ValueError):
            raise LedgerError(f"RPC {rpc.url} tx_search: unexpected answer") from None
        yield from txs
        seen += len(txs)
        if seen >= total or not txs:
            return
        page += 1


def ledger_from_events(
    rpc: RpcClient,
    denom: str,
    module_address: str,
    pool: int | None = None,
    per_page: int = PER_PAGE,
) -> tuple[list[LedgerEntry], list[Transfer]]:
    """The ledger from chain events (see the module docstring), and per claim tx and provider
    what the events claim and what the bank transferred from ``module_address``."""
    entries: list[LedgerEntry] = []
    transfers: list[Transfer] = []
    times: dict[int, str] = {}
    for tx in claim_txs(rpc, per_page):
        try:
            result = tx["tx_result"]
            if int(result.get("code") or 0) != 0:
                continue
            txhash, height = str(tx["hash"]).upper(), int(tx["height"])
            events = result.get("events") or []
        except (KeyError, TypeError, ValueError):
            raise LedgerError(f"RPC {rpc.url} tx_search: unexpected tx shape") from None
        if height not in times:
            times[height] = _block_time(rpc, height)
        claimed: dict[str, int] = {}
        transferred: dict[str, int] = {}
        for event in events:
            attributes = {
                str(item.get("key")): str(item.get("value") or "")
                for item in event.get("attributes") or []
            }
            if event.get("type") == "transfer" and attributes.get("sender") == module_address:
                recipient = attributes.get("recipient", "")
                amount = _amount_of(attributes.get("amount", ""), denom)
                transferred[recipient] = transferred.get(recipient, 0) + amount
            if event.get("type") != CLAIM_EVENT:
                continue
            values = {key: _attribute_value(value) for key, value in attributes.items()}
            try:
                entry = LedgerEntry(
                    payment_id=int(values["payment_id"]),
                    pool=int(values["pool_id"]),
                    epoch=int(values["epoch"]),
                    provider=values["provider"],
                    amount=int(values["amount"]),
                    denom=denom,
                    height=height,
                    time=times[height],
                    txhash=txhash,
                )
            except (KeyError, ValueError) as error:
                raise LedgerError(f"tx {txhash}: malformed {CLAIM_EVENT}: {error}") from None
            claimed[entry.provider] = claimed.get(entry.provider, 0) + entry.amount
            if pool is None or entry.pool == pool:
                entries.append(entry)
        transfers.extend(
            Transfer(txhash, provider, amount, transferred.get(provider, 0))
            for provider, amount in sorted(claimed.items())
        )
    return sorted(entries), transfers


def _block_time(rpc: RpcClient, height: int) -> str:
    result = rpc.call("header", height=str(height))
    try:
        return rfc3339(_seconds_of(result["header"]["time"]))
    except (KeyError, TypeError, ValueError):
        raise LedgerError(f"RPC {rpc.url} header {height}: unexpected answer") from None


def reward_denom(client: Client) -> str:
    params = client.call(client.incentives.Params, query_pb2.QueryParamsRequest()).params
    return str(params.reward_denom)


def module_address(client: Client) -> str:
    """The bech32 address of the incentives module account."""
    stub = AuthStub(client.channel)
    response = client.call(
        stub.ModuleAccountByName, QueryModuleAccountByNameRequest(name=MODULE_NAME)
    )
    account = ModuleAccount()
    response.account.Unpack(account)
    return str(account.base_account.address)


def ledger_from_records(
    client: Client, denom: str, pool: int | None = None, per_page: int = PER_PAGE
) -> list[LedgerEntry]:
    """The ledger from the module's ``Payments`` records (no tx hashes)."""
    request = query_pb2.QueryPaymentsRequest(pool_id=pool or 0)
    request.pagination.limit = per_page
    entries: list[LedgerEntry] = []
    while True:
        response = client.call(client.incentives.Payments, request)
        entries.extend(
            LedgerEntry(
                payment_id=int(payment.id),
                pool=int(payment.pool_id),
                epoch=int(payment.epoch),
                provider=str(payment.provider),
                amount=int(payment.amount),
                denom=denom,
                height=int(payment.height),
                time=rfc3339(int(payment.time)),
                txhash="",
            )
            for payment in response.payments
        )
        if not response.pagination.next_key:
            return sorted(entries)
        request.pagination.key = response.pagination.next_key


def pools_paid(client: Client, pool: int | None = None) -> dict[int, int]:
    """Pool id -> the pool's ``paid`` total, for every pool (or only ``pool``)."""
    if pool is not None:
        found = client.call(client.incentives.Pool, query_pb2.QueryPoolRequest(pool_id=pool)).pool
        return {int(found.id): int(found.paid or 0)}
    paid: dict[int, int] = {}
    request = query_pb2.QueryPoolsRequest()
    request.pagination.limit = PER_PAGE
    while True:
        response = client.call(client.incentives.Pools, request)
        paid.update({int(item.id): int(item.paid or 0) for item in response.pools})
        if not response.pagination.next_key:
            return paid
        request.pagination.key = response.pagination.next_key


# Comparison


def compare(
    reference: Sequence[LedgerEntry],
    checked: Sequence[LedgerEntry],
    reference_name: str,
    checked_name: str,
) -> list[Mismatch]:
    """Every payment of ``reference`` missing from ``checked``, every one only in ``checked``,
    and every field that differs; a field empty on either side (a file without ``time``, records
    without ``txhash``) is not compared."""
    mismatches: list[Mismatch] = []
    expected = {entry.payment_id: entry for entry in reference}
    actual = {entry.payment_id: entry for entry in checked}
    for payment_id in sorted(expected.keys() | actual.keys()):
        key = f"payment {payment_id}"
        mine, theirs = expected.get(payment_id), actual.get(payment_id)
        if theirs is None:
            assert mine is not None
            message = (
                f"{key} ({_summary(mine)}) is in the {reference_name}, not in the {checked_name}"
            )
            mismatches.append(Mismatch("missing", key, "", _summary(mine), "", message))
        elif mine is None:
            message = (
                f"{key} ({_summary(theirs)}) is in the {checked_name}, not in the {reference_name}"
            )
            mismatches.append(Mismatch("extra", key, "", "", _summary(theirs), message))
        else:
            for name in FIELDS[1:]:
                want, got = str(getattr(mine, name)), str(getattr(theirs, name))
                if want and got and want != got:
                    message = (
                        f"{key} {name}: {want} in the {reference_name}, {got} in the {checked_name}"
                    )
                    mismatches.append(Mismatch("different", key, name, want, got, message))
    return mismatches


def _summary(entry: LedgerEntry) -> str:
    return (
        f"pool {entry.pool} epoch {entry.epoch} {entry.provider} "
        f"{entry.amount}{entry.denom} at height {entry.height}"
    )


def audit(
    events: Sequence[LedgerEntry],
    records: Sequence[LedgerEntry],
    paid: dict[int, int],
    transfers: Sequence[Transfer],
) -> list[Mismatch]:
    """The module's records against the events' ledger, each pool's ``paid`` against the sum of
    its recorded payments, and each claim tx's bank transfer against its claim events."""
    mismatches = compare(records, events, "module records", "chain events")
    for pool_id, total in sorted(paid.items()):
        recorded = sum(entry.amount for entry in records if entry.pool == pool_id)
        if recorded != total:
            key = f"pool {pool_id}"
            message = f"{key} paid {total}, but its recorded payments sum to {recorded}"
            mismatches.append(
                Mismatch("pool-total", key, "paid", str(recorded), str(total), message)
            )
    for transfer in transfers:
        if transfer.claimed != transfer.transferred:
            key = f"tx {transfer.txhash}"
            message = (
                f"{key} claimed {transfer.claimed} for {transfer.provider}, but the bank "
                f"transferred {transfer.transferred} from the module account"
            )
            mismatches.append(
                Mismatch(
                    "transfer",
                    key,
                    transfer.provider,
                    str(transfer.claimed),
                    str(transfer.transferred),
                    message,
                )
            )
    return mismatches
