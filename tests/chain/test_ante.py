"""Ante handler over real cosmpy-signed txs: the SDK's checks, order, wording and gas.

Every rejection asserts the registered error, the raw log (and, for fees and gas, that cosmpy's
own ``TxResponse.ensure_successful`` parses it), and that neither state nor events changed: the
SDK keeps nothing of a tx rejected by its ante handler in CheckTx.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pytest
from cosmpy.aerial.exceptions import InsufficientFeesError, OutOfGasError
from cosmpy.aerial.tx import SigningCfg, Transaction, TxFee
from cosmpy.aerial.tx_helpers import TxResponse
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from cosmpy.mnemonic import derive_child_key_from_mnemonic
from cosmpy.protos.cosmos.bank.v1beta1.tx_pb2 import MsgSend
from cosmpy.protos.cosmos.base.v1beta1.coin_pb2 import Coin as CoinPb
from cosmpy.protos.cosmos.tx.v1beta1.tx_pb2 import AuthInfo, Tx, TxBody, TxRaw
from google.protobuf.any_pb2 import Any as AnyPb
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.ante import SIM_SECP256K1_PUBKEY, AnteHandler, gas_meter_for, parse_gas_prices
from chain.modules.auth import FEE_COLLECTOR_NAME, AccountKeeper, Params, PubKey
from chain.modules.bank import BankKeeper
from chain.sdk.address import encode_address, module_address
from chain.sdk.context import BlockHeader, Context
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
    ErrTxTimeoutHeight,
    ErrUnauthorized,
    ErrUnknownAddress,
    ErrUnknownExtensionOptions,
    ErrWrongSequence,
    RegisteredError,
    SdkError,
)
from chain.sdk.gas import GasMeter
from chain.sdk.kv import MemKV, store_hash
from chain.sdk.math import Coins, Dec
from chain.signatures import verified
from chain.tx import DecodedTx, decode_tx, sign_bytes

MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = "akash-localnet-1"
HEIGHT = 5
GAS = 200_000
FEE = "5000uakt"  # ceil(200000 * 0.025)
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@functools.cache
def wallet(index: int) -> LocalWallet:
    """Dev account ``index``: m/44'/118'/0'/0/index of the test mnemonic (cosmpy derives only
    index 0 in ``LocalWallet.from_mnemonic``; other indexes go through ``cosmpy.mnemonic``)."""
    key = derive_child_key_from_mnemonic(MNEMONIC, path=f"m/44'/118'/0'/0/{index}")
    return LocalWallet(PrivateKey(key), prefix="akash")


def addr(index: int) -> bytes:
    return bytes(wallet(index).address())


def text(index: int) -> str:
    return str(wallet(index).address())


def send(sender: int, recipient: int, amount: str = "10uakt") -> MsgSend:
    denom = amount.lstrip("0123456789")
    return MsgSend(
        from_address=text(sender),
        to_address=text(recipient),
        amount=[CoinPb(denom=denom, amount=amount[: -len(denom)])],
    )


class Env:
    """Auth, bank and ante over one store at height 5; wallets 0 and 1 funded, 2 unknown."""

    def __init__(self, min_gas_prices: str = "0.025uakt", height: int = HEIGHT) -> None:
        self.auth = AccountKeeper(
            module_permissions={FEE_COLLECTOR_NAME: (), "mint": ("minter",), "distribution": ()}
        )
        self.bank = BankKeeper(
            blocked_addrs=frozenset(
                module_address(n) for n in (FEE_COLLECTOR_NAME, "distribution")
            ),
            account_keeper=self.auth,
        )
        self.ante = AnteHandler(self.auth, self.bank, min_gas_prices, CHAIN_ID)
        self.ctx = Context(BlockHeader(height, 1_700_000_000 * 10**9, CHAIN_ID), MemKV())
        for index in (0, 1):
            self.fund(index, "1000000uakt,500uatom")
        self.ctx.events.clear()

    def fund(self, index: int, coins: str) -> None:
        amount = Coins.parse(coins)
        self.bank.mint_coins(self.ctx, "mint", amount)
        self.bank.send_coins_from_module_to_account(self.ctx, "mint", addr(index), amount)

    def number(self, index: int) -> int:
        account = self.auth.get_account(self.ctx, addr(index))
        return 0 if account is None else account.account_number

    def sequence(self, index: int) -> int:
        account = self.auth.get_account(self.ctx, addr(index))
        return 0 if account is None else account.sequence

    def tx(
        self,
        msgs: Sequence[MsgSend],
        signers: Sequence[int] = (0,),
        *,
        fee: str | None = FEE,
        gas: int = GAS,
        memo: str = "",
        sequences: Sequence[int] | None = None,
        numbers: Sequence[int] | None = None,
        chain_id: str = CHAIN_ID,
        timeout_height: int | None = None,
    ) -> Tx:
        """A tx built, sealed and signed by cosmpy."""
        sequences = [self.sequence(i) for i in signers] if sequences is None else sequences
        numbers = [self.number(i) for i in signers] if numbers is None else numbers
        tx = Transaction()
        for msg in msgs:
            tx.add_message(msg)
        configs = [
            SigningCfg.direct(wallet(i).public_key(), seq)
            for i, seq in zip(signers, sequences, strict=True)
        ]
        tx.seal(
            configs,
            fee=TxFee(amount=fee, gas_limit=gas),
            memo=memo,
            timeout_height=timeout_height,
        )
        for i, number in zip(signers, numbers, strict=True):
            tx.sign(wallet(i).signer(), chain_id, number, deterministic=True)
        tx.complete()
        result: Tx = tx.tx
        return result

    def run(
        self,
        tx: Tx | bytes,
        *,
        simulate: bool = False,
        meter: GasMeter | None = None,
        check_tx: bool = True,
    ) -> Context:
        data = tx if isinstance(tx, bytes) else tx.SerializeToString()
        decoded = decode_tx(data)
        if meter is None:
            meter = gas_meter_for(decoded, simulate, self.ctx.height)
        ctx = self.ctx.with_gas_meter(meter)
        self.ante.run(ctx, decoded, simulate, check_tx=check_tx)
        return ctx

    def rejects(
        self,
        tx: Tx | bytes,
        kind: RegisteredError,
        log: str,
        *,
        simulate: bool = False,
        meter: GasMeter | None = None,
    ) -> SdkError:
        """Running ``tx`` raises ``kind`` with raw log ``log`` and changes nothing."""
        before = store_hash(self.ctx.store)
        events = list(self.ctx.events)
        with pytest.raises(SdkError) as raised:
            self.run(tx, simulate=simulate, meter=meter)
        assert raised.value.is_(kind), raised.value.log
        assert raised.value.log == log
        assert store_hash(self.ctx.store) == before
        assert self.ctx.events == events
        return raised.value


def resign(tx: Tx, env: Env, signers: Sequence[int], chain_id: str = CHAIN_ID) -> Tx:
    """Re-sign ``tx`` (after editing its body or auth info) with cosmpy's signer."""
    body, auth_info = tx.body.SerializeToString(), tx.auth_info.SerializeToString()
    del tx.signatures[:]
    for i in signers:
        doc = sign_bytes(body, auth_info, chain_id, env.number(i))
        tx.signatures.append(wallet(i).signer().sign(doc, deterministic=True))
    return tx


