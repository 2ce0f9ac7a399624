"""Registered errors: the only way the state machine rejects input.

Owns the error registry (codespace, code) -> description, and the SDK's own codespace ``sdk`` with
the codes cosmos-sdk registers in ``types/errors``. Clients branch on codespace + code and on the
raw log wording, so both are kept exactly as the SDK has them: a wrapped error logs as
``"<detail>: <description>"``.

Fails when: a (codespace, code) pair is registered twice (a programming error, raised at import).
"""

from __future__ import annotations

from dataclasses import dataclass

_REGISTRY: dict[tuple[str, int], RegisteredError] = {}


@dataclass(frozen=True, slots=True)
class RegisteredError:
    """A registered error kind; ``wrap`` makes the exception that carries it."""

    codespace: str
    code: int
    description: str

    def wrap(self, detail: str = "") -> SdkError:
        """An exception of this kind with a detail message in front of the description."""
        return SdkError(self, detail)

    def __str__(self) -> str:
        return self.description


class SdkError(Exception):
    """An expected rejection: carries its registered kind and a detail message."""

    def __init__(self, kind: RegisteredError, detail: str = "") -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(self.log)

    @property
    def codespace(self) -> str:
        return self.kind.codespace

    @property
    def code(self) -> int:
        return self.kind.code

    @property
    def log(self) -> str:
        """The raw log text, in the SDK's wrap format."""
        if self.detail:
            return f"{self.detail}: {self.kind.description}"
        return self.kind.description

    def is_(self, kind: RegisteredError) -> bool:
        """Whether this error is of ``kind`` (same codespace and code)."""
        return self.kind.codespace == kind.codespace and self.kind.code == kind.code

    def wrap(self, detail: str) -> SdkError:
        """The same kind with ``detail`` prepended, like ``errors.Wrap`` on a wrapped error."""
        return SdkError(self.kind, f"{detail}: {self.detail}" if self.detail else detail)


def register(codespace: str, code: int, description: str) -> RegisteredError:
    """Register an error kind; codes are unique per codespace and 1 is reserved (internal)."""
    if code == 1:
        raise ValueError("code 1 is reserved for internal errors")
    key = (codespace, code)
    if key in _REGISTRY:
        raise ValueError(f"error with code {code} is already registered in {codespace!r}")
    kind = RegisteredError(codespace, code, description)
    _REGISTRY[key] = kind
    return kind


def lookup(codespace: str, code: int) -> RegisteredError | None:
    """The registered kind of (codespace, code), if any."""
    return _REGISTRY.get((codespace, code))


def registered_errors() -> list[RegisteredError]:
    """Every registered kind, sorted by codespace and code."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


SDK_CODESPACE = "sdk"

ErrTxDecode = register(SDK_CODESPACE, 2, "tx parse error")
ErrInvalidSequence = register(SDK_CODESPACE, 3, "invalid sequence")
ErrUnauthorized = register(SDK_CODESPACE, 4, "unauthorized")
ErrInsufficientFunds = register(SDK_CODESPACE, 5, "insufficient funds")
ErrUnknownRequest = register(SDK_CODESPACE, 6, "unknown request")
ErrInvalidAddress = register(SDK_CODESPACE, 7, "invalid address")
ErrInvalidPubKey = register(SDK_CODESPACE, 8, "invalid pubkey")
ErrUnknownAddress = register(SDK_CODESPACE, 9, "unknown address")
ErrInvalidCoins = register(SDK_CODESPACE, 10, "invalid coins")
ErrOutOfGas = register(SDK_CODESPACE, 11, "out of gas")
ErrMemoTooLarge = register(SDK_CODESPACE, 12, "memo too large")
ErrInsufficientFee = register(SDK_CODESPACE, 13, "insufficient fee")
ErrTooManySignatures = register(SDK_CODESPACE, 14, "maximum number of signatures exceeded")
ErrNoSignatures = register(SDK_CODESPACE, 15, "no signatures supplied")
ErrJSONMarshal = register(SDK_CODESPACE, 16, "failed to marshal JSON bytes")
ErrJSONUnmarshal = register(SDK_CODESPACE, 17, "failed to unmarshal JSON bytes")
ErrInvalidRequest = register(SDK_CODESPACE, 18, "invalid request")
ErrTxInMempoolCache = register(SDK_CODESPACE, 19, "tx already in mempool")
ErrMempoolIsFull = register(SDK_CODESPACE, 20, "mempool is full")
ErrTxTooLarge = register(SDK_CODESPACE, 21, "tx too large")
ErrKeyNotFound = register(SDK_CODESPACE, 22, "key not found")
ErrWrongPassword = register(SDK_CODESPACE, 23, "invalid account password")
ErrInvalidSigner = register(SDK_CODESPACE, 24, "tx intended signer does not match the given signer")
ErrInvalidGasAdjustment = register(SDK_CODESPACE, 25, "invalid gas adjustment")
ErrInvalidHeight = register(SDK_CODESPACE, 26, "invalid height")
ErrInvalidVersion = register(SDK_CODESPACE, 27, "invalid version")
ErrInvalidChainID = register(SDK_CODESPACE, 28, "invalid chain-id")
ErrInvalidType = register(SDK_CODESPACE, 29, "invalid type")
ErrTxTimeoutHeight = register(SDK_CODESPACE, 30, "tx timeout height")
ErrUnknownExtensionOptions = register(SDK_CODESPACE, 31, "unknown extension options")
ErrWrongSequence = register(SDK_CODESPACE, 32, "incorrect account sequence")
ErrPackAny = register(SDK_CODESPACE, 33, "failed packing protobuf message to Any")
ErrUnpackAny = register(SDK_CODESPACE, 34, "failed unpacking protobuf message from Any")
ErrLogic = register(SDK_CODESPACE, 35, "internal logic error")
ErrConflict = register(SDK_CODESPACE, 36, "conflict")
ErrNotSupported = register(SDK_CODESPACE, 37, "feature not supported")
ErrNotFound = register(SDK_CODESPACE, 38, "not found")
ErrIO = register(SDK_CODESPACE, 39, "Internal IO error")
ErrAppConfig = register(SDK_CODESPACE, 40, "error in app.toml")
ErrInvalidGasLimit = register(SDK_CODESPACE, 41, "invalid gas limit")
ErrTxTimeout = register(SDK_CODESPACE, 42, "tx timeout")
ErrPanic = register(SDK_CODESPACE, 111222, "panic")

MATH_CODESPACE = "math"
ErrIntOverflow = register(MATH_CODESPACE, 2, "integer overflow")
ErrDecOverflow = register(MATH_CODESPACE, 3, "decimal overflow")
ErrDivisionByZero = register(MATH_CODESPACE, 4, "division by zero")
ErrInvalidNumber = register(MATH_CODESPACE, 5, "invalid number")
