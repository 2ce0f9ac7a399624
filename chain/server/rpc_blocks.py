"""The CometBFT 0.38 JSON of the node's blocks: validator set, consensus params, block ids,
headers, commits and whole blocks.

A localnet has no consensus, so what CometBFT signs is derived deterministically: a validator's
address and key from its ed25519 consensus key (or a hash of its operator address; a node
without bonded validators shows one of its own with no power), the block's part-set hash from
its hash, each commit signature from the block hash and the validator address. The header's
``data_hash``, ``validators_hash`` and ``last_results_hash`` are real merkle roots of the txs,
the validator set and the previous block's results.

Fails when: nothing here fails on the node's own records (call under the node's lock).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from cosmpy.protos.cosmos.crypto.ed25519.keys_pb2 import PubKey as Ed25519PubKey
from cosmpy.protos.tendermint.abci.types_pb2 import ExecTxResult

from chain.modules.staking.keeper import consensus_power
from chain.server.node import MAX_BLOCK_GAS, Node, rfc3339
from chain.server.rpc_json import EMPTY_BLOCK_ID, EMPTY_HASH, b64, hex_upper, merkle_root

if TYPE_CHECKING:
    from chain.server.persistence import BlockRecord

BLOCK_PROTOCOL = 11


def _consensus_key(type_url: str, packed: Any) -> bytes | None:
    if type_url != "/cosmos.crypto.ed25519.PubKey":
        return None
    key = Ed25519PubKey()
    try:
        key.ParseFromString(packed.value)
    except Exception:
        return None
    return bytes(key.key) if len(key.key) == 32 else None


def validator_set(node: Node) -> list[dict[str, Any]]:
    app = node.app
    ctx = app.query_context()
    validators = []
    for validator in app.staking.bonded_validators(ctx):
        key = _consensus_key(validator.consensus_pubkey.type_url, validator.consensus_pubkey)
        if key is None:
            key = hashlib.sha256(b"consensus:" + validator.operator_address.encode()).digest()
        validators.append(
            {
                "address": hex_upper(hashlib.sha256(key).digest()[:20]),
                "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key)},
                "voting_power": str(consensus_power(validator)),
                "proposer_priority": "0",
            }
        )
    if not validators:
        key = hashlib.sha256(b"node:" + app.chain_id.encode()).digest()
        validators.append(
            {
                "address": hex_upper(hashlib.sha256(key).digest()[:20]),
                "pub_key": {"type": "tendermint/PubKeyEd25519", "value": b64(key)},
                "voting_power": "0",
                "proposer_priority": "0",
            }
        )
    return validators


def consensus_params_json() -> dict[str, Any]:
    return {
        "block": {"max_bytes": "22020096", "max_gas": str(MAX_BLOCK_GAS)},
        "evidence": {
            "max_age_num_blocks": "100000",
            "max_age_duration": "172800000000000",
            "max_bytes": "1048576",
        },
        "validator": {"pub_key_types": ["ed25519"]},
        "version": {"app": "0"},
        "abci": {"vote_extensions_enable_height": "0"},
    }


def block_id_json(record: BlockRecord) -> dict[str, Any]:
    block_hash = record.hash
    parts = hashlib.sha256(b"parts:" + block_hash).digest()
    return {"hash": hex_upper(block_hash), "parts": {"total": 1, "hash": hex_upper(parts)}}


def header_json(
    node: Node, record: BlockRecord, validators: list[dict[str, Any]]
) -> dict[str, Any]:
    previous = node.blocks.get(record.height - 1)
    validators_hash = merkle_root(
        [bytes.fromhex(v["address"]) + v["voting_power"].encode() for v in validators]
    )
    consensus = json.dumps(consensus_params_json(), sort_keys=True).encode()
    if previous is None:
        last_block_id, last_commit_hash, last_results = EMPTY_BLOCK_ID, "", EMPTY_HASH
    else:
        last_block_id = block_id_json(previous)
        last_commit_hash = hex_upper(hashlib.sha256(b"commit:" + previous.hash).digest())
        last_results = merkle_root(
            [
                ExecTxResult(
                    code=r.code, data=r.data, gas_wanted=r.gas_wanted, gas_used=r.gas_used
                ).SerializeToString()
                for r in previous.results
            ]
        )
    return {
        "version": {"block": str(BLOCK_PROTOCOL), "app": "0"},
        "chain_id": node.app.chain_id,
        "height": str(record.height),
        "time": rfc3339(record.time_ns),
        "last_block_id": last_block_id,
        "last_commit_hash": last_commit_hash,
        "data_hash": hex_upper(merkle_root([hashlib.sha256(tx).digest() for tx in record.txs])),
        "validators_hash": hex_upper(validators_hash),
        "next_validators_hash": hex_upper(validators_hash),
        "consensus_hash": hex_upper(hashlib.sha256(consensus).digest()),
        "app_hash": hex_upper(record.app_hash),
        "last_results_hash": hex_upper(last_results),
        "evidence_hash": hex_upper(EMPTY_HASH),
        "proposer_address": validators[0]["address"],
    }


def commit_json(
    record: BlockRecord, validators: list[dict[str, Any]], time_ns: int
) -> dict[str, Any]:
    """The commit for ``record``, signed (deterministically) by every validator."""
    block_id = block_id_json(record)
    signatures = [
        {
            "block_id_flag": 2,
            "validator_address": validator["address"],
            "timestamp": rfc3339(time_ns),
            "signature": b64(
                hashlib.sha512(record.hash + bytes.fromhex(validator["address"])).digest()
            ),
        }
        for validator in validators
    ]
    return {
        "height": str(record.height),
        "round": 0,
        "block_id": block_id,
        "signatures": signatures,
    }


def block_json(node: Node, record: BlockRecord) -> dict[str, Any]:
    validators = validator_set(node)
    previous = node.blocks.get(record.height - 1)
    if previous is None:
        last_commit: dict[str, Any] = {
            "height": str(max(record.height - 1, 0)),
            "round": 0,
            "block_id": EMPTY_BLOCK_ID,
            "signatures": [],
        }
    else:
        last_commit = commit_json(previous, validators, record.time_ns)
    return {
        "block_id": block_id_json(record),
        "block": {
            "header": header_json(node, record, validators),
            "data": {"txs": [b64(tx) for tx in record.txs]},
            "evidence": {"evidence": []},
            "last_commit": last_commit,
        },
    }


__all__ = [
    "BLOCK_PROTOCOL",
    "block_id_json",
    "block_json",
    "commit_json",
    "consensus_params_json",
    "header_json",
    "validator_set",
]
