"""Write the FileDescriptorSet of the .proto files that proto/akash/incentives imports.

cosmpy ships the generated ``*_pb2`` modules of the Cosmos protos but not their ``.proto``
sources, and the BSR is out of reach, so protoc cannot read the imports from source. Each
generated module carries its file's descriptor, though; this script collects them (and their
transitive dependencies) into a set for ``protoc --descriptor_set_in``.

Usage: ``python scripts/proto_deps.py OUT.binpb``. The output is byte-identical for a given
cosmpy, googleapis-common-protos and protobuf; it fails with ImportError if one is missing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FileDescriptor

# The generated modules of the files imported by proto/akash/incentives/v1/*.proto. Importing a
# cosmpy module first runs cosmpy.protos/__init__.py, which puts cosmpy's top-level proto packages
# (cosmos, cosmos_proto, gogoproto, amino) on sys.path, as their own imports need.
ROOT_MODULES = (
    "cosmpy.protos.cosmos.base.query.v1beta1.pagination_pb2",
    "cosmpy.protos.cosmos.base.v1beta1.coin_pb2",
    "cosmpy.protos.cosmos.msg.v1.msg_pb2",
    "cosmpy.protos.cosmos_proto.cosmos_pb2",
    "google.api.annotations_pb2",
)


def descriptor_set(module_names: Iterable[str]) -> descriptor_pb2.FileDescriptorSet:
    """Return the files of the given generated modules and all their dependencies.

    Dependencies come before the files that import them, in a fixed order (depth first, in the
    order each file lists its imports), so the serialized set is deterministic.
    """
    ordered: list[FileDescriptor] = []
    seen: set[str] = set()

    def visit(file: FileDescriptor) -> None:
        if file.name in seen:
            return
        seen.add(file.name)
        for dependency in file.dependencies:
            visit(dependency)
        ordered.append(file)

    for name in module_names:
        visit(importlib.import_module(name).DESCRIPTOR)

    result = descriptor_pb2.FileDescriptorSet()
    for file in ordered:
        # types-protobuf leaves CopyToProto unannotated.
        file.CopyToProto(result.file.add())  # type: ignore[no-untyped-call]
    return result


def main(argv: list[str]) -> int:
    """Write the set for ROOT_MODULES to the path in argv[1]."""
    if len(argv) != 2:
        print(f"usage: {argv[0]} OUT.binpb", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(descriptor_set(ROOT_MODULES).SerializeToString(deterministic=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