def cosmpy_response(error: SdkError) -> TxResponse:
    return TxResponse("HASH", 0, error.code, GAS, 0, error.log, [], {}, None)


@pytest.fixture
def env() -> Env:
    return Env()


# Success


def test_valid_tx_pays_fee_sets_pubkey_and_bumps_sequence(env: Env) -> None:
    before = env.bank.get_balance(env.ctx, addr(0), "uakt")
    ctx = env.run(env.tx([send(0, 1)], memo="hello"))
    assert env.bank.get_balance(env.ctx, addr(0), "uakt") == before - 5000
    collector = module_address(FEE_COLLECTOR_NAME)
    assert env.bank.get_balance(env.ctx, collector, "uakt") == 5000
    fee_account = env.auth.get_account(env.ctx, collector)
    assert fee_account is not None
    assert fee_account.name == FEE_COLLECTOR_NAME
    account = env.auth.get_account(env.ctx, addr(0))
    assert account is not None
    assert account.sequence == 1
    assert account.pub_key == PubKey.secp256k1(wallet(0).public_key().public_key_bytes)
    tx_events = [event for event in env.ctx.events if event.type == "tx"]
    assert [event.attributes[0][0] for event in tx_events] == ["fee", "acc_seq", "signature"]
    assert tx_events[0].attributes == (("fee", "5000uakt"), ("fee_payer", text(0)))
    assert tx_events[1].attributes == (("acc_seq", f"{text(0)}/0"),)
    params = Params()
    size = len(env.tx([send(0, 1)], memo="hello", sequences=[0]).SerializeToString())
    assert ctx.gas_meter.used > params.tx_size_cost_per_byte * size + 1000


