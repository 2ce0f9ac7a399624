"""Running a harness: write its seeds into the corpus directory (the first positional argument,
as libFuzzer takes it) when it is empty, then fuzz."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import atheris


def run(argv: Sequence[str], test_one_input: Callable[[bytes], None], seeds: list[bytes]) -> None:
    corpus = next((Path(arg) for arg in argv[1:] if not arg.startswith("-")), None)
    if corpus is not None:
        corpus.mkdir(parents=True, exist_ok=True)
        if not any(corpus.iterdir()):
            for seed in seeds:
                (corpus / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    atheris.Setup(list(argv), test_one_input)
    atheris.Fuzz()
