"""Test setup shared by every module: the SDK and the fake ``_genlayer_wasi`` on ``sys.path``, UTC local time."""

from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SDK_ROOT = os.path.dirname(HERE)
FAKE_DIR = os.path.join(HERE, 'fake')

for _p in (FAKE_DIR, SDK_ROOT):
    if _p not in sys.path:
        sys.path.insert(0, _p)

# GenVM's local time zone is UTC (python-sdk.md §19.3); naive datetimes depend on it.
os.environ['TZ'] = 'UTC'
time.tzset()


def h(text: str) -> bytes:
    """Hex with optional spaces to bytes."""
    return bytes.fromhex(text.replace(' ', ''))


def install_message(**overrides: object) -> None:
    """Puts a default message (calldata.md §8) on fd 0, so ``genlayer.gl`` can be imported in-process."""
    import tempfile

    from genlayer.py import calldata
    from genlayer.py.types import Address

    message = {
        'chain_id': 0,
        'contract_address': Address(b'\x01' + bytes(19)),
        'datetime': '2024-11-26T06:42:42.424242Z',
        'entry_data': calldata.encode({}),
        'entry_kind': 0,
        'entry_stage_data': None,
        'is_init': False,
        'origin_address': Address(b'\x02' + bytes(19)),
        'sender_address': Address(b'\x02' + bytes(19)),
        'stack': [],
        'value': 0,
    }
    message.update(overrides)
    with tempfile.TemporaryFile() as f:
        f.write(calldata.encode(message))
        f.seek(0)
        os.dup2(f.fileno(), 0)