def test_second_tx_uses_the_stored_pubkey(env: Env) -> None:
    env.run(env.tx([send(0, 1)]))
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos[0].ClearField("public_key")
    env.run(resign(tx, env, [0]))
    assert env.sequence(0) == 2


def test_two_signers_in_first_seen_order(env: Env) -> None:
    tx = env.tx([send(1, 0), send(0, 1), send(1, 0)], signers=(1, 0))
    env.run(tx)
    assert env.sequence(0) == 1
    assert env.sequence(1) == 1
    assert env.bank.get_balance(env.ctx, module_address(FEE_COLLECTOR_NAME), "uakt") == 5000


def test_empty_fee_is_allowed_when_min_gas_price_is_zero() -> None:
    env = Env(min_gas_prices="")
    env.run(env.tx([send(0, 1)], fee=None))
    assert env.sequence(0) == 1
    assert env.bank.get_balance(env.ctx, module_address(FEE_COLLECTOR_NAME), "uakt") == 0


def test_min_gas_prices_only_in_check_tx(env: Env) -> None:
    env.run(env.tx([send(0, 1)], fee="1uakt"), check_tx=False)
    assert env.bank.get_balance(env.ctx, module_address(FEE_COLLECTOR_NAME), "uakt") == 1


def test_any_denom_of_the_min_gas_prices_suffices() -> None:
    env = Env(min_gas_prices="0.025uakt,0.001uatom")
    env.run(env.tx([send(0, 1)], fee="200uatom"))
    assert env.bank.get_balance(env.ctx, module_address(FEE_COLLECTOR_NAME), "uatom") == 200


def test_genesis_height_signs_with_account_number_zero() -> None:
    env = Env(height=0)
    assert env.number(0) != 0
    env.run(env.tx([send(0, 1)], numbers=[0]))
    assert env.sequence(0) == 1


def test_simulate_as_cosmpy_does(env: Env) -> None:
    """cosmpy simulates a signed tx with no fee and gas limit 0; the signature is not checked."""
    tx = env.tx([send(0, 1)], fee=None, gas=0, chain_id="another-chain")
    ctx = env.run(tx, simulate=True)
    assert ctx.gas_meter.limit is None
    assert ctx.gas_meter.used > 0
    assert env.sequence(0) == 1


def test_simulate_charges_for_missing_signatures(env: Env) -> None:
    full = env.tx([send(0, 1)], fee=None, gas=0)
    used_full = env.run(full, simulate=True, meter=GasMeter()).gas_meter.used
    env2 = Env()
    empty = env2.tx([send(0, 1)], fee=None, gas=0)
    empty.signatures[0] = b""
    empty.auth_info.signer_infos[0].ClearField("public_key")
    used_empty = env2.run(empty, simulate=True, meter=GasMeter()).gas_meter.used
    size_delta = len(full.SerializeToString()) - len(empty.SerializeToString())
    # The SDK's placeholder key is stored instead of the wallet's: same size, same write cost.
    assert used_empty - used_full == 10 * (112 - size_delta)
    account = env2.auth.get_account(env2.ctx, addr(0))
    assert account is not None
    assert account.pub_key == PubKey.secp256k1(SIM_SECP256K1_PUBKEY)


def test_parse_gas_prices() -> None:
    assert parse_gas_prices("0.025uakt, 1uatom") == {
        "uakt": Dec.from_str("0.025"),
        "uatom": Dec.from_str("1"),
    }
    assert parse_gas_prices("") == {}
    with pytest.raises(ValueError, match="invalid minimum gas price"):
        parse_gas_prices("-1uakt")
    with pytest.raises(ValueError, match="invalid minimum gas price"):
        parse_gas_prices("1uakt,2uakt")


# Rejections, in the SDK's order


def test_rejects_no_messages(env: Env) -> None:
    tx = env.tx([])
    env.rejects(tx, ErrInvalidRequest, "must contain at least one message: invalid request")


def test_rejects_gas_above_block_max(env: Env) -> None:
    env.ante = AnteHandler(env.auth, env.bank, "0.025uakt", CHAIN_ID, max_block_gas=100_000)
    env.rejects(
        env.tx([send(0, 1)]),
        ErrInvalidGasLimit,
        "tx gas limit 200000 exceeds block max gas 100000: invalid gas limit",
    )


