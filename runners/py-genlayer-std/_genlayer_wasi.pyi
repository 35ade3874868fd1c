"""Builtin C module of the Python runner (python-sdk.md §18.2): wasm imports from module ``genlayer_sdk``.

Every function raises ``SystemError("<n>: <name>")`` when the host answers a non-zero errno
(1 overflow, 2 inval, 3 fault, 4 ilseq, 5 io, 6 forbidden, 7 inbalance).
"""

from collections.abc import Buffer

def storage_read(slot: Buffer, off: int, buf: Buffer, /) -> None:
    """Fills the writable ``buf`` with bytes at offset ``off`` of the 32-byte ``slot``."""

def storage_write(slot: Buffer, off: int, data: Buffer, /) -> None:
    """Writes ``data`` at offset ``off`` of the 32-byte ``slot``."""

def get_balance(address: Buffer, /) -> int:
    """Balance of a 20-byte address (u256)."""

def get_self_balance() -> int:
    """Balance of the executing contract minus the value this VM already sent (u256)."""

def gl_call(request: Buffer, /) -> int:
    """Sends one calldata request; returns the result file descriptor, or ``2**32 - 1`` for none."""
