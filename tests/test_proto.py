"""The akash.incentives.v1 protos: generated code freshness, buf lint and Cosmos conventions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cosmpy.protos.cosmos.msg.v1 import msg_pb2
from cosmpy.protos.cosmos_proto import cosmos_pb2
from google.api import annotations_pb2
from google.protobuf.any_pb2 import Any
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from incentives.pb import query_pb2, tx_pb2

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "akash.incentives.v1"


def _buf() -> str:
    """Return the buf executable; buf-bin is a test dependency, so a missing buf fails."""
    beside_python = Path(sys.executable).parent / "buf"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("buf")
    assert found is not None, "buf not found: install the test extra (buf-bin)"
    return found


def _run(args: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def gen_check(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """Run `scripts/gen-proto --check` once; return its build dir, output and exit code."""
    build = tmp_path_factory.mktemp("build")
    result = _run(
        [str(ROOT / "scripts" / "gen-proto"), "--check"],
        PYTHON=sys.executable,
        BUILD_DIR=str(build),
    )
    return build, result.stdout + result.stderr, result.returncode


def test_generated_code_is_fresh(gen_check: tuple[Path, str, int]) -> None:
    _, output, returncode = gen_check
    assert returncode == 0, f"run scripts/gen-proto:\n{output}"


def test_buf_lint_passes(gen_check: tuple[Path, str, int]) -> None:
    build, output, _ = gen_check
    image = build / "incentives.binpb"
    assert image.is_file(), f"gen-proto wrote no image:\n{output}"
    # Running from proto/ picks up proto/buf.yaml; --path skips the imported cosmos files.
    result = _run([_buf(), "lint", str(image), "--path", "akash/incentives"], cwd=ROOT / "proto")
    assert result.returncode == 0, result.stdout + result.stderr


def test_buf_format_is_clean() -> None:
    result = _run([_buf(), "format", "-d", "--exit-code"], cwd=ROOT / "proto")
    assert result.returncode == 0, result.stdout + result.stderr


def _msg_types() -> list[Descriptor]:
    return [
        message
        for name, message in sorted(tx_pb2.DESCRIPTOR.message_types_by_name.items())
        if name.startswith("Msg") and not name.endswith("Response")
    ]


def test_msg_service_is_a_cosmos_msg_service() -> None:
    service = tx_pb2.DESCRIPTOR.services_by_name["Msg"]
    assert service.GetOptions().Extensions[msg_pb2.service]
    served = set()
    for method in service.methods:
        assert method.input_type.full_name == f"{PACKAGE}.Msg{method.name}"
        assert method.output_type.full_name == f"{PACKAGE}.Msg{method.name}Response"
        served.add(method.input_type.name)
    assert served == {message.name for message in _msg_types()}


@pytest.mark.parametrize("message", _msg_types(), ids=lambda message: message.name)
def test_msg_signer_is_an_address_field(message: Descriptor) -> None:
    signers = list(message.GetOptions().Extensions[msg_pb2.signer])
    assert len(signers) == 1, f"{message.name} must name exactly one signer field"
    field = message.fields_by_name.get(signers[0])
    assert field is not None, f"{message.name} signer {signers[0]!r} is not a field"
    assert field.type == FieldDescriptor.TYPE_STRING
    assert field.label != FieldDescriptor.LABEL_REPEATED
    assert field.GetOptions().Extensions[cosmos_pb2.scalar] == "cosmos.AddressString"


@pytest.mark.parametrize("message", _msg_types(), ids=lambda message: message.name)
def test_msg_packs_with_the_cosmos_type_url(message: Descriptor) -> None:
    msg = getattr(tx_pb2, message.name)()
    packed = Any()
    packed.Pack(msg, type_url_prefix="/")  # what cosmpy's Transaction.seal does
    assert packed.type_url == f"/{PACKAGE}.{message.name}"
    assert packed.Is(message)


def test_query_rpcs_have_get_routes() -> None:
    for method in query_pb2.DESCRIPTOR.services_by_name["Query"].methods:
        route = method.GetOptions().Extensions[annotations_pb2.http].get
        assert route.startswith("/akash/incentives/v1/"), method.name
        for variable in re.findall(r"\{(\w+)\}", route):
            assert variable in method.input_type.fields_by_name, (method.name, variable)


@pytest.mark.parametrize(
    "imports",
    [
        "import cosmpy.protos.cosmos.base.v1beta1.coin_pb2 as c; import incentives.pb.tx_pb2 as t",
        "import incentives.pb.tx_pb2 as t; import cosmpy.protos.cosmos.base.v1beta1.coin_pb2 as c",
    ],
    ids=["cosmpy-first", "incentives-first"],
)
def test_imports_beside_cosmpy_in_any_order(imports: str) -> None:
    code = f"{imports}; assert type(t.MsgFundPool().amount.add()) is c.Coin"
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