def test_rejects_extension_options(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.body.extension_options.append(_packed_coin())
    env.rejects(resign(tx, env, [0]), ErrUnknownExtensionOptions, "unknown extension options")


def test_rejects_no_signatures(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    del tx.signatures[:]
    env.rejects(tx, ErrNoSignatures, "empty signatures: no signatures supplied")


def test_rejects_more_signatures_than_signers(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.signatures.append(tx.signatures[0])
    env.rejects(
        tx,
        ErrUnauthorized,
        "invalid number of signatures: got 2 signatures and 1 signers: unauthorized",
    )


def test_rejects_passed_timeout_height(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1)], timeout_height=HEIGHT - 1),
        ErrTxTimeoutHeight,
        f"block height: {HEIGHT}, timeout height: {HEIGHT - 1}: tx timeout height",
    )


def test_rejects_long_memo(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1)], memo="m" * 257),
        ErrMemoTooLarge,
        "maximum number of characters is 256 but received 257 characters: memo too large",
    )


def test_rejects_running_out_of_gas_with_cosmpy_parsable_log(env: Env) -> None:
    tx = env.tx([send(0, 1)], gas=2000)
    used = _params_gas() + 10 * len(tx.SerializeToString())
    error = env.rejects(
        tx,
        ErrOutOfGas,
        f"out of gas in location: txSize; gasWanted: 2000, gasUsed: {used}: out of gas",
    )
    with pytest.raises(OutOfGasError) as raised:
        cosmpy_response(error).ensure_successful()
    assert (raised.value.gas_wanted, raised.value.gas_used) == (2000, used)


def _params_gas() -> int:
    """Gas of the first read of the auth params (absent: flat + key bytes)."""
    return 1000 + 3 * len(b"\x00")


def test_rejects_zero_gas_limit(env: Env) -> None:
    env.rejects(env.tx([send(0, 1)], gas=0), ErrOutOfGas, _zero_gas_log(env))
    env.rejects(
        env.tx([send(0, 1)], gas=0),
        ErrInvalidGasLimit,
        "must provide positive gas: invalid gas limit",
        meter=GasMeter(),
    )


def _zero_gas_log(env: Env) -> str:
    return "out of gas in location: ReadFlat; gasWanted: 0, gasUsed: 1000: out of gas"


def test_rejects_insufficient_fee_with_cosmpy_parsable_log(env: Env) -> None:
    error = env.rejects(
        env.tx([send(0, 1)], fee="100uakt"),
        ErrInsufficientFee,
        "insufficient fees; got: 100uakt required: 5000uakt: insufficient fee",
    )
    match = re.search(r"required:\s*(\d+\w+)", error.log)
    assert match is not None
    assert match.group(1) == "5000uakt"
    with pytest.raises(InsufficientFeesError) as raised:
        cosmpy_response(error).ensure_successful()
    assert raised.value.minimum_required_fee == "5000uakt"


def test_rejects_empty_fee_when_gas_has_a_price(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1)], fee=None),
        ErrInsufficientFee,
        "insufficient fees; got:  required: 5000uakt: insufficient fee",
    )


def test_rejects_fee_in_a_denom_without_price(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1)], fee="9999999uatom"),
        ErrInsufficientFee,
        "insufficient fees; got: 9999999uatom required: 5000uakt: insufficient fee",
    )


