"""The ante handler: what every transaction must pass before its messages run.

Owns the checks of cosmos-sdk's default ante chain (``x/auth/ante``, v0.50), in its order, with
its wording, over a ``DecodedTx``:

1. (baseapp) at least one message;
2. gas limit within the block's max gas, when the app sets one (``SetUpContextDecorator``);
3. no extension options; no tip;
4. ``ValidateBasic``: signatures present, one per signer;
5. timeout height (and timeout timestamp) not passed;
6. memo at most ``max_memo_characters`` bytes;
7. ``tx_size_cost_per_byte`` gas per tx byte (``txSize``), plus, when simulating, the size of a
   full signature for each signer whose signature is missing;
8. fee: a positive gas limit (except when simulating or at genesis); in CheckTx, the fee covers
   ``ceil(gas_limit * min_gas_price)`` in at least one denom of the minimum gas prices (no
   check when they are zero); the fee payer's account exists; the fee (unless zero) is valid and
   moves from the fee payer to the ``fee_collector`` module account; event ``tx`` (fee,
   fee_payer);
9. public keys: one signer info per signer; a key given in a signer info must be a
   ``/cosmos.crypto.secp256k1.PubKey`` whose address is the signer's, and is stored on an
   account that has none; events ``tx`` (acc_seq) and ``tx`` (signature);
10. at most ``tx_sig_limit`` keys;
11. ``sig_verify_cost_secp256k1`` gas per signature;
12. per signer: a key on the account, signer info sequence == account sequence, and a 64-byte
    low-S compact secp256k1 signature over ``sha256(SignDoc)`` (SIGN_MODE_DIRECT, account
    number 0 at height 0) — not verified when simulating, as the SDK does not;
13. every signer's sequence goes up by one.

``run`` works on a branch of the context and writes it only when every check passes, so a
rejected tx changes nothing (the SDK runs its ante handler on a cache context the same way).
Gas is charged to ``ctx.gas_meter``: give it the tx's gas limit (``gas_meter_for``), or an
infinite meter when simulating or at genesis.

Fails when (registered ``sdk`` errors, raw logs as the SDK's):
- no message: ``ErrInvalidRequest`` ``must contain at least one message``;
- gas limit above the block's: ``ErrInvalidGasLimit``; zero gas: ``ErrInvalidGasLimit``
  ``must provide positive gas``; gas runs out: ``ErrOutOfGas``
  ``out of gas in location: <where>; gasWanted: <limit>, gasUsed: <used>``;
- extension options: ``ErrUnknownExtensionOptions``; a tip: ``ErrInvalidRequest``;
- no signatures: ``ErrNoSignatures``; signature count differs from signer count, or signer
  info count does: ``ErrUnauthorized``;
- timeout passed: ``ErrTxTimeoutHeight`` / ``ErrTxTimeout``;
- memo too long: ``ErrMemoTooLarge``
  ``maximum number of characters is 256 but received 300 characters``;
- fee too low: ``ErrInsufficientFee`` ``insufficient fees; got: 100uakt required: 5000uakt``;
  fee invalid: ``ErrInsufficientFee`` ``invalid fee amount: <coins>``; fee grant:
  ``ErrInvalidRequest`` ``fee grants are not enabled``;
- fee payer unknown: ``ErrUnknownAddress`` ``fee payer address: <addr> does not exist``; it
  cannot pay: ``ErrInsufficientFunds`` ``spendable balance ... is smaller than ...:
  insufficient funds``;
- a signer without account: ``ErrUnknownAddress`` ``account <addr> does not exist``;
- a key of another type, of the wrong length, or not the signer's, or no key at all:
  ``ErrInvalidPubKey``; too many keys: ``ErrTooManySignatures``;
- sequence mismatch: ``ErrWrongSequence`` ``account sequence mismatch, expected X, got Y``;
- bad signature (also a wrong chain-id or account number): ``ErrUnauthorized``
  ``signature verification failed; please verify account number (N) and chain-id (C):
  (unable to verify single signer signature)``;
- an unordered tx: ``ErrNotSupported`` ``unordered transactions are not enabled``.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Mapping
from typing import Protocol

from cosmpy.protos.cosmos.tx.signing.v1beta1.signing_pb2 import SignMode
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import SignerInfo

from chain import signatures
from chain.modules.auth import (
    ED25519_PUBKEY_TYPE_URL,
    FEE_COLLECTOR_NAME,
    SECP256K1_PUBKEY_TYPE_URL,
    Account,
    AccountKeeper,
    Params,
    PubKey,
    secp256k1_address,
)
from chain.sdk.address import encode_address
from chain.sdk.context import NANOS, Context
from chain.sdk.errors import (
    ErrInsufficientFee,
    ErrInsufficientFunds,
    ErrInvalidGasLimit,
    ErrInvalidPubKey,
    ErrInvalidRequest,
    ErrMemoTooLarge,
    ErrNoSignatures,
    ErrNotSupported,
    ErrOutOfGas,
    ErrTooManySignatures,
    ErrTxTimeout,
    ErrTxTimeoutHeight,
    ErrUnauthorized,
    ErrUnknownAddress,
    ErrUnknownExtensionOptions,
    ErrWrongSequence,
    SdkError,
)
from chain.sdk.events import Event
from chain.sdk.gas import GasMeter
from chain.sdk.math import Coin, Coins, Dec, Int
from chain.sdk.memo import BoundedMemo
from chain.tx import DecodedTx, sign_bytes

EVENT_TYPE_TX = "tx"
# The placeholder key the SDK uses for signers without a key when simulating.
SIM_SECP256K1_PUBKEY = bytes.fromhex(
    "035AD6810A47F073553FF30D2FCC7E0D3B1C0B74B61A1AAA2582344037151E143A"
)
# Amino size of a StdSignature with a secp256k1 key and a 64-byte signature (4-byte prefix +
# 33-byte key, each length-prefixed and tagged: 40 + 66), plus 6: what the SDK charges per
# missing signature when simulating.
SIM_SIGNATURE_COST_BYTES = 112

# Valid non-zero fees as coins, by the tx's (denom, amount) pairs: ``Coins`` are immutable, fees
# repeat.
_FEE_COINS: BoundedMemo[tuple[tuple[str, int], ...], Coins] = BoundedMemo(1024)

_GAS_PRICE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})")

GasPrices = Mapping[str, Dec]

_SIGN_MODE_DIRECT: int = SignMode.SIGN_MODE_DIRECT
_SIGN_MODE_LEGACY_AMINO_JSON: int = SignMode.SIGN_MODE_LEGACY_AMINO_JSON


class FeeBank(Protocol):
    """What the ante handler needs from the bank: moving the fee to the fee collector."""

    def send_coins_from_account_to_module(
        self, ctx: Context, sender: bytes, module_name: str, coins: Coins
    ) -> None: ...


def parse_gas_prices(text: str) -> dict[str, Dec]:
    """Minimum gas prices in ``app.toml`` form (``"0.025uakt,0.1uatom"``; empty: none)."""
    prices: dict[str, Dec] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _GAS_PRICE.fullmatch(part)
        if match is None or match.group(2) in prices:
            raise ValueError(f"invalid minimum gas price {part!r}")
        prices[match.group(2)] = Dec.from_str(match.group(1))
    return prices


def gas_meter_for(tx: DecodedTx, simulate: bool, height: int) -> GasMeter:
    """The meter a tx runs with: its gas limit, or infinite when simulating or at genesis."""
    if simulate or height == 0:
        return GasMeter()
    return GasMeter(tx.gas_limit)


def _coins_text(coins: tuple[tuple[str, int], ...]) -> str:
    return ",".join(f"{amount}{denom}" for denom, amount in coins)


class AnteHandler:
    """The default SDK ante chain over the auth and bank keepers (see the module docstring)."""

    def __init__(
        self,
        auth: AccountKeeper,
        bank: FeeBank,
        min_gas_prices: GasPrices | Coins | str = "",
        chain_id: str | None = None,
        *,
        max_block_gas: int | None = None,
    ) -> None:
        """``chain_id`` is the one signatures must commit to (default: the context's);
        ``max_block_gas`` the consensus ``block.max_gas`` (None or <= 0: no limit)."""
        self.auth = auth
        self.bank = bank
        if isinstance(min_gas_prices, str):
            prices: Mapping[str, Dec] = parse_gas_prices(min_gas_prices)
        elif isinstance(min_gas_prices, Coins):
            prices = {coin.denom: Dec.from_int(coin.amount) for coin in min_gas_prices}
        else:
            prices = min_gas_prices
        if any(price.is_negative() for price in prices.values()):
            raise ValueError("minimum gas prices must not be negative")
        self.min_gas_prices: tuple[tuple[str, Dec], ...] = tuple(sorted(prices.items()))
        self.chain_id = chain_id
        self.max_block_gas = max_block_gas

    def run(self, ctx: Context, tx: DecodedTx, simulate: bool, *, check_tx: bool = True) -> None:
        """Check ``tx``, charge its fee and gas, bump its signers' sequences; write all of it
        to ``ctx`` only on success. ``check_tx`` applies the minimum gas prices (CheckTx and
        simulation; pass False in FinalizeBlock, as the SDK checks them only in CheckTx)."""
        branch = ctx.branch()
        self._run(branch.ctx, tx, simulate, check_tx)
        branch.write()

    def required_fees(self, gas_limit: int) -> tuple[tuple[str, int], ...]:
        """``ceil(gas_limit * price)`` per minimum gas price denom."""
        return tuple(
            (denom, int(price.mul_int(gas_limit).ceil_int()))
            for denom, price in self.min_gas_prices
        )

    # The chain

    def _run(self, ctx: Context, tx: DecodedTx, simulate: bool, check_tx: bool) -> None:
        if not tx.msgs:
            raise ErrInvalidRequest.wrap("must contain at least one message")
        if self.max_block_gas is not None and 0 < self.max_block_gas < tx.gas_limit:
            raise ErrInvalidGasLimit.wrap(
                f"tx gas limit {tx.gas_limit} exceeds block max gas {self.max_block_gas}"
            )
        if tx.body.extension_options:
            raise ErrUnknownExtensionOptions.wrap()
        if tx.auth_info.HasField("tip"):
            raise ErrInvalidRequest.wrap("tips are not supported")
        self._validate_basic(tx)
        self._check_timeout(ctx, tx)
        params = self.auth.get_params(ctx)
        memo_length = len(tx.memo.encode())
        if memo_length > params.max_memo_characters:
            raise ErrMemoTooLarge.wrap(
                f"maximum number of characters is {params.max_memo_characters} but received "
                f"{memo_length} characters"
            )
        self._consume_tx_size_gas(ctx, tx, params, simulate)
        self._deduct_fee(ctx, tx, simulate, check_tx)
        self._set_pub_keys(ctx, tx, simulate)
        self._validate_sig_count(tx, params)
        self._consume_sig_gas(ctx, tx, params, simulate)
        self._verify_signatures(ctx, tx, simulate)
        for signer in tx.signers:
            account = self._signer_account(ctx, signer)
            self.auth.set_account(ctx, account.with_sequence(account.sequence + 1))

    def _validate_basic(self, tx: DecodedTx) -> None:
        signatures = tx.tx_raw.signatures
        if not signatures:
            raise ErrNoSignatures.wrap("empty signatures")
        if len(signatures) != len(tx.signers):
            raise ErrUnauthorized.wrap(
                f"invalid number of signatures: got {len(signatures)} signatures and "
                f"{len(tx.signers)} signers"
            )

    def _check_timeout(self, ctx: Context, tx: DecodedTx) -> None:
        timeout_height = tx.body.timeout_height
        if timeout_height > 0 and ctx.height > timeout_height:
            raise ErrTxTimeoutHeight.wrap(
                f"block height: {ctx.height}, timeout height: {timeout_height}"
            )
        if tx.body.HasField("timeout_timestamp"):
            stamp = tx.body.timeout_timestamp
            timeout_ns = stamp.seconds * NANOS + stamp.nanos
            if timeout_ns > 0 and ctx.header.time_ns > timeout_ns:
                raise ErrTxTimeout.wrap(
                    f"block time: {ctx.header.time_ns}, timeout timestamp: {timeout_ns}"
                )

    def _consume_tx_size_gas(
        self, ctx: Context, tx: DecodedTx, params: Params, simulate: bool
    ) -> None:
        ctx.gas_meter.consume(params.tx_size_cost_per_byte * tx.size, "txSize")
        if not simulate:
            return
        infos = tx.auth_info.signer_infos
        signatures = tx.tx_raw.signatures
        for index in range(len(tx.signers)):
            complete = (
                index < len(infos)
                and infos[index].mode_info.WhichOneof("sum") is not None
                and index < len(signatures)
                and len(signatures[index]) > 0
            )
            if not complete:
                ctx.gas_meter.consume(
                    params.tx_size_cost_per_byte * SIM_SIGNATURE_COST_BYTES, "txSize"
                )

    def _deduct_fee(self, ctx: Context, tx: DecodedTx, simulate: bool, check_tx: bool) -> None:
        if not simulate and ctx.height > 0 and tx.gas_limit == 0:
            raise ErrInvalidGasLimit.wrap("must provide positive gas")
        if not simulate and check_tx and any(price.raw for _, price in self.min_gas_prices):
            required = self.required_fees(tx.gas_limit)
            needed = dict(required)
            if not any(
                needed.get(denom, 0) != 0 and amount >= needed[denom] for denom, amount in tx.fee
            ):
                raise ErrInsufficientFee.wrap(
                    f"insufficient fees; got: {_coins_text(tx.fee)} "
                    f"required: {_coins_text(required)}"
                )
        if tx.auth_info.fee.granter:
            raise ErrInvalidRequest.wrap("fee grants are not enabled")
        payer = tx.fee_payer
        if payer is None:  # unreachable after _validate_basic: signatures match signers
            raise ErrNoSignatures.wrap("no signers")
        if not self.auth.has_account(ctx, payer):
            raise ErrUnknownAddress.wrap(
                f"fee payer address: {encode_address(payer)} does not exist"
            )
        # A fee kept in _FEE_COINS is a valid one with a non-zero amount.
        fee = _FEE_COINS.get(tx.fee)
        if fee is not None or any(amount != 0 for _, amount in tx.fee):
            if fee is None:
                denoms = [denom for denom, _ in tx.fee]
                if any(amount <= 0 for _, amount in tx.fee) or denoms != sorted(set(denoms)):
                    raise ErrInsufficientFee.wrap(f"invalid fee amount: {_coins_text(tx.fee)}")
                fee = Coins(Coin(denom, Int(amount)) for denom, amount in tx.fee)
                _FEE_COINS.remember(tx.fee, fee)
            try:
                self.bank.send_coins_from_account_to_module(ctx, payer, FEE_COLLECTOR_NAME, fee)
            except SdkError as error:
                if error.is_(ErrOutOfGas):
                    raise
                raise ErrInsufficientFunds.wrap(error.log) from None
        ctx.emit_event(_fee_event(tx.fee, payer))

    def _signer_account(self, ctx: Context, signer: bytes) -> Account:
        account = self.auth.get_account(ctx, signer)
        if account is None:
            raise ErrUnknownAddress.wrap(f"account {encode_address(signer)} does not exist")
        return account

    def _set_pub_keys(self, ctx: Context, tx: DecodedTx, simulate: bool) -> None:
        infos = tx.auth_info.signer_infos
        if len(infos) != len(tx.signers):
            raise ErrUnauthorized.wrap(
                f"invalid number of signer;  expected: {len(tx.signers)}, got {len(infos)}"
            )
        for index, (info, signer) in enumerate(zip(infos, tx.signers, strict=True)):
            if info.HasField("public_key"):
                key = _secp256k1_key_of(info.public_key.type_url, info.public_key.value)
            elif simulate:
                key = SIM_SECP256K1_PUBKEY
            else:
                continue
            if not simulate and _key_address(key) != signer:
                raise ErrInvalidPubKey.wrap(
                    f"pubKey does not match signer address {encode_address(signer)} with "
                    f"signer index: {index}"
                )
            account = self._signer_account(ctx, signer)
            if account.pub_key is None:
                self.auth.set_account(ctx, account.with_pub_key(PubKey.secp256k1(key)))
        for info, signer, signature in zip(infos, tx.signers, tx.tx_raw.signatures, strict=True):
            sequence = f"{encode_address(signer)}/{info.sequence}"
            ctx.emit_event(Event(EVENT_TYPE_TX, (("acc_seq", sequence),)))
            text = base64.b64encode(signature).decode()
            ctx.emit_event(Event(EVENT_TYPE_TX, (("signature", text),)))

    def _validate_sig_count(self, tx: DecodedTx, params: Params) -> None:
        count = 0
        for info in tx.auth_info.signer_infos:
            count += 1 if info.HasField("public_key") else 0
            if count > params.tx_sig_limit:
                raise ErrTooManySignatures.wrap(
                    f"signatures: {count}, limit: {params.tx_sig_limit}"
                )

    def _consume_sig_gas(self, ctx: Context, tx: DecodedTx, params: Params, simulate: bool) -> None:
        for signer in tx.signers:
            pub_key = self._signer_account(ctx, signer).pub_key
            if pub_key is None and simulate:
                pub_key = PubKey.secp256k1(SIM_SECP256K1_PUBKEY)
            type_url = "<nil>" if pub_key is None else pub_key.type_url
            if type_url == SECP256K1_PUBKEY_TYPE_URL:
                ctx.gas_meter.consume(params.sig_verify_cost_secp256k1, "ante verify: secp256k1")
            elif type_url == ED25519_PUBKEY_TYPE_URL:
                ctx.gas_meter.consume(params.sig_verify_cost_ed25519, "ante verify: ed25519")
                raise ErrInvalidPubKey.wrap("ED25519 public keys are unsupported")
            else:
                raise ErrInvalidPubKey.wrap(f"unrecognized public key type: {type_url}")

    def signature_triples(self, ctx: Context, tx: DecodedTx) -> list[signatures.Triple]:
        """The (key, signature, sign bytes) that step 12 would verify for each SIGN_MODE_DIRECT
        signer if ``tx`` ran on ``ctx``'s state as it is (the key already on the account, else
        the one in the signer info): what a block's txs can have verified ahead. Reads only;
        a signer whose check cannot be foreseen (no account, no key) is left out."""
        chain_id = self._chain_id(ctx)
        triples = []
        for info, signer, signature in zip(
            tx.auth_info.signer_infos, tx.signers, tx.tx_raw.signatures, strict=False
        ):
            if info.mode_info.single.mode != _SIGN_MODE_DIRECT:  # also 0 when not single
                continue
            account = self.auth.get_account(ctx, signer)
            if account is None:
                continue
            if account.pub_key is not None:
                key = account.pub_key.secp256k1_key()
            elif info.public_key.type_url == SECP256K1_PUBKEY_TYPE_URL:
                key = PubKey(info.public_key.type_url, info.public_key.value).secp256k1_key()
            else:
                key = None
            if key is None:
                continue
            signed = _direct_sign_bytes(tx, chain_id, _signed_account_number(ctx, account))
            triples.append((key, signature, signed))
        return triples

    def _chain_id(self, ctx: Context) -> str:
        return ctx.chain_id if self.chain_id is None else self.chain_id

    def _verify_signatures(self, ctx: Context, tx: DecodedTx, simulate: bool) -> None:
        if tx.body.unordered:
            raise ErrNotSupported.wrap("unordered transactions are not enabled")
        chain_id = self._chain_id(ctx)
        for info, signer, signature in zip(
            tx.auth_info.signer_infos, tx.signers, tx.tx_raw.signatures, strict=True
        ):
            account = self._signer_account(ctx, signer)
            if not simulate and account.pub_key is None:
                raise ErrInvalidPubKey.wrap("pubkey on account is not set")
            if info.sequence != account.sequence:
                raise ErrWrongSequence.wrap(
                    f"account sequence mismatch, expected {account.sequence}, got {info.sequence}"
                )
            if simulate:
                continue
            account_number = _signed_account_number(ctx, account)
            assert account.pub_key is not None
            problem = _verify(tx, info, signature, account.pub_key, chain_id, account_number)
            if problem is None:
                continue
            if _is_amino_json(info):
                detail = (
                    f"signature verification failed; please verify account number "
                    f"({account_number}), sequence ({account.sequence}) and chain-id ({chain_id})"
                )
            else:
                detail = (
                    f"signature verification failed; please verify account number "
                    f"({account_number}) and chain-id ({chain_id}): ({problem})"
                )
            raise ErrUnauthorized.wrap(detail)


@functools.lru_cache(maxsize=4096)
def _fee_event(fee: tuple[tuple[str, int], ...], payer: bytes) -> Event:
    """The ``tx`` event of a fee (events are immutable: one stands for every alike fee)."""
    return Event(EVENT_TYPE_TX, (("fee", _coins_text(fee)), ("fee_payer", encode_address(payer))))


def _secp256k1_key(pub_key: PubKey) -> bytes:
    """The compressed key of a secp256k1 pubkey; ``ErrInvalidPubKey`` for anything else."""
    if pub_key.type_url != SECP256K1_PUBKEY_TYPE_URL:
        raise ErrInvalidPubKey.wrap(f"unrecognized public key type: {pub_key.type_url}")
    key = pub_key.secp256k1_key()
    if key is None or len(key) != signatures.KEY_SIZE:
        raise ErrInvalidPubKey.wrap("length of pubkey is incorrect")
    return key


@functools.lru_cache(maxsize=4096)
def _secp256k1_key_of(type_url: str, value: bytes) -> bytes:
    """``_secp256k1_key`` of a signer info's key (memoized: signers repeat their key)."""
    return _secp256k1_key(PubKey(type_url, value))


