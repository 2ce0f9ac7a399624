"""atheris harness: ``decode_tx`` on any bytes.

Fails when (atheris reports a crash and writes the input): decoding raises anything but a
registered ``SdkError`` of the ``sdk`` codespace.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["chain"]):
    from chain.sdk.errors import ErrTxDecode, SdkError
    from chain.tx import decode_tx

from fuzz.corpus import run


def test_one_input(data: bytes) -> None:
    try:
        decode_tx(data)
    except SdkError as error:
        if not error.is_(ErrTxDecode):
            raise AssertionError(f"not a tx parse error: {error.codespace}/{error.code}") from None


def main() -> None:
    from fuzz.seeds import signed_txs

    run(sys.argv, test_one_input, signed_txs())


if __name__ == "__main__":
    main()
