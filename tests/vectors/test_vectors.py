"""Golden vectors: each committed vector replays from its JSON alone to the same results, events,
final genesis and app hash; and the generator's output is byte-identical across hash seeds and
equal to the committed files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.vectors.generate import SCENARIOS, generate
from tests.vectors.harness import FORMAT, JsonDict, dumps, msg_from_json, replay

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VECTORS = sorted(HERE.glob("*.json"))


def load(path: Path) -> JsonDict:
    vector: JsonDict = json.loads(path.read_text(encoding="utf-8"))
    return vector


def test_every_scenario_has_a_committed_vector() -> None:
    assert len(VECTORS) == len(SCENARIOS)
    assert sorted(path.name for path in VECTORS) == sorted(generate())


@pytest.mark.parametrize("path", VECTORS, ids=lambda path: path.stem)
def test_vector_replays(path: Path) -> None:
    vector = load(path)
    assert vector["format"] == FORMAT
    replayed = replay(vector)
    for index, (expected, actual) in enumerate(
        zip(vector["steps"], replayed["steps"], strict=True)
    ):
        assert actual["height"] == expected["height"], f"step {index}"
        assert actual["begin_block_events"] == expected["begin_block_events"], f"step {index}"
        for position, (want, got) in enumerate(zip(expected["msgs"], actual["msgs"], strict=True)):
            where = f"step {index} msg {position}"
            if "msg" in want:
                assert (got["code"], got["codespace"]) == (want["code"], want["codespace"]), where
                assert got["log"] == want["log"], where
                assert got["response"] == want["response"], where
                assert got["gas_used"] == want["gas_used"], where
            assert got["events"] == want["events"], where
            assert got == want, where
    assert replayed["final"]["genesis"] == vector["final"]["genesis"]
    assert replayed["final"]["app_hash"] == vector["final"]["app_hash"]
    assert dumps(replayed) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", VECTORS, ids=lambda path: path.stem)
def test_vector_msgs_are_proto_json(path: Path) -> None:
    """Every Msg parses into its ``incentives.pb.tx_pb2`` class by ``@type`` and prints back."""
    vector = load(path)
    entries = [entry for step in vector["steps"] for entry in step["msgs"] if "msg" in entry]
    assert entries
    for entry in entries:
        message = msg_from_json(entry["msg"])
        assert f"/{message.DESCRIPTOR.full_name}" == entry["msg"]["@type"]
    assert any(entry["code"] != 0 for entry in entries)


@pytest.mark.parametrize("path", VECTORS, ids=lambda path: path.stem)
def test_vector_file_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == dumps(json.loads(text))


def _generate_in_subprocess(out: Path, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, "-m", "tests.vectors.generate", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return {path.name: path.read_bytes() for path in sorted(out.glob("*.json"))}


def test_generator_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    first = _generate_in_subprocess(tmp_path / "seed-1", "1")
    second = _generate_in_subprocess(tmp_path / "seed-4242", "4242")
    assert first == second
    committed = {path.name: path.read_bytes() for path in VECTORS}
    assert first == committed, "vectors are stale: run python -m tests.vectors.generate"