def test_rejects_fee_grant(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.fee.granter = text(1)
    env.rejects(
        resign(tx, env, [0]), ErrInvalidRequest, "fee grants are not enabled: invalid request"
    )


def test_rejects_unknown_fee_payer(env: Env) -> None:
    env.rejects(
        env.tx([send(2, 1)], signers=(2,)),
        ErrUnknownAddress,
        f"fee payer address: {text(2)} does not exist: unknown address",
    )


def test_rejects_invalid_fee_amount() -> None:
    env = Env(min_gas_prices="")
    tx = env.tx([send(0, 1)])
    tx.auth_info.fee.amount[0].amount = "-5"
    env.rejects(
        resign(tx, env, [0]), ErrInsufficientFee, "invalid fee amount: -5uakt: insufficient fee"
    )


def test_rejects_fee_the_payer_cannot_pay(env: Env) -> None:
    env.fund(3, "100uakt")
    env.rejects(
        env.tx([send(3, 1, "1uakt")], signers=(3,)),
        ErrInsufficientFunds,
        "spendable balance 100uakt is smaller than 5000uakt: insufficient funds: "
        "insufficient funds",
    )


def test_rejects_signer_info_count_mismatch(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos.append(tx.auth_info.signer_infos[0])
    env.rejects(
        resign(tx, env, [0]),
        ErrUnauthorized,
        "invalid number of signer;  expected: 1, got 2: unauthorized",
    )


def test_rejects_pubkey_of_another_address(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos[0].public_key.CopyFrom(
        PubKey.secp256k1(wallet(1).public_key().public_key_bytes).to_any()
    )
    env.rejects(
        resign(tx, env, [0]),
        ErrInvalidPubKey,
        f"pubKey does not match signer address {text(0)} with signer index: 0: invalid pubkey",
    )


def test_rejects_pubkey_of_another_type(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    key = tx.auth_info.signer_infos[0].public_key
    key.type_url = "/cosmos.crypto.ed25519.PubKey"
    env.rejects(
        resign(tx, env, [0]),
        ErrInvalidPubKey,
        "unrecognized public key type: /cosmos.crypto.ed25519.PubKey: invalid pubkey",
    )


def test_rejects_pubkey_of_wrong_length(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos[0].public_key.CopyFrom(PubKey.secp256k1(b"\x02" * 32).to_any())
    env.rejects(
        resign(tx, env, [0]), ErrInvalidPubKey, "length of pubkey is incorrect: invalid pubkey"
    )


def test_rejects_missing_pubkey_on_a_new_account(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos[0].ClearField("public_key")
    env.rejects(
        resign(tx, env, [0]),
        ErrInvalidPubKey,
        "unrecognized public key type: <nil>: invalid pubkey",
    )


def test_rejects_unknown_second_signer(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1), send(2, 1)], signers=(0, 2)),
        ErrUnknownAddress,
        f"account {text(2)} does not exist: unknown address",
    )


def test_rejects_too_many_signatures(env: Env) -> None:
    env.auth.set_params(env.ctx, Params(tx_sig_limit=1))
    env.rejects(
        env.tx([send(0, 1), send(1, 0)], signers=(0, 1)),
        ErrTooManySignatures,
        "signatures: 2, limit: 1: maximum number of signatures exceeded",
    )


def test_rejects_wrong_sequence_and_keeps_the_fee(env: Env) -> None:
    before = env.bank.get_balance(env.ctx, addr(0), "uakt")
    env.rejects(
        env.tx([send(0, 1)], sequences=[1]),
        ErrWrongSequence,
        "account sequence mismatch, expected 0, got 1: incorrect account sequence",
    )
    assert env.bank.get_balance(env.ctx, addr(0), "uakt") == before


def test_rejects_wrong_sequence_when_simulating(env: Env) -> None:
    env.rejects(
        env.tx([send(0, 1)], sequences=[3], fee=None, gas=0),
        ErrWrongSequence,
        "account sequence mismatch, expected 0, got 3: incorrect account sequence",
        simulate=True,
    )


def _bad_signature_log(env: Env, index: int = 0) -> str:
    return (
        f"signature verification failed; please verify account number ({env.number(index)}) "
        f"and chain-id ({CHAIN_ID}): (unable to verify single signer signature): unauthorized"
    )


def test_rejects_wrong_chain_id(env: Env) -> None:
    tx = env.tx([send(0, 1)], chain_id="another-chain")
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))


def test_rejects_wrong_account_number(env: Env) -> None:
    tx = env.tx([send(0, 1)], numbers=[env.number(0) + 1])
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))


def test_rejects_signature_over_other_bytes(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.body.memo = "changed after signing"
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))


def test_rejects_high_s_signature(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    signature = tx.signatures[0]
    s = int.from_bytes(signature[32:], "big")
    tx.signatures[0] = signature[:32] + (SECP256K1_ORDER - s).to_bytes(32, "big")
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))


def test_rejects_short_signature(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.signatures[0] = tx.signatures[0][:63]
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))


