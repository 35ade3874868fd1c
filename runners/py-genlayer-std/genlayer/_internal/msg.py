"""The message on fd 0 (python-sdk.md §5, §18.1), read once when ``genlayer.gl`` is first imported."""

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


message_raw: MessageRawType = typing.cast(MessageRawType, calldata.decode(_read_stdin()))

message = MessageType(
    contract_address=message_raw['contract_address'],
    sender_address=message_raw['sender_address'],
    origin_address=message_raw['origin_address'],
    value=u256(message_raw['value']),
    chain_id=u256(message_raw['chain_id']),
)
