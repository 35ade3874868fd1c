"""The message on fd 0 (python-sdk.md §5, §18.1), read once, when ``message`` or ``message_raw`` is first used."""

from __future__ import annotations

import os
import typing

from ..py import calldata
from ..py.types import Address, u256

__all__ = ('MessageType', 'MessageRawType', 'message_raw', 'message')


class MessageRawType(typing.TypedDict):
    contract_address: Address
    sender_address: Address
    origin_address: Address
    stack: list[Address]
    value: int
    chain_id: int
    datetime: str
    is_init: bool
    entry_kind: int
    entry_data: bytes
    entry_stage_data: typing.Any


class MessageType(typing.NamedTuple):
    contract_address: Address
    sender_address: Address
    origin_address: Address
    value: u256
    chain_id: u256


def _read_stdin() -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return b''.join(chunks)
        chunks.append(chunk)


if typing.TYPE_CHECKING:
    message_raw: MessageRawType
    message: MessageType


def __getattr__(name: str) -> typing.Any:
    # The message is read on first use rather than at import, so the executor can import this module (and genlayer.gl)
    # during the interpreter's start-up, before any message exists (docs/decisions.md "Python snapshots").
    if name not in ('message_raw', 'message'):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    raw = typing.cast(MessageRawType, calldata.decode(_read_stdin()))
    globals()['message_raw'] = raw
    globals()['message'] = MessageType(
        contract_address=raw['contract_address'],
        sender_address=raw['sender_address'],
        origin_address=raw['origin_address'],
        value=u256(raw['value']),
        chain_id=u256(raw['chain_id']),
    )
    return globals()[name]