def test_rejects_legacy_amino_sign_mode_with_its_wording(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.auth_info.signer_infos[0].mode_info.single.mode = 127  # SIGN_MODE_LEGACY_AMINO_JSON
    env.rejects(
        resign(tx, env, [0]),
        ErrUnauthorized,
        f"signature verification failed; please verify account number ({env.number(0)}), "
        f"sequence (0) and chain-id ({CHAIN_ID}): unauthorized",
    )


def test_rejects_unordered_tx(env: Env) -> None:
    tx = env.tx([send(0, 1)])
    tx.body.unordered = True
    env.rejects(
        resign(tx, env, [0]),
        ErrNotSupported,
        "unordered transactions are not enabled: feature not supported",
    )


def test_rejection_after_fee_and_pubkey_writes_nothing(env: Env) -> None:
    """A failure after the fee moved and the pubkey was set still writes nothing."""
    tx = env.tx([send(0, 1)], chain_id="another-chain")
    env.rejects(tx, ErrUnauthorized, _bad_signature_log(env))
    account = env.auth.get_account(env.ctx, addr(0))
    assert account is not None
    assert account.pub_key is None


def _packed_coin() -> AnyPb:
    packed = AnyPb()
    packed.Pack(CoinPb(denom="uakt", amount="1"), type_url_prefix="/")
    return packed


# Decode + ante never fail with anything but a registered error


def _valid_tx_bytes() -> bytes:
    env = Env()
    return env.tx([send(0, 1), send(1, 0)], signers=(0, 1), memo="fuzz").SerializeToString()


VALID = _valid_tx_bytes()


def _decode_and_run(data: bytes) -> None:
    env = _FUZZ_ENV
    branch = env.ctx.branch()
    try:
        decoded: DecodedTx = decode_tx(data)
        ctx = branch.ctx.with_gas_meter(gas_meter_for(decoded, False, HEIGHT))
        env.ante.run(ctx, decoded, False)
    except SdkError:
        pass


_FUZZ_ENV = Env()


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_registered_errors(data: bytes) -> None:
    _decode_and_run(data)


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255), st.sampled_from("sid")),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_valid_txs_raise_only_registered_errors(
    edits: list[tuple[int, int, str]],
) -> None:
    data = bytearray(VALID)
    for position, value, kind in edits:
        position %= max(len(data), 1)
        if kind == "s" and data:
            data[position] = value
        elif kind == "i":
            data.insert(position, value)
        elif data:
            del data[position]
    _decode_and_run(bytes(data))


@settings(max_examples=100)
@given(
    st.sampled_from(["body_bytes", "auth_info_bytes"]),
    st.integers(0, 400),
    st.integers(0, 255),
)
def test_mutated_inner_bytes_raise_only_registered_errors(
    part: str, position: int, value: int
) -> None:
    raw = TxRaw.FromString(VALID)
    inner = bytearray(getattr(raw, part))
    inner[position % len(inner)] = value
    setattr(raw, part, bytes(inner))
    _decode_and_run(raw.SerializeToString())


def test_the_valid_fuzz_seed_passes() -> None:
    env = Env()
    env.run(VALID)
    assert env.sequence(0) == 1
    assert env.sequence(1) == 1
    assert isinstance(TxBody.FromString(TxRaw.FromString(VALID).body_bytes), TxBody)
    assert isinstance(AuthInfo.FromString(TxRaw.FromString(VALID).auth_info_bytes), AuthInfo)
    assert encode_address(addr(0)) == text(0)


# What a block's txs can have verified ahead (``AnteHandler.signature_triples``)


def _triples(env: Env, tx: Tx) -> list[tuple[bytes, bytes, bytes]]:
    return env.ante.signature_triples(env.ctx, decode_tx(tx.SerializeToString()))


def test_the_triples_foreseen_are_exactly_what_the_check_verifies(env: Env) -> None:
    tx = env.tx([send(0, 1), send(1, 0)], signers=(0, 1))
    triples = _triples(env, tx)
    raw = TxRaw(
        body_bytes=tx.body.SerializeToString(),
        auth_info_bytes=tx.auth_info.SerializeToString(),
        signatures=list(tx.signatures),
    )
    keys = [bytes(wallet(index).public_key().public_key_bytes) for index in (0, 1)]
    assert triples == [
        (
            keys[index],
            tx.signatures[index],
            sign_bytes(raw.body_bytes, raw.auth_info_bytes, CHAIN_ID, env.number(signer)),
        )
        for index, signer in enumerate((0, 1))
    ]
    assert all(verified(*triple) for triple in triples)
    env.run(tx)  # and the ante handler accepts the tx those signatures sign


def test_a_signer_without_an_account_or_in_another_sign_mode_is_left_out(env: Env) -> None:
    unknown = env.tx([send(2, 0)], signers=(2,))
    assert _triples(env, unknown) == []
    amino = env.tx([send(0, 1)])
    amino.auth_info.signer_infos[0].mode_info.single.mode = 127  # SIGN_MODE_LEGACY_AMINO_JSON
    assert _triples(env, resign(amino, env, [0])) == []