_key_address = functools.lru_cache(maxsize=4096)(secp256k1_address)


def _is_amino_json(info: SignerInfo) -> bool:
    if info.mode_info.WhichOneof("sum") != "single":
        return False
    mode: int = info.mode_info.single.mode
    return mode == _SIGN_MODE_LEGACY_AMINO_JSON


def _verify(
    tx: DecodedTx,
    info: SignerInfo,
    signature: bytes,
    pub_key: PubKey,
    chain_id: str,
    account_number: int,
) -> str | None:
    """Why the signature does not verify (the SDK's inner error text), or None if it does."""
    kind = info.mode_info.WhichOneof("sum")
    if kind is None:
        return "unexpected SignatureData <nil>"
    if kind == "multi":
        return "expected multisig.PubKey, got *secp256k1.PubKey"
    if info.mode_info.single.mode != _SIGN_MODE_DIRECT:
        return f"unsupported sign mode {SignMode.Name(info.mode_info.single.mode)}"
    key = pub_key.secp256k1_key()
    if key is None or not signatures.verified(
        key, signature, _direct_sign_bytes(tx, chain_id, account_number)
    ):
        return "unable to verify single signer signature"
    return None


def _signed_account_number(ctx: Context, account: Account) -> int:
    """The account number a signature commits to: 0 at genesis (height 0), as the SDK."""
    return 0 if ctx.height == 0 else account.account_number


def _direct_sign_bytes(tx: DecodedTx, chain_id: str, account_number: int) -> bytes:
    return sign_bytes(tx.tx_raw.body_bytes, tx.tx_raw.auth_info_bytes, chain_id, account_number)


def clear_signature_cache() -> None:
    """Forget every memoized verification."""
    signatures.forget()
